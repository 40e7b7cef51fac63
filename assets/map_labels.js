/* A district map's names kept apart.
 *
 * Why: each district's name is written at the middle of its shape (figures/choropleth.py), and small neighbours
 * (Oadby and Wigston beside Blaby) have middles a few pixels apart, so their names ran into one another, worst in
 * presentation mode, where every text on a chart is at least 18 px. Where they fall depends on the size the map is
 * drawn at and the size of its text, which only the browser knows.
 *
 * So after every drawing of a figure that asks for it (``layout.meta.separateLabels``), any two names whose boxes
 * overlap are moved apart up and down, each by half of what it takes, until none overlap (a few passes at most).
 * A name that would then sit more than an em or so from its district, or out of the map, or still on another name,
 * is left out (the map is drawn too small to name every district there: a phone's); the others are shown, and the
 * sentence beside the map, its table and a tap on a district name every one. Only the drawing changes: the figure
 * Dash holds, its PNG download and the board pack keep every name at its district's middle. A name is moved from
 * where plotly put it, so drawing again (a new indicator, a resize, presentation mode) starts afresh. */
(function () {
    "use strict";
    const GAP = 2; // px left between two names, up and down, once moved apart
    const SIDE = 0.9; // ems that must separate two names on one line, or they read as one ("Leicestershire Charnwood")
    const PASSES = 8;
    const SLACK = 0.5; // px of overlap not worth a move (what moving by halves leaves over)
    const MOST = 1.25; // ems a name may move from its district's middle before it would name the wrong district

    function wanted(layout) {
        const meta = layout && layout.meta;
        return Boolean(meta && typeof meta === "object" && meta.separateLabels);
    }

    // Each name as plotly placed it (a transform this file did not write is plotly's own, drawn afresh). Every name
    // is put back first and measured after, so the browser lays the map out once, not once per name.
    function names(gd) {
        const texts = Array.from(gd.querySelectorAll(".scattergeo text"));
        texts.forEach(function (text) {
            const own = text.getAttribute("transform") || "";
            if (own !== text.dataset.placed) {
                text.dataset.base = own;
            }
            text.setAttribute("transform", text.dataset.base);
        });
        return texts.map(function (text) {
            const box = text.getBoundingClientRect();
            const side = SIDE * (parseFloat(text.style.fontSize) || 12) / 2;
            return {text: text, left: box.left - side, right: box.right + side, top: box.top, bottom: box.bottom, dy: 0};
        });
    }

    function overlap(a, b) {
        const across = a.left < b.right && b.left < a.right;
        const upDown = Math.min(a.bottom + a.dy, b.bottom + b.dy) - Math.max(a.top + a.dy, b.top + b.dy);
        return across && upDown > -GAP ? upDown + GAP : 0;
    }

    // The map's frame on the page: plotly clips a map to it (its clip rectangle is in the chart's own coordinates).
    function frame(gd) {
        const outer = gd.querySelector(".main-svg").getBoundingClientRect();
        const geo = gd.querySelector(".geo");
        const found = geo && /#([^)"']+)/.exec(geo.getAttribute("clip-path") || "");
        const clip = found && document.getElementById(found[1]);
        const rect = clip && clip.querySelector("rect");
        if (!rect) {
            return outer;
        }
        const x = outer.left + Number(rect.getAttribute("x"));
        const y = outer.top + Number(rect.getAttribute("y"));
        return {left: x, top: y, right: x + Number(rect.getAttribute("width")), bottom: y + Number(rect.getAttribute("height"))};
    }

    // Whether a name, once moved, still sits by its district and inside the map.
    function fits(box, item) {
        const size = parseFloat(item.text.style.fontSize) || 12;
        return Math.abs(item.dy) <= MOST * size
            && item.top + item.dy >= box.top && item.bottom + item.dy <= box.bottom
            && item.left >= box.left - 0.5 * size && item.right <= box.right + 0.5 * size;
    }

    function separate(gd) {
        if (!wanted(gd.layout)) {
            return;
        }
        const items = names(gd);
        for (let pass = 0; pass < PASSES; pass += 1) {
            let moved = false;
            for (let i = 0; i < items.length; i += 1) {
                for (let j = i + 1; j < items.length; j += 1) {
                    const needed = overlap(items[i], items[j]);
                    if (needed > SLACK) {
                        const iAbove = items[i].top + items[i].bottom + 2 * items[i].dy
                            <= items[j].top + items[j].bottom + 2 * items[j].dy;
                        const upper = iAbove ? items[i] : items[j];
                        const lower = iAbove ? items[j] : items[i];
                        upper.dy -= needed / 2;
                        lower.dy += needed / 2;
                        moved = true;
                    }
                }
            }
            if (!moved) {
                break;
            }
        }
        // A name is shown where it fits and clears every name shown before it, those moved least first; any other
        // is left out: the map is drawn too small to name every district there (a phone's), and the sentence beside
        // it, its table and a tap on the district still name it.
        const box = frame(gd);
        const shown = [];
        items.slice().sort(function (a, b) { return Math.abs(a.dy) - Math.abs(b.dy); }).forEach(function (item) {
            item.shown = fits(box, item) && shown.every(function (other) { return overlap(item, other) <= SLACK; });
            if (item.shown) {
                shown.push(item);
            }
        });
        items.forEach(function (item) {
            const placed = item.dy ? item.text.dataset.base + " translate(0," + item.dy.toFixed(1) + ")" : item.text.dataset.base;
            item.text.setAttribute("transform", placed);
            item.text.dataset.placed = placed;
            item.text.style.visibility = item.shown ? "" : "hidden";
        });
    }

    window.dashboardAfterDrawing({wants: wanted, drawn: separate}); // assets/after_drawing.js
})();
