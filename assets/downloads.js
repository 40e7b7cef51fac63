/* A chart card's download buttons (dashboard/components/chart_card.py): plain markup with data-download (csv,
 * excel or image) and data-chart (the card). A click writes the shell's one request store with what the server
 * needs to make the file: the page's address at that moment (the filters rewrite it with history.replaceState,
 * which Dash's dcc.Location does not hear), the card's label (title and scope), and for a picture the figure as
 * Dash holds it, for a table the grid's columns and rows and the card's chart-data store (which the page fills
 * when its download differs from its grid). The rows travel once with a change, as the grid's rows, and once
 * more with a click; never with every change a second time. A picture's button is busy until the answer comes. */
(function () {
    "use strict";
    const BUSY_AT_MOST_MS = 60000;

    function props(id) {
        const api = window.dash_component_api;
        const found = api && api.getLayout ? api.getLayout(id) : null;
        return found && found.props ? found.props : {};
    }

    function request(chart, kind) {
        window.dashboardNav.writeAddress(); // the address as the filters left it, if not yet written
        const label = props({type: "chart-download-label", index: chart}).data || {};
        const out = {
            kind: kind,
            chart: chart,
            title: label.title,
            scope: label.scope,
            at: Date.now(),
            address: window.location.pathname + window.location.search
        };
        if (kind === "image") {
            out.figure = props(chart + "-graph").figure || null;
        } else {
            // The card's own store when the page filled it (the file differs from the grid), else the grid's rows.
            out.data = props({type: "chart-data", index: chart}).data || null;
            if (!out.data) {
                const grid = props(chart + "-table");
                out.table = {
                    columns: (grid.columnDefs || []).map(function (column) { return column.field; }),
                    records: grid.rowData || []
                };
            }
        }
        return out;
    }

    document.addEventListener("click", function (event) {
        const button = event.target.closest ? event.target.closest("button[data-download][data-chart]") : null;
        const clientside = window.dash_clientside;
        if (!button || !clientside || !clientside.set_props || button.getAttribute("aria-busy") === "true") {
            return;
        }
        const kind = button.getAttribute("data-download");
        if (kind === "image") {
            button.setAttribute("aria-busy", "true");
            // An answer that never comes (the server failed) must not leave the button pressed for good.
            window.setTimeout(function () { button.removeAttribute("aria-busy"); }, BUSY_AT_MOST_MS);
        }
        clientside.set_props("download-request", {data: request(button.getAttribute("data-chart"), kind)});
    });
})();
