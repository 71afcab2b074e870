"""Data out: every figure of the budget model with its source, as CSV, Excel, SQLite (for
datasette) or a Fiscal Data Package. Tables and columns: budgetqa/export/columns.py; rows:
frames.py; files: writers.py."""
from __future__ import annotations

from pathlib import Path

# format -> whether --out names a folder (else a file)
FORMATS = {"csv": True, "xlsx": False, "sqlite": False, "datapackage": True}


def export(engine, doc_ids: list[str] | None, fmt: str, out: str | Path) -> list[Path]:
    """Write the documents' data (all documents when doc_ids is None) in `fmt` to `out` (a folder
    for csv and datapackage, a file for xlsx and sqlite); returns the files written."""
    from budgetqa.export import writers
    from budgetqa.export.frames import build

    write = {"csv": writers.write_csv, "xlsx": writers.write_xlsx, "sqlite": writers.write_sqlite,
             "datapackage": writers.write_datapackage}[fmt]
    return write(build(engine, doc_ids), Path(out))
