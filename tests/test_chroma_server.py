"""Integration: ingest and ask against a real Chroma server started with the chromadb package's
own `chroma run` on localhost (how the store scales past one machine)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "seeds" / "泉州市12345政务服务便民热线中心_2026年度单位预算.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture()
def chroma_url(tmp_path):
    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path / "server"), "--port", str(port),
                               "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=20)


def run_app(*args, env=None):
    return subprocess.run([sys.executable, str(ROOT / "app.py"), *args], capture_output=True, text=True,
                          env=env, timeout=300, cwd=ROOT)


def test_ingest_and_ask_through_a_chroma_server(chroma_url, tmp_path):
    env = dict(os.environ, BUDGETQA_CHROMA_URL=chroma_url)
    index = str(tmp_path / "catalog")  # the catalog stays local; the vectors go to the server
    ingest = run_app("ingest", str(SEED), "--index-dir", index, env=env)
    assert ingest.returncode == 0, ingest.stderr
    ask = run_app("ask", "泉州12345中心2026年住房公积金是多少？", "--json", "--index-dir", index, env=env)
    assert ask.returncode == 0, ask.stderr
    result = json.loads(ask.stdout)
    assert result["status"] == "answered"
    assert (result["value"], result["unit"]) == (13.86, "万元")
    assert result["citations"][0]["doc"] == SEED.name
    import chromadb

    host, port = chroma_url.rsplit(":", 1)
    server = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    assert server.get_collection("budget_passages").count() > 0  # the server holds the vectors
    assert not (tmp_path / "catalog" / "chroma.sqlite3").exists()  # and nothing of them is local


def test_the_question_cases_get_the_same_answers_from_a_chroma_server(chroma_url, tmp_path, engine):
    """Every question case, and a search naming no unit (answered by the vector store across
    documents), answer alike from the embedded store and from a Chroma server."""
    from budgetqa.engine import Engine

    served = Engine(tmp_path / "catalog", chroma_url)
    assert not served.ingest([ROOT / "corpus"])["failed"]
    questions = [json.loads(line)["question"] for case in sorted((ROOT / "tests" / "cases").glob("*.jsonl"))
                 for line in case.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(questions) > 250
    differ = [q for q in questions if served.ask(q) != engine.ask(q)]
    assert not differ, differ[:5]
    search = "机关运行经费主要用于哪些方面"
    assert [c["fact_id"] for c in served.retrieve(search)] == [c["fact_id"] for c in engine.retrieve(search)]
