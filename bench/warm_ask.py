"""Warm ask latency in one process (called by bench/scale.py): prints p50/p95 and peak RSS as JSON.

    .venv/bin/python bench/warm_ask.py INDEX_DIR '["question", ...]' [CHROMA_URL]
"""
from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from budgetqa.engine import Engine  # noqa: E402


def main() -> None:
    index, questions = sys.argv[1], json.loads(sys.argv[2])
    url = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else None
    engine = Engine(index, url)
    engine.ask(questions[0])  # warm-up: the catalog and the tokenizer
    latencies = []
    for question in questions:
        start = time.perf_counter()
        engine.ask(question)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    print(json.dumps({"warm_p50_ms": round(statistics.median(latencies), 1),
                      "warm_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))], 1),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}))


if __name__ == "__main__":
    main()
