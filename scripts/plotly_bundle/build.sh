#!/usr/bin/env bash
# Rebuild assets/vendor/plotly-dashboard.min.js: plotly.js with only the trace types the dashboard draws.
# Run it after upgrading plotly (Python): the plotly.js version in package.json must be the one plotly.py
# was made for (python -c "import plotly.offline as o; print(o.get_plotlyjs_version())"), and
# tests/unit/test_plotly_bundle.py fails until it is. Add a trace type here (and to TRACES in
# plotly-dashboard.json) before a figure uses it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../../assets/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/entry.js" "$work/"
cd "$work"
npm install --no-audit --no-fund --ignore-scripts >/dev/null
# plotly.js's own build settings (its esbuild-config.js): window as global, no AMD. Its registry imports
# maplibre's stylesheet, which only map traces need: left out (written to a .css file that is not shipped).
npx esbuild entry.js --bundle --minify --format=iife --target=es2016 \
  --define:global=window --define:define.amd=false --legal-comments=none \
  --outfile="$work/plotly-dashboard.min.js" --log-level=warning
{ printf '/*! plotly.js %s (MIT licence, Plotly, Inc.): core, bar, scattergeo, choropleth. Built by scripts/plotly_bundle/build.sh */\n' \
    "$(node -p "require('plotly.js/package.json').version")"; cat "$work/plotly-dashboard.min.js"; } > "$out/plotly-dashboard.min.js"
cp node_modules/plotly.js/LICENSE "$out/LICENSE-plotly.js.txt"
ls -la "$out/plotly-dashboard.min.js"
