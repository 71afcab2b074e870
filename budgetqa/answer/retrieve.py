"""retrieve: rank the facts of the matched documents for a question.

Hybrid scoring, all signals on every candidate fact:
- structure: how well the row label / classification code, the column header path and the
  table title match the question, directly or through the budget-terms thesaurus;
- lexical: BM25 over jieba tokens of each fact's sentence (bm25s);
- dense: cosine similarity of offline n-gram vectors of the passages (the vectors the store keeps
  in Chroma), searched exactly within the ranked documents.
Structure dominates (it is what tells 基本支出 from 项目支出); BM25 and vectors break ties
and carry narrative sentences, whose wording is free.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from budgetqa.answer.weights import WEIGHTS, RankingWeights
from budgetqa.model import standard
from budgetqa.model.document import MONEY_UNITS
from budgetqa.model.facts import Fact
from budgetqa.model.text import bigrams, in_order, normalize, without_names
from budgetqa.query import lexicon, thesaurus
from budgetqa.query.asking import Ask
from budgetqa.store.embedding import ngram_matrix, ngram_vector

_NUMBERING = re.compile(r"^(其中[:：]?|[一二三四五六七八九十]+、|[0-9]+[、.．]|\(?[0-9一二三四五六七八九十]+\)|[（(][0-9一二三四五六七八九十]+[）)])+")
MIN_LABEL_SCORE = WEIGHTS.min_label_score  # below this the best row does not really name what was asked
FIRM_LABEL_SCORE = WEIGHTS.firm_label_score  # a row named through its label, code or a thesaurus term
_KIND_COLUMNS = {"预算数", "决算数", "预算", "决算", "执行数"}
_SUBTOTALS = ("小计", "合计", "总计")
_ITEM_LEVEL = re.compile(r"([^()（）、,，。]+)[(（](?:[0-9]*)项[)）]")  # "…（款）事业单位医疗（项）" -> 事业单位医疗
_CHANGE_ITEM = re.compile(r"(增加|减少|增长|下降|增减|持平)$")
_OPPOSITE = {"down": re.compile(r"(增加|增长)$"), "up": re.compile(r"(减少|下降)$")}  # a change stated the other way
_TOTAL_LABELS = ("合计", "总计", "收入合计", "支出合计", "收入总计", "支出总计", "本年收入合计", "本年支出合计")
ITEM_KINDS = ("item", "code", "count")  # thesaurus expansions that name what is counted, not a total
_ANY_COUNT = ("人数", "车辆数")  # count terms that name no kind of staff or car: any count of people (cars) fits


def tokens(text: str) -> list[str]:
    return [t for t in lexicon.tokenizer().lcut_for_search(normalize(text)) if t.strip() and not re.fullmatch(r"\W+", t)]


def passage_tokens(fact: Fact) -> list[str]:
    """What BM25 indexes of a fact's passage: its table and row, or the sentence of a stated number
    (the same for every fact of the passage)."""
    return tokens(f"{fact.table} {fact.row_label} {fact.quote if fact.kind == 'narrative' else ''}")


def fact_tokens(fact: Fact, passage: list[str] | None = None) -> list[str]:
    """What BM25 indexes of a fact: its passage's tokens (given, or computed) and its column's."""
    return (passage_tokens(fact) if passage is None else passage) + list(_column_tokens(fact.column))


@lru_cache(maxsize=4096)
def _column_tokens(column: str) -> tuple[str, ...]:
    return tuple(tokens(column))


_YEARS = re.compile(r"[0-9]+年?度?")
# words of any row's name ("其他…支出"): a label said only in them is not named
_GENERIC_PIECES = {"其他", "支出", "收入", "合计", "经费", "费用", "预算", "资金", "项目", "补助", "管理"}


def _row_spans(q: str, labels: set[str]) -> list[tuple[int, int, bool]]:
    """Where the question names a row label as printed (four characters or more), or a national
    classification item (邮电费, which no row need print): (start, end, whether its start may be a
    shorter printing of that item — "…养老保险缴费" printed for "…养老保险缴费支出")."""
    printed = [(at, at + len(label), False) for label in labels if len(label) >= 4 and label in q
               for at in _places(label, q)]
    national = [(at, at + len(name), True) for name in thesaurus.classification_names() if len(name) >= 3 and name in q
                for at in _places(name, q)]
    return printed + national


def _child_named_with_parent(scored: list, q: str) -> list:
    """"水体污染防治": a classification's child said beside its parent (2110302 水体 under 21103 污染防治) is
    the row asked, though the parent's whole name scores higher."""
    top = scored[0].fact if scored else None
    if top is None or top.kind != "cell" or not top.row_code:
        return scored
    parent = clean_label(top.row_label)
    for at, candidate in enumerate(scored[1:], start=1):
        fact = candidate.fact
        child = clean_label(fact.row_label)
        if (fact.kind == "cell" and fact.table_id == top.table_id and fact.column == top.column
                and fact.row_code.startswith(top.row_code) and fact.row_code != top.row_code and len(child) >= 2
                and re.search(f"{re.escape(child)}.{{0,2}}{re.escape(parent)}|{re.escape(parent)}.{{0,3}}{re.escape(child)}", q)):
            return [candidate] + scored[:at] + scored[at + 1:]
    return scored


def _within(start: int, end: int, spans: list[tuple[int, int, bool]]) -> bool:
    """Whether q[start:end] is part of a longer item the question names: "其他城乡社区支出" and
    "城乡社区环境卫生" ask for those rows, not for 城乡社区支出; "邮电费" not for 电费."""
    return any(s <= start and end <= e and end - start < e - s and not (prefix and s == start)
               for s, e, prefix in spans)


def _names_rows(expansion) -> bool:
    """A term whose printed names are rows of their own (年末结转和结余 of 结转结余), not the
    document's totals nor a fund's column."""
    return bool(expansion.labels) and not set(expansion.labels) & set(_TOTAL_LABELS) and not all(
        any(word in label for word in standard.FUND_WORDS) for label in expansion.labels)


def _named(text: str, q: str, spans: list[tuple[int, int, bool]]) -> bool:
    """The question names `text` on its own, not only inside a longer row label it names."""
    return any(not _within(at, at + len(text), spans) for at in _places(text, q))


def _sum_word_of_another_item(fact: Fact, label: str, ask: Ask, expansions, wants_total: bool) -> bool:
    """"办公费合计是多少": 合计 there asks for 办公费's total, so a table's 合计 row is not named by the word
    in a table not of an item the question names (a measure named, 人员经费, is a column: any table's)."""
    if wants_total or label not in _TOTAL_LABELS:
        return False
    title = re.sub(r"[“”\"]", "", normalize(fact.table))
    return any(e.kind in ITEM_KINDS and not _names_column(e.term, ask)
               and not any(name in title for name in (e.term, e.text, *e.labels)) for e in expansions)


