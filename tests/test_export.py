"""Data out (budgetqa/export): CSV, XLSX, SQLite for datasette and the Fiscal Data Package hold
one row per cell of the budget model, and every figure an answer cites is found, equal, under
the fact id the answer carries. Gold figures for the datasette query are read from the source
documents (a .txt line, a rendered PDF page), not from the parser."""
from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from budgetqa.export import export
from budgetqa.export.columns import CELLS, TABLES
from budgetqa.export.frames import model_cell_count
from budgetqa.model.document import as_decimal, convert_unit
from budgetqa.ui import downloads

ROOT = Path(__file__).resolve().parent.parent
CASES = [json.loads(line) for path in sorted((ROOT / "tests" / "cases").glob("*.jsonl"))
         for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
BIN = Path(sys.executable).parent
SEED = ROOT / "corpus" / "seeds" / "三明市12345政务服务便民热线中心_2025年度单位预算.txt"


@pytest.fixture(scope="module")
def exported(engine, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("export")
    targets = {"csv": out / "csv", "xlsx": out / "budget.xlsx", "sqlite": out / "budget.db",
               "datapackage": out / "package"}
    for fmt, target in targets.items():
        export(engine, None, fmt, target)
    return targets


@pytest.fixture(scope="module")
def answers(engine) -> list[tuple[dict, dict]]:
    """(case, answer as `ask --json` prints it) for every question case that the engine answers with citations."""
    out = []
    for case in CASES:
        result = engine.ask(case["question"])
        if result.status == "answered" and result.citations:
            out.append((case, result.to_json()))
    return out


def _read(fmt: str, path: Path, table: str) -> pd.DataFrame:
    """One exported table as text, the way a user's tool reads it."""
    if fmt == "csv":
        return pd.read_csv(path / f"{table}.csv", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if fmt == "datapackage":
        from frictionless import Package

        resource = Package(str(path / "datapackage.json")).get_resource(table)
        return pd.DataFrame([{k: "" if v is None else str(v) for k, v in row.items()} for row in resource.read_rows()])
    if fmt == "xlsx":
        header, *rows = openpyxl.load_workbook(path, read_only=True)[table].values
        # a row's trailing empty cells are not stored
        return pd.DataFrame([["" if v is None else str(v) for v in r] + [""] * (len(header) - len(r)) for r in rows],
                            columns=header)
    with sqlite3.connect(path) as db:
        cursor = db.execute(f"select * from {table}")
        return pd.DataFrame([["" if v is None else str(v) for v in r] for r in cursor.fetchall()],
                            columns=[c[0] for c in cursor.description])


FORMATS = ("csv", "xlsx", "sqlite", "datapackage")


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_row_per_cell_of_the_model(engine, exported, fmt):
    docs = engine.documents()
    model_cells = {d["doc_id"]: model_cell_count(engine.parsed(d["doc_id"])) for d in docs}
    cells = _read(fmt, exported[fmt], "cells")
    assert len(cells) == sum(model_cells.values()) > 5000
    assert cells["fact_id"].is_unique
    assert cells.groupby("doc_id").size().to_dict() == {k: v for k, v in model_cells.items() if v}
    assert list(cells.columns[:len(CELLS.names)]) == CELLS.names
    narrative = _read(fmt, exported[fmt], "narrative")
    assert len(narrative) == sum(1 for f in engine.finder.facts_of() if f.kind == "narrative") > 1000
    assert len(_read(fmt, exported[fmt], "documents")) == len(docs)


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_cited_value_is_found_equal_under_its_fact_id(exported, answers, fmt):
    rows = pd.concat([_read(fmt, exported[fmt], "cells"), _read(fmt, exported[fmt], "narrative")])
    rows = rows.set_index("fact_id")
    checked = gold_checked = 0
    for case, result in answers:
        for cited in result["citations"]:
            if cited["kind"] == "text":  # a sentence without a figure ("无“三公”经费支出"): no value to export
                assert cited["quote"] and not cited["printed"] and cited["value"] is None, (case["id"], cited)
                continue
            row = rows.loc[cited["fact_id"]]
            assert Decimal(row["value"]) == as_decimal(cited["printed"]), (case["id"], cited, dict(row))
            assert (row["printed"], row["unit"]) == (cited["printed"], cited["unit"]), (case["id"], dict(row))
            assert row["page"] == str(cited["page"] or "") and row["line"] == str(cited["line"] or "")
            checked += 1
        # a plain lookup: the exported figure itself equals the gold read by hand from the document
        if (case["category"] == "lookup" and case["value"] and len(result["citations"]) == 1 and not result["work"]
                and result["citations"][0]["kind"] != "text"):
            row = rows.loc[result["citations"][0]["fact_id"]]
            assert convert_unit(Decimal(row["value"]), row["unit"], case["unit"]) == Decimal(case["value"]), case["id"]
            gold_checked += 1
    assert checked > 300 and gold_checked > 50, (checked, gold_checked)


def test_findings_point_at_exported_cells(exported):
    cells = _read("csv", exported["csv"], "cells").set_index("fact_id")
    narrative = set(_read("csv", exported["csv"], "narrative")["fact_id"])
    findings = _read("csv", exported["csv"], "findings")
    assert len(findings) > 20
    # every finding about figures names the cells or sentences it rests on, all of them exported
    about_figures = findings[findings["kind"].isin(["cross-foot", "table-vs-table", "narrative-vs-table",
                                                    "stated-change"])]
    assert (about_figures["fact_ids"] != "").all(), about_figures[about_figures["fact_ids"] == ""]
    cited = [i for ids in findings["fact_ids"] for i in ids.split()]
    assert set(cited) <= set(cells.index) | narrative
    # 上海市普陀区司法局单位26年预算.pdf page 11 prints 64,840,547.00 as 项目支出 of 204 06 01 行政运行,
    # whose 合计 is 14,348,853.34 (= its 基本支出): the finding points at that very cell
    justice = findings[(findings["source"] == "上海市普陀区司法局单位26年预算.pdf") & (findings["severity"] == "high")]
    pointed = cells.loc[[i for ids in justice["fact_ids"] for i in ids.split() if i in cells.index]]
    assert ((pointed["row_code"] == "2040601") & (pointed["printed"] == "64,840,547.00")
            & (pointed["page"] == "11")).any()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> dict | list:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture(scope="module")
def datasette(exported):
    db = exported["sqlite"]
    port = _free_port()
    proc = subprocess.Popen([str(BIN / "datasette"), "serve", str(db), "-m", str(db.with_name("budget.metadata.json")),
                             "-h", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(f"{base}/-/versions.json")
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _cells(base: str, **where) -> list[dict]:
    query = urllib.parse.urlencode({**where, "_shape": "array"})
    return _get(f"{base}/budget/cells.json?{query}")


def test_datasette_serves_known_figures(datasette):
    # 泉州 2026 单位预算, line 128 of the text: "2010399 其他政府办公厅（室）及相关机构事务支出 1011.95 0.00 1011.95 …"
    # under 支出预算总表 (单位：万元), columns 合计 / 基本支出 / 项目支出
    rows = _cells(datasette, source="泉州市12345政务服务便民热线中心_2026年度单位预算.txt", row_code="2010399",
                  table_kind="支出总表", measure="项目支出")
    assert [(r["value"], r["unit"], r["printed"], r["line"]) for r in rows] == [("1011.95", "万元", "1011.95", 128)]
    assert rows[0]["functional_l1_code"] == "201" and rows[0]["functional_l3_code"] == "2010399"
    # 上海市普陀区司法局单位26年预算.pdf, page 11 (2026年预算单位支出预算总表, 单位：元):
    # 204 06 04 基层司法业务 — 合计 21,703,947.00, 基本支出 0.00, 项目支出 21,703,947.00
    rows = _cells(datasette, source="上海市普陀区司法局单位26年预算.pdf", row_code="2040604", table_kind="支出总表",
                  measure="项目支出")
    assert [(r["value"], r["unit"], r["printed"], r["page"]) for r in rows] == [
        ("21703947.00", "元", "21,703,947.00", 11)]
    assert Decimal(rows[0]["value_yuan"]) == Decimal("21703947.00") and rows[0]["currency"] == "CNY"


def test_datasette_shows_descriptions_and_facets(datasette):
    table = _get(f"{datasette}/budget/cells.json?_size=1")
    assert {"entity", "year", "table_kind", "measure"} <= set(table["facet_results"])
    metadata = _get(f"{datasette}/-/metadata.json")
    cells = metadata["databases"]["budget"]["tables"]["cells"]
    assert cells["description"] and set(cells["columns"]) >= set(CELLS.names)
    sql = urllib.parse.urlencode({"sql": "select count(*) as n from cells join documents using (doc_id)",
                                  "_shape": "array"})
    assert _get(f"{datasette}/budget.json?{sql}")[0]["n"] > 5000


def test_data_package_passes_frictionless_validate(exported):
    package = exported["datapackage"] / "datapackage.json"
    result = subprocess.run([str(BIN / "frictionless"), "validate", "--json", str(package)], capture_output=True,
                            text=True, timeout=600)
    report = json.loads(result.stdout)
    assert result.returncode == 0 and report["valid"], result.stdout[-3000:]
    fields = {f["name"]: f for r in json.loads(package.read_text(encoding="utf-8"))["resources"]
              if r["name"] == "cells" for f in r["schema"]["fields"]}
    column_types = {f.get("columnType") for f in fields.values()}
    assert {"date:fiscal-year", "phase:id", "value", "value-currency:code",
            "functional-classification:generic:level3:code", "economic-classification:generic:level2:code"} <= column_types


def test_export_command_for_one_document(tmp_path):
    def run(*args):
        return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                              timeout=600, cwd=ROOT)

    index = tmp_path / "index"
    assert run("ingest", str(SEED), "--index-dir", str(index)).returncode == 0
    out = tmp_path / "三明.xlsx"
    result = run("export", "三明", "--format", "xlsx", "--out", str(out), "--index-dir", str(index))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(out)]
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames == [t.name for t in TABLES]
    cells = list(book["cells"].values)
    header = cells[0]
    # 三明 2025 单位预算, line 665 of the text: the 三公 table's 合计 is 1.50 万元
    sangong = [dict(zip(header, r)) for r in cells[1:] if dict(zip(header, r))["table_kind"] == "三公经费表"
               and dict(zip(header, r))["line"] == 665]
    assert any(r["printed"] == "1.50" and Decimal(str(r["value"])) == Decimal("1.5") and r["unit"] == "万元"
               for r in sangong), sangong
    bad = run("export", "--format", "xlsx", "--out", str(tmp_path), "--index-dir", str(index))
    assert bad.returncode == 2 and bad.stderr.strip().count("\n") == 0, bad.stderr
    missing = run("export", "nothing-like-this", "--format", "csv", "--out", str(tmp_path / "x"),
                  "--index-dir", str(index))
    assert missing.returncode == 1 and "nothing-like-this" in missing.stderr


def test_ui_downloads_of_a_document_and_of_an_answer(engine, tmp_path):
    doc = next(d for d in engine.documents() if d["source"] == "泉州市12345政务服务便民热线中心_2026年度单位预算.txt")
    csv_path, xlsx_path = downloads.document_files(engine, doc["doc_id"], tmp_path)
    cells = pd.read_csv(csv_path, dtype=str, encoding="utf-8-sig")
    assert len(cells) == model_cell_count(engine.parsed(doc["doc_id"]))
    assert openpyxl.load_workbook(xlsx_path, read_only=True).sheetnames == [t.name for t in TABLES]
    result = engine.ask("泉州12345中心2026年话务外包费用是多少？").to_json()  # the UI keeps the JSON
    rows = pd.read_csv(downloads.answer_file(engine, result["citations"], tmp_path), dtype=str, encoding="utf-8-sig")
    assert list(rows["fact_id"]) == [c["fact_id"] for c in result["citations"]]
    # line 283 of the text: "(二) 2010399-其他政府办公厅（室）及相关机构事务支出 1011.95 万元。主要用于话务外包费用支出。"
    assert (rows["value"].iloc[0], rows["unit"].iloc[0]) == ("1011.95", "万元")
