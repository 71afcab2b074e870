"""catalog: documents and their facts in SQLite, beside the vectors in Chroma.

A question is served from the documents it concerns: the engine reads the small document table
at start (entity, aliases, year, kind, level) and then only the facts of the documents a question
names, by document id. Nothing reads every fact at start.

Tables
- documents: one row per document — its metadata, its ingest report, its audit findings (for
  the warnings answers carry), and its parsed form (tables and sections, zlib-compressed JSON:
  the audit and the table view need them).
- facts: one row per fact (cell or stated number) with the document's id; the document-level
  fields (entity, year …) come from the documents row. The facts of one passage (a table row, a
  sentence) are consecutive and share its quote and its BM25 tokens (computed at ingest, so a
  document's lexical index is built without tokenizing its text again): both are stored on the
  passage's first fact only.
- pending: documents whose vectors are being written; a crash leaves them here and the next
  writer removes their vectors (a document row is committed only after its vectors).
- state: the index's own notes, e.g. a first build from the corpus that has not finished yet.

WAL journaling: readers keep seeing the last committed state while a writer works.
"""
from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import asdict, fields
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from budgetqa.model.document import DocumentMeta, ParsedDocument, document_from_dict, document_to_dict
from budgetqa.model.facts import Fact

FILE = "catalog.sqlite"
# fields of a Fact that belong to its document, stored once in `documents`
_DOC_FIELDS = ("source", "entity", "year", "doc_kind", "level")
_FACT_COLUMNS = [f.name for f in fields(Fact) if f.name not in _DOC_FIELDS]

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT NOT NULL, entity TEXT, year INTEGER, kind TEXT, level TEXT,
    meta TEXT NOT NULL, report TEXT NOT NULL, parsed BLOB NOT NULL, facts INTEGER NOT NULL,
    findings TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE TABLE IF NOT EXISTS facts ({", ".join(f'"{c}"' for c in _FACT_COLUMNS)}, tokens TEXT);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE TABLE IF NOT EXISTS pending (doc_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class Catalog:
    def __init__(self, directory: str | Path):
        Path(directory).mkdir(parents=True, exist_ok=True)
        self.path = Path(directory) / FILE
        # check_same_thread=False: the UI answers from Gradio's worker threads; writes are serialised
        # by SQLite itself
        self.db = sqlite3.connect(self.path, timeout=60, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        # an index written before a fact field existed: the field reads as empty until re-ingest
        present = {row[1] for row in self.db.execute("PRAGMA table_info(facts)")}
        for column in (c for c in _FACT_COLUMNS if c not in present):
            self.db.execute(f'ALTER TABLE facts ADD COLUMN "{column}" TEXT DEFAULT \'\'')

    # -- writing ---------------------------------------------------------------------------
    def mark_pending(self, doc_id: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO pending VALUES (?)", (doc_id,))

    def pending(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM pending")]

    def clear_pending(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM pending WHERE doc_id = ?", (doc_id,))

    def put(self, doc: ParsedDocument, facts: list[Fact], tokens: list[str], report: dict, findings: list[dict],
            replacing: Iterable[str] = ()) -> None:
        """Write one document and its facts in one transaction, replacing its earlier version and
        the documents `replacing` (earlier versions under the same file name)."""
        meta = doc.meta
        parsed = zlib.compress(json.dumps(document_to_dict(doc), ensure_ascii=False).encode("utf-8"), 6)
        rows, seen = [], set()
        for fact, words in zip(facts, tokens):
            first = fact.passage_id not in seen
            seen.add(fact.passage_id)
            row = [_column_value(fact, c) if first or c != "quote" else None for c in _FACT_COLUMNS]
            rows.append(tuple(row) + (words if first else None,))
        placeholders = ", ".join("?" * (len(_FACT_COLUMNS) + 1))
        with self._transaction():
            for doc_id in {meta.doc_id, *replacing}:
                self._delete(doc_id)
            self.db.executemany(f"INSERT INTO facts VALUES ({placeholders})", rows)
            self.db.execute("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            (meta.doc_id, meta.source, meta.entity, meta.year, meta.kind, meta.level,
                             json.dumps(asdict(meta), ensure_ascii=False),
                             json.dumps(report, ensure_ascii=False), parsed, len(facts),
                             json.dumps(findings, ensure_ascii=False)))

    def remove(self, doc_ids: Iterable[str]) -> None:
        with self._transaction():
            for doc_id in doc_ids:
                self._delete(doc_id)

    def _delete(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
        self.db.execute("DELETE FROM facts WHERE doc_id = ?", (doc_id,))

    def _transaction(self):
        return _Transaction(self.db)

    def set_state(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM state WHERE key = ?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, value))

    def state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # -- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM documents").fetchone()[0]

    def fact_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM facts").fetchone()[0]

    def fact_counts(self) -> dict[str, int]:
        """doc_id -> facts stored under it (also for a doc_id without a document row)."""
        return dict(self.db.execute("SELECT doc_id, count(*) FROM facts GROUP BY doc_id"))

    def has(self, doc_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE doc_id = ?", (doc_id,)).fetchone() is not None

    def sources(self) -> dict[str, str]:
        """doc_id (content hash) -> file name of every stored document."""
        return dict(self.db.execute("SELECT doc_id, source FROM documents"))

    def doc_ids_of(self, source: str) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT doc_id FROM documents WHERE source = ?", (source,))]

    def metas(self) -> dict[str, DocumentMeta]:
        return {doc_id: DocumentMeta(**json.loads(meta))
                for doc_id, meta in self.db.execute("SELECT doc_id, meta FROM documents")}

    def reports(self) -> dict[str, dict]:
        return {doc_id: json.loads(report) for doc_id, report in self.db.execute("SELECT doc_id, report FROM documents")}

    def findings(self, doc_id: str) -> list[dict]:
        row = self.db.execute("SELECT findings FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return json.loads(row[0]) if row else []

    def parsed(self, doc_id: str) -> ParsedDocument:
        row = self.db.execute("SELECT parsed FROM documents WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            raise KeyError(doc_id)
        return document_from_dict(json.loads(zlib.decompress(row[0])))

    def facts(self, meta: DocumentMeta) -> tuple[list[Fact], list[list[str]]]:
        """The facts of one document, in ingest order, with their passage's BM25 tokens."""
        base = dict(source=meta.source, entity=meta.entity, year=meta.year or 0, doc_kind=meta.kind,
                    level=meta.level)
        columns = ", ".join(f'"{c}"' for c in _FACT_COLUMNS)
        facts, tokens = [], []
        rows = self.db.execute(f"SELECT {columns}, tokens FROM facts WHERE doc_id = ? ORDER BY rowid", (meta.doc_id,))
        quote, words = "", []
        for row in rows:
            data = dict(zip(_FACT_COLUMNS, row[:-1]))
            if data["quote"] is not None:  # the first fact of a passage
                quote, words = data["quote"], row[-1].split(" ") if row[-1] else []
            data.update(value=Decimal(data["value"]), ocr=bool(data["ocr"]), quote=quote)
            facts.append(Fact(**data, **base))
            tokens.append(words)
        return facts, tokens


def _column_value(fact: Fact, column: str):
    value = getattr(fact, column)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bool):
        return int(value)
    return value


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT, rolled back on any error: a document is written whole or not at all."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, error, trace):
        self.db.execute("COMMIT" if kind is None else "ROLLBACK")
        return False