def _another_item(word: str, label: str) -> bool:
    """The word and the label are two items of one class of the national classification (电费 30206,
    邮电费 30207) — not a row of the other classification joining several (50101 工资奖金津补贴 holds 奖金)."""
    mine, theirs = thesaurus.code_for_name(word), thesaurus.code_for_name(clean_label(label))
    return not set(mine) & set(theirs) and any(a[:3] == b[:3] for a in mine for b in theirs)


def in_table_named(facts: list[Fact], named: str) -> list[Fact]:
    """The cells in the table the question names: the titles that have most of its words' characters in
    their order (收支总表 in 财务收支预算总表; "财政拨款支出预算表" is 财政拨款支出表 more than 国有资本经营预算支出预算表);
    else the longest end of its words ("在经济分类" -> 经济分类) whose characters a title has in order; all the
    facts when none has."""
    named = re.split(r"的|中|里", named)[-1]  # "单位预算的支出预算": the table's own words
    shared = {title: _common_in_order(named, normalize(title)) for title in {f.table for f in facts if f.kind == "cell"}}
    most = max(shared.values(), default=0)
    if most < max(3, 0.6 * len(named)):  # no title says most of them: the longest end of the words one has
        return next((inside for start in range(len(named) - 1) if (inside := [
            f for f in facts if f.kind == "cell" and in_order(named[start:], normalize(f.table))])), facts)
    return [f for f in facts if f.kind == "cell" and shared[f.table] == most]


def _common_in_order(a: str, b: str) -> int:
    """How many characters of `a` stand in `b` in their order (the longest common subsequence)."""
    row = [0] * (len(b) + 1)
    for ch in a:
        diagonal = 0
        for j, other in enumerate(b, 1):
            diagonal, row[j] = row[j], diagonal + 1 if ch == other else max(row[j], row[j - 1])
    return row[-1]


def _said_in_pieces(label: str, q: str, spans: list[tuple[int, int, bool]]) -> int:
    """How many characters of a row label the question says in two or more pieces, each its longest
    run said on its own ("给伤残军人发抚恤金" says 伤残 and 抚恤 of 伤残抚恤); 0 when the pieces are fewer
    than two or under two thirds of the label, or its last word is not said, bar a word of any row's
    name (a project's name said, its row 其他资金 not; 文化和旅游市场管理 for "管文化旅游市场")."""
    label = _YEARS.sub("", label)  # "2026年度…": the year the question also names says no item
    pieces, start = [], 0
    while start < len(label) - 1:
        end = next((e for e in range(len(label), start + 1, -1) if _named(label[start:e], q, spans)), start)
        if end > start:
            pieces.append(label[start:end])
        start = max(end, start + 1)
    if not pieces or label[label.rfind(pieces[-1]) + len(pieces[-1]):] not in ("", *_GENERIC_PIECES):
        return 0
    named = [p for p in pieces if p not in _GENERIC_PIECES]
    if any(_one_word(a, b, q) and _gap(label, a, b) not in _FILLERS for a, b in zip(pieces, pieces[1:])):
        return 0  # "社区公共服务中心" says 公共服务 as one word: 公共法律服务 is not said in pieces
    if any(len(gap) >= 2 and gap not in _FILLERS and not _said_in_order((a, b), q)
           for a, b, gap in ((a, b, _gap(label, a, b)) for a, b in zip(pieces, pieces[1:]))):
        return 0  # "…服务中心…计划用款" says 服务 and then 计划, never 生育 between: not 计划生育服务 (交通…综合执法 is)
    said = sum(map(len, named))
    return said if len(named) > 1 and 3 * said >= 2 * len(label) else 0




# words a question may leave out between two pieces of a label ("上年结转资金" for 上年结转结余资金)
_FILLERS = _GENERIC_PIECES | {"", "结余", "和", "及", "与", "等", "的"}


def _said_in_order(pieces: tuple[str, ...], q: str) -> bool:
    at = 0
    for piece in pieces:
        at = q.find(piece, at)
        if at < 0:
            return False
        at += len(piece)
    return True


def _one_word(a: str, b: str, q: str) -> bool:
    """Whether the question says two pieces together as one word ("公共服务"), not as two words that
    happen to meet ("交通|综合执法")."""
    return a + b in q and lexicon.is_word(a + b)


def _gap(label: str, a: str, b: str) -> str:
    """What a label prints between two of its pieces."""
    start = label.find(a) + len(a)
    end = label.find(b, start)
    return label[start:end] if end >= start else ""


def _places(text: str, q: str) -> list[int]:
    """Where text stands in q (plain search: a label is no pattern)."""
    found, at = [], q.find(text)
    while text and at >= 0:
        found.append(at)
        at = q.find(text, at + 1)
    return found


# a number of four digits or more that is no year names what carries it ("96196电梯应急处置服务平台")
_NAMING_NUMBER = re.compile(r"(?!(?:19|20)[0-9]{2}$)[0-9]{4,}")


def clean_label(label: str) -> str:
    return _NUMBERING.sub("", normalize(label))


# "…财政局2024年度政府采购金额（以合同签订为准）" names 政府采购金额: the document's own year before it and a
# bracketed aside after it (3 characters or more: "出国（境）" keeps its bracket) name no item
_ASIDE_AFTER = re.compile(r"\([^()]{3,}\)$")


def _sentence_label(fact: Fact, own_names: list[str]) -> str:
    label = without_names(clean_label(fact.item), own_names)
    return _ASIDE_AFTER.sub("", label) or label


def _without_own_year(fact: Fact, label: str) -> str:
    """"2024年度政府采购金额" -> "政府采购金额" (scored both ways: "2025年一般公共预算" may be said whole)."""
    return re.sub(rf"^{fact.year}年度?", "", label) if fact.year and fact.kind == "narrative" else label


@dataclass
class Scored:
    fact: Fact
    score: float
    label_score: float
    detail: str = ""


