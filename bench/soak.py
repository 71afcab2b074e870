"""UI soak benchmark (not a test): does the UI server's memory stay flat under load?

Starts the real UI server (`app.py ui`) on an index built beforehand, then drives it like users in
two phases, each N questions over S concurrent sessions (defaults 500 over 20):

  chat  the path the browser's chat uses: Gradio's queue through `gradio_client`, one Client (one
        Gradio session, its own history and context) per user, calling the `ask` event;
  api   the JSON API, POST /api/ask, S threads.

The questions are those of eval/questions.jsonl and tests/cases/*.jsonl, shuffled (seed 0). The server's RSS
(VmRSS in /proc/<pid>/status) is sampled after a warm-up of W questions (default 50) and at the end
of each phase; growth = end − after warm-up, target < 50 MB. Writes bench/soak_results.json and
prints a short table.

    PYTHONPATH=. .venv/bin/python app.py ingest --index-dir /tmp/soak/index corpus
    PYTHONPATH=. .venv/bin/python bench/soak.py --index-dir /tmp/soak/index [--questions 500]
        [--sessions 20] [--warmup 50] [--phases chat api]
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import httpx
from gradio_client import Client

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetqa.store.catalog import FILE as CATALOG_FILE  # noqa: E402

QUESTION_FILES = [ROOT / "eval" / "questions.jsonl", *sorted((ROOT / "tests" / "cases").glob("*.jsonl"))]
TARGET_GROWTH_MB = 50.0
ASK_TIMEOUT_S = 120.0


@dataclass
class Phase:
    name: str
    questions: int = 0
    errors: int = 0
    rss_start_mb: float = 0.0
    rss_after_warmup_mb: float = 0.0
    rss_end_mb: float = 0.0
    rss_peak_mb: float = 0.0
    growth_after_warmup_mb: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    seconds: float = 0.0
    error_samples: list[str] = field(default_factory=list)
    rss_series: list[tuple[float, float]] = field(default_factory=list)  # (seconds into the phase, MB)


def load_questions() -> list[str]:
    seen: dict[str, None] = {}
    for path in QUESTION_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                seen.setdefault(json.loads(line)["question"], None)
    return list(seen)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


class PeakSampler:
    """Samples the server's RSS every second in a thread: the highest value and a series (s, MB)."""

    def __init__(self, pid: int):
        self.pid, self.peak = pid, 0.0
        self.series: list[tuple[float, float]] = []
        self._t0 = time.monotonic()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = rss_mb(self.pid)
            self.peak = max(self.peak, rss)
            self.series.append((round(time.monotonic() - self._t0, 1), round(rss, 1)))
            self._stop.wait(1.0)

    def __enter__(self) -> "PeakSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir: Path, port: int, log_path: Path) -> subprocess.Popen:
    log = log_path.open("w")
    proc = subprocess.Popen([sys.executable, str(ROOT / "app.py"), "ui", "--index-dir", str(index_dir),
                             "--port", str(port)], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"UI server exited with {proc.returncode}; see {log_path}")
        try:
            if httpx.get(f"{base}/api/status", timeout=5).json().get("ready"):
                return proc
        except (httpx.HTTPError, ValueError):
            pass
        time.sleep(1.0)
    proc.kill()
    raise SystemExit(f"UI server not ready after 300 s; see {log_path}")


def chat_session(base: str) -> Callable[[str], None]:
    """One browser-like user: a Gradio session that keeps its chat history and asks via the `ask` event."""
    client = Client(base, verbose=False, download_files=False)
    history: list = []

    def ask(question: str) -> None:
        nonlocal history
        result = client.predict(question, history, api_name="/ask")
        history = result[0]
        answer = history[-1]
        text = json.dumps(answer.get("content") if isinstance(answer, dict) else answer, ensure_ascii=False)
        if "内部错误" in text:
            raise RuntimeError(f"internal error answer: {text[:200]}")
    return ask


def api_session(base: str) -> Callable[[str], None]:
    http = httpx.Client(base_url=base, timeout=ASK_TIMEOUT_S)

    def ask(question: str) -> None:
        response = http.post("/api/ask", json={"question": question})
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
    return ask


def drive(sessions: list[Callable[[str], None]], questions: list[str], phase: Phase, latencies: list[float]) -> None:
    """Each session asks the next question from a shared queue until it is empty (one in flight per session)."""
    todo: queue.Queue[str] = queue.Queue()
    for q in questions:
        todo.put(q)
    lock = threading.Lock()

    def worker(ask: Callable[[str], None]) -> None:
        while True:
            try:
                question = todo.get_nowait()
            except queue.Empty:
                return
            start = time.perf_counter()
            error = None
            try:
                ask(question)
            except Exception as exc:  # counted and sampled: the benchmark reports errors, it does not stop
                error = f"{type(exc).__name__}: {exc}"[:300]
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                phase.questions += 1
                if error:
                    phase.errors += 1
                    if len(phase.error_samples) < 5:
                        phase.error_samples.append(error)

    with ThreadPoolExecutor(len(sessions)) as pool:
        list(pool.map(worker, sessions))


