"""Benchmark (not a test): ingest time of the bundled corpus, PDF parse throughput, ask latency
p50/p95 over the question set in one process, peak memory. Prints a table and writes JSON.

    .venv/bin/python bench/benchmark.py [--questions N] [--out bench/results.json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetqa.engine import Engine  # noqa: E402
from budgetqa.parse import parse_file  # noqa: E402


def _pages(path: Path) -> int:
    return parse_file(path).meta.pages or 0


def load_questions(limit: int) -> list[str]:
    questions = []
    for name in ("eval/questions.jsonl", "eval/putuo_questions.jsonl", "eval/analyst_questions.jsonl",
                 "eval/heldout_questions.jsonl"):
        path = ROOT / name
        if path.exists():
            questions += [json.loads(l)["question"] for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return list(dict.fromkeys(questions))[:limit]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def ocr_benchmark() -> dict:
    """OCR throughput on the scanned fixture (every page, one process)."""
    import pdfplumber

    from budgetqa.parse import ocr

    scanned = ROOT / "tests" / "fixtures" / "not_budgets" / "长沙_市场监督管理局_2026年部门预算.pdf"
    with pdfplumber.open(scanned) as pdf:
        start = time.perf_counter()
        lines = sum(len(ocr.page_lines(page)) for page in pdf.pages)
        seconds = time.perf_counter() - start
        pages = len(pdf.pages)
    return {"ocr_pages": pages, "ocr_lines": lines, "ocr_seconds": round(seconds, 2),
            "ocr_pages_per_second": round(pages / seconds, 2)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    results = {"cpu_count": os.cpu_count()}

    pdfs = sorted((ROOT / "corpus").rglob("*.pdf"))
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        pages = sum(pool.map(_pages, pdfs))
    parse_seconds = time.perf_counter() - start
    results.update(pdf_files=len(pdfs), pdf_pages=pages, pdf_parse_seconds=round(parse_seconds, 2),
                   pages_per_second=round(pages / parse_seconds, 1))

    results.update(ocr_benchmark())

    with tempfile.TemporaryDirectory() as index_dir:
        engine = Engine(index_dir)
        start = time.perf_counter()
        report = engine.ingest([ROOT / "corpus"])
        results["ingest_seconds"] = round(time.perf_counter() - start, 2)
        results["ingested_documents"] = len(report["ingested"])
        results["failed_documents"] = len(report["failed"])
        results["facts"] = engine.store.catalog.fact_count()

        start = time.perf_counter()
        engine = Engine(index_dir)
        engine.ask("热身")
        results["load_seconds"] = round(time.perf_counter() - start, 2)
        questions = load_questions(args.questions)
        latencies = []
        for question in questions:
            start = time.perf_counter()
            engine.ask(question)
            latencies.append((time.perf_counter() - start) * 1000)
    results.update(questions=len(latencies), ask_ms_p50=round(statistics.median(latencies), 1),
                   ask_ms_p95=round(percentile(latencies, 0.95), 1), ask_ms_max=round(max(latencies), 1))
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    results.update(peak_rss_mb=round(own, 1), peak_rss_children_mb=round(children, 1))

    for key, value in results.items():
        print(f"{key:24} {value}")
    Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