class FactRanker:
    def __init__(self, facts: list[Fact], passages: dict[str, str] | None = None,
                 tokenized: list[list[str]] | None = None, own_names: dict[str, tuple[str, ...]] | None = None):
        self.facts = facts
        self.purposes = _stated_purposes(facts)
        # a period row ("2026年预算数") names no item: its table's items are its columns
        labelled = {(f.doc_id, f.table_id) for f in facts if f.kind == "cell" and f.row_label
                    and not standard.is_period_row(f.row_label)}
        # (a 三公 table of zeros still names its items; another table of zeros and no row names nothing)
        self.column_item_tables = {(f.doc_id, f.table_id) for f in facts
                                   if f.kind == "cell" and (f.value or f.table_kind == "三公经费表")} - labelled
        self.passages = passages or {}  # passage id -> the text embedded for it (budgetqa.store.fact_store)
        self._vectors = None
        self.by_doc: dict[str, list[int]] = {}
        for i, fact in enumerate(facts):
            self.by_doc.setdefault(fact.doc_id, []).append(i)
        # a sentence's item without the unit's own names ("…办事处收入预算" -> "收入预算"; `own_names`: each
        # document's unit as its documents write it, the entity's other names too)
        names = {doc_id: sorted({normalize(n) for n in names if n}, key=len, reverse=True)
                 for doc_id, names in (own_names or {}).items()}
        self.own_names = names
        labels = [_sentence_label(f, names.get(f.doc_id) or [normalize(f.entity)]) if f.kind == "narrative"
                  else "" if standard.is_period_row(f.row_label)
                  else clean_label(f"{f.item}项目{f.row_label}" if f.item else f.row_label)  # a project's cells
                  for f in facts]
        self.labels = labels
        self.label_grams = [bigrams(l) for l in labels]
        # a sentence's label without its document's year, where it opens with it (scored both ways)
        self.yearless = {i: yearless for i, f in enumerate(facts)
                         if (yearless := _without_own_year(f, labels[i])) != labels[i]}
        df = Counter(g for grams in {frozenset(g) for g in self.label_grams} for g in grams)
        n = max(len(set(labels)), 1)
        self.idf = {g: math.log(1 + n / c) for g, c in df.items()}
        self.bm25 = bm25s.BM25()
        if facts:
            corpus = tokenized if tokenized is not None else [fact_tokens(f) for f in facts]
            self.bm25.index(_to_bm25(corpus), show_progress=False)

    # ---------------------------------------------------------------------------------------
    def rank(self, ask: Ask, doc_ids: list[str], k: int = 10,
             weights: RankingWeights = WEIGHTS) -> list[Scored]:
        """The k facts of these documents that best answer what `ask` asks for (budgetqa.query.asking.ask_of);
        `weights` are the ranking weights (budgetqa/data/ranking_weights.toml unless a fit tries others)."""
        w, q = weights, ask.text
        candidates = [i for d in doc_ids for i in self.by_doc.get(d, [])]
        if ask.count:  # "几辆/多少人": only counts can answer (a 接待人次（人） column counts 人次)
            candidates = [i for i in candidates if self.facts[i].unit == ask.count or (
                self.facts[i].kind == "cell" and _counts_in_column(ask.count, self.facts[i]))]
        elif ask.money:  # "涉及多少项目预算资金": an amount, never the count beside it
            candidates = [i for i in candidates if self.facts[i].unit in MONEY_UNITS or self.facts[i].unit == "%"]
        else:  # a figure without a unit (a score, an unlabeled form cell) answers nothing
            candidates = [i for i in candidates if self.facts[i].unit]
        if not ask.change:  # "比上年增加2名" is a change, never the level asked for
            candidates = [i for i in candidates if not (self.facts[i].kind == "narrative"
                                                        and _CHANGE_ITEM.search(self.facts[i].item))]
        # a topic is named by the question's words or by the terms they stand for ("养车": 公务用车运行费)
        topic_text = q + "".join(e.term for e in ask.expansions)
        candidates = [i for i in candidates if self.facts[i].kind != "cell"
                      or not standard.off_topic(self.facts[i].table, topic_text)]
        if ask.kind == "决算" and not ask.planned:  # a 决算 question is never answered from a 预算 figure
            # (unless it asks for one: "决算表里公务接待费的预算数")
            candidates = [i for i in candidates if not _budget_figure(self.facts[i])]
        if not candidates:
            return []
        # "三公经费中公务接待费": only the 三公 table (or a sentence) answers, never the 基本支出表's 公务接待费
        # (a count of 公务用车 is no 三公 figure: its vehicles are counted in the 国有资产占用表)
        topics = standard.named_topics(q, by_key=True) if not ask.count else ()
        candidates = [i for i in candidates if self.facts[i].kind != "cell"
                      or not standard.outside_topic(self.facts[i].table, topics)]
        named = standard.classification_named(q)
        if named:  # "按经济分类，住房公积金…": the row of that classification, not its namesake of the other
            candidates = [i for i in candidates if self.facts[i].kind != "cell" or not standard.of_other_classification(
                self.facts[i].row_code, self.facts[i].table_kind, named)]
        # money going out is never answered by money coming in (a fund's line of the summary may: a fund
        # without spending lines of its own prints its 0 as income)
        # (and a breakdown asked, "基本支出中公用经费", is never an income line, whatever fund is named)
        if not ask.income and ((ask.spending and not ask.fund) or ask.measures & standard.BREAKDOWN_MEASURES):
            candidates = [i for i in candidates if self.facts[i].kind != "cell" or not _is_income(self.facts[i])]
        if ask.income and not ask.spending:  # nor money coming in by money going out (a summary's 支出 side)
            candidates = [i for i in candidates if self.facts[i].kind != "cell" or not _is_spending(self.facts[i])]
        if ask.spending and not ask.income:  # nor by a sentence's income ("…一般公共预算拨款收入2418.73万元")
            candidates = [i for i in candidates if self.facts[i].kind == "cell" or not self.facts[i].item.endswith("收入")]
        if ask.period:  # "第一季度安排了多少": a figure of the whole year does not answer
            candidates = [i for i in candidates if ask.period in normalize(self.facts[i].quote + self.facts[i].column)]
        if ask.member:  # "甲市公路事业发展中心的其他收入": that unit's rows (or sentences), never the department's
            candidates = [i for i in candidates if ask.member in normalize(self.facts[i].quote)]
            if not candidates:
                return []
        if ask.excluded:  # "买设备本身（不是安装费）": no row (nor a 三公 table's column) naming what is left out
            candidates = [i for i in candidates if self.facts[i].kind != "cell" or not any(
                term in (self.labels[i] or normalize(self.facts[i].column.split(" / ")[-1])) for term in ask.excluded)]
        if ask.table_named:  # "在经济分类表里": the cells of that table, when a table's title fits
            candidates = self._in_table_named(candidates, ask.table_named)
        rows_named = _row_spans(q, {self.labels[i] for i in candidates if self.facts[i].kind == "cell"})
        expansions = [e for e in ask.expansions if not _within(e.start, e.end, rows_named)]
        if ask.percent and any(self.facts[i].unit == "%" for i in candidates):
            candidates = [i for i in candidates if self.facts[i].unit == "%"]  # "百分之几" is answered by a %
        covered = "".join(e.text for e in expansions)
        residual = [word for word in ask.specific if word not in covered]
        # The document's total only when the question names no item: "X中心2026年预算多少" asks for it,
        # "话务外包一共花了多少" or "购买火星探测器花了多少钱" do not.
        wants_total = not residual and not any(e.kind in ITEM_KINDS for e in expansions)
        lexical = self._bm25(q, candidates)
        dense = self._dense(q, doc_ids, w.dense_k)
        label_cache: dict[str, float] = {}
        scored = []
        item_words = _item_named(ask, residual)
        for i in candidates:
            fact = self.facts[i]
            if fact.kind == "narrative" and not _mentions_any(fact, item_words, self.own_names.get(fact.doc_id, [])):
                continue  # "法律援助支出预算": a sentence on 支出预算 that never says 法律援助
            if wants_total and ask.change and fact.kind == "narrative" and _subject_is_item(fact, ask):
                continue  # "预算比上年减少了多少": the totals' change, not 公务接待费's
            # a unit's row is named through its columns, and so is a row of counts (车辆数 | 一般公务用车)
            by_column = not self.labels[i] or ask.member or (ask.count and fact.unit == ask.count)
            key = f"{self.labels[i]}|{fact.row_code}|{fact.table}|{fact.column if by_column else ''}"
            if key not in label_cache:
                label_cache[key] = self._label_score(i, ask, expansions, wants_total, rows_named, w)
            label = label_cache[key]
            if fact.kind == "narrative":
                label = self._narrative_label(i, label, ask, w)
            elif purpose := (self.purposes.get((fact.doc_id, fact.row_code)) if fact.row_code else None) or (
                    self.purposes.get((fact.doc_id, clean_label(fact.row_label))) if fact.kind == "cell" else None):
                label = max(label, self._coverage_score(fact, ask.specific, w, purpose))
            if ask.percent:
                label += w.percent_unit if fact.unit == "%" else -w.percent_unit
            elif ask.count:
                label += w.count_unit if fact.unit == ask.count or _counts_in_column(ask.count, fact) else -w.count_unit
                if fact.kind == "narrative" and _BOUGHT.search(fact.said_before) and not _BOUGHT.search(q):
                    label -= w.narrative_item_named  # "车辆保有量": the cars a unit has, not those it plans to buy
            elif fact.unit not in ("万元", "元", "亿元"):
                label -= w.non_money_unit_penalty
            # a fact whose row names nothing the question asks for cannot win on column or table alone
            score = (label - (w.weak_label_penalty if label < w.weak_label_score else 0.0)
                     + self._column_score(fact, ask, expansions, w, rows_named) + self._table_score(fact, ask, expansions, w))
            if fact.kind == "narrative":
                score += (w.narrative_only if ask.narrative_only else w.narrative_cue if ask.narrative
                          else -w.narrative_unwanted_penalty)
                if _CHANGE_ITEM.search(fact.item):
                    score += w.change_sentence if ask.change else -w.change_sentence
                    if ask.direction and _OPPOSITE[ask.direction].search(fact.item):
                        score -= w.change_direction_mismatch  # "比上年少了多少": not "较上年增加 0.00 万元"
            elif ask.change:
                score -= w.change_cell_penalty  # "比上年增加多少": the change is stated in prose, not printed in a cell
            elif ask.narrative_only:
                score -= w.narrative_only_cell_penalty
            score += w.bm25 * lexical.get(i, 0.0) + w.dense * dense.get(fact.passage_id, 0.0)
            score += _measure_score(fact, ask.measures, w, ask.planned)
            if (wants_total and self.labels[i] in _TOTAL_LABELS and "总表" in fact.table
                    and (not ask.fund or standard.holds_funds_named(fact.table, ask.text))):
                # (a question naming a fund, 一般公共预算支出, is not answered by the all-funds 支出总计)
                score += w.total_row_in_summary
                # the year's own 收入/支出 excludes the balances carried in or out that 总计 adds
                score += w.total_row_this_year if self.labels[i].startswith("本年") else 0.0
            if (wants_total and (self.labels[i] in _TOTAL_LABELS or self.labels[i] in ("本年收入", "本年支出")) and not ask.fund
                    and any(word in fact.table for word in standard.FUND_WORDS)):
                score -= w.fund_table_total_penalty  # "部门收入预算合计": all funds, not 财政拨款 only
            if (wants_total and self.labels[i] in _TOTAL_LABELS and ask.fund and fact.kind == "cell"
                    and not any(word in fact.table for word in standard.FUND_WORDS)):
                score -= w.fund_table_total_penalty  # "一般公共预算支出": not the all-funds table's 支出总计
            if (wants_total and self.labels[i] in _TOTAL_LABELS and fact.measure in standard.BREAKDOWN_MEASURES
                    and fact.measure not in ask.measures):
                score -= w.part_total_penalty  # "一般公共预算支出": not the 基本支出表's 总计
            if fact.kind == "cell" and fact.table_kind == "支出总表":
                score += w.expenditure_table  # the function-classification spending table is where readers check items
            if fact.value == 0:
                score -= w.zero_value_penalty  # ties go to the table that actually carries the amount
            if fact.kind == "cell" and any(not re.search(column, normalize(fact.column)) for column in ask.columns):
                score -= w.other_measure_column_penalty  # "年初预算是多少": a column of other figures (决算数) is not what was asked
            scored.append(Scored(fact, score, label))
        scored.sort(key=lambda s: (-s.score, s.fact.table_id, s.fact.line or 0, s.fact.page or 0))
        return _child_named_with_parent(scored, q)[:k]


    def _in_table_named(self, candidates: list[int], named: str) -> list[int]:
        inside = {id(f) for f in in_table_named([self.facts[i] for i in candidates], named)}
        return [i for i in candidates if id(self.facts[i]) in inside]

    def _narrative_label(self, i: int, label: float, ask: Ask, w: RankingWeights) -> float:
        """How well a sentence's words for its number name what was asked."""
        fact = self.facts[i]
        # a word the thesaurus knows is said by its printed names too ("实际有多少人": 实有人数)
        # (any count of cars is no 公务用车 in particular); words of one term ("退下来的离退休老同志") say it once
        printed = {e.text: tuple(name for name in e.labels if len(name) >= 3)
                   + tuple(o.text for o in ask.expansions if o.term == e.term) for e in ask.expansions
                   if e.term not in _ANY_COUNT}
        coverage = self._coverage_score(fact, ask.specific, w, printed=printed, names=self.own_names.get(fact.doc_id, []))
        states_change = bool(_CHANGE_ITEM.search(self.labels[i]))
        if states_change and not (coverage if ask.specific else _names_total(fact, ask.content)):
            label = 0.0  # "增长 4.58%" matched the question's 增长; its subject is none of the item words
        elif ask.specific:  # "年初预算为…" names the measure; the item (行政运行) must be there too
            label *= w.narrative_label_floor + coverage / w.narrative_label_coverage_divisor
        elif ask.content and states_change:  # "收入预算…，比上年增加0.42万元" for "收入预算比上年多了多少":
            label = max(label, w.coverage_scale)  # the total asked is its subject, as if fully covered
        label = max(label, coverage)
        if not states_change and not _says_terms(fact, ask):  # a change's subject may be the sentence before
            return 0.0
        lead_item = _lead_item(fact)
        if ask.specific and lead_item in ask.specific:
            label += w.narrative_item_named
        elif lead_item and lead_item not in ask.text:  # a sentence about another 项 ("行政单位医疗（项）。全年预算为…")
            label -= w.narrative_item_named
        if fact.offset >= 0 and standard.off_topic(normalize(fact.quote[:fact.offset]), ask.text):
            label -= w.narrative_item_named  # "“三公”经费财政拨款预算…增长" for a question naming no 三公
        if _names_a_part_after(fact, ask):
            label -= w.narrative_item_named  # "政府采购预算64.50万元，其中货物类…" for "政府采购中货物类"
        if _heading_names_whole(fact, ask, self.labels[i]):  # "商业创新专项…说明：项目总预算1410.00万，其中…"
            label = max(label, w.label_named + len("".join(ask.specific)))
        return label

    @staticmethod
    def _coverage_score(fact: Fact, content: list[str], w: RankingWeights, text: str = "",
                        printed: dict[str, tuple[str, ...]] | None = None, names: list[str] = ()) -> float:
        """Share of the question's item words found in a row's stated purpose, or in the words of a
        sentence that describe its number (not a "主要包括：…" list that follows it), each word as
        asked or by one of its `printed` names."""
        if not content:
            return 0.0
        # (the unit's own name says no item: 体育 of 教育体育局)
        haystack = without_names(normalize(text or f"{fact.row_label}{_describing_text(fact)}"), names)
        # the topic a sentence is about may follow its number ("…的预算109.54万元，占政府采购预算的73%")
        topic = normalize(fact.quote) if fact.kind == "narrative" and not text else ""
        found = sum(1 for word in content if word in haystack or (word in topic and standard.named_topics(word))
                    or any(name in haystack for name in (printed or {}).get(word, ())))
        share = found / len(content)
        return w.coverage_scale * share if share >= w.coverage_min_share else 0.0

    # -- signals ----------------------------------------------------------------------------
    def _label_score(self, i: int, ask: Ask, expansions, wants_total: bool,
                     rows_named: list[tuple[int, int, bool]], w: RankingWeights) -> float:
        fact, label = self.facts[i], self.labels[i]
        if not label and (fact.doc_id, fact.table_id) in self.column_item_tables:
            # tables whose items are columns (三公): the column header path names the item
            parts = [clean_label(p) for p in fact.column.split(" / ") if p]
            parts = [p for p in parts if not standard.is_period_row(p)] or parts  # "决算数 / 公务接待费": 决算数 names no item
            scores = [self._score_label(fact, p, bigrams(p), ask, expansions, wants_total, rows_named, w) for p in parts]
            if len(parts) > 1 and parts[-1] not in _SUBTOTALS and standard.column_measure(parts[-1]) == standard.OTHER:
                # a part under its item's heading ("公务用车购置及运行费 / 购置费"): the heading names the whole,
                # which its 小计 column is, more than the part
                scores[:-1] = [score - w.part_under_named_heading for score in scores[:-1]]
            return max(scores, default=0.0)
        row = self._score_label(fact, label, self.label_grams[i], ask, expansions, wants_total, rows_named, w)
        if i in self.yearless:
            yearless = self.yearless[i]
            row = max(row, self._score_label(fact, yearless, bigrams(yearless), ask, expansions, wants_total, rows_named, w))
        if fact.kind == "cell" and ask.count and fact.unit == ask.count and fact.column:
            # "车辆数 | 一般公务用车": a row of counts whose columns are the kinds counted
            parts = [clean_label(p) for p in fact.column.split(" / ") if p]
            return max([row] + [self._score_label(fact, p, bigrams(p), ask, expansions, wants_total, rows_named, w) for p in parts])
        return row

    def _score_label(self, fact: Fact, label: str, grams: set[str], ask: Ask, expansions,
                     wants_total: bool, rows_named: list[tuple[int, int, bool]], w: RankingWeights) -> float:
        if not label:
            return 0.0
        q, specific = ask.text, ask.specific
        if "项目" in fact.table_kind:  # "农村公路养护补助项目": a project table's rows are projects
            specific = tuple(word for word in specific if word != "项目") or specific
        if fact.kind == "cell":  # "政府采购预算中，办公设备": words of the table's title name the table, not the row
            specific = tuple(word for word in specific if word not in normalize(fact.table)) or specific
        if ask.member and ask.member in label:  # the unit's own row: the column must name the item asked
            column = normalize(fact.column)  # (as said, or as the thesaurus prints it: 财政拨款收入, 一般公共预算拨款收入)
            return w.label_named + len(label) if all(word in column or any(
                normalize(printed) in column for e in expansions if normalize(e.text) in word for printed in e.labels)
                for word in specific) else 0.0
        # ("电费" is no word of 邮电费: each is a classification item of its own)
        if specific and all(word in label and not _another_item(word, label) for word in specific):  # "支持中小企业发展的钱" -> 支持中小企业发展…支出
            best_words = w.label_all_words + sum(len(word) for word in specific) / w.label_all_words_length_divisor
            # of two labels saying every word, the one saying little else ("政府采购金额", not
            # "面向中小企业预留政府采购项目预算金额": a part the question did not ask)
            best_words += w.label_all_words_precision * len(grams & ask.grams) / max(len(grams), 1)
        else:
            best_words = 0.0
        best = best_words
        if fact.row_code in ask.numbers:
            best = w.label_code_in_question
        elif said := [n for n in ask.numbers if _NAMING_NUMBER.fullmatch(n) and n in re.findall(r"\d+", label)]:
            best = max(best, w.label_named + max(map(len, said)))  # "96196平台": a project named by its number
        core = re.sub(r"(合计|小计|总计|支出|服务)$", "", label)  # "人员经费合计" is what "人员经费" asks for (物业管理服务)
        if len(core) >= 3 and core != label and _named(core, q, rows_named) and not _names_column(core, ask):
            best = max(best, w.label_named + len(core))
        sum_word = _sum_word_of_another_item(fact, label, ask, expansions, wants_total)
        if (_named(label, q, rows_named) and not _names_column(label, ask) and not sum_word
                and not (fact.kind == "narrative" and _CHANGE_ITEM.search(label) and len(label) <= 6)):
            best = max(best, w.label_named + len(label))  # the question names the row as printed: beats a synonym
        # said in its pieces (two pieces share two bigrams with the question: most labels are passed over unread)
        # (a word said for a term is that term's name said: "城乡居民医保基金" says 医疗保险 of its row)
        terms_said = "".join(f"|{e.term}" for e in expansions if e.term not in q)
        in_pieces = _said_in_pieces(label, q + terms_said, rows_named) if len(grams & ask.grams) > 1 else 0
        if in_pieces:
            best = max(best, w.label_named + in_pieces)
        names_item = any(e.kind in ITEM_KINDS for e in expansions)
        for expansion in (e for e in expansions if not _names_column(e.term, ask)):
            if (expansion.kind not in ITEM_KINDS and (names_item or not wants_total)
                    and not _names_rows(expansion)):
                continue  # "财政拨款给的公积金": 财政拨款 picks the column, 公积金 the row
            if (expansion.parts and label in _TOTAL_LABELS and normalize(expansion.term) in normalize(fact.table)
                    and not any(e.term in expansion.parts for e in expansions)):  # "三公经费里的接待费" asks the part
                best = max(best, w.label_thesaurus + len(expansion.term))  # a composite (三公): the total row of its table
            if len(expansion.parts) > 1:  # its codes are those of its parts, not of the whole
                if label in expansion.labels:
                    best = max(best, w.label_thesaurus + len(expansion.term))
                continue
            if fact.row_code and fact.row_code in expansion.codes:
                best = max(best, w.label_thesaurus + len(expansion.term)
                           + (w.label_thesaurus_code_and_label if label in expansion.labels else 0.0))
            elif label in expansion.labels or (fact.kind == "narrative" and expansion.term not in _ANY_COUNT and label.endswith(
                    tuple(name for name in expansion.labels if len(name) >= 3))):  # "年末实有人数" says 实有人数
                best = max(best, w.label_thesaurus + len(expansion.term))
        if label in _TOTAL_LABELS:
            on_topic = fact.kind != "cell" or not standard.outside_topic(fact.table, standard.named_topics(q))
            best = max(best, w.label_total_row if wants_total and on_topic else 0.0)
            if best and label[-2:] in q:
                best += w.label_total_word
        total = sum(self.idf.get(g, 1.0) for g in grams)
        if total and not sum_word and not (label in q and not _named(label, q, rows_named)):  # 电费 only inside 邮电费
            covered = sum(self.idf.get(g, 1.0) for g in grams & ask.grams) / total
            if covered >= w.label_overlap_min_share:
                best = max(best, w.label_overlap_scale * covered)
        return best

    @staticmethod
    def _column_score(fact: Fact, ask: Ask, expansions, w: RankingWeights,
                      rows_named: list[tuple[int, int, bool]]) -> float:
        q = ask.text
        parts = [normalize(p) for p in fact.column.split(" / ") if p]
        # the side a 收支总表 half heads its columns with (收入 / 预算数) is the table's part, not a measure;
        # a header said only inside a row's name the question says ("本年支出合计") names no column
        named = [p for p in parts if len(p) >= 2 and p != fact.part
                 and (_named(p, q, rows_named) or (p.endswith("数") and p[:-1] in q))]
        # a part said only inside its heading's name ("公务用车购置及运行费 / 运行费") is not named by it
        named = [p for p in named if not any(p != other and p in other for other in named)]
        # "预算数"/"决算数" only say which kind of figure; a named column (项目支出) says which figure
        specific = sum(w.column_named + len(p) for p in named if p not in _KIND_COLUMNS)
        score = specific + sum(w.column_kind_named for p in named if p in _KIND_COLUMNS)
        header = "".join(parts)
        if ask.actual and re.search(r"决算|执行|实际", header):
            score += w.column_actual
        elif ask.planned and "预算" in header and "决算" not in header:
            score += w.column_budget
        for expansion in expansions:
            matched = [p for p in parts if p in expansion.labels]
            if expansion.kind not in ITEM_KINDS and matched:
                score += w.column_thesaurus + len(expansion.term)
                specific += any(p not in _KIND_COLUMNS for p in matched)
        if not specific:  # no column named ("预算数" only says which kind of figure): the total column
            first = parts[-1] if parts else ""
            if first in ("合计", "总计", "小计", "预算数", "决算数", "本年预算", "金额", "") or first.endswith("合计"):
                score += w.column_total_default
            if fact.doc_kind == "决算" and "决算" in first:
                score += w.column_final_default
        return score

    @staticmethod
    def _table_score(fact: Fact, ask: Ask, expansions, w: RankingWeights) -> float:
        if fact.kind == "narrative":
            return 0.0
        title = normalize(fact.table)
        score = 0.0
        for expansion in expansions:
            if any(t in title for t in expansion.tables):
                score += w.table_thesaurus
        is_income = _is_income(fact)
        if is_income and not ask.income:
            score -= w.income_table_spending_penalty if ask.spending else w.income_table_penalty  # a question about spending is not answered by an income line
        if ask.income and is_income:
            score += w.income_table
        elif ask.income and not ask.spending and "支出" in title and "收入" not in title and fact.kind == "cell":
            score -= w.income_table_spending_penalty  # "一般公共预算拨款收入": not a spending table's fund column
        for word in ask.table_words:
            if word in title:
                score += w.table_word
        if fact.table_kind == "收支总表":  # the all-funds table: for a question naming no fund, not for one naming a fund
            if not ask.fund:
                score += w.all_funds_summary
            elif not any(word in normalize(fact.column + fact.row_label) for word in standard.FUND_WORDS):
                score -= w.all_funds_summary  # neither its row (一、财政拨款收入) nor its column names the fund
        if not ask.fund and any(word in fact.row_label for word in standard.FUND_WORDS):
            score -= w.one_fund_row_penalty
        return score

    def _bm25(self, q: str, candidates: list[int]) -> dict[int, float]:
        query = tokens(q)
        if not query or not self.facts:
            return {}
        scores = self.bm25.get_scores(query)
        sub = scores[candidates]
        top = float(sub.max()) if len(sub) else 0.0
        if top <= 0:
            return {}
        return {i: float(s) / top for i, s in zip(candidates, sub) if s > 0}

    def _dense(self, q: str, doc_ids: list[str], most: int) -> dict[str, float]:
        """Cosine similarity of the `most` passages nearest the question (exact search over the
        ranked documents' passages: the same vectors the store holds for search across documents)."""
        if not self.passages:
            return {}
        if self._vectors is None:  # once per ranker
            self._ids = list(self.passages)
            self._id_docs = [p.split(":", 1)[0] for p in self._ids]
            self._vectors = ngram_matrix([self.passages[p] for p in self._ids])
        wanted = set(doc_ids)
        similarity = self._vectors @ np.array(ngram_vector(q), dtype=np.float32)
        nearest = [i for i in np.argsort(-similarity, kind="stable") if self._id_docs[i] in wanted][:most]
        return {self._ids[i]: max(float(similarity[i]), 0.0) for i in nearest}


