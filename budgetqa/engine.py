"""engine: the one object the CLI, the UI and the eval use — ingest files, answer questions."""
from __future__ import annotations

import os
import re

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable

from budgetqa import answer as compose
from budgetqa import compute
from budgetqa.facts import Fact, document_facts
from budgetqa.model import DocumentMeta, ParsedDocument
from budgetqa.parse import SUPPORTED_SUFFIXES, ParseError, parse_file
from budgetqa.question import EntityIndex, asked_unit, match_documents, strip_entity
from budgetqa.retrieve import FactRanker
from budgetqa.store import FactStore

Progress = Callable[[int, int, str], None]  # (done, total, message)
MIN_LABEL_SCORE = 6.0  # below this the best row does not really name what was asked
WHY = re.compile(r"为什么|为何|什么原因|原因是|主要用于|用于什么|用途|用在哪|用在什么|干什么|做什么")
EXPLAINS = re.compile(r"原因|主要用于|主要是|用于")
FOLLOW_UP_MARKERS = ("那", "那么", "呢")


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


def _parse_one(path: Path) -> tuple[Path, ParsedDocument | None, str]:
    try:
        if not path.exists():
            return path, None, "no such file"
        return path, parse_file(path), ""
    except ParseError as error:
        return path, None, str(error)
    except Exception as error:  # a parser bug must not stop the other files
        return path, None, f"cannot parse ({type(error).__name__}: {error})"


