"""Fault injection: concurrent ingests, kill -9, limits, memory caps, corrupt stores, a Chroma server
that is down, bad bytes in arguments and in --jsonl input, non-UTF-8 text, uploads under a name
already taken. After each fault nothing indexed before is lost, and every error is one line with
its documented exit code.

Gold figures, read from the seed texts themselves:
- 三明 2025 单位预算, line 465: "30113 住房公积金 12.12" (万元)
- 泉州 2026 单位预算, line 128: "2010399 其他政府办公厅（室）及相关机构事务支出 1011.95 …" and line 283:
  "… 1011.95 万元。主要用于话务外包费用支出。"
"""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
SANMING = SEEDS / "三明市12345政务服务便民热线中心_2025年度单位预算.txt"
QUANZHOU = SEEDS / "泉州市12345政务服务便民热线中心_2026年度单位预算.txt"
PUTUO = ROOT / "corpus" / "putuo"
PUTUO_PDF = PUTUO / "上海市普陀区司法局单位26年预算.pdf"
NATIONAL = ROOT / "corpus" / "national"
SANMING_Q = "三明热线2025年住房公积金多少？"
QUANZHOU_Q = "泉州12345中心2026年话务外包费用是多少？"
BUSY, UNAVAILABLE = 3, 4


def run_app(*args: str | bytes, stdin: bytes | None = None, env: dict | None = None,
            wait: bool = True) -> subprocess.CompletedProcess | subprocess.Popen:
    command = [sys.executable, str(ROOT / "app.py"), *map(str, [a for a in args if not isinstance(a, bytes)])]
    command += [a for a in args if isinstance(a, bytes)]  # raw bytes go last (invalid UTF-8 probes)
    full_env = {**os.environ, **(env or {})}
    if not wait:
        return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=full_env)
    return subprocess.run(command, capture_output=True, input=stdin, timeout=600, cwd=ROOT, env=full_env)


def stderr_of(result) -> str:
    return result.stderr.decode("utf-8")  # strict: every output line is valid UTF-8


def one_line_error(result) -> str:
    text = stderr_of(result).strip()
    assert "\n" not in text and text.startswith("error:"), text
    return text


def ask_value(index: Path, question: str) -> float:
    result = run_app("ask", question, "--json", "--index-dir", index)
    assert result.returncode == 0, stderr_of(result)
    return json.loads(result.stdout)["value"]


def ingest(index: Path, *paths: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return run_app("ingest", *paths, "--index-dir", index, env=env)


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2:].split()  # fields after "pid (comm)": state, ppid, ...


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat(int(entry.name))
            if fields and fields[1] == str(pid) and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def wait_for(condition, timeout: float, what: str):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("kill_at", ["workers started", "documents stored"])
def test_one_writer_and_kill_9_loses_nothing_and_leaves_no_worker(tmp_path, kill_at):
    index = tmp_path / "index"
    assert ingest(index, SANMING).returncode == 0

    # 23 files: work enough to be killed in the middle whatever the machine's speed
    writer = run_app("ingest", PUTUO, NATIONAL, "--index-dir", index, wait=False)
    workers = wait_for(lambda: children(writer.pid), 120, "the ingest's parse workers")  # it holds the lock now
    second = ingest(index, QUANZHOU)
    assert second.returncode == BUSY
    assert "另一个导入正在写入索引" in one_line_error(second)

    if kill_at == "documents stored":  # some of the new documents committed, others not yet
        wait_for(lambda: stored_documents(index) >= 3, 300, "two new documents stored")
    assert writer.poll() is None, "the ingest ended before it could be killed"
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    wait_for(lambda: not any(alive(w) for w in workers), 10, "the workers to die with their ingest")

    assert ask_value(index, SANMING_Q) == 12.12  # what was indexed before is still there
    assert ingest(index, QUANZHOU).returncode == 0  # the lock died with its holder
    assert ask_value(index, QUANZHOU_Q) == 1011.95
    assert run_app("doctor", "--index-dir", index).returncode == 0


