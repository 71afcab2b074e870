"""Nothing lost when the disk fills up or a first build is killed: the documents already stored
keep answering, and the next run completes the work."""
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
SANMING_Q = "三明热线2025年住房公积金多少？"  # 12.12 万元, line 465 of the text
QUANZHOU_Q = "泉州12345中心2026年话务外包费用是多少？"  # 1011.95 万元, line 128 of the text


def run_app(*args: str | Path, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout)


def value(index: Path, question: str) -> float | None:
    asked = run_app("ask", question, "--json", "--index-dir", index)
    assert asked.returncode == 0, asked.stderr[-2000:]
    return json.loads(asked.stdout).get("value")


@pytest.fixture()
def small_disk(tmp_path):
    """A 6 MB tmpfs (root only: CI runs as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(mount)],
                                           capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_fails_the_ingest_clearly_and_loses_nothing(small_disk):
    index = small_disk / "index"
    assert run_app("ingest", SANMING, "--index-dir", index).returncode == 0
    assert value(index, SANMING_Q) == 12.12

    free = os.statvfs(small_disk)
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (free.f_bavail * free.f_frsize - 64 * 1024))  # 64 KB left
    full = run_app("ingest", QUANZHOU, "--index-dir", index)
    assert full.returncode == 1, full.stderr[-2000:]
    assert any("写入索引失败" in line and QUANZHOU.name in line for line in full.stderr.splitlines()), full.stderr[-2000:]
    assert value(index, SANMING_Q) == 12.12  # the document stored before is whole

    filler.unlink()
    again = run_app("ingest", QUANZHOU, "--index-dir", index)
    assert again.returncode == 0, again.stderr[-2000:]
    assert value(index, QUANZHOU_Q) == 1011.95
    assert value(index, SANMING_Q) == 12.12
    doctor = run_app("doctor", "--index-dir", index)
    assert doctor.returncode == 0 and "索引正常：2 个文档" in doctor.stdout, doctor.stdout + doctor.stderr


def test_a_killed_first_build_is_completed_by_the_next_question(tmp_path):
    from budgetqa.engine import collect_files

    index = tmp_path / "index"
    first = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "ask", SANMING_Q, "--index-dir", str(index)],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline and _documents(index) < 2:  # a build under way, far from done
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    stored = _documents(index)
    corpus, _ = collect_files([ROOT / "corpus"])
    assert 2 <= stored < len(corpus)

    second = run_app("ask", SANMING_Q, "--json", "--index-dir", index)
    assert second.returncode == 0, second.stderr[-2000:]
    assert "interrupted" in second.stderr
    assert json.loads(second.stdout)["value"] == 12.12
    assert _documents(index) == len(corpus)  # every corpus file, none twice
    third = run_app("ask", SANMING_Q, "--index-dir", index)
    assert "interrupted" not in third.stderr and "12.12" in third.stdout


def _documents(index: Path) -> int:
    catalog = index / "catalog.sqlite"
    if not catalog.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{catalog}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:  # the schema is still being created
        return 0


def test_an_index_written_before_a_fact_field_existed_still_answers(tmp_path):
    # an index from before the facts gained a column ("under"): opening it adds the column, empty,
    # and the stored documents answer as before (三明 2025 住房公积金 12.12 万元, L465)
    index = tmp_path / "index"
    built = run_app("ingest", SANMING, "--index-dir", index)
    assert built.returncode == 0, built.stderr[-2000:]
    with sqlite3.connect(index / "catalog.sqlite") as db:
        db.execute('ALTER TABLE facts DROP COLUMN "under"')
    assert value(index, SANMING_Q) == 12.12
    with sqlite3.connect(index / "catalog.sqlite") as db:
        assert "under" in {row[1] for row in db.execute("PRAGMA table_info(facts)")}