class Engine:
    def __init__(self, index_dir: str | Path = "index", chroma_url: str | None = None):
        self.store = FactStore(index_dir, chroma_url)
        self._loaded = False

    # -- index ------------------------------------------------------------------------------
    def ingest(self, paths: list[str | Path], progress: Progress | None = None) -> dict:
        files, skipped = collect_files(paths)
        report = {"ingested": [], "failed": [], "skipped": skipped}
        total = len(files)
        workers = min(os.cpu_count() or 1, 4, total) or 1
        done = 0
        if progress:
            progress(0, total, "解析文档…")
        with ProcessPoolExecutor(max_workers=workers) if workers > 1 else _Inline() as pool:
            for path, doc, error in pool.map(_parse_one, files):
                done += 1
                if doc is None:
                    report["failed"].append([str(path), error])
                else:
                    doc.meta.source = path.name
                    self.store.replace_document(doc, document_facts(doc))
                    report["ingested"].append({"file": str(path), "doc_id": doc.meta.doc_id,
                                               "label": doc.meta.label, "tables": len(doc.tables),
                                               "warnings": len(doc.warnings)})
                if progress:
                    progress(done, total, path.name)
        self._loaded = False
        return report

    def ensure_index(self, corpus_dirs: list[str | Path], progress: Progress | None = None) -> dict | None:
        if self.store.documents.count() > 0:
            return None
        return self.ingest(corpus_dirs, progress)

    def _load(self) -> None:
        if self._loaded:
            return
        self.docs = self.store.load_documents()
        self.metas: dict[str, DocumentMeta] = {d: doc.meta for d, doc in self.docs.items()}
        self.facts: list[Fact] = self.store.load_facts(set(self.docs))
        self.entities = EntityIndex(list(self.metas.values()))
        self._audit_cache: dict[str, list] = {}
        self.ranker = FactRanker(self.facts, self.store.vector_search, self.entities.known_text)
        self._loaded = True

    def documents(self) -> list[dict]:
        self._load()
        rows = []
        for doc_id, doc in self.docs.items():
            m = doc.meta
            rows.append({"doc_id": doc_id, "source": m.source, "entity": m.entity, "aliases": m.aliases,
                         "year": m.year, "kind": m.kind, "level": m.level, "region": m.region,
                         "pages": m.pages, "lines": m.lines, "tables": len(doc.tables),
                         "warnings": len(doc.warnings)})
        return sorted(rows, key=lambda r: (r["entity"], r["year"] or 0, r["kind"]))

    def parsed(self, doc_id: str) -> ParsedDocument:
        self._load()
        return self.docs[doc_id]

    # -- questions --------------------------------------------------------------------------
    def retrieve(self, question: str, k: int = 10) -> list[dict]:
        self._load()
        match = match_documents(question, self.entities)
        docs = match.docs or list(self.metas.values())
        ranked = self.ranker.rank(question, [m.doc_id for m in docs], k)
        return [compose.citation(s.fact, self.metas[s.fact.doc_id]) | {"score": round(s.score, 3)}
                for s in ranked]

    def ask(self, question: str, context: dict | None = None) -> dict:
        self._load()
        question = question.strip()
        if not question:
            raise ValueError("empty question")
        item_text = question
        if context and _is_follow_up(question):
            item_text = f"{context.get('question', '')} {question}"
        else:
            context = None
        match = match_documents(question, self.entities, context)
        item_text = strip_entity(item_text, match.docs)
        unit = asked_unit(question) or (context or {}).get("unit", "")
        operation = compute.detect(item_text, len(match.docs) > 1) if not match.missing else ""
        result = self._compute(operation, question, item_text, match.docs, unit) if operation else None
        if result is not None:
            pass
        elif match.missing:
            result = compose.not_found(question, match.missing, [], self._unit_list())
        elif len(match.docs) > 1:
            per_doc = [(meta, self._best(item_text, meta)) for meta in match.docs]
            result = compose.ambiguous(question, per_doc, unit)
        elif WHY.search(question):
            meta = match.docs[0]
            fact = self._explaining_sentence(item_text, meta)
            if fact is None:
                result = compose.not_found(question, f"{meta.label} 中没有说明这一点的文字", [], [])
            else:
                result = compose.explained(question, fact, meta)
        else:
            meta = match.docs[0]
            ranked = self.ranker.rank(item_text, [meta.doc_id], k=5)
            if not ranked or ranked[0].label_score < MIN_LABEL_SCORE:
                nearest = [(s.fact, meta) for s in ranked[:3]]
                result = compose.not_found(question, f"{meta.label} 中没有与问题对应的数据", nearest, [])
            else:
                result = compose.answered(question, ranked[0].fact, meta, unit)
        self._warn_contradictions(result)
        result["context"] = {
            "question": item_text if context else question,
            "entities": sorted({m.entity for m in match.docs}),
            "years": sorted({m.year for m in match.docs}) if len(match.docs) == 1 else match.years,
            "unit": unit,
        }
        return result

    def _compute(self, operation: str, question: str, item_text: str, docs: list[DocumentMeta], unit: str):
        """Arithmetic answers; None when an operand is missing (the caller then answers plainly)."""
        q = item_text
        if operation in ("per_person", "share", "item_difference", "column_change") or (operation == "sum" and len(docs) == 1):
            if len(docs) != 1:
                return None
            meta = docs[0]
            if operation == "column_change":
                return self._column_change(question, q, meta, unit)
            if operation == "item_difference":
                match = compute.ITEM_DIFFERENCE.search(q)
                # "基本支出里，工资福利支出比商品和服务支出多多少": the clause right before 比 names the first item
                first = self._best(re.split(r"[，,：:]", match["a"])[-1], meta)
                second = self._best(match["b"], meta)
                if first is None or second is None or first.id == second.id:
                    return None
                value_unit = compute.common_unit([first, second], unit)
                a, b = (compute.Operand(f, meta, compute.in_unit(f, value_unit)) for f in (first, second))
                value = a.value - b.value if match[3] in "多高" else b.value - a.value
                formula = (f"{compute.format_decimal(a.value)} − {compute.format_decimal(b.value)}" if match[3] in "多高"
                           else f"{compute.format_decimal(b.value)} − {compute.format_decimal(a.value)}")
                return compute.result(question, value, value_unit, f"{meta.label}：相差 {compute.format_decimal(value)} {value_unit}。",
                                      f"{formula} = {compute.format_decimal(value)}", [a, b])
            if operation == "per_person":
                item = self._best(compute.STAFF_WORDS.sub("", q.replace("人均", "")), meta)
                staff = compute.staff_fact([f for f in self.facts if f.doc_id == meta.doc_id])
                if staff is None:
                    return compose.not_found(question, f"{meta.label} 未载明在职人数，无法计算人均", [], [])
                if item is None:
                    return None
                value_unit = unit or item.unit
                a = compute.Operand(item, meta, compute.in_unit(item, value_unit))
                b = compute.Operand(staff, meta, staff.value)
                value = a.value / b.value
                return compute.result(question, value, value_unit, f"{meta.label}：人均 = {compute.format_decimal(value.quantize(compute.TWO_PLACES))} {value_unit}。",
                                      f"{compute.format_decimal(a.value)} ÷ {staff.printed} 人", [a, b])
            if operation == "share":
                match = compute.SHARE.search(q)
                part, whole = self._best(match["a"], meta), self._best(match["b"], meta)
                if part is None or whole is None or whole.value == 0 or part.id == whole.id:
                    return None
                shown_unit = compute.common_unit([part, whole], "")
                ops = [compute.Operand(f, meta, compute.in_unit(f, shown_unit)) for f in (part, whole)]
                value = ops[0].value / ops[1].value * 100
                return compute.result(question, value, "%", f"{meta.label}：占比 {compute.format_decimal(value.quantize(compute.TWO_PLACES))}%。",
                                      f"{compute.format_decimal(ops[0].value)} {shown_unit} ÷ {compute.format_decimal(ops[1].value)} {shown_unit} × 100%", ops)
            items = compute.split_items(q)
            facts = [self._best(item, meta) for item in items]
            if not items or any(f is None for f in facts) or len({f.id for f in facts}) < len(facts):
                return None
            value_unit = compute.common_unit(facts, unit)
            ops = [compute.Operand(f, meta, compute.in_unit(f, value_unit)) for f in facts]
            value = sum((op.value for op in ops), compute.Decimal(0))
            return compute.result(question, value, value_unit, f"{meta.label}：合计 {compute.format_decimal(value)} {value_unit}。",
                                  " + ".join(compute.format_decimal(op.value) for op in ops) + f" = {compute.format_decimal(value)}", ops)
        ordered = self._mention_order(question, docs)
        level_text = compute.CHANGE_ASKED.sub("", q)  # each operand is a level, not the change asked for
        found = [(meta, self._best(level_text, meta)) for meta in ordered]
        found = [(meta, fact) for meta, fact in found if fact is not None]
        if len(found) < 2:
            return None
        value_unit = compute.common_unit([f for _, f in found], unit)
        ops = [compute.Operand(f, m, compute.in_unit(f, value_unit)) for m, f in found]
        if operation == "rank":
            pick = min if any(w in q for w in compute.RANK_MIN) else max
            best = pick(ops, key=lambda op: op.value)
            ranking = "；".join(f"{op.meta.entity} {compute.format_decimal(op.value)}" for op in sorted(ops, key=lambda op: -op.value))
            return compute.result(question, best.value, value_unit, f"{best.meta.label} 最{'低' if pick is min else '高'}：{compute.format_decimal(best.value)} {value_unit}。",
                                  f"排序（高→低）：{ranking}", ops)
        if operation == "sum":
            value = sum((op.value for op in ops), compute.Decimal(0))
            return compute.result(question, value, value_unit, f"合计 {compute.format_decimal(value)} {value_unit}。",
                                  " + ".join(compute.format_decimal(op.value) for op in ops) + f" = {compute.format_decimal(value)}", ops)
        a, b = ops[0], ops[1]
        if re.search(r"从.+到", question):  # "从2023年决算到2025年预算": the first named is the base
            a, b = b, a
        if operation == "growth":
            if b.value == 0:
                return None
            value = (a.value - b.value) / b.value * 100
            return compute.result(question, value, "%", f"{a.meta.label} 相比 {b.meta.label}：变化 {compute.format_decimal(value.quantize(compute.TWO_PLACES))}%。",
                                  f"({compute.format_decimal(a.value)} − {compute.format_decimal(b.value)}) ÷ {compute.format_decimal(b.value)} × 100%", [a, b])
        shortfall = bool(re.search(r"比.+?少了?(多少|几)", q))
        if shortfall:  # "A比B少多少": the shortfall B − A
            value = b.value - a.value
            formula = f"{compute.format_decimal(b.value)} − {compute.format_decimal(a.value)} = {compute.format_decimal(value)}"
        else:
            value = a.value - b.value
            formula = f"{compute.format_decimal(a.value)} − {compute.format_decimal(b.value)} = {compute.format_decimal(value)}"
        more = (value >= 0) != shortfall
        return compute.result(question, value, value_unit, f"{a.meta.label} 比 {b.meta.label} {'多' if more else '少'} {compute.format_decimal(abs(value))} {value_unit}。",
                              formula, [a, b])

    def _explaining_sentence(self, question: str, meta: DocumentMeta) -> Fact | None:
        """The sentence of the document that explains what the question asks about (原因 / 主要用于)."""
        q = compute.normalize(WHY.sub("", question))
        words = [w for w in self.ranker.content_terms(q) if w not in ("科目", "钱", "资金", "主要")]
        words += re.findall(r"(?<![0-9])(?!20[0-9]{2}(?![0-9]))[0-9]{3,7}(?![0-9])", q) + [w for w in ("支出", "收入", "增加", "减少", "增长", "下降") if w in q]
        changes = [w for w in ("增加", "减少", "增长", "下降") if w in q]
        best, best_score = None, 1
        for fact in self.facts:
            if fact.doc_id != meta.doc_id or fact.kind != "narrative" or not EXPLAINS.search(fact.quote):
                continue
            quote = compute.normalize(fact.quote)
            if changes and not any(w in quote for w in changes):
                continue  # "为什么减少" is answered by a sentence about a decrease
            score = sum(len(w) for w in set(words) if w in quote)
            if score > best_score:
                best, best_score = fact, score
        if best is not None and changes:  # the figure that answers "为什么增加" is the increase itself
            same = [f for f in self.facts if f.doc_id == best.doc_id and f.quote == best.quote]
            best = next((f for f in same if any(f.item.endswith(w) for w in changes)), best)
        return best

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

    def _column_change(self, question: str, q: str, meta: DocumentMeta, unit: str) -> dict | None:
        """One row, two of its columns: this year's figure against the base the question names."""
        match = compute.COLUMN_CHANGE.search(q)
        item_text = q[:match.start()]
        ranked = [r for r in self.ranker.rank(item_text, [meta.doc_id], k=30) if r.fact.kind == "cell"]
        for scored in ranked:
            if scored.label_score < MIN_LABEL_SCORE:
                break
            fact = scored.fact
            row = {f.column: f for f in self.facts if f.doc_id == fact.doc_id and f.table_id == fact.table_id
                   and f.row_code == fact.row_code and f.row_label == fact.row_label and f.kind == "cell"}
            base = compute.base_column(row, match["base"], meta.year or 0)
            if base is None or base.id == fact.id:
                continue
            if compute.base_column({fact.column: fact}, match["base"], meta.year or 0) is not None:
                continue  # the ranked cell is itself a base-period cell
            if fact.column.split(" / ")[-1] not in ("合计", "小计", "总计", "金额", "预算数", "决算数") and " / " in fact.column:
                continue  # "2024年预算数 / 基本支出" has no 2023 counterpart in the base column
            headers = compute.normalize("".join(row))
            if any(w in headers and w not in compute.normalize(fact.row_label) for w in self.ranker.content_terms(item_text)):
                continue  # the question's item is a column here (基本支出), which the base period lacks
            value_unit = compute.common_unit([fact, base], unit)
            a, b = (compute.Operand(f, meta, compute.in_unit(f, value_unit)) for f in (fact, base))
            if re.search(r"百分之|%|增长率|增幅|变化了?百分", q) or (re.search(r"(增长|下降)了?多少", q) and not unit):
                if b.value == 0:
                    return None
                value = (a.value - b.value) / b.value * 100
                return compute.result(question, value, "%", f"{meta.label}：{fact.row_label} 变化 {compute.format_decimal(value.quantize(compute.TWO_PLACES))}%。",
                                      f"({compute.format_decimal(a.value)} − {compute.format_decimal(b.value)}) ÷ {compute.format_decimal(b.value)} × 100%", [a, b])
            shortfall = bool(re.search(r"(少|减少|下降|低)了?(多少|几)", q))
            value = b.value - a.value if shortfall else a.value - b.value
            formula = (f"{compute.format_decimal(b.value)} − {compute.format_decimal(a.value)}" if shortfall
                       else f"{compute.format_decimal(a.value)} − {compute.format_decimal(b.value)}")
            return compute.result(question, value, value_unit, f"{meta.label}：{fact.row_label} 相差 {compute.format_decimal(value)} {value_unit}。",
                                  f"{formula} = {compute.format_decimal(value)}", [a, b])
        return None

    def _mention_order(self, question: str, docs: list[DocumentMeta]) -> list[DocumentMeta]:
        """Documents in the order the question mentions them (by year, else by unit name)."""
        q = compute.normalize(question)

        def position(meta: DocumentMeta) -> int:
            spots = [q.find(str(meta.year)), q.find(f"{str(meta.year)[2:]}年")] if len({d.year for d in docs}) > 1 else []
            if len({d.entity for d in docs}) > 1:
                grams = self.entities.grams_by_entity.get(meta.entity, set())
                unique = [g for g in grams if self.entities.idf[g] == self.entities.max_idf] or list(grams)
                spots += [q.find(g) for g in unique]
            spots = [s for s in spots if s >= 0]
            return min(spots) if spots else len(q)

        return sorted(docs, key=position)

    def _best(self, question: str, meta: DocumentMeta) -> Fact | None:
        ranked = self.ranker.rank(question, [meta.doc_id], k=1)
        return ranked[0].fact if ranked and ranked[0].label_score >= MIN_LABEL_SCORE else None

    def _unit_list(self) -> list[str]:
        return [f"{m.entity}{m.year}年{m.level}{m.kind}" for m in
                sorted(self.metas.values(), key=lambda m: (m.entity, m.year or 0))]


def _same_place(cited: dict, evidence: dict) -> bool:
    if evidence.get("quote"):
        return cited["kind"] == "narrative" and evidence["quote"][:24] in cited["quote"]
    return (cited["kind"] == "cell" and evidence.get("table") == cited["table"] and evidence.get("row") == cited["row"]
            and evidence.get("printed") == cited["printed"])


def _is_follow_up(question: str) -> bool:
    return question.startswith(FOLLOW_UP_MARKERS[:2]) or question.rstrip("？?。 ").endswith("呢")


class _Inline:
    """Stands in for a process pool when one worker is enough."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    @staticmethod
    def map(function, items):
        return map(function, items)



