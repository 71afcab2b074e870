"""engine: the one object the CLI, the UI and the eval use — ingest files, answer questions."""
from __future__ import annotations

import json
import os
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable

from budgetqa import answer as compose
from budgetqa import standard, thesaurus
from budgetqa.answer import Answer, Citation
from budgetqa.calculator import Calculator
from budgetqa.checks.audit import audit_document
from budgetqa.checks.ingest_report import ingest_report
from budgetqa.explain import explaining_sentence
from budgetqa.facts import Fact, document_facts
from budgetqa.model import DocumentMeta, ParsedDocument
from budgetqa.ops.limits import Limits, bounded_map
from budgetqa.ops.lock import writer_lock
from budgetqa.parse import SUPPORTED_SUFFIXES, ParseError, content_hash, parse_file
from budgetqa.parse.vocabulary import GRAND_TOTAL
from budgetqa.question import EntityIndex, Query, item_query, match_documents, parse_query
from budgetqa.retrieve import MIN_LABEL_SCORE, FactRanker, content_terms, fact_tokens, passage_tokens
from budgetqa.store import FactStore, passage_texts
from budgetqa.weights import WEIGHTS

Progress = Callable[[int, int, str], None]  # (done, total, message)
FIRST_BUILD = "first_build"  # catalog state while a first build from the corpus runs
FACT_CACHE = 64  # documents whose facts, parsed form and audit stay in memory
RANKER_CACHE = 32  # document sets whose ranker stays in memory


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
        self.calculator = Calculator(self)
        self.ranking_weights = WEIGHTS  # budgetqa/data/ranking_weights.toml; eval/fit_weights.py tries others
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
        self._facts = _Recent(FACT_CACHE)
        self._rankers = _Recent(RANKER_CACHE)
        self._parsed = _Recent(FACT_CACHE)
        self._audit_cache = _Recent(FACT_CACHE)
        self._loaded = True

    def facts_of(self, doc_ids: Iterable[str] | None = None) -> list[Fact]:
        """The facts of these documents (all documents when None), in document order."""
        self.load()
        wanted = list(self.metas) if doc_ids is None else list(doc_ids)
        return [fact for doc_id in wanted for fact in self._doc_facts(doc_id)[0]]

    def _doc_facts(self, doc_id: str) -> tuple[list[Fact], list[list[str]]]:
        return self._facts.get(doc_id, lambda: self.store.catalog.facts(self.metas[doc_id]))

    def ranker(self, doc_ids: Iterable[str]) -> FactRanker:
        """The ranker over these documents' facts (BM25 from the tokens stored at ingest), kept
        for the documents asked about most recently."""
        key = tuple(sorted(set(doc_ids)))

        def build() -> FactRanker:
            facts, tokenized = [], []
            for doc_id in key:
                doc_facts, passages = self._doc_facts(doc_id)
                facts += doc_facts
                tokenized += [fact_tokens(f, p) for f, p in zip(doc_facts, passages)]
            return FactRanker(facts, passage_texts(facts, self.metas), tokenized)

        return self._rankers.get(key, build)

    def rank(self, text: str, doc_ids: list[str], k: int = 10):
        """The facts of these documents that best answer the text, best first (Scored)."""
        return self.ranker(doc_ids).rank(text, doc_ids, k, self.ranking_weights)

    def content_terms(self, text: str) -> list[str]:
        """The words of a question that name an item (not a year or question word)."""
        return content_terms(text)

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
        match = match_documents(question, self.entities)
        doc_ids = [m.doc_id for m in match.docs] or self._nearest_documents(question)
        ranked = self.rank(question, doc_ids, k)
        return [Citation(s.fact).to_json() | {"score": round(s.score, 3)} for s in ranked]

    def ask(self, question: str, context: dict | None = None) -> Answer:
        self.load()
        question = question.strip()
        if not question:
            raise ValueError("empty question")
        if not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", question):
            return compose.not_found("问题中没有可查询的内容（单位、年份、项目）", [], self._unit_list()).asked(question, {})
        if not re.search(r"[\u4e00-\u9fa5]", question):  # the documents and their terms are Chinese
            return compose.not_found("请用中文提问，并写明单位、年份和要查的项目"
                                     "（例如“某市某局2026年三公经费是多少？”）").asked(question, {})
        query = parse_query(question, self.entities, context)
        match, item_text = query.match, query.item_text
        if not (match.entity_named or match.years or match.unknown_names or query.follow_up
                or self.content_terms(item_text) or thesaurus.expand(item_text)):
            return compose.not_found("问题没有指明单位、年份或项目", [], self._unit_list()).asked(question, {})
        result = self.calculator.answer(query) if query.operation.kind else None
        if result is None:
            result = self._plain_answer(query)
        return result.asked(question, {
            "question": item_text if query.follow_up else question,
            "entities": sorted({m.entity for m in match.docs}),
            "years": sorted({m.year for m in match.docs}) if len(match.docs) == 1 else match.years,
            "unit": query.unit,
        }, self._contradictions(result))

    def _plain_answer(self, query: Query) -> Answer:
        """Not found / ambiguous / why / a single cited figure."""
        item_text, match, unit = query.item_text, query.match, query.unit
        if match.missing:
            return compose.not_found(match.missing, [], self._unit_list())
        if len(match.docs) > 1:
            answers = [(meta, *self._fitting(query, meta)) for meta in match.docs]
            if not any(fitting for _, fitting, _ in answers):  # no document has it: not a choice between them
                return compose.not_found("；".join(dict.fromkeys(why for _, _, why in answers)))
            per_doc = [(meta, next(iter(fitting), None)) for meta, fitting, _ in answers]
            if not query.asks_why and compose.one_figure(per_doc):  # one figure for the same item
                return compose.answered_by_each(per_doc, unit)
            found = [(meta, fact) for meta, fact in per_doc if fact is not None]
            if len(found) == 1 and len({(m.entity, m.year) for m in match.docs}) == 1 and not query.asks_why:
                meta, fact = found[0]  # one unit's 部门 and 单位 documents: only one has the item
                return compose.answered_where_found(fact, meta, [m for m in match.docs if m is not meta], unit)
            return compose.ambiguous(per_doc, unit)
        meta = match.docs[0]
        if query.asks_why:
            fact = explaining_sentence(item_text, self.facts_of([meta.doc_id]), self.content_terms)
            if fact is None:
                return compose.not_found(f"{meta.label} 中没有说明这一点的文字")
            return compose.explained(fact, meta)
        whole = self._measure_total(query, meta)
        if whole is not None:
            return compose.answered(whole, meta, unit)
        fitting, missing = self._fitting(query, meta)
        if query.asks_change and fitting:
            # a difference, growth or share was asked and nothing computed it: only a figure that
            # states a change answers it; a level figure would be a confident wrong answer
            fitting = [f for f in fitting if _states_a_change(f)]
            missing = f"{meta.label} 中没有直接写出所问的变化或比例，也无法从表中算出"
        if not fitting and query.measures & standard.LAST_YEAR_MEASURES:  # no 上年 column: a stated change gives it
            derived = self.calculator.last_year_level(query, meta)
            if derived is not None:
                return derived
        if not fitting:
            return compose.not_found(missing, [(s.fact, meta) for s in self.rank(item_text, [meta.doc_id], k=3)])
        return compose.answered(fitting[0], meta, unit)

    def _fitting(self, query: Query, meta: DocumentMeta) -> tuple[list[Fact], str]:
        """One document's facts that answer the query, best first: they name the item, hold the
        measure asked and carry the code named; else [] and why, as the answer says it."""
        ranked = self.rank(query.item_text, [meta.doc_id], k=30)  # the column asked for may rank below others
        named = [s.fact for s in ranked if s.label_score >= MIN_LABEL_SCORE]
        if not named:
            return [], f"{meta.label} 中没有与问题对应的数据"
        coded = [f for f in named if _has_code(f, query.codes)]
        if not coded:
            return [], f"{meta.label} 中没有科目 {'、'.join(sorted(query.codes))}"
        fitting = [f for f in coded if _fits_measures(f, query.measures)]
        if query.match.year_before:  # the year before the document's: only its 上年 figures answer
            fitting = [f for f in fitting if _fits_measures(f, query.measures & standard.LAST_YEAR_MEASURES)]
        if not fitting:  # the item is there, but not in the column the question names: say so
            return [], f"{meta.label} 中没有“{'、'.join(sorted(query.measures))}”栏目下与问题对应的数据"
        # "项目支出的决算数": a figure holding every measure named comes first
        every = [f for f in fitting if all(_fits_measures(f, {m}) for m in query.measures)]
        return every + [f for f in fitting if f not in every], ""

    def _measure_total(self, query: Query, meta: DocumentMeta) -> Fact | None:
        """A question that names a measure and nothing else ("人员经费多少") asks for that column's
        total in the standard table that carries it."""
        # the measure's colloquial names ("养人的钱" for 人员经费) name nothing else
        synonyms = "".join(e.text for e in thesaurus.expand(query.item_text) if e.term in query.measures)
        if (len(query.measures) != 1 or query.asks_change
                or [t for t in self.content_terms(query.item_text) if t not in query.measures and t not in synonyms]):
            return None
        named = next(iter(query.measures))
        totals = [f for f in self.facts_of([meta.doc_id]) if f.kind == "cell"
                  and GRAND_TOTAL.search(f.row_label) and f.measure == named]
        order = {kind: i for i, kind in enumerate(standard.TOTAL_SOURCES.get(named, ()))}
        totals = [f for f in totals if f.table_kind in order]
        return min(totals, key=lambda f: order[f.table_kind], default=None)

    def _contradictions(self, result: Answer) -> list[str]:
        """The document's findings about a cited cell or sentence of an answer: said with it."""
        warnings = []
        for cited in result.citations if result.status == "answered" else ():
            for finding in self._findings(cited.fact.doc_id):
                if ((finding["kind"] != "cross-foot" or finding["severity"] == "high")
                        and any(_same_place(cited.fact, e) for e in finding["evidence"])
                        and finding["message"] not in warnings):
                    warnings.append(finding["message"])
        return warnings

    def _findings(self, doc_id: str) -> list[dict]:
        """The document's audit findings, computed at ingest."""
        return self._audit_cache.get(doc_id, lambda: self.store.catalog.findings(doc_id))

    def measure_total(self, text: str, meta: DocumentMeta) -> Fact | None:
        """The column total a text naming only a measure asks for ("人员经费"), else None."""
        return self._measure_total(item_query(text, meta), meta)

    def lookup(self, text: str, meta: DocumentMeta) -> Fact | None:
        """The fact a question for `text` alone would cite in this document (a computation's
        operand): a measure's total ("人员经费"), else the best fact naming the item in the
        measure and code the text names."""
        query = item_query(text, meta)
        best = self._measure_total(query, meta) or next(iter(self._fitting(query, meta)[0]), None)
        if best is None or best.kind == "cell":
            return best
        # a sentence restating a table's figure: cite the table
        return next((s.fact for s in self.rank(text, [meta.doc_id], k=10) if s.label_score >= MIN_LABEL_SCORE
                     and s.fact.kind == "cell" and s.fact.amount == best.amount), best)

    def best_fact(self, question: str, meta: DocumentMeta, minimum: float = MIN_LABEL_SCORE) -> Fact | None:
        """The fact of one document that best names what the text asks for, or None."""
        return next(iter(self.candidate_facts(question, meta, 1, minimum)), None)

    def candidate_facts(self, question: str, meta: DocumentMeta, k: int, minimum: float = MIN_LABEL_SCORE) -> list[Fact]:
        """The facts of one document that name what the question asks for, best first."""
        return [s.fact for s in self.rank(question, [meta.doc_id], k=k) if s.label_score >= minimum]

    def _nearest_documents(self, text: str, most: int = 5) -> list[str]:
        """Documents whose passages are nearest the text (a question naming no document)."""
        found = []
        for passage_id, _ in self.store.vector_search(text, 50):
            doc_id = passage_id.split(":", 1)[0]
            if doc_id in self.metas and doc_id not in found:
                found.append(doc_id)
        return found[:most]

    def _unit_list(self) -> list[str]:
        return [f"{m.entity}{m.year}年{m.level}{m.kind}" for m in
                sorted(self.metas.values(), key=lambda m: (m.entity, m.year or 0))]


