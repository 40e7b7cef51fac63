'use strict';
// The plotly.js this dashboard draws with: the core (scatter) plus bar, scattergeo and choropleth, nothing else.
var Plotly = require('plotly.js/lib/core');
Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scattergeo'),
    require('plotly.js/lib/choropleth'),
]);
window.Plotly = Plotly;
