/* A chart is redrawn on a resize only when its box has changed size. dcc.Graph asks plotly to resize a chart
 * whenever the chart's box changes (a ResizeObserver), and it does on every page load: dcc.Graph first draws an
 * empty figure at plotly's default 450 px, then the page's figure at its own height. Plotly then waits 100 ms and
 * lays the chart out again, whole, at the size it already has: How we compare's two charts in sight were drawn
 * twice on each load, the second time while the reader waited (the chart is marked pending meanwhile).
 *
 * A chart whose box is the size plotly last drew it at is left as it is; any other (a window made narrower, a hidden
 * tab shown, presentation mode's wider cards) is resized by plotly as before. */
(function () {
    "use strict";

    function wrap() {
        const plots = window.Plotly && window.Plotly.Plots;
        if (!plots || !plots.resize || plots.resize.sizeChecked) {
            return Boolean(plots && plots.resize);
        }
        const original = plots.resize;
        const resize = function (gd) {
            const div = typeof gd === "string" ? document.getElementById(gd) : gd;
            const drawn = div && div._fullLayout;
            if (drawn && div.isConnected) {
                const box = div.getBoundingClientRect();
                if (box.width > 0 && Math.abs(box.width - drawn.width) < 1 && Math.abs(box.height - drawn.height) < 1) {
                    return Promise.resolve(div);
                }
            }
            return original.apply(this, arguments);
        };
        resize.sizeChecked = true;
        plots.resize = resize;
        return true;
    }

    if (!wrap()) {
        document.addEventListener("DOMContentLoaded", wrap);
    }
})();
