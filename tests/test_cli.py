"""The command-line contract of DESIGN.md: exit codes, stderr reasons, JSON on stdout, idempotent
ingest that survives bad files."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seeds" / "三明市12345政务服务便民热线中心_2025年度单位预算.txt"


def run_app(*args, stdin: str | None = None):
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          input=stdin, timeout=300, cwd=ROOT)


def test_usage_errors_exit_non_zero_with_one_line(tmp_path):
    result = run_app("ask", "--index-dir", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "QUESTION" in result.stderr
    assert run_app("frobnicate").returncode == 2


def test_ingest_reports_bad_files_and_keeps_the_good_ones(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "undecodable.txt").write_bytes(b"\x80\x80\xff budget")  # neither UTF-8 nor GB18030
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    (tmp_path / "table.docx").write_bytes(b"PK")
    index = tmp_path / "index"
    result = run_app("ingest", str(SEED), str(tmp_path / "empty.txt"), str(tmp_path / "undecodable.txt"),
                     str(tmp_path / "broken.pdf"), str(tmp_path / "table.docx"), str(tmp_path / "missing.pdf"),
                     "--index-dir", str(index))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    for name in ("empty.txt", "undecodable.txt", "broken.pdf", "table.docx", "missing.pdf"):
        assert any(name in line for line in errors), (name, errors)
    assert "1 ingested, 5 failed" in result.stderr

    first = run_app("ask", "三明热线2025年住房公积金多少？", "--json", "--index-dir", str(index))
    assert json.loads(first.stdout)["value"] == 12.12

    from budgetqa.store.fact_store import FactStore

    before = FactStore(index).catalog.fact_count()
    again = run_app("ingest", str(SEED), "--index-dir", str(index))
    assert again.returncode == 0
    assert "0 ingested, 0 failed, 1 unchanged" in again.stderr  # same content, same name: nothing to do
    store = FactStore(index)
    assert store.catalog.fact_count() == before and store.catalog.count() == 1  # not duplicated


def test_ask_jsonl_prints_one_json_object_per_question(tmp_path):
    index = tmp_path / "index"
    assert run_app("ingest", str(SEED), "--index-dir", str(index)).returncode == 0
    questions = ["三明热线2025年三公经费预算多少？", "", "厦门12345中心2025年公积金多少？"]
    result = run_app("ask", "--jsonl", "--index-dir", str(index), stdin="\n".join(questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    answers = [json.loads(line) for line in lines]
    assert answers[0]["status"] == "answered" and answers[0]["value"] == 1.5 and answers[0]["unit"] == "万元"
    assert answers[1]["status"] == "not_found"
