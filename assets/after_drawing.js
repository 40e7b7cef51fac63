/* One way for a script to change how some charts are drawn, after each drawing: names_beside.js (a ranked chart's
 * names as page text) and map_labels.js (a district map's names kept apart) both use it.
 *
 * ``window.dashboardAfterDrawing({wants, prepare, drawn})`` wraps plotly's ``react`` (which dcc.Graph draws with):
 * a figure whose layout ``wants`` it is handed to ``prepare`` (optional: the arguments plotly is given instead), and
 * ``drawn(gd)`` runs after it is drawn, and again after every later drawing of that chart (plotly's afterplot: a
 * resize, a restyle such as presentation mode's bigger text). Plotly does not fire afterplot for every kind of
 * react, so ``drawn`` also runs when the react resolves, unless afterplot ran it since that react began. A chart
 * that has never wanted it costs nothing. */
(function () {
    "use strict";

    function layoutOf(args) {
        return args.length > 2 ? args[2] : args[1] && args[1].layout;
    }

    window.dashboardAfterDrawing = function (options) {
        const hooked = new WeakSet(); // charts whose every drawing runs ``drawn``
        const written = new WeakSet(); // charts afterplot ran ``drawn`` for since their last react
        let original = null;

        function hook(gd) {
            if (!hooked.has(gd) && typeof gd.on === "function") {
                hooked.add(gd);
                gd.on("plotly_afterplot", function () {
                    options.drawn(gd);
                    written.add(gd);
                });
            }
        }

        function react(gd) {
            const args = arguments;
            const wants = options.wants(layoutOf(args));
            if (!wants && !hooked.has(gd)) {
                return original.apply(this, args);
            }
            written.delete(gd);
            const given = wants && options.prepare ? options.prepare(args) : args;
            return Promise.resolve(original.apply(this, given)).then(function (value) {
                hook(gd);
                if (!written.has(gd)) {
                    options.drawn(gd);
                }
                return value;
            });
        }

        function install() {
            if (original || !window.Plotly || !window.Plotly.react) {
                return;
            }
            original = window.Plotly.react;
            window.Plotly.react = react;
        }

        install();
        if (!original) {
            document.addEventListener("DOMContentLoaded", install);
        }
    };
})();
