"""engine: the one object the CLI, the UI and the eval use — ingest files, answer questions."""
from __future__ import annotations

import os
import re
from functools import partial
from pathlib import Path
from typing import Callable

from budgetqa import answer as compose
from budgetqa import compute, standard, thesaurus
from budgetqa.calculator import Calculator
from budgetqa.checks.ingest_report import ingest_report
from budgetqa.explain import WHY, explaining_sentence
from budgetqa.facts import Fact, document_facts
from budgetqa.model import DocumentMeta, ParsedDocument
from budgetqa.ops.limits import Limits, bounded_map
from budgetqa.ops.lock import writer_lock
from budgetqa.parse import SUPPORTED_SUFFIXES, ParseError, content_hash, parse_file
from budgetqa.parse.vocabulary import GRAND_TOTAL
from budgetqa.question import EntityIndex, Query, match_documents, parse_query
from budgetqa.retrieve import MIN_LABEL_SCORE, FactRanker
from budgetqa.store import FactStore

Progress = Callable[[int, int, str], None]  # (done, total, message)


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


def _parse_one(path: Path, limits: Limits) -> tuple[Path, ParsedDocument | None, str]:
    try:
        if not path.exists():
            return path, None, "no such file"
        limits.check(path)
        return path, parse_file(path), ""
    except ParseError as error:
        return path, None, str(error)
    except MemoryError:
        return path, None, f"超出单个文件的内存上限（{limits.max_worker_mb} MB）"
    except Exception as error:  # a parser bug must not stop the other files
        return path, None, f"cannot parse ({type(error).__name__}: {error})"


def _crashed(path: Path) -> tuple[Path, None, str]:
    return path, None, "解析进程意外退出（可能超出内存上限，或解析库崩溃）"