def _subject_is_item(fact: Fact, ask: Ask) -> bool:
    """A sentence whose figure is an item's the question does not name ("公务接待费27,600.00元，比上年
    减少…"): what stands before its first figure names an item of the thesaurus or a topic (三公, 机关运行)."""
    quote = re.sub(r"(?:20[0-9]{2})年度?", "", normalize(fact.quote).replace(normalize(fact.entity), ""))
    subject = re.split(r"[0-9]", quote, maxsplit=1)[0]
    named = {e.term for e in ask.expansions}
    return bool(set(standard.named_topics(subject, by_key=True)) - set(standard.named_topics(ask.text, by_key=True))) or any(
        e.kind in ITEM_KINDS and e.term not in named for e in thesaurus.expand(subject))


def _is_income(fact: Fact) -> bool:
    """A cell of money coming in: an income table's, the income side of a summary, an income row."""
    title = normalize(fact.table)
    return "收入" in title and "支出" not in title or fact.part == "收入" or "收入" in fact.row_label


def _is_spending(fact: Fact) -> bool:
    """A cell of the spending side of a summary (a spending table's columns name the sources: 财政拨款,
    事业收入 — asked by income words)."""
    return fact.part == "支出"


def _budget_figure(fact: Fact) -> bool:
    """A planned figure: a cell of a 预算 column, or a sentence's number said of 预算 ("年初预算为0.95万元")."""
    if fact.kind == "cell":
        return fact.measure in standard.BUDGET_MEASURES
    return bool(re.search(r"预算数?$", fact.item))


