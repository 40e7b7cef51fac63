"""Contracts on SQLite and PostgreSQL: the template loads through import_file (added, kept, replaced, undone, undo
refused after an edit), every bad cell is located and nothing saved, the edit command's rules and history, and
the earned share the page, the pack and the API all read."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from dashboard.demo.contracts import COLUMNS, demo_rows
from dashboard.figures.contracts import values_figure
from dashboard.importing import import_file, undo_import
from dashboard.importing.contracts import template
from dashboard.narrative.contracts import contract_sentence
from dashboard.report.content import gather
from dashboard.services import contracts as service
from dashboard.store import contracts_dao

AREA = "E10000018"


def _rows(code: str = "TEST-01") -> list[dict[str, str]]:
    """The demo's recovery contract under another code."""
    return [{**r, "contract_code": code} for r in demo_rows(AREA) if r["contract_code"] == "LCC-REC-01"]


def _write(tmp_path, rows: list[dict[str, str]], name: str = "contracts.csv"):  # type: ignore[no-untyped-def]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _load(engine, tmp_path, rows, name="contracts.csv"):  # type: ignore[no-untyped-def]
    return import_file(engine, _write(tmp_path, rows, name), imported_by="tester")


def test_the_demo_contracts_earn_what_the_latest_figures_say(demo_store):
    recovery, alcohol = service.contract_standings(demo_store, "E07000130")  # a district shows its partnership's
    assert (recovery.code, recovery.year, recovery.pot) == ("LCC-REC-01", "2019-20", 615_000)
    assert [k.band for k in recovery.kpis] == ["part", "full", "full", "full"]
    assert recovery.earned == pytest.approx(522_750) and recovery.earned_percent == pytest.approx(85)
    # Each KPI's figure is the comparison service's, through indicator_position.
    position = service.indicator_position(
        demo_store, area_code=AREA, indicator_key="successful_completion_rate", substance_group="opiate", target=7.5
    )
    assert recovery.kpis[0].value == position.value and recovery.kpis[0].period == position.period
    assert contract_sentence(recovery) == (
        "The Adult drug and alcohol recovery service contract's payment-by-results element is worth £615,000 in "
        "2019-20 (10% of £6,150,000). On the latest figures (2019-20 Q4), 3 of 4 KPIs earn their full payment and "
        "1 earns part payment: £522,750 (85%) earned."
    )
    # A KPI with no figures makes the total "not yet known", never zero.
    assert alcohol.kpis[1].band == "unknown" and alcohol.earned is None and alcohol.earned_on_known == 12_600
    assert "not yet known" in contract_sentence(alcohol)
    assert service.contract_standings(demo_store, "E10000019") == []
    figure = values_figure(recovery)  # the chart stacks the year's value and draws each baseline
    fixed, element, *baselines = figure.data
    assert [a + b for a, b in zip(fixed.y, element.y, strict=True)] == [y.amount for y in recovery.years]
    assert element.y[3] == pytest.approx(615_000) and len(baselines) == 2


def test_load_reload_change_undo_and_undo_refused_after_an_edit(demo_store, tmp_path):
    first = _load(demo_store, tmp_path, _rows())
    assert first.ok, first.problems
    assert (first.rows_added, first.record_kind, first.variant) == (1, "contracts", "contracts template")
    loaded = contracts_dao.contract(demo_store, "TEST-01")
    assert loaded is not None and len(loaded.record["kpis"]) == 4 and loaded.version == 1

    again = _load(demo_store, tmp_path, _rows(), "again.csv")
    assert (again.rows_added, again.rows_replaced, again.rows_unchanged) == (0, 0, 1)

    changed_rows = [dict(r, target="8") if r.get("name") == "Opiate users completing treatment" else r for r in _rows()]
    changed = _load(demo_store, tmp_path, changed_rows, "changed.csv")
    assert changed.rows_replaced == 1
    assert contracts_dao.contract(demo_store, "TEST-01").record["kpis"][0]["target"] == 8

    undone = undo_import(demo_store, changed.import_id, "tester")
    assert undone.ok, undone.message
    assert contracts_dao.contract(demo_store, "TEST-01").record == loaded.record

    changed = _load(demo_store, tmp_path, changed_rows, "changed-again.csv")
    assert changed.rows_replaced == 1
    stored = contracts_dao.contract(demo_store, "TEST-01")
    edit = service.ContractEdit(kpis={"Opiate users completing treatment": {"target": 7.8}})
    service.EditContract(demo_store, "TEST-01", version=stored.version, edit=edit, user="erin").run()
    refused = undo_import(demo_store, changed.import_id, "tester")
    assert not refused.ok
    assert (
        "contract TEST-01 (Adult drug and alcohol recovery service) was changed after it was loaded" in refused.message
    )
    assert contracts_dao.contract(demo_store, "TEST-01").record["kpis"][0]["target"] == 7.8


