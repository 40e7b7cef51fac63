/* Charts out of sight are drawn when they come near the window, or once the page is drawn and the browser idle,
 * whichever comes first. How we compare draws four charts on a change, two of them below a ranked chart of 150
 * areas; plotly drawing them all kept the chart in view waiting. Now a dcc.Graph further than MARGIN pixels from the
 * window keeps its new figure (the prop Dash holds, which downloads read) and draws it later: hidden meanwhile, so an
 * old drawing is never seen beside new words, and already the new figure's height, so nothing on the page moves
 * when it is drawn; and still marked pending by dcc.Graph, so anything that waits for the chart waits for the
 * drawing. A chart's first figure waits one frame, until every chart given its first figure holds that figure's
 * height, and is drawn then if it is near (a page load draws only the charts in sight before the page is shown); a
 * figure that does not give its height is never put off. A page about to be printed draws every chart first.
 *
 * It wraps Plotly.react, which dcc.Graph calls for every drawing: the promise dcc.Graph waits on settles when the
 * drawing is done, whenever that is. A newer figure for a chart still waiting replaces the older one. */
(function () {
    "use strict";
    const MARGIN = 400; // px beyond the window's edges in which a chart is drawn at once
    const waiting = new Map(); // plot div -> {args, done: [resolve, reject] pairs}
    let original = null;
    let observer = null;
    let cancelIdle = null;

    // Whether each chart is near the window, as the IntersectionObserver last said: asking the chart's box here
    // would make the browser lay out the page that Dash has just changed, once per chart, before any is drawn.
    const near = new WeakMap(); // plot div -> true (near or hidden) / false (far)
    const placed = new WeakMap(); // plot div -> when its place was read, with a figure of known height in it
    let placing = null; // the animation frame that will place the charts waiting for their first figure

    // Every dcc.Graph is watched from its first drawing, so its next figure knows where it stands.
    function watch(gd) {
        if (gd && !near.has(gd) && gd.isConnected && gd.closest(".dash-graph")) {
            near.set(gd, true); // until the observer says: drawn at once
            observer.observe(gd);
        }
    }

    function outOfSight(gd) {
        return Boolean(gd && gd.isConnected && near.get(gd) === false);
    }

    // A chart of ours given its first figure (dcc.Graph draws an empty one on mounting): where it stands is not
    // known yet, since the charts above it take their heights in the same moment.
    function notYetPlaced(gd) {
        return Boolean(gd && near.has(gd) && !placed.has(gd));
    }

    // At the next frame, once every chart given its first figure holds that figure's height, their places are read
    // together (one layout of the page) and the ones near the window drawn; the others wait like any chart out of
    // sight. A page load thus draws only the charts in sight before the page is shown.
    function placeSoon() {
        if (placing !== null) {
            return;
        }
        placing = window.requestAnimationFrame(function () {
            placing = null;
            const unplaced = Array.from(waiting.keys()).filter(function (gd) { return !placed.has(gd); });
            const nearNow = unplaced.map(function (gd) {
                const box = gd.getBoundingClientRect();
                return (box.width === 0 && box.height === 0) ||
                    (box.bottom > -MARGIN && box.top < window.innerHeight + MARGIN);
            });
            const now = performance.now();
            unplaced.forEach(function (gd, i) {
                placed.set(gd, now);
                near.set(gd, nearNow[i]);
                if (nearNow[i]) {
                    draw(gd);
                }
            });
        });
    }

    function draw(gd) {
        const entry = waiting.get(gd);
        if (!entry) {
            return;
        }
        waiting.delete(gd);
        gd.classList.remove("chart-deferred");
        gd.style.height = entry.height;
        gd.style.overflow = entry.overflow;
        let drawing;
        try {
            // A chart taken off the page (another page opened) is not drawn.
            drawing = Promise.resolve(gd.isConnected ? original.apply(window.Plotly, entry.args) : gd);
        } catch (error) {
            drawing = Promise.reject(error);
        }
        drawing.then(
            function (value) {
                entry.done.forEach(function (pair) { pair[0](value); });
            },
            function (error) {
                entry.done.forEach(function (pair) { pair[1](error); });
            }
        );
    }

    // One chart per idle moment, nearest first, so a reader's next click never waits behind them all.
    function drawWhenIdle() {
        if (cancelIdle || !waiting.size) {
            return;
        }
        cancelIdle = window.dashboardIdle.whenPageDrawn(function () {
            cancelIdle = null;
            const next = Array.from(waiting.keys()).sort(function (a, b) {
                return Math.abs(a.getBoundingClientRect().top) - Math.abs(b.getBoundingClientRect().top);
            })[0];
            draw(next);
            drawWhenIdle();
        });
    }

    // The height the new figure asks for (plotly's react takes a figure object, or data and layout), if it says.
    function heightOf(args) {
        const layout = args.length > 2 ? args[2] : args[1] && args[1].layout;
        return layout && typeof layout.height === "number" ? layout.height : null;
    }

    function react(gd) {
        const args = arguments;
        watch(gd);
        const height = heightOf(args);
        if (height === null || !(outOfSight(gd) || notYetPlaced(gd))) {
            const entry = waiting.get(gd);
            if (!entry) {
                return original.apply(this, args);
            }
            entry.args = args; // in sight again before its turn: the newest figure, now
            return new Promise(function (resolve, reject) {
                entry.done.push([resolve, reject]);
                draw(gd);
            });
        }
        return new Promise(function (resolve, reject) {
            const entry = waiting.get(gd) || {done: []};
            entry.args = args;
            entry.done.push([resolve, reject]);
            if (!waiting.has(gd)) {
                entry.height = gd.style.height;
                entry.overflow = gd.style.overflow;
                waiting.set(gd, entry);
                gd.classList.add("chart-deferred");
            }
            // The page takes the new figure's shape at once: drawing it later moves nothing (a shorter page
            // drawn late scrolled a reader's click off its target).
            gd.style.height = height + "px";
            gd.style.overflow = "hidden";
            if (!placed.has(gd)) {
                placeSoon();
            }
            drawWhenIdle();
        });
    }

    function install() {
        if (original || !window.Plotly || !window.Plotly.react || !("IntersectionObserver" in window)) {
            return;
        }
        original = window.Plotly.react;
        observer = new IntersectionObserver(
            function (entries) {
                entries.forEach(function (entry) {
                    if (!entry.target.isConnected) { // its page was left
                        observer.unobserve(entry.target);
                        return;
                    }
                    // What the observer saw before the chart's place was read is stale (its next word comes if
                    // the read place differs from what it last said).
                    if (entry.time < (placed.get(entry.target) || 0)) {
                        return;
                    }
                    // A hidden chart (no box) counts as near: drawn at once, as before it was hidden.
                    const box = entry.boundingClientRect;
                    const isNear = entry.isIntersecting || (box.width === 0 && box.height === 0);
                    near.set(entry.target, isNear);
                    if (isNear && placed.has(entry.target)) {
                        draw(entry.target);
                    }
                });
            },
            {rootMargin: MARGIN + "px 0px"}
        );
        window.Plotly.react = react;
        window.addEventListener("beforeprint", function () {
            Array.from(waiting.keys()).forEach(draw);
        });
    }

    install();
    if (!original) {
        document.addEventListener("DOMContentLoaded", install);
    }
})();
