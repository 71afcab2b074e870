"""engine: the one object the CLI, the UI and the eval use — ingest files, load the index, and answer
questions: a parsed question goes to answer/respond.py, which finds its facts through answer/finder.py."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from budgetqa.answer.compose import Answer, Citation
from budgetqa.answer.finder import FACT_CACHE, Finder, Recent
from budgetqa.answer.respond import Responder
from budgetqa.answer.retrieve import passage_tokens
from budgetqa.answer.weights import WEIGHTS
from budgetqa.checks.audit import audit_document
from budgetqa.checks.ingest_report import ingest_report
from budgetqa.model.document import DocumentMeta, ParsedDocument
from budgetqa.model.facts import Fact, document_facts
from budgetqa.ops.limits import Limits, bounded_map
from budgetqa.ops.lock import writer_lock
from budgetqa.parse import SUPPORTED_SUFFIXES, ParseError, content_hash, parse_file
from budgetqa.query.question import EntityIndex, parse_query
from budgetqa.store.fact_store import FactStore

Progress = Callable[[int, int, str], None]  # (done, total, message)
FIRST_BUILD = "first_build"  # catalog state while a first build from the corpus runs


def collect_files(paths: list[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to ingest from files and folders; folders contribute only supported types."""
    files, skipped = [], []
    for path in map(Path, paths):
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file():
                    (files if child.suffix.lower() in SUPPORTED_SUFFIXES else skipped).append(child)
        else:
            files.append(path)
    return files, [str(s) for s in skipped]


@dataclass
class _Parsed:
    """What a worker process hands back for one file."""
    path: Path
    doc: ParsedDocument | None = None
    facts: list[Fact] = field(default_factory=list)
    tokens: list[str] = field(default_factory=list)  # BM25 tokens of each fact's passage, space-joined
    findings: list[dict] = field(default_factory=list)  # the audit's (budgetqa.checks.audit)
    error: str = ""


def _parse_one(path: Path, limits: Limits) -> _Parsed:
    """Parse a file into its document and facts (in a worker: the heavy part of ingest)."""
    try:
        if not path.exists():
            return _Parsed(path, error="no such file")
        limits.check(path)
        doc = parse_file(path)
        doc.meta.source = path.name
        facts = document_facts(doc)
    except ParseError as error:
        return _Parsed(path, error=str(error))
    except MemoryError:
        return _Parsed(path, error=f"超出单个文件的内存上限（{limits.max_worker_mb} MB）")
    except Exception as error:  # a parser bug must not stop the other files
        return _Parsed(path, error=f"cannot parse ({type(error).__name__}: {error})")
    by_passage: dict[str, str] = {}
    for fact in facts:
        if fact.passage_id not in by_passage:
            by_passage[fact.passage_id] = " ".join(passage_tokens(fact))
    findings = [f.to_dict() for f in audit_document(doc, facts)]
    return _Parsed(path, doc, facts, [by_passage[f.passage_id] for f in facts], findings)


def _crashed(path: Path) -> _Parsed:
    return _Parsed(path, error="解析进程意外退出（可能超出内存上限，或解析库崩溃）")