def run_phase(name: str, make_session: Callable[[str], Callable[[str], None]], base: str, pid: int,
              questions: list[str], n_sessions: int, warmup: int) -> Phase:
    phase = Phase(name)
    phase.rss_start_mb = rss_mb(pid)
    latencies: list[float] = []
    started = time.perf_counter()
    with PeakSampler(pid) as sampler:
        with ThreadPoolExecutor(n_sessions) as pool:
            sessions = list(pool.map(lambda _: make_session(base), range(n_sessions)))
        drive(sessions, questions[:warmup], phase, latencies)
        phase.rss_after_warmup_mb = rss_mb(pid)
        drive(sessions, questions[warmup:], phase, latencies)
        phase.rss_end_mb = rss_mb(pid)
    phase.seconds = round(time.perf_counter() - started, 1)
    phase.rss_peak_mb = max(sampler.peak, phase.rss_end_mb)
    phase.rss_series = sampler.series
    phase.growth_after_warmup_mb = phase.rss_end_mb - phase.rss_after_warmup_mb
    latencies.sort()
    phase.p50_ms = statistics.median(latencies)
    phase.p95_ms = latencies[int(0.95 * (len(latencies) - 1))]
    for key in ("rss_start_mb", "rss_after_warmup_mb", "rss_end_mb", "rss_peak_mb", "growth_after_warmup_mb",
                "p50_ms", "p95_ms"):
        setattr(phase, key, round(getattr(phase, key), 1))
    return phase


def print_table(phases: list[Phase]) -> None:
    print(f"{'phase':<6}{'questions':>10}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'RSS warm MB':>13}"
          f"{'RSS end MB':>12}{'growth MB':>11}{'peak MB':>9}{'s':>7}")
    for p in phases:
        print(f"{p.name:<6}{p.questions:>10}{p.errors:>8}{p.p50_ms:>9.0f}{p.p95_ms:>9.0f}{p.rss_after_warmup_mb:>13.1f}"
              f"{p.rss_end_mb:>12.1f}{p.growth_after_warmup_mb:>11.1f}{p.rss_peak_mb:>9.1f}{p.seconds:>7.0f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index-dir", type=Path, required=True, help="an index built beforehand with app.py ingest")
    parser.add_argument("--questions", type=int, default=500, help="questions per phase")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=50, help="questions before the RSS baseline")
    parser.add_argument("--phases", nargs="+", choices=["chat", "api"], default=["chat", "api"])
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "soak_results.json")
    args = parser.parse_args()
    if not (args.index_dir / CATALOG_FILE).exists():
        raise SystemExit(f"no index in {args.index_dir}: build it first with app.py ingest --index-dir …")

    pool = load_questions()
    random.Random(0).shuffle(pool)  # users ask a mix: the warm-up meets text and PDF sources alike
    questions = list(itertools.islice(itertools.cycle(pool), args.questions))
    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}/"
    log_path = Path(tempfile.gettempdir()) / f"budgetqa-soak-{port}.log"  # the server's output, for failures
    server = start_server(args.index_dir, port, log_path)
    makers = {"chat": chat_session, "api": api_session}
    try:
        rss_ready = rss_mb(server.pid)
        phases = [run_phase(name, makers[name], base, server.pid, questions, args.sessions, args.warmup)
                  for name in args.phases]
    finally:
        server.terminate()
        server.wait(30)
    results = {"index_dir": str(args.index_dir), "distinct_questions": len(pool), "sessions": args.sessions,
               "questions_per_phase": args.questions, "warmup": args.warmup, "rss_server_ready_mb": round(rss_ready, 1),
               "target_growth_mb": TARGET_GROWTH_MB, "phases": [asdict(p) for p in phases],
               "total_questions": sum(p.questions for p in phases), "total_errors": sum(p.errors for p in phases),
               "within_target": all(p.growth_after_warmup_mb < TARGET_GROWTH_MB for p in phases)}
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_table(phases)
    print(f"server RSS when ready {rss_ready:.1f} MB; target growth < {TARGET_GROWTH_MB:.0f} MB after warm-up: "
          f"{'met' if results['within_target'] else 'NOT met'}; results in {args.out}")
    return 0 if results["within_target"] and not results["total_errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