def stored_documents(index: Path) -> int:
    """Documents committed to the index's catalog (read-only, beside the running writer)."""
    catalog = index / "catalog.sqlite"
    if not catalog.exists():
        return 0
    with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5) as db:
        return db.execute("SELECT count(*) FROM documents").fetchone()[0]


def test_size_page_and_fact_limits_refuse_with_a_reason(tmp_path):
    index = tmp_path / "index"
    pages = run_app("ingest", SANMING, PUTUO_PDF, "--max-pages", "3", "--index-dir", index)
    assert pages.returncode == 1
    assert any(PUTUO_PDF.name in line and "页数过多" in line and "上限 3 页" in line
               for line in stderr_of(pages).splitlines())
    assert ask_value(index, SANMING_Q) == 12.12  # the file within the limits is indexed

    size = run_app("ingest", QUANZHOU, "--max-file-mb", "0.01", "--index-dir", index)
    assert size.returncode == 1 and "文件过大" in stderr_of(size) and "上限 0.01 MB" in stderr_of(size)

    facts = ingest(index, QUANZHOU, env={"BUDGETQA_MAX_FACTS": "50"})
    assert facts.returncode == 1 and "数据项过多" in stderr_of(facts) and "上限 50 条" in stderr_of(facts)
    assert "1 个文档" in run_app("doctor", "--index-dir", index).stdout.decode()