class Engine:
    def __init__(self, index_dir: str | Path = "index", chroma_url: str | None = None,
                 limits: Limits | None = None):
        self.index_dir = Path(index_dir)
        self.limits = limits or Limits.from_env()
        self.store = FactStore(index_dir, chroma_url)
        self._finder: Finder | None = None
        self._loaded = False

    # -- index ------------------------------------------------------------------------------
    def ingest(self, paths: list[str | Path], progress: Progress | None = None) -> dict:
        """Parse and store the files; one writer at a time (IndexBusy when another ingest runs)."""
        with writer_lock(self.index_dir):
            return self._ingest(paths, progress)

    def _ingest(self, paths: list[str | Path], progress: Progress | None) -> dict:
        files, skipped = collect_files(paths)
        self.store.drop_old_layout()
        self.store.remove_pending()  # left by an interrupted run
        stored = self.store.catalog.sources()
        unchanged = [f for f in files if f.is_file() and stored.get(content_hash(f.read_bytes())) == f.name]
        files = [f for f in files if f not in unchanged]  # re-ingesting an unchanged file is a no-op
        report = {"ingested": [], "failed": [], "skipped": skipped, "unchanged": [str(f) for f in unchanged]}
        total = len(files)
        workers = min(os.cpu_count() or 1, 4, total) or 1
        done, stopped = 0, []
        if progress:
            progress(0, total, "解析文档…")
        for parsed in bounded_map(partial(_parse_one, limits=self.limits), files, workers, _crashed,
                                  self.limits.max_worker_mb):
            done += 1
            error = parsed.error or self.limits.facts_problem(len(parsed.facts))
            if not error:
                try:
                    report["ingested"].append(self._store(parsed))
                except Exception as failure:  # disk full, store down: what is stored stays whole
                    error = f"写入索引失败（{type(failure).__name__}: {failure}）；其余文件未导入"
                    stopped = [str(f) for f in files[done:]]
            if error:
                report["failed"].append([str(parsed.path), error])
            if progress:
                progress(done, total, parsed.path.name)
            if stopped:
                report["failed"] += [[f, "未导入：前一个文件写入索引失败"] for f in stopped]
                break
        self._loaded = False
        return report

    def _store(self, parsed: _Parsed) -> dict:
        doc = parsed.doc
        checked = ingest_report(doc)
        self.store.replace_document(doc, parsed.facts, parsed.tokens, checked.to_json(), parsed.findings)
        return {"file": str(parsed.path), "doc_id": doc.meta.doc_id, "label": doc.meta.label,
                "tables": len(doc.tables), "warnings": len(doc.warnings), "report": checked.to_json(),
                "summary": checked.summary()}

    def ensure_index(self, corpus_dirs: list[str | Path], progress: Progress | None = None) -> dict | None:
        """Build the index from the corpus on first use, or finish a first build that was
        interrupted (files already stored are skipped); None when there is nothing to do."""
        if self.store.catalog.count() > 0 and not self.build_incomplete():
            return None
        self.store.catalog.set_state(FIRST_BUILD, json.dumps([str(d) for d in corpus_dirs], ensure_ascii=False))
        report = self.ingest(corpus_dirs, progress)
        self.store.catalog.set_state(FIRST_BUILD, None)
        return report

    def build_incomplete(self) -> bool:
        """A first build from the corpus started and did not finish (killed, crashed, disk full)."""
        return self.store.catalog.state(FIRST_BUILD) is not None

    def load(self) -> None:
        """Read the document catalog (once; again after an ingest). Facts are read per document,
        when a question concerns it."""
        if self._loaded:
            return
        self.metas: dict[str, DocumentMeta] = self.store.catalog.metas()
        self.reports = self.store.catalog.reports()
        self.entities = EntityIndex(list(self.metas.values()))
        self._parsed = Recent(FACT_CACHE)
        weights = self._finder.weights if self._finder else WEIGHTS  # weights being fitted outlive an ingest
        self._finder = Finder(self.store.catalog, self.metas, weights)
        self._responder = Responder(self._finder)
        self._loaded = True

    @property
    def finder(self) -> Finder:
        """Finds the facts of the indexed documents (their facts, ranking, audit findings)."""
        self.load()
        return self._finder

    def documents(self) -> list[dict]:
        self.load()
        rows = []
        for doc_id, m in self.metas.items():
            report = self.reports.get(doc_id, {})
            rows.append({"doc_id": doc_id, "source": m.source, "entity": m.entity, "aliases": m.aliases,
                         "year": m.year, "kind": m.kind, "level": m.level, "region": m.region,
                         "pages": m.pages, "lines": m.lines,
                         "tables": sum(report.get("tables_by_type", {}).values()),
                         "warnings": sum(report.get("warnings", {}).values()), "scope": m.scope,
                         "closure": report.get("closure"), "doubtful": report.get("doubtful", False),
                         "missing_tables": report.get("missing_tables", []),
                         "ocr_pages": len(m.ocr_pages)})
        return sorted(rows, key=lambda r: (r["entity"], r["year"] or 0, r["kind"]))

    def parsed(self, doc_id: str) -> ParsedDocument:
        self.load()
        return self._parsed.get(doc_id, lambda: self.store.catalog.parsed(doc_id))

    # -- questions --------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10) -> list[dict]:
        self.load()
        query = parse_query(question.strip(), self.entities)  # the question as `ask` reads it, once
        doc_ids = [m.doc_id for m in query.match.docs] or self._nearest_documents(question)
        ranked = self.finder.rank(query.ask, doc_ids, k)
        return [Citation(s.fact).to_json() | {"score": round(s.score, 3)} for s in ranked]

    def ask(self, question: str, context: dict | None = None) -> Answer:
        self.load()
        question = question.strip()
        if not question:
            raise ValueError("empty question")
        query = parse_query(question, self.entities, context)
        return self._responder.respond(query)

    def _nearest_documents(self, text: str, most: int = 5) -> list[str]:
        """Documents whose passages are nearest the text (a question naming no document)."""
        found = []
        for passage_id, _ in self.store.vector_search(text, 50):
            doc_id = passage_id.split(":", 1)[0]
            if doc_id in self.metas and doc_id not in found:
                found.append(doc_id)
        return found[:most]
