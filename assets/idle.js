/* "When the page is drawn and the browser has a moment": shared by the assets that put off work nobody is looking
 * at yet (lazy_grid.js, lazy_chart.js). The page is drawn when Dash is quiet (no callback in flight, nothing
 * loading) and every chart the reader can see has been drawn by plotly, and a frame has been painted since.
 *
 * Why the charts too: Dash is quiet as soon as the last answer is in, while plotly is still drawing. A grid loaded
 * in that gap (AG Grid's 2 MB, measured and drawn) held the Providers charts back by a few hundred milliseconds on
 * a page load. A chart put off by lazy_chart.js is not waited on (it waits for this), nor a hidden one. */
(function () {
    "use strict";
    const POLL_MS = 100;
    const CHARTS_WAITED_MS = 3000; // a chart that never draws (plotly failed) does not hold the rest back for good

    function dashQuiet() {
        const store = window.store;
        const busy = store && store.getState && store.getState().isLoading;
        return !busy && !document.querySelector('[data-dash-is-loading="true"]');
    }

    // A chart shown on the page that plotly has not drawn yet: no SVG, or dcc.Graph still marks it pending.
    function undrawn(graph) {
        if (graph.querySelector(".chart-deferred") || graph.offsetParent === null) {
            return false;
        }
        // dcc.Graph marks the plot inside it pending while plotly draws
        return graph.querySelector(".main-svg") === null || graph.querySelector(".dash-graph--pending") !== null;
    }

    function chartsDrawn() {
        return !Array.prototype.some.call(document.querySelectorAll(".dash-graph"), undrawn);
    }

    // Calls back once the page is drawn and the browser idle (or after two seconds of waiting for idle); the
    // function returned cancels the wait.
    function whenPageDrawn(callback) {
        let timer = null;
        let frame = null;
        let idle = null;
        const started = Date.now();
        const whenIdle = function () {
            frame = null;
            if ("requestIdleCallback" in window) {
                idle = window.requestIdleCallback(callback, {timeout: 2000});
            } else {
                timer = setTimeout(callback, 0);
            }
        };
        const check = function () {
            if (!dashQuiet() || (!chartsDrawn() && Date.now() - started < CHARTS_WAITED_MS)) {
                timer = setTimeout(check, POLL_MS);
            } else {
                frame = window.requestAnimationFrame(whenIdle); // idle after the frame that shows the charts
            }
        };
        timer = setTimeout(check, 300);
        return function () {
            clearTimeout(timer);
            if (frame !== null) {
                window.cancelAnimationFrame(frame);
            }
            if (idle !== null) {
                window.cancelIdleCallback(idle);
            }
        };
    }

    window.dashboardIdle = {whenPageDrawn: whenPageDrawn};
})();
