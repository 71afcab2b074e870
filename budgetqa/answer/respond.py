"""respond: the answer to a parsed question — the arithmetic it asks for (calculator.py), else the
figure the documents print, the sentence that explains it, or why nothing fits; said with the
document's own contradictions about what it cites."""
from __future__ import annotations

from dataclasses import replace

from budgetqa.answer import compose
from budgetqa.answer.calculator import Calculator
from budgetqa.answer.compose import Answer
from budgetqa.answer.compute import STATED_CHANGE
from budgetqa.answer.explain import change_said_before, explaining_sentence, rate_said_before
from budgetqa.answer.finder import Finder
from budgetqa.model import standard
from budgetqa.model.document import MONEY_UNITS, DocumentMeta, to_yuan
from budgetqa.model.facts import Fact
from budgetqa.model.text import normalize
from budgetqa.query import thesaurus
from budgetqa.query.question import Query


class Responder:
    """Answers parsed questions from the facts its finder finds (one per loaded index)."""

    def __init__(self, finder: Finder):
        self.finder = finder
        self.calculator = Calculator(finder)

    def respond(self, query: Query) -> Answer:
        """The answer as Engine.ask returns it: with the context a follow-up needs and the warnings."""
        if query.unreadable:
            return compose.not_found(query.unreadable, [], unit_list(self.finder.metas)).asked(query.text, {})
        if query.undisclosed:
            return compose.not_found(query.undisclosed, [], unit_list(self.finder.metas)).asked(query.text, {})
        if not _names_something(query):
            return compose.not_found("问题没有指明单位、年份或项目", [], unit_list(self.finder.metas)).asked(query.text, {})
        if query.operation.kind and query.match.dropped:  # a comparison of units one of which has no such document
            wanted = "、".join(f"{y}年" for y in query.match.years) + (query.match.kind or "")
            return compose.not_found(f"没有{'、'.join(query.match.dropped)}的{wanted}文档").asked(query.text, {})
        if query.match.unsure:  # "甲的…比乙镇多多少": which 甲 unit is not for us to guess
            return compose.ambiguous_names(query.match.unsure, normalize(query.text)).asked(query.text, {})
        result = self.calculator.answer(query) if query.operation.kind else None
        if result is None:
            result = self._plain_answer(query)
            result = self._not_a_sum(query, result) or result
            if _repeats_the_question(result, query):
                result = compose.not_found("文件只印了问题中给出的这个数额本身，没有再细分出所问的部分", [],
                                           unit_list(self.finder.metas))
        elif query.decimals is not None:
            result = compose.rounded(compose.in_unit_asked(result, query.unit), query.decimals)
        result = compose.in_unit_asked(result, query.unit)
        return result.asked(query.text, query.follow_up_context(), self._contradictions(result))

    def _not_a_sum(self, query: Query, result: Answer) -> Answer | None:
        """"甲、乙一共多少" with 乙 printed nowhere: the plain answer is 甲's own figure, no sum — say what is
        missing instead. None when the plain answer is not one named item's figure alone."""
        docs = query.match.docs
        if (query.operation.kind != "sum" or len(query.operands) < 2 or len(docs) != 1
                or result.status != "answered" or len(result.citations) != 1):
            return None
        cited = result.citations[0].fact
        found = {operand.item_text: self.finder.lookup(operand, docs[0]) for operand in query.operands}
        missing = [operand for operand in query.operands if found[operand.item_text] is None]
        # (an item the documents print by a name of its own — 印刷费 — not words read as a list: "来办事、来考察的客人")
        if not missing or not all(any(e.kind in ("item", "code") for e in operand.ask.expansions) for operand in missing) \
                or not any(fact is not None and fact.id == cited.id for fact in found.values()):
            return None
        names = "、".join(operand.item_text for operand in missing)
        return compose.not_found(f"{docs[0].label} 中没有“{names}”，无法求和（只找到其中一项）",
                                 [(cited, docs[0])])

    def _plain_answer(self, query: Query) -> Answer:
        """Not found / ambiguous / why / a single cited figure."""
        match, unit = query.match, query.unit
        if match.missing:
            return compose.not_found(match.missing, [], unit_list(self.finder.metas))
        if len(match.docs) > 1:
            return self._said_in_each(query) or self._said_in_words(query, self._several_documents(query))
        meta = match.docs[0]
        if query.asks_why:
            fact = self._explaining(query, meta)
            if fact is not None:
                return self._explained(query, meta, fact)
            unexplained = f"{meta.label} 中没有说明这一点的文字"
            if query.asks_change and query.reason.how_much:  # "比上年多出来多少？为什么？": the change stated, no reason
                change = self._one_document(query, meta)
                if change.status == "answered":
                    return replace(change, text=f"{change.text}\n（{unexplained}。）")
            if query.figure is not None:  # "实际花了多少？为什么比预算多？": the figure asked, the reason not written
                figure = self._one_document(query.figure, meta)
                if figure.status == "answered":
                    return replace(figure, text=f"{figure.text}\n（{unexplained}。）")
            return compose.not_found(unexplained)
        said = self.finder.describing_sentence(query, meta) if query.asks_text else None
        if said is not None:
            return compose.explained(said, meta, self.finder.target_stated_exactly(said, meta))
        whole = self.finder.measure_total(query, meta)
        return self._said_in_words(query, compose.answered(whole, meta, unit) if whole is not None
                                   else self._one_document(query, meta))

    def _said_in_words(self, query: Query, result: Answer) -> Answer:
        """A question asking what is written ("…的绩效指标和目标值是什么") that only an amount of
        money would answer: not found, the amounts shown as the nearest data."""
        if not query.asks_text or result.status != "answered" or any(_says_in_words(c.fact) for c in result.citations):
            return result
        return compose.not_found("文件中没有用文字写出所问的内容",
                                 [(c.fact, self.finder.metas[c.fact.doc_id]) for c in result.citations])

    def _explaining(self, query: Query, meta: DocumentMeta) -> Fact | None:
        """The sentence of one document giving the reason (or use) asked: one with a figure, or one
        without that gives the reason of its paragraph's item."""
        return (explaining_sentence(query.reason, self.finder.facts_of([meta.doc_id]), query.names)
                or explaining_sentence(query.reason, self.finder.sentences(meta), query.names))

    def _explained(self, query: Query, meta: DocumentMeta, fact: Fact) -> Answer:
        """The sentence quoted; a reason without a figure with the change it explains."""
        facts = self.finder.facts_of([meta.doc_id])
        # (a level asked before the why is the figure given: "2025年实际执行了多少？26年为什么加这么多")
        figure = self.finder.lookup(query.figure, meta) if query.figure is not None else None
        figure = figure if figure is not None and figure.unit in MONEY_UNITS else None  # (never a count beside it)
        return compose.explained(fact, meta, figure
                                 or change_said_before(fact, facts, query.reason)
                                 or rate_said_before(fact, facts, self.finder.sentences(meta), query.reason))

    def _said_in_each(self, query: Query) -> Answer | None:
        """A reason or description asked of one unit and year whose 部门 and 单位 documents both fit: the
        sentence, when one of them says it or both say the same; None otherwise."""
        docs = query.match.docs
        if not (query.asks_why or query.asks_text) or len({(m.entity, m.year) for m in docs}) != 1:
            return None
        said = [(meta, self._explaining(query, meta) if query.asks_why else self.finder.describing_sentence(query, meta))
                for meta in docs]
        said = [(meta, fact) for meta, fact in said if fact is not None]
        if not said or len({normalize(fact.quote) for _, fact in said}) > 1:
            return None
        meta, fact = said[0]
        return self._explained(query, meta, fact)

    def _several_documents(self, query: Query) -> Answer:
        """Each fitting document's figure: one answer when they agree, else ambiguous."""
        match, unit = query.match, query.unit
        answers = [(meta, *self.finder.fitting(query, meta)) for meta in match.docs]
        if not any(fitting for _, fitting, _ in answers):  # no document has it: not a choice between them
            return compose.not_found("；".join(dict.fromkeys(why for _, _, why in answers)))
        lacking = [why for _, fitting, why in answers if not fitting]
        if query.operation.kind and match.entity_named and lacking:  # units compared: each must have the item
            return compose.not_found("；".join(dict.fromkeys(lacking)))
        per_doc = [(meta, next(iter(fitting), None)) for meta, fitting, _ in answers]
        if not query.asks_why and compose.one_figure(per_doc):  # one figure for the same item
            return compose.answered_by_each(per_doc, unit)
        found = [(meta, fact) for meta, fact in per_doc if fact is not None]
        if len(found) == 1 and not match.entity_named and query.codes and not query.asks_why:
            meta, fact = found[0]  # "2130305 决算数": no unit named, and one document prints the code
            return compose.answered_only_here(fact, meta, len(match.docs), unit)
        if len(found) == 1 and len({(m.entity, m.year) for m in match.docs}) == 1 and not query.asks_why:
            meta, fact = found[0]  # one unit's 部门 and 单位 documents: only one has the item
            return compose.answered_where_found(fact, meta, [m for m in match.docs if m is not meta], unit)
        return compose.ambiguous(per_doc, unit)

    def _one_document(self, query: Query, meta: DocumentMeta) -> Answer:
        """The figure of one document that answers the query, or why there is none."""
        fitting, missing = self.finder.fitting(query, meta)
        if query.asks_change and fitting:
            # a difference, growth or share was asked and nothing computed it: only a figure that
            # states a change (a percentage, when one was asked) answers it; a level figure would be
            # a confident wrong answer
            fitting = [f for f in fitting if _states_a_change(f) and (f.unit == "%" or not query.ask.percent)]
            missing = f"{meta.label} 中没有直接写出所问的变化或比例，也无法从表中算出"
        if fitting and query.ask.rate_named and not query.asks_change:  # "床位使用率": a count or an amount is no rate
            fitting = [f for f in fitting if f.unit == "%"]
            missing = f"{meta.label} 中没有写出所问的比率"
        if not fitting and query.asks_change:  # "…与上年持平"
            unchanged = self.calculator.stated_unchanged(query, meta)
            if unchanged is not None:
                return unchanged
        if not fitting and query.measures & standard.LAST_YEAR_MEASURES:  # no 上年 column: a stated change gives it
            derived = self.calculator.last_year_level(query, meta)
            if derived is not None:
                return derived
        if not fitting and query.measures and not query.asks_change:
            empty = self.finder.blank_cell(query, meta)
            if empty is not None:
                return compose.blank(empty, meta)
        none = self.finder.stated_none(query, meta) if not fitting else None
        if none is not None:
            return compose.stated_none(none, meta, query.unit or self.finder.money_unit(meta))
        if not fitting:
            nearest = self.finder.rank(query.ask, [meta.doc_id], k=3)
            return compose.not_found(missing, [(s.fact, meta) for s in nearest])
        rivals = self.finder.rival_projects(query, meta, fitting)
        if rivals:
            return compose.ambiguous_projects(rivals, meta, query.unit)
        views = self.finder.classification_views(query, meta, fitting)
        if views:
            return compose.ambiguous_rows(views, meta, query.unit, "两种分类口径下的金额不同")
        topics = self.finder.topic_views(query, meta, fitting)
        if len(topics) > 1:  # the 三公 line, its economic row said beside it
            return compose.answered_beside(*topics, meta, query.unit, "经济分类口径")
        fitting = topics or fitting  # (one: the economic row, named as printed)
        totals = self.finder.total_views(query, meta, fitting)
        if totals:
            return compose.ambiguous_rows(totals, meta, query.unit, "分别是本年收入合计和含上年结转结余的收入总计")
        budgets = self.finder.budget_views(query, meta, fitting)
        if budgets:
            return compose.ambiguous_rows(budgets, meta, query.unit, "分别是年初预算和全年预算（调整后）的数")
        ends = self.finder.either_end(query, meta, fitting)
        if len(ends) > 1:
            return compose.ambiguous_rows(ends, meta, query.unit, "分别是年初和年末的数")
        if ends:
            fitting = ends  # the end of the year the question names
        alike = self.finder.alike_rows(query, meta, fitting)
        if len(alike) > 1:
            return compose.ambiguous_rows(alike, meta, query.unit)
        return compose.answered(next(iter(alike), fitting[0]), meta, query.unit)

    def _contradictions(self, result: Answer) -> list[str]:
        """The document's findings about a cited cell or sentence of an answer: said with it."""
        warnings = []
        for cited in result.citations if result.status == "answered" else ():
            for finding in self.finder.findings(cited.fact.doc_id):
                if ((finding["kind"] != "cross-foot" or finding["severity"] == "high")
                        and any(_same_place(cited.fact, e) for e in finding["evidence"])
                        and finding["message"] not in warnings):
                    warnings.append(finding["message"])
        return warnings