def _measure_score(fact: Fact, named: frozenset[str], w: RankingWeights, planned: bool = False) -> float:
    """The column a question names (人员经费, 年初预算 …) is the one cited; a question naming none
    asks for the whole, not one of its breakdowns."""
    if fact.kind == "narrative":  # "全年预算为 9.00 万元" answers a question naming 全年预算 (a phase,
        # which sentences state; the breakdowns 人员经费, 基本支出 … are the tables' columns)
        phases = named - standard.BREAKDOWN_MEASURES
        return w.measure_named if any(standard.sentence_names_measure(m, fact.said_before, fact.year) for m in phases) else 0.0
    if not fact.measure:
        return 0.0
    if named:
        if any(standard.answers_measure(m, fact.measure, fact.table_kind, fact.doc_kind) for m in named):
            return w.measure_named
        return (-w.measure_other_penalty if fact.measure in standard.BREAKDOWN_MEASURES | standard.BUDGET_MEASURES - {"本年预算"}
                else 0.0)
    if fact.measure in standard.LAST_YEAR_MEASURES | {"增减", "增减率"}:  # a question naming no period or change
        return -w.measure_other_penalty  # asks for the document's own year's figure
    if fact.doc_kind == "决算" and not planned and (fact.measure in standard.BUDGET_MEASURES or _planned_column(fact.column)):
        return -w.measure_other_penalty  # a 决算's figure is what was spent, not the budget printed beside it
    # (a share of the money by its source, 其他资金 of a project's 年度资金总额, is a breakdown too)
    return -w.measure_breakdown_penalty if fact.measure in ("人员经费", "公用经费", "其他资金") else 0.0


