"""Parse many PDFs on several cores: one file per task (parse_pdf stays single-file)."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from budgetqa.model import ParsedDocument


def _one(path: str) -> tuple[str, ParsedDocument | None, str]:
    from budgetqa.parse import ParseError, parse_file

    try:
        return path, parse_file(path), ""
    except ParseError as error:
        return path, None, str(error)


def parse_many(paths: list[str | Path], workers: int | None = None) -> list[tuple[str, ParsedDocument | None, str]]:
    """[(path, document or None, error message)] in the order given; largest files start first."""
    paths = [str(p) for p in paths]
    workers = workers or min(len(paths), os.cpu_count() or 1)
    if workers <= 1 or len(paths) <= 1:
        return [_one(p) for p in paths]
    order = sorted(paths, key=lambda p: -Path(p).stat().st_size)
    with ProcessPoolExecutor(workers) as pool:
        results = {r[0]: r for r in pool.map(_one, order)}
    return [results[p] for p in paths]
