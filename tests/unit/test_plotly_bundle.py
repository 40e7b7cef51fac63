"""The partial plotly.js the app serves (assets/vendor/plotly-dashboard.min.js) can draw every figure the app
makes: it is the plotly.js version plotly.py writes figures for, and it holds every trace type the code uses.
A new trace type or a plotly upgrade fails here until scripts/plotly_bundle/build.sh is run again."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import plotly.graph_objects as go
import plotly.offline
from plotly.basedatatypes import BaseTraceType

from dashboard.webapp import PLOTLY_BUNDLE

ROOT = Path(__file__).resolve().parents[2]
VENDOR = ROOT / "assets" / "vendor"
MANIFEST = json.loads((VENDOR / "plotly-dashboard.json").read_text())


def _trace_types_used() -> set[str]:
    """Every trace type constructed anywhere in the package: ``go.Bar(...)`` and the like, and traces built as
    data (``{"type": "choropleth", ...}``)."""
    classes = [getattr(go, name) for name in dir(go) if name[:1].isupper()]
    traces = {cls().type for cls in classes if isinstance(cls, type) and issubclass(cls, BaseTraceType)}
    found = set()
    for path in (ROOT / "dashboard").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            func = node.func if isinstance(node, ast.Call) else None
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "go":
                cls = getattr(go, func.attr, None)
                if isinstance(cls, type) and issubclass(cls, BaseTraceType):
                    found.add(cls().type)
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "type" and isinstance(value, ast.Constant):
                        found |= {value.value} & traces
    return found


def test_the_app_serves_the_partial_bundle():
    assert PLOTLY_BUNDLE == "/assets/vendor/plotly-dashboard.min.js"
    assert (VENDOR / "plotly-dashboard.min.js").stat().st_size < 2_000_000  # not the full 4.8 MB build


def test_the_bundle_is_the_plotly_js_that_plotly_py_writes_figures_for():
    version = plotly.offline.get_plotlyjs_version()
    assert MANIFEST["plotly.js"] == version
    header = (VENDOR / "plotly-dashboard.min.js").open().readline()
    assert f"plotly.js {version} " in header


def test_every_trace_type_the_app_draws_is_in_the_bundle():
    used = _trace_types_used()
    assert {"scatter", "bar", "choropleth"} <= used  # the scan finds the figures (it can fail)
    assert used <= set(MANIFEST["traces"]), f"not in the bundle: {sorted(used - set(MANIFEST['traces']))}"
    entry = (ROOT / "scripts" / "plotly_bundle" / "entry.js").read_text()
    for trace in set(MANIFEST["traces"]) - {"scatter"}:  # scatter is part of plotly.js's core
        assert f"plotly.js/lib/{trace}'" in entry