def _planned_column(column: str) -> bool:
    """A column path under a budget heading ("预算数 / 合计"), a fund's name aside (一般公共预算财政拨款)."""
    phases = _FUND_BUDGET.sub("", normalize(column))
    return "预算" in phases and not re.search("决算|执行|实际", phases)


_FUND_BUDGET = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|预算单位")


def _lead_item(fact: Fact) -> str:
    """The 项 a sentence's paragraph opens with ("…（款）事业单位医疗（项）。" -> "事业单位医疗"), else ""."""
    items = _ITEM_LEVEL.findall(normalize(fact.lead))
    return items[-1] if items else ""


def _names_total(fact: Fact, content: list[str]) -> bool:
    """A change sentence answers a question about a total ("收入总计比上年增加多少") when it says
    what total: 收入 or 支出 in the words before its number."""
    cores = [re.sub(r"(预算|决算)?(总计|合计|总额|总)$", "", word) for word in content]
    return not content or any(core and _said(core, _describing_text(fact)) for core in cores)


def _said(word: str, text: str) -> bool:
    """The word in the text, "收支…" also as its two halves ("收入总计…，支出总计…" says 收支总计)."""
    rest = word[2:]
    return word in text or (word.startswith("收支") and f"收入{rest}" in text and f"支出{rest}" in text)


