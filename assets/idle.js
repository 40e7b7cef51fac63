/* "When the page is drawn and the browser has a moment": shared by the assets that put off work nobody is looking
 * at yet (lazy_grid.js, lazy_chart.js). Dash is quiet when no callback is in flight and nothing is loading. */
(function () {
    "use strict";

    function dashQuiet() {
        const store = window.store;
        const busy = store && store.getState && store.getState().isLoading;
        return !busy && !document.querySelector('[data-dash-is-loading="true"]');
    }

    // Calls back once Dash is quiet and the browser idle (or after two seconds of waiting for idle); the function
    // returned cancels the wait.
    function whenPageDrawn(callback) {
        let timer = null;
        let idle = null;
        const check = function () {
            if (!dashQuiet()) {
                timer = setTimeout(check, 200);
            } else if ("requestIdleCallback" in window) {
                idle = window.requestIdleCallback(callback, {timeout: 2000});
            } else {
                timer = setTimeout(callback, 0);
            }
        };
        timer = setTimeout(check, 300);
        return function () {
            clearTimeout(timer);
            if (idle !== null) {
                window.cancelIdleCallback(idle);
            }
        };
    }

    window.dashboardIdle = {whenPageDrawn: whenPageDrawn};
})();