def _same_place(cited: Fact, evidence: dict) -> bool:
    if evidence.get("quote"):
        return cited.kind == "narrative" and evidence["quote"][:24] in cited.quote
    return (cited.kind == "cell" and evidence.get("table") == (cited.table or None) and evidence.get("row") == cited.row
            and evidence.get("printed") == cited.printed)


def _states_a_change(fact: Fact) -> bool:
    """A figure that is itself a change or a ratio: a sentence's number, a % cell, an 增减 column."""
    return fact.kind == "narrative" or fact.unit == "%" or fact.measure in ("增减", "增减率")


def _has_code(fact: Fact, codes: set[str]) -> bool:
    """A question naming a classification code (31009) is answered by that code's row or a sentence
    naming it, never by its parent's (310) or a neighbour's."""
    if not codes:
        return True
    return fact.row_code in codes if fact.kind == "cell" else any(code in fact.quote for code in codes)


def _fits_measures(fact: Fact, measures: set[str]) -> bool:
    """A cell answers a question naming measures only from one of those columns; a sentence only
    when it names one of them."""
    if not measures:
        return True
    if fact.kind == "cell":
        return not fact.measure or any(standard.answers_measure(m, fact.measure, fact.table_kind, fact.doc_kind)
                                       for m in measures)
    return any(standard.sentence_names_measure(m, fact.said_before, fact.year) for m in measures)


class _Recent:
    """The values of the most recently used keys (facts, rankers, parsed documents, audits):
    memory stays bounded however many documents the index holds."""

    def __init__(self, size: int):
        self.size = size
        self.values: OrderedDict = OrderedDict()

    def get(self, key, make):
        if key in self.values:
            self.values.move_to_end(key)
            return self.values[key]
        value = self.values[key] = make()
        if len(self.values) > self.size:
            self.values.popitem(last=False)
        return value