def test_undoing_a_load_that_added_a_contract_removes_it(demo_store, tmp_path):
    report = _load(demo_store, tmp_path, _rows("TEST-02"))
    assert report.ok
    assert undo_import(demo_store, report.import_id, "tester").ok
    assert contracts_dao.contract(demo_store, "TEST-02") is None


def test_every_bad_cell_is_located_and_nothing_is_saved(demo_store, tmp_path):
    rows = _rows()
    rows[0] = {**rows[0], "area_code": "E99999999", "reporting": "weekly", "start_date": "31/31/2016"}
    rows[3] = {**rows[3], "financial_year": "2019-2x"}
    kpi = next(i for i, r in enumerate(rows) if r["row_type"] == "kpi")
    rows[kpi] = {**rows[kpi], "indicator": "succesful_completion_rate", "weight": "forty", "financial_year": "2019-20"}
    rows.append({"row_type": "kpi", "contract_code": "TEST-01", "name": "Numbers", "indicator": "in_treatment",
                 "weight": "10", "target": "2000"})  # fmt: skip
    rows.append({"row_type": "audit", "contract_code": "NOPE-9", "name": "Prescribing"})
    rows.append({"row_type": "kpis", "contract_code": "TEST-01"})
    before = len(contracts_dao.contracts(demo_store))
    report = _load(demo_store, tmp_path, rows, "bad.csv")
    assert not report.ok
    found = {(p.row, p.column) for p in report.problems}
    words = " | ".join(str(p) for p in report.problems)
    assert {(2, "area_code"), (2, "reporting"), (2, "start_date"), (5, "financial_year")} <= found
    assert (kpi + 2, "indicator") in found and "did you mean 'successful_completion_rate'?" in words
    assert (kpi + 2, "weight") in found and (kpi + 2, "financial_year") in found
    assert "a kpi row does not use financial_year" in words
    assert "'in_treatment' has no better direction" in words
    assert "contract NOPE-9 has no contract row" in words
    assert "'kpis' is not a row type; did you mean 'kpi'?" in words
    assert len(contracts_dao.contracts(demo_store)) == before and contracts_dao.contract(demo_store, "TEST-01") is None


def test_weights_and_thresholds_are_checked_across_a_contracts_rows(demo_store, tmp_path):
    rows = [dict(r, weight="35") if r.get("name") == "Opiate users completing treatment" else r for r in _rows()]
    rows = [dict(r, threshold="9") if r.get("name") == "Completers not re-presenting" else r for r in rows]
    report = _load(demo_store, tmp_path, rows)
    words = " | ".join(str(p) for p in report.problems)
    assert "the KPIs' weights add up to 105%, not 100%" in words
    assert "the threshold (9) must be above the target (10): lower is better here" in words


def test_an_unknown_provider_loads_and_is_named_as_unknown(demo_store, tmp_path):
    rows = [dict(r, provider_code="new-provider") if r["row_type"] == "contract" else r for r in _rows()]
    report = _load(demo_store, tmp_path, rows)
    assert report.ok and any("'new-provider' is not a provider the dashboard holds" in w for w in report.warnings)
    standing = service.contract_standing(demo_store, "TEST-01")
    assert standing.provider_name is None
    assert "Its provider 'new-provider' is not a provider the dashboard holds figures for." in contract_sentence(
        standing
    )


