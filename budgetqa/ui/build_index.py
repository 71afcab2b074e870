"""Child process of the UI: build the index of a corpus, progress as JSON lines on stdout.

    python -m budgetqa.ui.build_index --index-dir DIR [--engine-kwargs JSON] --corpus PATH ...

Each progress step prints `@@progress {"done": n, "total": m, "message": "…"}`; the last line is
`@@result {...}` (the ingest report, or null when the index was not empty). Exit status 0 on
success. Run by budgetqa.ui.app.IndexBuilder so that ingestion does not stall the web server.
"""
from __future__ import annotations

import argparse
import json
import sys

from budgetqa.ui.app import PROGRESS_PREFIX


def _die_with_parent() -> None:
    """Linux: get SIGTERM when the UI process that started us goes away (best effort)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def main(argv: list[str] | None = None) -> int:
    _die_with_parent()
    parser = argparse.ArgumentParser(prog="python -m budgetqa.ui.build_index")
    parser.add_argument("--index-dir", required=True)
    parser.add_argument("--engine-kwargs", default="{}")
    parser.add_argument("--corpus", nargs="+", required=True)
    args = parser.parse_args(argv)
    from budgetqa.engine import Engine

    engine = Engine(index_dir=args.index_dir, **json.loads(args.engine_kwargs))

    def progress(done: int, total: int, message: str = "") -> None:
        print(PROGRESS_PREFIX + json.dumps({"done": done, "total": total, "message": message},
                                           ensure_ascii=False), flush=True)

    report = engine.ensure_index(args.corpus, progress=progress)
    print("@@result " + json.dumps(report, ensure_ascii=False, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