def test_a_file_over_the_memory_cap_fails_alone(tmp_path):
    huge = tmp_path / "huge.txt"
    huge.write_bytes(SANMING.read_bytes() * 150)  # 3.5 MB of tables: far more than 5 MB to parse
    index = tmp_path / "index"
    result = ingest(index, huge, QUANZHOU, env={"BUDGETQA_MAX_WORKER_MB": "5"})
    assert result.returncode == 1
    errors = [line for line in stderr_of(result).splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "huge.txt" in errors[0] and "内存上限" in errors[0], errors
    assert ask_value(index, QUANZHOU_Q) == 1011.95


def _dies_on_b(path: Path) -> str:
    if path.name == "b":
        os._exit(1)  # as a crash in a native library would
    time.sleep(0.5)
    return path.name


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_that_dies_costs_only_its_file(workers):
    from budgetqa.ops.limits import bounded_map

    paths = [Path(name) for name in "abcd"]
    got = list(bounded_map(_dies_on_b, paths, workers, lambda path: f"crashed {path.name}", 100))
    assert got == ["a", "crashed b", "c", "d"]


def test_gbk_text_is_read_and_the_encoding_reported(tmp_path):
    gbk = tmp_path / QUANZHOU.name
    gbk.write_bytes(QUANZHOU.read_text(encoding="utf-8").encode("gbk"))
    garbage = tmp_path / "garbage.txt"
    garbage.write_bytes(b"\x80\x80\xff\xfe\x00" * 100)
    index = tmp_path / "index"
    result = ingest(index, gbk, garbage)
    assert result.returncode == 1
    lines = stderr_of(result).splitlines()
    assert any(line.startswith(f"ingested {gbk}") and "编码 GB18030" in line for line in lines), lines
    assert any("garbage.txt" in line and "无法识别的文本编码" in line for line in lines), lines
    assert ask_value(index, QUANZHOU_Q) == 1011.95


def test_decode_text_tries_utf8_then_gb18030_and_reads_utf16_by_its_mark():
    from budgetqa.parse import ParseError, decode_text

    text = QUANZHOU.read_text(encoding="utf-8")
    assert decode_text(text.encode("utf-8")) == (text, "UTF-8")
    assert decode_text(text.encode("gb18030")) == (text, "GB18030")
    assert decode_text(text.encode("utf-16")) == (text, "UTF-16")
    with pytest.raises(ParseError):
        decode_text(b"\x80\x80\x80")


def test_corrupt_store_and_down_server_end_in_one_line_and_rebuild_repairs(tmp_path):
    index = tmp_path / "index"
    assert ingest(index, SANMING).returncode == 0
    healthy = run_app("doctor", "--index-dir", index)
    assert healthy.returncode == 0 and "索引正常：1 个文档" in healthy.stdout.decode()

    database = index / "catalog.sqlite"  # the documents and facts answers are read from
    database.write_bytes(database.read_bytes()[:20000])  # a torn write
    for command in (["ask", SANMING_Q], ["doctor"], ["audit"]):
        broken = run_app(*command, "--index-dir", index)
        assert broken.returncode == UNAVAILABLE
        assert "无法读取" in one_line_error(broken) and "ingest --rebuild" in stderr_of(broken)

    assert run_app("ingest", "--rebuild", SANMING, "--index-dir", index).returncode == 0
    assert ask_value(index, SANMING_Q) == 12.12
    assert run_app("doctor", "--index-dir", index).returncode == 0

    for command in (["ask", SANMING_Q], ["doctor"], ["ingest", SANMING]):
        down = run_app(*command, "--chroma-url", "http://127.0.0.1:9")
        assert down.returncode == UNAVAILABLE
        assert "无法连接 Chroma 服务器 http://127.0.0.1:9" in one_line_error(down)


def test_invalid_utf8_in_arguments_and_in_jsonl_lines(tmp_path):
    index = tmp_path / "index"
    assert ingest(index, SANMING, QUANZHOU).returncode == 0
    bad_argument = run_app("ask", "--index-dir", index, b"\xff\xfe\xe4\xb8")
    assert bad_argument.returncode == 2
    text = stderr_of(bad_argument).strip()
    assert "\n" not in text and "不是有效的 UTF-8" in text

    stdin = f"{SANMING_Q}\n".encode() + b"\xff\xfe\xe4\xb8\n" + f"{QUANZHOU_Q}\n".encode()
    asked = run_app("ask", "--jsonl", "--index-dir", index, stdin=stdin)
    assert asked.returncode == 0
    answers = [json.loads(line) for line in asked.stdout.decode("utf-8").splitlines()]
    assert [a["line"] for a in answers] == [1, 2, 3]
    assert answers[0]["value"] == 12.12 and answers[2]["value"] == 1011.95
    assert answers[1]["status"] == "error" and "第 2 行不是有效的 UTF-8" in answers[1]["error"]

    claims = "三明热线2025年住房公积金12.12万元\n".encode() + b"\xc3\x28\n"
    checked = run_app("check", "--jsonl", "--index-dir", index, stdin=claims)
    assert checked.returncode == 0
    verdicts = [json.loads(line) for line in checked.stdout.decode("utf-8").splitlines()]
    assert verdicts[0]["verdict"] == "supported" and verdicts[1]["verdict"] == "error"


def test_an_upload_with_a_taken_name_is_kept_beside_the_original(tmp_path):
    from budgetqa.engine import Engine
    from budgetqa.parse import content_hash
    from budgetqa.ui.app import BudgetUI

    engine = Engine(tmp_path / "index")
    assert not engine.ingest([QUANZHOU])["failed"]
    changed = tmp_path / "upload" / QUANZHOU.name
    changed.parent.mkdir()
    changed.write_text(QUANZHOU.read_text(encoding="utf-8").replace("1011.95", "9999.99"), encoding="utf-8")
    app = BudgetUI(engine, uploads_dir=tmp_path / "uploads")

    ok, message = app.ingest_uploads([str(changed)], lambda *progress: None)
    assert ok and "原文件保留" in message
    sources = {d["doc_id"]: d["source"] for d in app.documents()}
    assert sources[content_hash(QUANZHOU.read_bytes())] == QUANZHOU.name  # the original is still there
    label = sources[content_hash(changed.read_bytes())]
    assert label.startswith(f"{QUANZHOU.stem}_{content_hash(changed.read_bytes())[:8]}_")
    answer = engine.ask(QUANZHOU_Q)
    assert answer.status == "ambiguous"  # two documents, two figures: both said, each with its file
    assert "1011.95" in answer.text and "9999.99" in answer.text
    assert {c.fact.source for c in answer.citations} == {QUANZHOU.name, label}

    again, _ = app.ingest_uploads([str(changed)], lambda *progress: None)  # the same upload once more
    assert again and len(app.documents()) == 2
