/* AG Grid on demand. dash-ag-grid's bundle (1.3 MB, plus the 0.9 MB grid it fetches) is left out of the page
 * (dashboard/webapp.py LeanDash): this stands in as window.dash_ag_grid.AgGrid, with the same props. It draws nothing
 * while its table is folded away in a closed <details> ("Show the figures as a table"), so a page whose tables are
 * closed never fetches the grid, and a closed table costs nothing when the page's figures change. When the table is
 * opened, or on a page whose grid is shown from the start, it loads the real bundle once (from the address Dash
 * fingerprinted, written in #_dash-ag-grid-src) and draws the real grid with the props it holds; closing the table
 * puts the grid away again. A grid shown from the start but further down the page waits until it comes within a
 * few lines of the window, or until Dash has drawn the page and the browser is idle, whichever comes first: the
 * first screen of a page (Providers' charts above its two tables) is not kept waiting by a grid nobody has
 * scrolled to yet, and a page printed or saved whole still has every table; once drawn it stays.
 *
 * The real bundle ends with `window.dash_ag_grid = {...}`: a setter keeps that library for this file, so Dash
 * always finds this stand-in (and never swaps components under a grid on the page). */
(function () {
    "use strict";
    const React = window.React;
    let library = null; // the real dash_ag_grid once its script has run
    let loading = null; // the promise of it

    function address() {
        const tag = document.getElementById("_dash-ag-grid-src");
        return tag ? JSON.parse(tag.textContent).src : null;
    }

    function load() {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                const script = document.createElement("script");
                script.src = address();
                script.async = true;
                script.onload = function () {
                    return library ? resolve(library) : reject(new Error("dash_ag_grid did not load"));
                };
                script.onerror = function () {
                    loading = null; // a later table may try again
                    reject(new Error("The table could not be loaded from " + script.src));
                };
                document.head.appendChild(script);
            });
        }
        return loading;
    }

    function AgGrid(props) {
        const box = React.useRef(null);
        const [shown, setShown] = React.useState(false);
        const [near, setNear] = React.useState(false);
        const [ready, setReady] = React.useState(library !== null);
        const [failed, setFailed] = React.useState(null);
        React.useEffect(function () {
            const details = box.current && box.current.closest("details");
            const update = function () {
                setShown(!details || details.open);
            };
            update();
            if (details) {
                details.addEventListener("toggle", update);
                return function () {
                    details.removeEventListener("toggle", update);
                };
            }
            return undefined;
        }, []);
        React.useEffect(
            function () {
                if (near || !shown || !box.current) {
                    return undefined;
                }
                if (!("IntersectionObserver" in window)) {
                    setNear(true);
                    return undefined;
                }
                const observer = new IntersectionObserver(
                    function (entries) {
                        if (entries.some(function (entry) { return entry.isIntersecting; })) {
                            setNear(true);
                        }
                    },
                    {rootMargin: "200px 0px"}
                );
                observer.observe(box.current);
                const cancel = window.dashboardIdle.whenPageDrawn(function () {
                    setNear(true);
                });
                return function () {
                    observer.disconnect();
                    cancel();
                };
            },
            [shown, near]
        );
        React.useEffect(
            function () {
                if (shown && near && !ready) {
                    load().then(
                        function () {
                            setReady(true);
                        },
                        function (error) {
                            console.error(error);
                            setFailed("The table could not be loaded. Reload the page to try again.");
                        }
                    );
                }
            },
            [shown, near, ready]
        );
        let inner = null;
        if (failed) {
            inner = React.createElement("p", {className: "text-danger"}, failed);
        } else if (shown && near && ready) {
            inner = React.createElement(library.AgGrid, props);
        }
        return React.createElement("div", {ref: box, className: "lazy-grid"}, inner);
    }

    const standIn = {
        AgGrid: AgGrid,
        getApi: function (id) {
            return library ? library.getApi(id) : undefined;
        },
        getApiAsync: function (id) {
            return load().then(function (real) {
                return real.getApiAsync(id);
            });
        },
    };

    Object.defineProperty(window, "dash_ag_grid", {
        configurable: true,
        get: function () {
            return standIn;
        },
        set: function (real) {
            // The grid's own chunk writes `window.dash_ag_grid = window.dash_ag_grid || {}` (it hangs
            // useGridFilter on it): that is this stand-in coming back, not the library.
            if (real !== standIn) {
                library = real;
            }
        },
    });
})();