def _names_column(words: str, ask: Ask) -> bool:
    """Words of the question that name the measure (column) asked, not its row: 人员经费 in
    "奖金人员经费" (budgetqa.query.asking: the measure is not among the item words then)."""
    return words in ask.measures and words not in ask.specific


def _item_named(ask: Ask, residual: list[str]) -> list[str]:
    """The words a sentence must say to be about the item asked: the budget items the question
    names (as asked or by their terms), else its item words the thesaurus does not know, else the
    breakdown it names; [] when it names no item (a total)."""
    named = [e for e in ask.expansions if e.kind in ITEM_KINDS and e.term not in _ANY_COUNT]
    items = [word for e in named for word in _surface_forms(e)]
    # "项目支出完成全年预算的百分之几": a breakdown named is what the sentence must be about (not the 三公's rate)
    return items or (list(ask.specific) if residual else sorted(ask.measures & standard.BREAKDOWN_MEASURES))


def _surface_forms(expansion) -> tuple[str, ...]:
    """The ways a text may name a thesaurus term: as asked, its name, its labels and synonyms."""
    term = thesaurus.term(expansion.term)
    return (expansion.text, expansion.term, *expansion.labels, *(term.synonyms if term else ()))


def _mentions_any(fact: Fact, words: list[str], names: list[str] = ()) -> bool:
    """A sentence (its heading, or the paragraph it continues) says one of these words outside the
    unit's own `names`, or no word is required."""
    text = without_names(normalize(f"{fact.row_label}{fact.lead}{fact.quote}"), names)
    return not words or any(_said(word, text) for word in words)