def test_the_xlsx_template_loads_the_same_as_the_csv(demo_store, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    columns = template().columns
    sheet.append(list(columns))
    for row in _rows("TEST-X"):
        sheet.append([row.get(c, "") for c in columns])
    path = tmp_path / "contracts.xlsx"
    workbook.save(path)
    report = import_file(demo_store, path)  # --format auto recognises the template
    assert report.ok and report.variant == "contracts template" and report.rows_added == 1


def test_edits_are_checked_versioned_and_kept_in_the_history(demo_store):
    code = "LCC-REC-01"
    stored = contracts_dao.contract(demo_store, code)
    bad = service.ContractEdit(kpis={"Opiate users completing treatment": {"weight": 40}})
    with pytest.raises(service.ContractRejected, match="add up to 110%"):
        service.EditContract(demo_store, code, version=stored.version, edit=bad, user="erin").run()
    with pytest.raises(service.ContractRejected, match="outside the contract"):
        service.EditContract(
            demo_store, code, version=stored.version, edit=service.ContractEdit(years={"2024-25": 1.0}), user="erin"
        ).run()
    with pytest.raises(service.ContractRejected, match="nothing was changed"):
        service.EditContract(demo_store, code, version=stored.version, edit=service.ContractEdit(), user="erin").run()
    good = service.ContractEdit(
        end_date="2022-03-31",
        years={"2019-20": 6_100_000},
        kpis={
            "Opiate users completing treatment": {"weight": 25, "target": 7.0},
            "Non-opiate users completing treatment": {"weight": 25},
        },
    )
    after = service.EditContract(demo_store, code, version=stored.version, edit=good, user="erin").run()
    assert after.version == stored.version + 1 and after.updated_by == "erin"
    assert after.kpis[0].band == "full" and after.pot == pytest.approx(610_000)
    changes = {(c.item, c.field, c.old_value, c.new_value) for c in after.history}
    assert changes == {
        ("the contract", "end_date", "2021-06-30", "2022-03-31"),
        ("2019-20 value", "amount", "6150000", "6100000"),
        ("KPI: Opiate users completing treatment", "weight", "30", "25"),
        ("KPI: Opiate users completing treatment", "target", "7.5", "7"),
        ("KPI: Non-opiate users completing treatment", "weight", "20", "25"),
    }
    assert {c.user_name for c in after.history} == {"erin"}
    with pytest.raises(service.StaleContract, match="changed by erin"):
        service.EditContract(demo_store, code, version=stored.version, edit=good, user="eddie").run()
    with pytest.raises(service.ContractNotFound):
        service.EditContract(demo_store, "NOPE", version=1, edit=good, user="erin").run()


def test_the_board_pack_has_the_contracts_page(demo_store):
    pack = gather(demo_store, AREA)
    assert pack.contracts is not None
    recovery = pack.contracts.contracts[0]
    assert recovery.title == "Adult drug and alcohol recovery service (LCC-REC-01)"
    assert recovery.sentence.endswith("£522,750 (85%) earned.")
    assert recovery.rows[0][-2:] == ["part payment (50%)", "92,250"]
    assert pack.contracts.contracts[1].rows[1][-1] == "not yet known"


def test_a_demo_reset_after_a_contracts_load_goes_through_and_keeps_the_contracts(demo_store, tmp_path):
    """The load leaves record history pointing at the import log; the reset clears both (it once refused)."""
    from dashboard.demo.seed import seed_demo

    assert _load(demo_store, tmp_path, _rows()).ok
    seed_demo(demo_store, reset=True)
    assert contracts_dao.contract(demo_store, "TEST-01") is not None  # contracts stay, like action plans
    assert {s.code for s in service.contract_standings(demo_store, AREA)} == {"LCC-REC-01", "LCC-ALC-02", "TEST-01"}