class Engine:
    def __init__(self, index_dir: str | Path = "index", chroma_url: str | None = None,
                 limits: Limits | None = None):
        self.index_dir = Path(index_dir)
        self.limits = limits or Limits.from_env()
        self.store = FactStore(index_dir, chroma_url)
        self.calculator = Calculator(self)
        self._loaded = False

    # -- index ------------------------------------------------------------------------------
    def ingest(self, paths: list[str | Path], progress: Progress | None = None) -> dict:
        """Parse and store the files; one writer at a time (IndexBusy when another ingest runs)."""
        with writer_lock(self.index_dir):
            return self._ingest(paths, progress)

    def _ingest(self, paths: list[str | Path], progress: Progress | None) -> dict:
        files, skipped = collect_files(paths)
        stored = self.store.stored_sources()
        unchanged = [f for f in files if f.is_file() and stored.get(content_hash(f.read_bytes())) == f.name]
        files = [f for f in files if f not in unchanged]  # re-ingesting an unchanged file is a no-op
        report = {"ingested": [], "failed": [], "skipped": skipped, "unchanged": [str(f) for f in unchanged]}
        total = len(files)
        workers = min(os.cpu_count() or 1, 4, total) or 1
        done = 0
        if progress:
            progress(0, total, "解析文档…")
        for path, doc, error in bounded_map(partial(_parse_one, limits=self.limits), files, workers, _crashed,
                                            self.limits.max_worker_mb):
            done += 1
            facts = document_facts(doc) if doc is not None else []
            error = error or self.limits.facts_problem(len(facts))
            if error:
                report["failed"].append([str(path), error])
            else:
                doc.meta.source = path.name
                parsed = ingest_report(doc)
                self.store.replace_document(doc, facts, parsed.to_json())
                report["ingested"].append({"file": str(path), "doc_id": doc.meta.doc_id,
                                           "label": doc.meta.label, "tables": len(doc.tables),
                                           "warnings": len(doc.warnings), "report": parsed.to_json(),
                                           "summary": parsed.summary()})
            if progress:
                progress(done, total, path.name)
        self.store.remove_orphans(set(self.store.documents.get(include=[])["ids"]))  # left by an interrupted run
        self._loaded = False
        return report

    def ensure_index(self, corpus_dirs: list[str | Path], progress: Progress | None = None) -> dict | None:
        if self.store.documents.count() > 0:
            return None
        return self.ingest(corpus_dirs, progress)

    def load(self) -> None:
        """Read the documents and facts of the index (once; again after an ingest)."""
        if self._loaded:
            return
        self.docs = self.store.load_documents()
        self.reports = self.store.load_reports()
        self.metas: dict[str, DocumentMeta] = {d: doc.meta for d, doc in self.docs.items()}
        self.facts: list[Fact] = self.store.load_facts(set(self.docs))
        self.entities = EntityIndex(list(self.metas.values()))
        self._audit_cache: dict[str, list] = {}
        self.ranker = FactRanker(self.facts, self.store.vector_search, self.entities.known_text)
        self._loaded = True

    def documents(self) -> list[dict]:
        self.load()
        rows = []
        for doc_id, doc in self.docs.items():
            m, report = doc.meta, self.reports.get(doc_id, {})
            rows.append({"doc_id": doc_id, "source": m.source, "entity": m.entity, "aliases": m.aliases,
                         "year": m.year, "kind": m.kind, "level": m.level, "region": m.region,
                         "pages": m.pages, "lines": m.lines, "tables": len(doc.tables),
                         "warnings": len(doc.warnings), "scope": m.scope,
                         "closure": report.get("closure"), "doubtful": report.get("doubtful", False),
                         "missing_tables": report.get("missing_tables", []),
                         "ocr_pages": len(m.ocr_pages)})
        return sorted(rows, key=lambda r: (r["entity"], r["year"] or 0, r["kind"]))

    def parsed(self, doc_id: str) -> ParsedDocument:
        self.load()
        return self.docs[doc_id]

    # -- questions --------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10) -> list[dict]:
        self.load()
        match = match_documents(question, self.entities)
        docs = match.docs or list(self.metas.values())
        ranked = self.ranker.rank(question, [m.doc_id for m in docs], k)
        return [compose.citation(s.fact, self.metas[s.fact.doc_id]) | {"score": round(s.score, 3)}
                for s in ranked]

    def ask(self, question: str, context: dict | None = None) -> dict:
        self.load()
        question = question.strip()
        if not question:
            raise ValueError("empty question")
        if not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", question):
            result = compose.not_found(question, "问题中没有可查询的内容（单位、年份、项目）", [], self._unit_list())
            result["warnings"], result["context"] = [], {}
            return result
        if not re.search(r"[\u4e00-\u9fa5]", question):  # the documents and their terms are Chinese
            result = compose.not_found(question, "请用中文提问，并写明单位、年份和要查的项目"
                                       "（例如“某市某局2026年三公经费是多少？”）", [], [])
            result["warnings"], result["context"] = [], {}
            return result
        query = parse_query(question, self.entities, context)
        match, item_text, unit = query.match, query.item_text, query.unit
        if not (match.entity_named or match.years or match.unknown_names or query.follow_up
                or self.ranker.content_terms(item_text) or thesaurus.expand(item_text)):
            result = compose.not_found(question, "问题没有指明单位、年份或项目", [], self._unit_list())
            result["warnings"], result["context"] = [], {}
            return result
        operation = compute.detect(item_text, len(match.docs) > 1) if not match.missing else ""
        result = self.calculator.answer(operation, question, item_text, match.docs, unit) if operation else None
        if result is None:
            result = self._plain_answer(query)
        self._warn_contradictions(result)
        result["context"] = {
            "question": item_text if query.follow_up else question,
            "entities": sorted({m.entity for m in match.docs}),
            "years": sorted({m.year for m in match.docs}) if len(match.docs) == 1 else match.years,
            "unit": unit,
        }
        return result

    def _plain_answer(self, query: Query) -> dict:
        """Not found / ambiguous / why / a single cited figure."""
        question, item_text, match, unit = query.text, query.item_text, query.match, query.unit
        if match.missing:
            return compose.not_found(question, match.missing, [], self._unit_list())
        if len(match.docs) > 1:
            per_doc = [(meta, self.best_fact(item_text, meta)) for meta in match.docs]
            if not WHY.search(question) and compose.one_figure(per_doc):  # one figure for the same item
                return compose.answered_by_each(question, per_doc, unit)
            return compose.ambiguous(question, per_doc, unit)
        meta = match.docs[0]
        if WHY.search(question):
            fact = explaining_sentence(item_text, meta, self.facts, self.ranker)
            if fact is None:
                return compose.not_found(question, f"{meta.label} 中没有说明这一点的文字", [], [])
            return compose.explained(question, fact, meta)
        whole = self._measure_total(query, meta)
        if whole is not None:
            return compose.answered(question, whole, meta, unit)
        ranked = self.ranker.rank(item_text, [meta.doc_id], k=5)
        nearest = [(s.fact, meta) for s in ranked[:3]]
        if not ranked or ranked[0].label_score < MIN_LABEL_SCORE:
            return compose.not_found(question, f"{meta.label} 中没有与问题对应的数据", nearest, [])
        fitting = [s for s in ranked if s.label_score >= MIN_LABEL_SCORE and _fits_measures(s.fact, query.measures)]
        if not fitting:  # the item is there, but not in the column the question names: say so
            named = "、".join(sorted(query.measures))
            return compose.not_found(question, f"{meta.label} 中没有“{named}”栏目下与问题对应的数据", nearest, [])
        best = fitting[0].fact
        if query.asks_change and not _states_a_change(best):
            # a difference, growth or share was asked and nothing computed it: a level figure
            # would be a confident wrong answer
            return compose.not_found(question, f"{meta.label} 中没有直接写出所问的变化或比例，也无法从表中算出",
                                     nearest, [])
        return compose.answered(question, best, meta, unit)

    def _measure_total(self, query: Query, meta: DocumentMeta) -> Fact | None:
        """A question that names a measure and nothing else ("人员经费多少") asks for that column's
        total in the standard table that carries it."""
        if (len(query.measures) != 1 or query.asks_change
                or set(self.ranker.content_terms(query.item_text)) - query.measures):
            return None
        named = next(iter(query.measures))
        totals = [f for f in self.facts if f.doc_id == meta.doc_id and f.kind == "cell"
                  and GRAND_TOTAL.search(f.row_label) and f.measure == named]
        order = {kind: i for i, kind in enumerate(standard.TOTAL_SOURCES.get(named, ()))}
        totals = [f for f in totals if f.table_kind in order]
        return min(totals, key=lambda f: order[f.table_kind], default=None)

    def _warn_contradictions(self, result: dict) -> None:
        """Say so when a cited cell or sentence is one the document contradicts elsewhere."""
        warnings = []
        for cited in result.get("citations", []) if result["status"] == "answered" else []:
            for finding in self._findings(cited["doc_id"]):
                if (finding.kind != "cross-foot" or finding.severity == "high") and any(_same_place(cited, e) for e in finding.evidence):
                    if finding.message not in warnings:
                        warnings.append(finding.message)
        result["warnings"] = warnings
        if warnings:
            result["answer"] += "\n注意（文件自相矛盾）：" + "；".join(warnings)

    def _findings(self, doc_id: str):
        if doc_id not in self._audit_cache:
            from budgetqa.checks.audit import audit_document

            self._audit_cache[doc_id] = audit_document(self.docs[doc_id], [f for f in self.facts if f.doc_id == doc_id])
        return self._audit_cache[doc_id]

    def best_fact(self, question: str, meta: DocumentMeta, minimum: float = MIN_LABEL_SCORE) -> Fact | None:
        """The fact of one document that best names what the text asks for, or None."""
        return next(iter(self.candidate_facts(question, meta, 1, minimum)), None)

    def candidate_facts(self, question: str, meta: DocumentMeta, k: int, minimum: float = MIN_LABEL_SCORE) -> list[Fact]:
        """The facts of one document that name what the question asks for, best first."""
        return [s.fact for s in self.ranker.rank(question, [meta.doc_id], k=k) if s.label_score >= minimum]

    def _unit_list(self) -> list[str]:
        return [f"{m.entity}{m.year}年{m.level}{m.kind}" for m in
                sorted(self.metas.values(), key=lambda m: (m.entity, m.year or 0))]


def _same_place(cited: dict, evidence: dict) -> bool:
    if evidence.get("quote"):
        return cited["kind"] == "narrative" and evidence["quote"][:24] in cited["quote"]
    return (cited["kind"] == "cell" and evidence.get("table") == cited["table"] and evidence.get("row") == cited["row"]
            and evidence.get("printed") == cited["printed"])


def _states_a_change(fact: Fact) -> bool:
    """A figure that is itself a change or a ratio: a sentence's number, a % cell, an 增减 column."""
    return fact.kind == "narrative" or fact.unit == "%" or fact.measure in ("增减", "增减率")


def _fits_measures(fact: Fact, measures: set[str]) -> bool:
    """A cell answers a question naming measures only from one of those columns; a sentence only
    when it names one of them."""
    if not measures:
        return True
    if fact.kind == "cell":
        return not fact.measure or any(standard.answers_measure(m, fact.measure, fact.table_kind, fact.doc_kind)
                                       for m in measures)
    said = fact.lead + (fact.quote[:fact.offset] if fact.offset >= 0 else fact.item)
    return any(standard.sentence_names_measure(m, said) for m in measures)