def _describing_text(fact: Fact) -> str:
    """The words of a narrative fact's sentence that say what its number is: the stretch since the
    previous number (two stretches when this one only says "比上年增加"), the counted noun after it
    ("2名在职人员"), and an explanation sentence that follows ("主要用于…")."""
    quote, at = fact.quote, fact.offset
    if at < 0:
        return normalize(quote)
    amounts = list(_PROSE_AMOUNT.finditer(quote[:at]))
    n = len(amounts)
    if n and _CHANGE_PHRASE.search(quote[amounts[-1].end():at]):
        n -= 1
        # "事业运行支出 80.14 万元，较上年增加 30.23 万元，增长 60.57%": back over every stretch that
        # only says how the figure changed, to the words that say what it is
        while n and _ONLY_CHANGE.fullmatch(normalize(quote[amounts[n - 1].end():amounts[n].start()])):
            n -= 1
    start = amounts[n - 1].end() if n else 0
    text = fact.lead + quote[start:at]
    if n and _PART_OF_HEAD.match(quote[start:at]):  # "政府采购预算64.50万元，其中货物类28.50万元": a part of the head
        text = fact.lead + quote[:amounts[0].start()] + quote[start:at]
    after = quote[at:]
    if fact.unit not in ("万元", "元", "亿元", "%"):
        text += re.split(r"[，,。；;、]", after)[0]
    explanation = re.search(r"。(主要用于|主要原因|主要是|用于)[^。]*", after)
    return normalize(text + (explanation.group() if explanation else ""))


_PART_OF_HEAD = re.compile(r"[，,；;：:\s]*其中[：:]?")
_PROSE_AMOUNT = re.compile(r"[0-9][0-9,，]*(?:\.[0-9]+)?\s*(?:亿元|万元|元|%|％)")
_CHANGE_PHRASE = re.compile(r"比上年|较上年|比20[0-9]{2}年|增加|减少|增长|下降|持平")
_ONLY_CHANGE = re.compile(r"[,;、()]*(同比|与上年相比|[比较](上年|20[0-9]{2}年)(决算数|预算数|执行数|决算|预算)?"
                          r"(\((决算数|预算数|执行数)\))?)?(增加|减少|增长|下降|降低|增减)了?[,]*")  # normalized text


def _stated_purposes(facts: list[Fact]) -> dict[tuple[str, str], str]:
    """(doc, code) -> the prose that explains it: "2010399-甲 27.80 万元。主要用于甲业务支出。";
    (doc, item) -> the sentence saying what an item's money is for ("2.甲项目27.80万元，主要用于…")."""
    purposes: dict[tuple[str, str], str] = {}
    for fact in facts:
        if fact.kind == "narrative":
            for code in re.findall(r"(?<![0-9])([0-9]{3,7})(?=[-－—\s]*[\u4e00-\u9fa5])", fact.quote):
                purposes.setdefault((fact.doc_id, code), fact.quote)
            if fact.item and "用于" in fact.quote[fact.offset:]:
                purposes.setdefault((fact.doc_id, clean_label(fact.item)), fact.quote)
                # "“…（类）…（款）其他商业服务业等支出（项）”3000.00万元，主要用于…": the 项 row's purpose
                for name in _NAMED_ITEM.findall(normalize(fact.item))[-1:]:
                    purposes.setdefault((fact.doc_id, clean_label(name)), fact.quote)
    return purposes


_NAMED_ITEM = re.compile(r"(?:^|\))([^()]{2,})\(项\)")


def _to_bm25(corpus: list[list[str]]):
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocab)


def _says_terms(fact: Fact, ask: Ask) -> bool:
    """Whether a sentence says a budget term the question names (机关运行经费, 公务用车), by any of its
    names, when it names one: "收入总计…，支出总计…" does not answer "机关运行经费支出"."""
    sentence = normalize(fact.row_label + fact.lead + fact.quote)  # its section's heading says it too
    # a total's words are said only when they are the item's ("机关运行经费"; not "政府采购一共花了")
    named = [e for e in ask.expansions if (e.kind in ITEM_KINDS or e.kind == "total" and (
        not ask.specific or any(e.text in word for word in ask.specific)))
        and len(e.text) >= 4 and not _names_column(e.term, ask)]
    # its printed names, not the broader words among them (车辆 for 公务用车; a colloquial ask's
    # printed names may be shorter than it: 实有人数 for 实际有多少人)
    return not named or any(normalize(name) in sentence for e in named
                            for name in (e.text, e.term, *(n for n in e.labels if len(n) >= min(len(e.text), 4))))


_WHOLE_STATED = re.compile(r"(?:合计|总计|共计|总预算|总额|总金额)$")  # a sentence's words for its whole


def _heading_names_whole(fact: Fact, ask: Ask, label: str) -> bool:
    """A sentence under a heading that names the item asked as said ("商业创新专项（政策资金）经费情况说明"),
    its figure the whole it states (项目总预算, 合计), not one of the parts after its 其中 ("支持商业数字化创新")."""
    joined = "".join(ask.specific)
    return (len(joined) >= 4 and joined in ask.text and joined in normalize(fact.row_label + fact.lead)
            and joined not in label and bool(_WHOLE_STATED.search(fact.item)))


def _names_a_part_after(fact: Fact, ask: Ask) -> bool:
    """Whether the question asks a part the sentence names after this figure ("…64.50万元，其中货物类
    28.50万元"): a word asked that this figure's own words lack, in a 其中 clause that follows it."""
    if fact.offset < 0:
        return False
    said, after = _describing_text(fact), normalize(fact.quote[fact.offset:])
    part = after[after.find("其中"):] if "其中" in after else ""
    return any(word not in said and word in part for word in ask.specific)


_BOUGHT = re.compile(r"购置|购买|新增|更新|报废|买")  # a count of things bought or retired, not of those held


def _counts_in_column(count: str, fact: Fact) -> bool:
    """A cell counting what was asked under a header that names it ("国内公务接待人次（人）" for 人次);
    a bare 次 or 人 names no column (批次 or 人次?)."""
    return len(count) >= 2 and count in fact.column and fact.unit not in MONEY_UNITS
