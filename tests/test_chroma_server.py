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
    ingest = run_app("ingest", str(SEED), env=env)
    assert ingest.returncode == 0, ingest.stderr
    ask = run_app("ask", "泉州12345中心2026年住房公积金是多少？", "--json", env=env)
    assert ask.returncode == 0, ask.stderr
    result = json.loads(ask.stdout)
    assert result["status"] == "answered"
    assert (result["value"], result["unit"]) == (13.86, "万元")
    assert result["citations"][0]["doc"] == SEED.name
    import chromadb

    host, port = chroma_url.rsplit(":", 1)
    server = chromadb.HttpClient(host="127.0.0.1", port=int(port))
    assert server.get_collection("budget_documents").count() == 1  # the server holds the data
