"""Regenerate ``england_districts_2024.geojson`` from the ONS May 2024 BSC boundaries (run from the repo root):

    python data/boundaries/make_districts.py /path/to/Local_Authority_Districts_May_2024_UK_BSC.geojson

England only, simplified (about 300 m tolerance) and rounded to 4 decimal places, so the map is small enough to
ship and draw quickly. Needs shapely (not a dependency of the app itself).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.polygon import orient

TOLERANCE_DEGREES = 0.003
OUTPUT = Path(__file__).resolve().parent / "england_districts_2024.geojson"


def _round(value):  # type: ignore[no-untyped-def]
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list | tuple):
        return [_round(v) for v in value]
    return value


def _clockwise(geometry):  # type: ignore[no-untyped-def]
    """Exterior rings clockwise: plotly's spherical (d3-geo) maps fill the rest of the globe otherwise."""
    if isinstance(geometry, Polygon):
        return orient(geometry, sign=-1.0)
    if isinstance(geometry, MultiPolygon):
        return MultiPolygon([orient(p, sign=-1.0) for p in geometry.geoms])
    return geometry


def main(source: str) -> None:
    data = json.loads(Path(source).read_text())
    features = []
    for feature in data["features"]:
        code = feature["properties"]["LAD24CD"]
        if not code.startswith("E"):
            continue
        geometry = _clockwise(shape(feature["geometry"]).simplify(TOLERANCE_DEGREES, preserve_topology=True))
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "name": feature["properties"]["LAD24NM"]},
                "geometry": {**mapping(geometry), "coordinates": _round(mapping(geometry)["coordinates"])},
            }
        )
    OUTPUT.write_text(json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":")))
    print(f"{len(features)} districts, {OUTPUT.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(sys.argv[1])
