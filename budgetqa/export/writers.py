"""Writers of the export tables: CSV files, one Excel workbook, a SQLite database for datasette
(with its metadata), and a Fiscal Data Package (datapackage.json + CSV resources)."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import sqlite_utils

from budgetqa.export.columns import CELLS, DOCUMENTS, NARRATIVE, TABLES, ExportTable
from budgetqa.export.frames import ExportData

TITLE = "预算公开文件数据"
DESCRIPTION = ("部门预算、单位预算和部门决算公开文件中的每个数字及其出处（文件、页/行、表、行、列或原句）。"
               "cells 是表格中的数值，narrative 是说明文字中的数字，findings 是文件自相矛盾之处。")
# tables whose rows point to a document
_DOC_TABLES = tuple(t for t in TABLES if t is not DOCUMENTS)
# SQLite only: a float beside the exact text, for sorting and sums in datasette
_SORTABLE = {"value_number": "value 的浮点数形式，仅供排序和求和；精确数值以 value 为准"}


def write_csv(data: ExportData, out_dir: Path, encoding: str = "utf-8-sig") -> list[Path]:
    """One CSV per table (UTF-8 with BOM by default so that Excel reads the Chinese)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, frame in data.frames().items():
        path = out_dir / f"{name}.csv"
        frame.to_csv(path, index=False, encoding=encoding)
        paths.append(path)
    return paths


def write_xlsx(data: ExportData, path: Path) -> list[Path]:
    """One sheet per table; amounts as numbers (Excel's own), the printed form beside them.
    openpyxl's write-only mode: half the time of a pandas workbook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook(write_only=True)
    for table in TABLES:
        sheet = book.create_sheet(table.name)
        sheet.append(table.names)
        numbers = [c.type == "number" for c in table.columns]
        for row in data.frames()[table.name].itertuples(index=False):
            sheet.append([Decimal(v) if number and v is not None else v for v, number in zip(row, numbers)])
    book.save(path)
    return [path]


def write_sqlite(data: ExportData, path: Path) -> list[Path]:
    """The database (replaced when it exists) and `<stem>.metadata.json` for `datasette -m`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    db = sqlite_utils.Database(path)
    for table in TABLES:
        frame = data.frames()[table.name]
        columns = {c.name: _sqlite_type(c.type) for c in table.columns}
        if table in (CELLS, NARRATIVE):
            frame = frame.assign(value_number=[None if v is None else float(v) for v in frame["value"]])
            columns["value_number"] = float
        foreign = [("doc_id", DOCUMENTS.name, "doc_id")] if table in _DOC_TABLES else []
        db[table.name].create(columns, pk=table.primary_key, foreign_keys=foreign)
        db[table.name].insert_all(frame.to_dict(orient="records"), batch_size=2000)
        for column in table.indexes:
            db[table.name].create_index([column], if_not_exists=True)
    metadata = path.with_name(f"{path.stem}.metadata.json")
    metadata.write_text(json.dumps(datasette_metadata(path.stem), ensure_ascii=False, indent=2), encoding="utf-8")
    return [path, metadata]


def _sqlite_type(schema_type: str) -> type:
    # "number" stays text: the exact decimal as parsed
    return {"integer": int, "boolean": int}.get(schema_type, str)


def datasette_metadata(database: str) -> dict:
    tables = {}
    for table in TABLES:
        columns = {c.name: c.description for c in table.columns}
        if table in (CELLS, NARRATIVE):
            columns |= _SORTABLE
        tables[table.name] = {"title": table.title, "description": table.description, "columns": columns,
                              "facets": list(table.facets)}
    tables[DOCUMENTS.name]["label_column"] = "source"
    return {"title": TITLE, "description": DESCRIPTION, "databases": {database: {"tables": tables}}}


def write_datapackage(data: ExportData, out_dir: Path) -> list[Path]:
    """A Tabular Data Package modelled as a Fiscal Data Package: every column that is a fiscal
    concept (fiscal year, phase, functional/economic classification by level, value, currency)
    carries its ColumnType."""
    from frictionless import Package

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = write_csv(data, out_dir, encoding="utf-8")
    descriptor = {
        "name": "budget-disclosures", "title": TITLE, "description": DESCRIPTION,
        "resources": [_resource(table) for table in TABLES],
    }
    target = out_dir / "datapackage.json"
    Package.from_descriptor(descriptor, basepath=str(out_dir)).to_json(str(target))
    return [target, *paths]


def _resource(table: ExportTable) -> dict:
    fields = []
    for column in table.columns:
        field = {"name": column.name, "type": column.type, "description": column.description}
        if column.column_type:
            field["columnType"] = column.column_type
        fields.append(field)
    schema = {"fields": fields, "primaryKey": [table.primary_key]}
    if table in _DOC_TABLES:
        schema["foreignKeys"] = [{"fields": ["doc_id"], "reference": {"resource": DOCUMENTS.name, "fields": ["doc_id"]}}]
    return {"name": table.name, "title": table.title, "description": table.description, "path": f"{table.name}.csv",
            "format": "csv", "encoding": "utf-8", "schema": schema}