def _says_in_words(fact: Fact) -> bool:
    """A figure that can answer a question asking what is written: an indicator's value, a count, a
    percentage — not an amount of money."""
    return fact.unit not in MONEY_UNITS or bool(standard.SCORE_COLUMN.search(fact.column or ""))


def unit_list(metas: dict[str, DocumentMeta]) -> list[str]:
    """The indexed documents, as a not-found answer suggests them."""
    return [f"{m.entity}{m.year}年{m.level}{m.kind}" for m in
            sorted(metas.values(), key=lambda m: (m.entity, m.year or 0))]


def _repeats_the_question(result: Answer, query: Query) -> bool:
    """The figure found is the one the question states as the whole it asks a part of ("那3000万元里，
    …分到多少"): the document prints no such part."""
    if result.status != "answered" or result.value is None or result.unit not in MONEY_UNITS:
        return False
    return to_yuan(result.value, result.unit) in query.stated


def _names_something(query: Query) -> bool:
    """The question names a unit, a year or an item (or follows up on one that did)."""
    match = query.match
    return bool(match.entity_named or match.years or match.unknown_names or query.follow_up
                or query.ask.content or thesaurus.expand(query.item_text))


def _states_a_change(fact: Fact) -> bool:
    """A figure that is itself a change or a ratio: a % figure, an 增减 column, a sentence's number
    its words call a change ("比上年增加40.47万元"), not a level ("公务接待费28.50万元，与2024年预算持平")."""
    return (fact.unit == "%" or fact.measure in ("增减", "增减率")
            or fact.kind == "narrative" and bool(STATED_CHANGE.search(fact.item)))


def _same_place(cited: Fact, evidence: dict) -> bool:
    if evidence.get("quote"):
        return cited.kind == "narrative" and evidence["quote"][:24] in cited.quote
    return (cited.kind == "cell" and evidence.get("table") == (cited.table or None) and evidence.get("row") == cited.row
            and evidence.get("printed") == cited.printed)
