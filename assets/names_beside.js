/* A ranked chart's area names (and the spine chart's indicator names) written as page text beside its bars, not as
 * plotly's tick labels.
 *
 * Why: How we compare ranks up to 150 areas, each named on the y-axis. Chromium lays out an SVG text element far
 * more slowly than a line of page text, and plotly's 150 tick labels were about half of the chart's drawing at
 * every change (measured in the browser: 65-80 ms with them, 35-45 ms without). So a figure that asks for it
 * (``layout.meta.namesBeside``, set by figures/compare.ranked_bars) is drawn with its category labels off and a
 * left margin that holds its longest name, and the names are then written in that margin, each centred on its
 * bar as plotly's own axis places it.
 *
 * The figure Dash holds keeps its labels: the card's picture download, the board pack and the tests read it
 * whole. Only the drawing on the page is changed, so plotly's own picture button (which would draw the figure
 * without names) is taken off these charts; the card's "Download chart (PNG)" draws it with them.
 *
 * After every drawing (a new figure, a resize, presentation mode's bigger text) the names are written again from
 * plotly's laid-out axis: their font and size are the axis's, and if they no longer fit the margin (presentation
 * mode's 18 px), the margin is widened once.
 *
 * A chart whose y-axis is not a category axis gives its names in the meta (``namesBeside.names``: the spine chart,
 * one name a row at y = 0, 1, 2...); its tick labels and plotly's automatic margin took 15 of its 25 ms of drawing. */
(function () {
    "use strict";
    const GAP = 8; // px between a name and the plot, as plotly leaves beside a tick label
    let canvas = null;

    function wanted(layout) {
        const meta = layout && layout.meta;
        return meta && typeof meta === "object" && meta.namesBeside ? meta.namesBeside : null;
    }

    // The categories the figure names on its y-axis, in the order plotly gives them (first trace that has them).
    function categories(data) {
        const trace = (data || []).find(function (t) { return Array.isArray(t.y) && t.y.length; });
        return trace ? trace.y.map(String) : [];
    }

    // The names' font: the figure's own y-axis tick font where it gives one, else the chart's font (plotly's rule
    // for tick labels; plotly lays out no tick font for an axis whose labels are off).
    function nameFont(yaxis, font) {
        const tick = (yaxis && yaxis.tickfont) || {};
        return {
            size: tick.size || font.size || 12,
            family: tick.family || font.family || "sans-serif",
            color: tick.color || font.color || "#444"
        };
    }

    // The width of the longest name in a font, from a canvas (no page layout is asked for).
    function widest(names, font, bold) {
        canvas = canvas || document.createElement("canvas");
        const ctx = canvas.getContext("2d");
        ctx.font = (bold ? "bold " : "") + font.size + "px " + font.family;
        return names.reduce(function (w, name) { return Math.max(w, ctx.measureText(name).width); }, 0);
    }

    function marginFor(names, font, emphasis) {
        const plain = widest(names, font, false);
        const strong = emphasis ? widest([emphasis], font, true) : 0;
        return Math.ceil(Math.max(plain, strong)) + GAP + 4;
    }

    function chartFont(layout) {
        const template = layout.template && layout.template.layout;
        return Object.assign({}, template && template.font, layout.font);
    }

    // A copy of the figure to draw: no category labels, the margin that holds the names, no picture button.
    function prepare(args) {
        const copy = Array.prototype.slice.call(args);
        const byFigure = copy.length <= 2;
        const figure = byFigure ? Object.assign({}, copy[1]) : null;
        const layout = Object.assign({}, byFigure ? figure.layout : copy[2]);
        const data = byFigure ? figure.data : copy[1];
        const spec = wanted(layout);
        const names = spec.names || categories(data);
        layout.yaxis = Object.assign({}, layout.yaxis, {showticklabels: false, automargin: false});
        layout.margin = Object.assign({}, layout.margin, {
            l: marginFor(names, nameFont(layout.yaxis, chartFont(layout)), spec.emphasis)
        });
        if (byFigure) {
            figure.layout = layout;
            const config = Object.assign({}, figure.config);
            config.modeBarButtonsToRemove = (config.modeBarButtonsToRemove || []).concat(["toImage"]);
            figure.config = config;
            copy[1] = figure;
        } else {
            copy[2] = layout;
        }
        return copy;
    }

    function layer(gd) {
        let names = gd.querySelector(":scope > .names-beside");
        if (!names) {
            names = document.createElement("div");
            names.className = "names-beside";
            names.setAttribute("aria-hidden", "true"); // the table view holds every name with its figure
            gd.style.position = "relative";
            gd.appendChild(names);
        }
        return names;
    }

    // Writes each name centred on its bar, from plotly's laid-out axis; widens the margin if they do not fit.
    function write(gd) {
        const full = gd._fullLayout;
        const spec = wanted(gd.layout);
        const ax = full && full.yaxis;
        const names = spec && (spec.names || (ax && ax._categories));
        if (!spec || !ax || !names) {
            const old = gd.querySelector(":scope > .names-beside");
            if (old) {
                old.remove();
            }
            return;
        }
        const font = nameFont(gd.layout.yaxis, full.font);
        const need = marginFor(names, font, spec.emphasis);
        const asked = (gd.layout.margin && gd.layout.margin.l) || 0;
        if (asked + 0.5 < need) { // compared with what was asked, not what plotly could give: asked once
            window.Plotly.relayout(gd, {"margin.l": need}); // drawn again: written then
            return;
        }
        const box = layer(gd);
        box.style.width = Math.max(0, full._size.l - GAP) + "px";
        box.style.font = font.size + "px " + font.family;
        box.style.color = font.color;
        const lines = names.map(function (name, i) {
            const line = document.createElement("div");
            line.textContent = name;
            line.style.top = ax._offset + ax.l2p(i) + "px";
            if (name === spec.emphasis) {
                line.className = "names-beside-chosen";
            }
            return line;
        });
        box.replaceChildren.apply(box, lines);
    }

    window.dashboardAfterDrawing({wants: wanted, prepare: prepare, drawn: write}); // assets/after_drawing.js
})();
