"""The templates are downloadable from the app: /api/v1/templates/<name>.csv and .xlsx."""

from __future__ import annotations

import io

import openpyxl
import pytest

from dashboard.config import Settings
from dashboard.store import schema
from dashboard.store.engine import get_engine


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    from dashboard.webapp import create_app

    directory = tmp_path_factory.mktemp("templates")
    url = f"sqlite:///{directory / 'app.db'}"
    schema.upgrade(get_engine(url))
    app = create_app(Settings(database_url=url, auto_seed_demo=False, log_level="WARNING", instance_dir=directory))
    return app.server.test_client()


@pytest.mark.parametrize(
    ("name", "first_column"), [("observations", "indicator"), ("areas", "area_code"), ("groups", "group_code")]
)
def test_csv_and_excel_templates_download(api, name, first_column):
    csv = api.get(f"/api/v1/templates/{name}.csv")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert f"filename={name}_template.csv" in csv.headers["Content-Disposition"]
    assert csv.data.decode().split(",")[0] == first_column
    xlsx = api.get(f"/api/v1/templates/{name}.xlsx")
    assert xlsx.status_code == 200 and xlsx.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).worksheets[0]
    assert sheet["A1"].value == first_column


def test_the_index_lists_them_and_unknown_names_are_a_json_404(api):
    index = api.get("/api/v1/templates").get_json()
    assert [t["name"] for t in index["templates"]] == ["observations", "areas", "groups", "resolutions"]
    missing = api.get("/api/v1/templates/budgets.csv")
    assert missing.status_code == 404 and missing.get_json()["parameter"] == "name"
    assert api.get("/api/v1/templates/areas.pdf").get_json()["parameter"] == "format"


def test_the_upload_page_links_every_template_and_each_link_works(api):
    """People find the templates in the app, not only in the README."""
    from dashboard.pages import upload

    with api.application.test_request_context("/upload"):
        layout = upload.layout()
    hrefs = [node.href for node in _walk(layout) if getattr(node, "href", "").startswith("/api/v1/templates/")]
    names = ("observations", "areas", "groups", "resolutions")
    assert sorted(hrefs) == sorted(f"/api/v1/templates/{n}.{e}" for n in names for e in ("csv", "xlsx"))
    for href in hrefs:
        assert api.get(href).status_code == 200


def _walk(node):  # type: ignore[no-untyped-def]
    yield node
    children = getattr(node, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None and not isinstance(child, str):
            yield from _walk(child)
