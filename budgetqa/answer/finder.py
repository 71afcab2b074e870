"""finder: the facts that answer a parsed question within given documents — ranked (retrieve.py)
over the facts the catalog holds, kept only when they hold the measure and code asked — and the
audit findings about them. The answering code (respond.py, calculator.py) finds figures through it,
always with parsed values (a Query, or the Ask of a text), never with strings."""
from __future__ import annotations

import re
from collections import Counter, OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from decimal import Decimal

from budgetqa.answer.retrieve import (FIRM_LABEL_SCORE, MIN_LABEL_SCORE, FactRanker, Scored, clean_label, fact_tokens,
                                      in_table_named)
from budgetqa.answer.weights import WEIGHTS, RankingWeights
from budgetqa.model import standard
from budgetqa.model.document import DocumentMeta, to_yuan
from budgetqa.model.facts import Fact, sentence_facts
from budgetqa.model.text import normalize, without_names
from budgetqa.parse.metadata import OWN_BODY
from budgetqa.parse.vocabulary import GRAND_TOTAL, SANGONG_ITEM, TOC_ENTRY, strip_enumerator
from budgetqa.query import thesaurus
from budgetqa.query.asking import TOTAL_QUALIFIERS, Ask
from budgetqa.query.question import Query, item_query
from budgetqa.store.catalog import Catalog
from budgetqa.store.fact_store import passage_texts

_EXACT_TARGET = re.compile(r"[|｜:：]=?$")  # "…|面积数|=120": the target itself, no ≥ or ≤ bound
_LIST_ITEM = re.compile(r"^(?:[0-9]+[.、．]|[（(][0-9一二三四五六七八九十]+[)）])")  # "2.乙；": an item of a numbered list
_SAYS_MOST = 0.7  # a sentence answering in words says this share of the question's words (by length)
FACT_CACHE = 64  # documents whose facts, parsed form and audit stay in memory
RANKER_CACHE = 32  # document sets whose ranker stays in memory


class Finder:
    """Finds facts in the indexed documents (`metas`, read from `catalog`); a document's facts, its
    ranker and its findings are read when a question first concerns it and kept for the most recent."""

    def __init__(self, catalog: Catalog, metas: dict[str, DocumentMeta], weights: RankingWeights = WEIGHTS):
        self.catalog = catalog
        self.metas = metas
        self.weights = weights  # budgetqa/data/ranking_weights.toml; eval/fit_weights.py tries others
        self._facts = Recent(FACT_CACHE)
        self._rankers = Recent(RANKER_CACHE)
        self._findings = Recent(FACT_CACHE)
        self._sentences = Recent(FACT_CACHE)

    # -- the facts --------------------------------------------------------------------------
    def facts_of(self, doc_ids: Iterable[str] | None = None) -> list[Fact]:
        """The facts of these documents (all documents when None), in document order."""
        wanted = list(self.metas) if doc_ids is None else list(doc_ids)
        return [fact for doc_id in wanted for fact in self._doc_facts(doc_id)[0]]

    def _doc_facts(self, doc_id: str) -> tuple[list[Fact], list[list[str]]]:
        return self._facts.get(doc_id, lambda: self.catalog.facts(self.metas[doc_id]))

    def findings(self, doc_id: str) -> list[dict]:
        """The document's audit findings, computed at ingest."""
        return self._findings.get(doc_id, lambda: self.catalog.findings(doc_id))

    def sentences(self, meta: DocumentMeta) -> list[Fact]:
        """Every sentence of one document's narrative, read for its words (kind "text")."""
        return self._sentences.get(meta.doc_id, lambda: [f for f in sentence_facts(self.catalog.parsed(meta.doc_id))
                                                         if not TOC_ENTRY.search(f.quote)])  # (a contents line says nothing)

    def money_unit(self, meta: DocumentMeta) -> str:
        """The unit most of one document's amounts are printed in (元 or 万元)."""
        units = Counter(f.unit for f in self.facts_of([meta.doc_id]) if f.kind == "cell" and f.unit in ("元", "万元"))
        return units.most_common(1)[0][0] if units else "万元"

    def stated_none(self, query: Query, meta: DocumentMeta) -> Fact | None:
        """A sentence saying the unit has none of the item asked ("本单位无“三公”经费财政拨款支出"):
        its figure is 0, though no table prints it."""
        # (a named total, 机关运行经费 or 经营收入, too — not a bare 支出 or 收入)
        names = {normalize(n) for e in query.ask.expansions
                 if e.kind in ("item", "code") or (e.kind == "total" and len(normalize(e.term)) >= 4)
                 for n in (e.text, e.term, *e.labels) if len(normalize(n)) >= 2}
        if not names or query.asks_change or query.asks_text or query.ask.count:
            return None
        if meta.kind == "决算" and query.measures & standard.BUDGET_MEASURES:
            return None  # a final account's "无…支出" says nothing was spent, not that nothing was budgeted
        said = re.compile(rf"{_NONE}[^，,。；;：:]{{0,12}}?(?:{'|'.join(map(re.escape, sorted(names, key=len, reverse=True)))})")
        units = sorted({normalize(n) for n in (meta.entity, *meta.aliases, *meta.members) if n}, key=len, reverse=True)
        # (the units' names taken out: a 无 in a name is no "none")
        return next((f for f in self.sentences(meta) if said.search(without_names(normalize(f.quote), units, " "))), None)

    def describing_sentence(self, query: Query, meta: DocumentMeta) -> Fact | None:
        """The sentence of one document that says in words what the question asks about ("实施单位
        是哪个"): the one saying most of its words (the unit's row it names among them), if most."""
        if query.described:
            return self.unit_described(query.described, meta)
        totals = {e.text for e in query.ask.expansions if e.kind in ("total", "fund")}  # figures' names ask figures
        words = [w for w in (*query.ask.content, query.match.member) if len(w) >= 2 and w not in totals]
        wanted = sum(len(w) for w in words)
        sentences = self.sentences(meta)

        def said(fact: Fact) -> float:  # a word only its section's heading says counts half
            quote, heading = normalize(fact.quote), normalize(fact.row_label)
            return sum(len(w) if w in quote else len(w) / 2 if w in heading else 0 for w in words)
        best = max(sentences, key=said, default=None)
        if best is None or not wanted or said(best) < _SAYS_MOST * wanted:
            return None
        at = sentences.index(best)  # "一、主要职能。": a heading says what follows it
        if len(strip_enumerator(normalize(best.quote)).strip("。.：:；; ")) <= 8 and at + 1 < len(sentences):
            return sentences[at + 1]
        return best

    def target_stated_exactly(self, said: Fact, meta: DocumentMeta) -> Fact | None:
        """The one figure of a sentence that sets an indicator's target as a plain amount ("…|用房面积
        |=120平方米"): the figure asked. None for a bound (≥95%) or a sentence of several figures."""
        figures = [f for f in self.facts_of([meta.doc_id])
                   if f.kind == "narrative" and f.quote == said.quote and f.value is not None]
        if len(figures) != 1 or figures[0].offset < 0:
            return None
        before = normalize(said.quote[:figures[0].offset])
        return figures[0] if _EXACT_TARGET.search(before) else None

    def unit_described(self, topic: str, meta: DocumentMeta) -> Fact | None:
        """The document's first sentence saying what the unit is in the way asked (its nature, duties or
        the units it is made of; standard.TOPIC_SAID), a numbered list after it joined on."""
        sentences = self.sentences(meta)
        said = standard.TOPIC_SAID[topic]
        at = next((i for i, s in enumerate(sentences) if said.search(normalize(s.quote))
                   and len(strip_enumerator(normalize(s.quote)).strip("。.：:；; ")) > 8), None)
        if at is None:
            return None
        best, listed = sentences[at], []
        for following in sentences[at + 1:at + 12]:  # "包括：1.甲（本级）；2.乙；3.丙。"
            if not _LIST_ITEM.match(normalize(following.quote)) or following.row_label != best.row_label:
                break
            listed.append(following.quote)
        return replace(best, quote=best.quote + "".join(listed)) if listed else best

    # -- ranking ----------------------------------------------------------------------------
    def _ranker(self, doc_ids: Iterable[str]) -> FactRanker:
        """The ranker over these documents' facts (BM25 from the tokens stored at ingest), kept
        for the documents asked about most recently."""
        key = tuple(sorted(set(doc_ids)))

        def build() -> FactRanker:
            facts, tokenized = [], []
            for doc_id in key:
                doc_facts, passages = self._doc_facts(doc_id)
                facts += doc_facts
                tokenized += [fact_tokens(f, p) for f, p in zip(doc_facts, passages)]
            own = {doc_id: (self.metas[doc_id].entity, *self.metas[doc_id].aliases) for doc_id in key if doc_id in self.metas}
            return FactRanker(facts, passage_texts(facts, self.metas), tokenized, own)

        return self._rankers.get(key, build)

    def rank(self, ask: Ask, doc_ids: list[str], k: int = 10) -> list[Scored]:
        """The facts of these documents that best answer what `ask` asks for, best first."""
        if ask.member and self._is_own_document(ask.member, doc_ids):
            ask = replace(ask, member="")  # "甲局（本级）" of 甲局's own budget: every figure of it is 本级's
        return self._ranker(doc_ids).rank(ask, doc_ids, k, self.weights)

    def _is_own_document(self, member: str, doc_ids: list[str]) -> bool:
        """The department's own body named (…（本级）) of a document that is that body's own budget
        (本级 throughout): a row of its name there is the document's own total."""
        return member.endswith(OWN_BODY) and len(doc_ids) == 1 and self.metas[doc_ids[0]].scope == "本级"

    # -- what answers a query in one document -----------------------------------------------
    def fitting(self, query: Query, meta: DocumentMeta) -> tuple[list[Fact], str]:
        """One document's facts that answer the query, best first: they name the item, hold the
        measure asked and carry the code named; else [] and why, as the answer says it. An item no
        label names may be described by the use the document states for one ("委托中介机构搞审计": the
        项 whose note says "主要用于：委托中介机构开展各类审计…")."""
        found, why = self._fitting(query, meta)
        described = self.described_item(query, meta) if not found else ""
        if described:
            item = item_query(described, names=query.names, unit=query.unit)
            # the item described, asked as the question asks it ("原本打算花多少…": its budget column)
            asked = query.ask
            item = replace(item, measures=query.measures, match=query.match, ask=replace(
                item.ask, planned=asked.planned, actual=asked.actual, columns=asked.columns, kind=asked.kind))
            found = self._fitting(item, meta)[0] or found
        return found, why if not found else ""

    def described_item(self, query: Query, meta: DocumentMeta) -> str:
        """The classification item whose stated use the question's words describe, else ""."""
        words = [w for w in query.ask.content if len(w) >= 2 and w not in _USE_GENERIC]
        best, most = "", 1
        if len(words) < 2:
            return best
        for fact in [*self.sentences(meta), *(f for f in self.facts_of([meta.doc_id]) if f.kind == "narrative")]:
            used = _USE_SAID.search(fact.quote)
            purpose = normalize(fact.quote[used.end():]) if used else ""
            hits = sum(w in purpose for w in words)
            if hits <= most or hits < 0.6 * len(words):
                continue
            # the question describes the uses listed, not one of several ("新建部门开办费" of "…开办费、社区建设…")
            uses = [u for u in _USES_APART.split(purpose) if len(u) >= 2]
            names = thesaurus.classification_names_in(fact.lead + fact.quote[:used.start()])
            if sum(any(w in u for w in words) for u in uses) >= 0.6 * len(uses) and names:
                best, most = names[-1], hits
        return best

    def _fitting(self, query: Query, meta: DocumentMeta) -> tuple[list[Fact], str]:
        parent, parent_name = query.ask.parent
        # "社会保障和就业支出里的养老保险": the item is what is named within the 类, ranked without it
        ask = query.ask.within or query.ask
        ranked = self.rank(ask, [meta.doc_id], k=30)  # the column asked for may rank below others
        asked = [i for i, ends in enumerate(_YEAR_ENDS) if any(w in query.item_text for w in ends)]
        named = [s.fact for s in ranked if s.label_score >= MIN_LABEL_SCORE
                 and not (len(asked) == 1 and _says_end(s.fact, 1 - asked[0]))]  # "年末结余" is no 年初结转和结余
        if not named:
            return [], f"{meta.label} 中没有与问题对应的数据"
        coded = [f for f in named if _has_code(f, query.codes)]
        if not coded:
            return [], f"{meta.label} 中没有科目 {'、'.join(sorted(query.codes))}"
        classified = query.ask.classified
        coded = [f for f in coded if not _another_classification(f, classified)]
        if not coded:  # "小学教育支出" of a school that prints only 初中/高中教育: never its 教育支出 total
            return [], f"{meta.label} 中没有“{'、'.join(classified)}”"
        if parent:  # "一般公共服务支出中的行政运行": a row under that 类 or 款, never its namesake elsewhere nor the 类 itself
            coded = [f for f in coded if f.kind != "cell" or (
                f.row_code.startswith(parent) and f.row_code != parent if f.row_code
                else normalize(strip_enumerator(clean_label(f.row_label))) != parent_name)]
            if not coded:
                return [], f"{meta.label} 中科目 {parent} 下没有所问的这一项"
        narrower = [f for f in coded if not _inside_another_item(f, query.ask)]
        if not narrower:  # "土壤污染防治" of a unit that prints only 污染防治: never the broader row's figure
            broader = "、".join(dict.fromkeys(f"“{clean_label(f.row_label)}”" for f in coded[:2]))
            return [], f"{meta.label} 中没有所问的这一项，只有更宽的 {broader}"
        coded = narrower
        projects = query.ask.projects
        if projects:  # “非遗保护传承”项目: a sentence or row of another project is no answer
            coded = [f for f in coded if any(name in normalize(f.table + f.row_label + f.item + f.lead + f.quote)
                                             for name in projects)]
            if not coded:
                return [], f"{meta.label} 中没有“{'、'.join(projects)}”项目"
        sources = _income_sources_named(query.ask)
        if sources:  # "经营收入预算": where no column or row prints it, never the 收入总计 beside it
            coded = [f for f in coded if any(name in normalize(f.row_label + f.column + f.item + f.quote) for name in sources)]
            if not coded:
                return [], f"{meta.label} 中没有“{'、'.join(sources)}”"
        if query.ask.count:  # "办公用房面积" printed blank ("…其中办公用房平方米，…；土地0平方米"): no figure of it
            coded = [f for f in coded if not _printed_blank(f, query.ask.specific, query.ask.count)]
        kinds = [kind for kind in standard.VEHICLE_KINDS if kind in query.item_text] if query.ask.count else []
        if kinds:  # "车辆里一般公务用车有几辆": a sentence counting all 车辆 does not say
            coded = [f for f in coded if all(kind in normalize(f.row_label + f.column + f.quote) for kind in kinds)]
            if not coded:
                return [], f"{meta.label} 中没有按“{'、'.join(kinds)}”分列的车辆数"
        fitting = [f for f in coded if _fits_measures(f, query.measures) and _of_funds(f, query.item_text)]
        if not fitting and query.measures & {"年初预算", "全年预算"} and meta.kind == "决算":
            # a final account printing its budget as a bare 预算数 (the 三公 table's 预算数 / 决算数): that
            # column is the only budget it states, cited as printed
            fitting = [f for f in coded if f.kind == "cell" and f.measure == "本年预算" and _of_funds(f, query.item_text)]
        if query.operation.kind == "share" and query.operands:  # a stated share names its part ("预留给中小企业的
            part = query.operands[0].ask.specific  # …占政府采购预算的91%" is no share of 服务类)
            fitting = [f for f in fitting if f.kind != "narrative" or f.unit != "%"
                       or all(word in normalize(f.said_before) for word in part)]
        if query.match.year_before:  # the year before the document's: only its 上年 figures answer
            fitting = [f for f in fitting if _fits_measures(f, query.measures & standard.LAST_YEAR_MEASURES)]
        if not fitting:  # the item is there, but not in the column the question names: say so
            return [], (f"{meta.label} 中没有“{'、'.join(sorted(query.measures))}”栏目下与问题对应的数据" if query.measures
                        else f"{meta.label} 中没有与问题对应的数据")
        # "项目支出的决算数": a figure holding every measure named comes first
        every = [f for f in fitting if all(_fits_measures(f, {m}) for m in query.measures)]
        ordered = _child_named_first(every + [f for f in fitting if f not in every], query.item_text)
        return _printed_in_unit_first(ordered, query.unit), ""

    def rival_projects(self, query: Query, meta: DocumentMeta, fitting: list[Fact]) -> list[Fact]:
        """The best fitting cell and the same row and column of other projects' tables that the
        question names exactly as well ("外包服务运营经费" of 2022 and of 2023): a choice for the
        reader, never a silent pick. [] when the best is no project's cell or has no rival."""
        best = next(iter(fitting), None)
        if best is None or best.kind != "cell" or not best.item:
            return []
        scores = {s.fact.id: (s.score, s.label_score) for s in self.rank(query.ask, [meta.doc_id], k=30)}
        # (named as well: a label saying every word asked, whatever else it says — the precision tie-breaker aside)
        named_as_well = scores.get(best.id, (0.0, 0.0))[1] - WEIGHTS.label_all_words_precision
        rivals = [f for f in fitting[1:] if f.kind == "cell" and f.item and f.item != best.item
                  and (f.row_label, f.column) == (best.row_label, best.column) and f.amount != best.amount
                  and scores.get(f.id, (0.0, 0.0))[1] >= named_as_well]
        said, name = (re.sub(r"\s", "", normalize(text)) for text in (query.text, best.item))
        if name in said:  # the best project's whole name said: a rival must be said whole too (not as its part)
            rivals = [f for f in rivals if (other := re.sub(r"\s", "", normalize(f.item))) in said and other not in name]
        return [best, *{f.item: f for f in rivals}.values()] if rivals else []

    def alike_rows(self, query: Query, meta: DocumentMeta, fitting: list[Fact]) -> list[Fact]:
        """The best cell and the same column of the other rows its table names alike but under another
        row (行政运行 under 文化和旅游 and under 体育): the one whose parent the question names, else
        each of them for the reader to choose. [] when the best cell's name is its table's only one."""
        best = next(iter(fitting), None)
        if best is None or best.kind != "cell" or not best.under or query.codes:
            return []
        alike = [best] + [f for f in self.facts_of([meta.doc_id])
                          if (f.table_id, f.part, f.column, f.row_label) == (best.table_id, best.part, best.column, best.row_label)
                          and f.under and f.under != best.under and f.amount != best.amount]
        if len(alike) == 1:
            return []
        named = [f for f in alike if _names_parent(query.item_text, f.under)]
        return named[:1] if len(named) == 1 else alike

    def budget_views(self, query: Query, meta: DocumentMeta, fitting: list[Fact]) -> list[Fact]:
        """"…的预算是多少" in a 决算 that prints both 年初预算 and 全年预算 for the row, with different
        amounts: both, for the reader to choose. [] when the question says which, or they agree."""
        best = next(iter(fitting), None)
        if (best is None or best.kind != "cell" or meta.kind != "决算" or "预算" not in query.item_text
                or _NAMED_BUDGET.search(query.item_text)):
            return []
        leaf = best.column.split(" / ")[-1]
        views: dict[str, Fact] = {}
        for fact in self.facts_of([meta.doc_id]):
            if (fact.kind == "cell" and (fact.table_id, fact.part, fact.row_id) == (best.table_id, best.part, best.row_id)
                    and (fact.column.split(" / ")[-1] == leaf or " / " not in fact.column + best.column)):
                period = _period(fact)
                if period in ("年初预算", "调整预算"):
                    views.setdefault(period, fact)
        found = list(views.values())
        return found if len(found) == 2 and found[0].amount != found[1].amount and best in found else []

    def total_views(self, query: Query, meta: DocumentMeta, fitting: list[Fact]) -> list[Fact]:
        """"总收入是多少" where the document prints the year's own income (本年收入合计) and the total with
        the balances carried in (收入总计) at other amounts: both, for the reader to choose. [] when the
        question names one ("本年收入合计", "含上年结转", "不算往年结转下来的"), they agree, or it asks 支出."""
        best = next(iter(fitting), None)
        if best is None or best.kind != "cell" or query.ask.fund or _NAMES_TOTAL.search(query.item_text):
            return []  # (a fund's total has no year's own total beside it)
        side = _total_side(best)
        # (what was spent is the year's own 支出: the 总计 adds the balances carried forward, which are unspent)
        if side is None or side[0] != "收入" or clean_label(best.row_label) in query.item_text:
            return []
        rival = next((f for f in self.facts_of([meta.doc_id]) if f.kind == "cell"
                      and ((f.table_id, f.part, f.column) == (best.table_id, best.part, best.column)
                           or (best.table_kind != "收支总表" and f.table_kind == "收支总表"  # 收入决算表's 合计 row
                               and f.measure not in standard.LAST_YEAR_MEASURES))
                      and (other := _total_side(f)) and other[0] == side[0] and other[1] != side[1]), None)
        return [best, rival] if rival and rival.amount != best.amount else []

    def either_end(self, query: Query, meta: DocumentMeta, fitting: list[Fact]) -> list[Fact]:
        """"结转和结余是多少" where the table prints 年初结转和结余 and 年末结转和结余: both, for the reader
        to choose; the one of the end the question names ("开年时…上年留下来的钱": 年初). [] when the
        best cell is no such row."""
        best = next(iter(fitting), None)
        if best is None or best.kind != "cell":
            return []
        label = clean_label(best.row_label)
        end = next((i for i, ends in enumerate(_YEAR_ENDS) if label.startswith(ends[0])), None)
        if end is None:
            return []
        other = _YEAR_ENDS[1 - end][0] + label[len(_YEAR_ENDS[end][0]):]
        rival = next((f for f in self.facts_of([meta.doc_id]) if f.kind == "cell" and f.table == best.table  # either half
                      and clean_label(f.row_label) == other and f.amount != best.amount), None)
        named = [i for i, ends in enumerate(_YEAR_ENDS) if any(w in query.item_text for w in ends)]
        if rival is None or named == [end]:
            return []
        return [rival] if named == [1 - end] else [best, rival]

    def classification_views(self, query: Query, meta: DocumentMeta, fitting: list[Fact]) -> list[Fact]:
        """The best cell and a row of the same name in the other classification's table printing
        another amount (住房公积金 by function and by economic nature): two answers of two scopes,
        for the reader to choose. [] when the question names a code or a table, or they agree."""
        best = next(iter(fitting), None)
        if (best is None or best.kind != "cell" or query.codes or query.ask.table_named or query.ask.table_words
                or GRAND_TOTAL.search(best.row_label)):  # a table's total is no item of either classification
            return []
        named = {code for e in query.ask.expansions for code in e.codes} | {
            code for name in query.ask.classified for code in thesaurus.code_for_name(name)}
        if any(code != best.row_code and best.row_code.startswith(code) for code in named):
            return []  # "社会保障和就业支出里的养老保险": the question names the row's own parent, in its classification
        views = (standard.FUNCTION_TABLES, standard.ECONOMIC_TABLES)
        other = next((kinds for mine, kinds in (views, views[::-1]) if best.table_kind in mine), ())
        namesakes = [f for f in fitting if f.kind == "cell" and f.table_kind in other
                     and _item_name(f.row_label) == _item_name(best.row_label)]
        rival = next((f for f in namesakes if f.measure in (best.measure, "合计", "本年预算")), None)
        if rival is None:  # an economic row of staff costs prints its amount only under 人员经费 (公用经费 0)
            rival = max((f for f in namesakes if f.measure in standard.BREAKDOWN_MEASURES),
                        key=lambda f: f.value_yuan or 0, default=None)
        if rival is None or not rival.value_yuan or rival.a_digit_apart(best):
            return []  # (4.30 and 4.29: one amount the document contradicts itself on, said in a warning)
        # "职业年金缴费" names the economic row as printed, not 机关事业单位职业年金缴费支出: that row it is
        said = [_says_as_printed(clean_label(f.row_label), normalize(query.item_text)) for f in (best, rival)]
        return [] if said == [True, False] else [best, rival]

    def topic_views(self, query: Query, meta: DocumentMeta, fitting: list[Fact]) -> list[Fact]:
        """公务接待费 printed by the 三公 table and by its economic row (30217) at other amounts: two
        scopes, the 三公 line first (the figure readers quote), the row of basic spending beside it; the
        economic row alone when the question names it as printed and not the 三公 line (公务用车运行维护费).
        [] when they agree or the question names a scope (三公, a code, a table, 公用经费 …)."""
        best = next(iter(fitting), None)
        if (best is None or best.kind != "cell" or query.codes or query.ask.table_named or query.ask.table_words
                or query.measures & standard.BREAKDOWN_MEASURES or standard.named_topics(query.item_text, by_key=True)):
            return []
        item = _topic_item(best)
        if not any(e.term == item for e in query.ask.expansions):
            return []  # "公务用车购置及运行费" is not its part 运行费, however alike the figures
        if best.table_kind == standard.SANGONG_TABLE:
            rows = [f for f in self.facts_of([meta.doc_id]) if f.kind == "cell" and f.table_kind in standard.ECONOMIC_TABLES
                    and _topic_item(f) == item]
            rival = next((f for f in rows if f.measure in ("合计", "本年预算", "决算数")), None) or max(
                (f for f in rows if f.measure in standard.BREAKDOWN_MEASURES), key=lambda f: f.value_yuan or 0, default=None)
        elif best.table_kind in standard.ECONOMIC_TABLES:
            rival = next((f for f in fitting if f.kind == "cell" and f.table_kind == standard.SANGONG_TABLE
                          and _topic_item(f) == item), None)
        else:
            return []
        if not rival or rival.prints_as(best):
            return []
        economic, line = (best, rival) if best.table_kind in standard.ECONOMIC_TABLES else (rival, best)
        said = normalize(query.item_text)
        if clean_label(economic.row_label) in said and _topic_label(line) not in said:
            return [economic]  # "公务用车运行维护费": the economic row named as printed, not the 三公 line's 公务用车运行费
        return sorted([best, rival], key=lambda f: f.table_kind != standard.SANGONG_TABLE)

    def measure_total(self, query: Query, meta: DocumentMeta) -> Fact | None:
        """A question that names a measure and nothing else ("人员经费多少") asks for that column's
        total in the standard table that carries it."""
        # the measure's colloquial names ("养人的钱"), and words naming a kind of figure ("安排了多少": 预算)
        synonyms = "".join(e.text for e in query.ask.expansions if e.term in query.measures or e.kind == "doc_kind")
        # "一般公共预算基本支出中公用经费": a fund and the breakdown above it name no other item
        # ("项目支出总额", cut 项目 | 支出总额: the measure's pieces)
        # ("经济分类预算表中，人员经费": the words of a table named say where, not what)
        others = [t for t in query.ask.content if t not in query.measures and t not in synonyms
                  and not _FUND_PHRASE.fullmatch(t) and t not in standard.BREAKDOWN_MEASURES
                  and t not in TOTAL_QUALIFIERS and not any(t in m for m in query.measures)
                  and not (query.ask.table_named and (t.endswith("表") or t in query.ask.table_named))]
        # in a 决算 its own figures are the 决算数: "实际花了多少人员经费" names one measure
        measures = query.measures - ({"决算数"} if meta.kind == "决算" else set())
        if len(measures) != 1 or query.asks_change or others or query.codes:  # a code names a row, not the total
            return None
        if query.match.member and not (meta.scope == "本级" and query.match.member.endswith(OWN_BODY)):
            return None  # a department's unit named: its own row, never the department's total (a unit's own budget is its 本级)
        named = next(iter(measures))
        totals = [f for f in self.facts_of([meta.doc_id]) if f.kind == "cell"
                  and GRAND_TOTAL.search(f.row_label) and f.measure == named]
        order = {kind: i for i, kind in enumerate(standard.TOTAL_SOURCES.get(named, ()))}
        totals = [f for f in totals if f.table_kind in order]
        if query.ask.table_named:
            totals = in_table_named(totals, query.ask.table_named)
        if query.ask.fund:  # "一般公共预算里的项目支出": that fund's table, not the all-funds 支出总表
            totals = [f for f in totals if standard.holds_funds_named(f.table, query.ask.text)]
        if meta.kind == "决算" and not query.measures & standard.BUDGET_MEASURES:  # "全年决算中，基本支出合计":
            totals = [f for f in totals if _measure_above(f) not in standard.BUDGET_MEASURES] or totals  # not 年初预算's
        return min(totals, key=lambda f: order[f.table_kind], default=None)

    def blank_cell(self, query: Query, meta: DocumentMeta) -> Fact | None:
        """The row the question names has nothing printed in the column of the measure it asks
        (行政运行's 项目支出 left blank): that cell, as a figure of 0 printed blank."""
        best = next((s.fact for s in self.rank(query.ask, [meta.doc_id], k=10)
                     if s.fact.kind == "cell" and s.label_score >= FIRM_LABEL_SCORE), None)
        if best is None or len(query.measures) != 1:
            return None
        measure = next(iter(query.measures))
        table = [f for f in self.facts_of([meta.doc_id]) if f.table_id == best.table_id and f.part == best.part]
        columns = {f.column for f in table if f.measure == measure}
        row = [f for f in table if (f.row_code, f.row_label) == (best.row_code, best.row_label)]
        if len(columns) != 1 or any(f.measure == measure for f in row):
            return None
        return replace(best, id=f"{best.id}:blank", printed="", value=Decimal(0), column=columns.pop(), measure=measure)

    # -- operands of a computation: a question of its own (Query.operands) within one document --
    def lookup(self, operand: Query, meta: DocumentMeta) -> Fact | None:
        """The fact the operand alone would cite in this document: a measure's total ("人员经费"),
        else the best fact naming the item in the measure and code the operand names."""
        best = self.measure_total(operand, meta) or next(iter(self.fitting(operand, meta)[0]), None)
        if best is None or best.kind == "cell":
            return best
        # a sentence restating a table's figure: cite the table
        return next((s.fact for s in self.rank(operand.ask, [meta.doc_id], k=10) if s.label_score >= MIN_LABEL_SCORE
                     and s.fact.kind == "cell" and s.fact.amount == best.amount), best)

    @staticmethod
    def of_another_classification(fact: Fact, query: Query) -> bool:
        """The fact is a row (or a sentence's item) of a national classification other than the one the
        query names ("行政事业单位医疗" for 事业单位医疗); False when the query names codes or several items
        (each document's own: "甲的2010399科目比乙的信息化建设多多少")."""
        named = query.ask.classified
        return not query.codes and len(named) == 1 and _another_classification(fact, named)

    def best_fact(self, ask: Ask, meta: DocumentMeta, minimum: float = MIN_LABEL_SCORE, unit: str = "") -> Fact | None:
        """The fact of one document that best names what `ask` asks for, or None; printed in the
        `unit` asked when the best is that figure rounded in a larger unit."""
        if not unit:
            return next(iter(self.candidate_facts(ask, meta, 1, minimum)), None)
        return next(iter(_printed_in_unit_first(self.candidate_facts(ask, meta, 10, minimum), unit)), None)

    def candidate_facts(self, ask: Ask, meta: DocumentMeta, k: int, minimum: float = MIN_LABEL_SCORE) -> list[Fact]:
        """The facts of one document that name what `ask` asks for, best first."""
        return [s.fact for s in self.rank(ask, [meta.doc_id], k=k) if s.label_score >= minimum]


_USE_SAID = re.compile(r"(?:主要)?用于[:：]?")  # "主要用于：委托中介机构开展…": what an item's money is for
_USES_APART = re.compile(r"[、，,；;。]|和|及|与|等")
_USE_GENERIC = frozenset({"工作", "支出", "项目", "经费", "费用", "资金", "开支", "花销", "方面"})
_NONE = r"(?:没有|未安排|不安排|未发生|无(?!论))"  # "无“三公”经费支出" (not 无论); units' names are taken out first


_NAMED_BUDGET = re.compile(r"年初|全年|调整|预算数?(?:和|与|及|、)|完成|执行")  # the budget named, or both asked


def _period(fact: Fact) -> str:
    """The budget a cell prints: its column's measure, or the period the header above names (年初预算 / 小计)."""
    return fact.measure if fact.measure in ("年初预算", "调整预算") else _measure_above(fact)


def _measure_above(fact: Fact) -> str:
    """The measure a cell's top header names ("年初预算 / 小计": 年初预算), "" for a one-level header."""
    return standard.measure(fact.column.split(" / ")[:1], fact.doc_kind, fact.year) if " / " in fact.column else ""


def _says_end(fact: Fact, end: int) -> bool:
    """The figure is of that end of the year (年初结转和结余 for 0, 年末… for 1): its row starts so, or its words say so."""
    if fact.kind != "cell":
        return _YEAR_ENDS[end][0] in normalize(fact.item)
    return clean_label(fact.row_label).startswith(_YEAR_ENDS[end])  # 年末结转和结余, 结转下年


def _total_side(fact: Fact) -> tuple[str, bool] | None:
    """(收入|支出, with the balances) of a side's total: its row (本年收入合计, 收入总计), or its column
    where the row is the table's total (合计 · 本年收入合计)."""
    label = clean_label(fact.row_label)
    if label == "总计" and fact.part in ("收入", "支出"):  # a 收支总表's side ends in its 总计
        return fact.part, True
    if GRAND_TOTAL.fullmatch(label):
        label = normalize(fact.column.split(" / ")[-1])
    side = _TOTAL_SIDE.fullmatch(label)
    return (side["side"], side["end"] == "总计") if side else None


def _topic_label(fact: Fact) -> str:
    """The name a 三公 table prints for one of its items (its row, or its deepest column)."""
    label = clean_label(fact.row_label)
    return label if label and not standard.is_period_row(label) else clean_label(fact.column.split(" / ")[-1])


def _topic_item(fact: Fact) -> str:
    """The 三公 item a cell is of (公务接待费 for the 三公 table's column and for the row 30217 公务接待费),
    by the thesaurus term with an economic code its label names; "" for none or several."""
    label = clean_label(fact.row_label)
    if fact.table_kind == standard.SANGONG_TABLE and (not label or standard.is_period_row(label)):
        parts = fact.column.split(" / ")  # its items as columns ("公务用车购置及运行费 / 公务用车运行费")
        label = parts[-1] if not standard.is_period_row(parts[-1]) else ""
    terms = {e.term for e in thesaurus.expand(label) if e.kind == "item"
             and any(code.startswith("30") for code in e.codes) and SANGONG_ITEM.search(e.term)}
    return terms.pop() if len(terms) == 1 else ""


def _says_as_printed(label: str, text: str) -> bool:
    """The text names the row as printed, and not as the start of a longer name (职业年金缴费支出)."""
    return bool(label) and bool(re.search(re.escape(normalize(label)) + "(?!支出)", text))


def _item_name(label: str) -> str:
    """A row's item whichever classification prints it (…养老保险缴费支出 by function, …养老保险缴费 by
    economic nature; 机关事业单位职业年金缴费支出 by function, 职业年金缴费 by economic nature)."""
    return clean_label(label).removesuffix("支出").removeprefix("机关事业单位")


def _child_named_first(facts: list[Fact], question: str) -> list[Fact]:
    """"土地出让收入安排的城市建设支出": the question names a row and, as its qualifier, the row it
    stands under; the row under it, named as printed, is what is asked."""
    best = next(iter(facts), None)
    if best is None or best.kind != "cell" or not best.row_code:
        return facts
    q = normalize(question)
    child = next((f for f in facts if f.kind == "cell" and f.table_id == best.table_id and f.column == best.column
                  and f.row_code.startswith(best.row_code) and f.row_code != best.row_code
                  and len(name := _item_name(f.row_label)) >= 3 and name in q), None)
    return facts if child is None else [child] + [f for f in facts if f is not child]


def _printed_in_unit_first(facts: list[Fact], unit: str) -> list[Fact]:
    """Asked in a finer unit than the best figure is printed in (元 of a 0.73 万元): the same figure
    printed in the unit asked (7,315 元) comes first, rather than a conversion's false precision."""
    best, asked = next(iter(facts), None), to_yuan(Decimal(1), unit)
    if best is None or best.value_yuan is None or asked is None or asked >= to_yuan(Decimal(1), best.unit):
        return facts
    half_digit = to_yuan(Decimal(1).scaleb(best.value.as_tuple().exponent), best.unit) / 2
    same = next((f for f in facts[1:] if f.unit == unit and f.value_yuan is not None
                 and abs(f.value_yuan - best.value_yuan) <= half_digit), None)
    return facts if same is None else [same] + [f for f in facts if f is not same]


def _row_names_measure(fact: Fact, measures: set[str]) -> bool:
    """Templates that print 人员经费/公用经费 (基本支出, 项目支出) as rows ("人员经费合计" of a 决算's
    基本支出表) rather than columns, and the other funds as a 收支总表's rows (其他收入, 事业收入): the
    row holds the measure, in its table's figure column."""
    named = measures & (standard.BREAKDOWN_MEASURES | {standard.OTHER_FUNDS})
    # (or whose economic class is of it: 30113 住房公积金 is 人员经费, in a table printing no such column)
    return bool(named) and fact.measure not in standard.LAST_YEAR_MEASURES | {"增减", "增减率"} and (
        any(m in normalize(fact.row_label) for m in named)
        or (standard.breakdown_of_code(fact.row_code) in named and fact.measure not in standard.BREAKDOWN_MEASURES)
        or (standard.OTHER_FUNDS in named and standard.column_measure(clean_label(fact.row_label)) == standard.OTHER_FUNDS))


def _another_classification(fact: Fact, named: list[str]) -> bool:
    """A row of a national classification other than the one(s) the question names by official name
    ("教育支出" or "初中教育" for 小学教育)."""
    if not named or fact.kind not in ("cell", "narrative"):
        return False
    # a sentence's item by the deepest classification it names ("(210类)行政事业单位医疗(11款)行政单位医疗(01项)")
    said = thesaurus.classification_names_in(fact.said_before) if fact.kind == "narrative" else []
    if fact.kind == "narrative" and not said:
        return False
    label = said[-1] if said else clean_label(fact.row_label)
    codes = set(thesaurus.code_for_name(label))
    own = codes | ({fact.row_code} if fact.row_code else set())
    def of_it(name: str) -> bool:  # (a row under the 类 named is of it: "社会保障和就业支出里的养老保险")
        theirs = thesaurus.code_for_name(name)
        if any(mine.startswith(code) for mine in own for code in theirs):
            return True
        # a label holding the name is of it, unless it is the name's parent ("行政事业单位医疗" of 事业单位医疗)
        parent = bool(theirs) and all(any(code.startswith(mine) and code != mine for mine in own) for code in theirs)
        return normalize(name) in normalize(label) and not parent
    return bool(codes) and not any(of_it(name) for name in named)




def _inside_another_item(fact: Fact, ask: Ask) -> bool:
    """"土壤污染防治" names the item 土壤 (a row of its own where printed): the row 污染防治, said only
    inside those words, is the broader row, not what was asked."""
    if fact.kind != "cell":
        return False
    label = normalize(clean_label(fact.row_label))
    return bool(label) and (any(
        e.kind == "item" and label in (words := normalize(e.text)) and label != words
        and not any(printed and (printed in label or label in printed) for printed in e.labels)
        and ask.text.count(label) == words.count(label)  # the row's name said nowhere else
        for e in ask.expansions) or _names_a_part_of(fact.row_code, label, ask))


def _income_sources_named(ask: Ask) -> tuple[str, ...]:
    """The sources of income the question names (事业收入, 经营收入, 上级补助收入 …), as printed and as said."""
    return tuple(dict.fromkeys(name for e in ask.expansions if e.kind == "total" and e.tables == ("收入",)
                               for name in (*e.labels, normalize(e.text))))


def _names_a_part_of(code: str, label: str, ask: Ask) -> bool:
    """"噪声污染防治": 噪声 is 2110303, a 项 of the 款 21103 污染防治 — that row is broader than asked (words of
    the row's own name, 就业 of 社会保障和就业支出, name no part of it)."""
    return bool(code) and any(c.startswith(code) and len(c) > len(code) for e in ask.expansions
                              if e.kind in ("code", "item") and normalize(e.text) not in label for c in e.codes)


def _has_code(fact: Fact, codes: set[str]) -> bool:
    """A question naming a classification code (31009) is answered by that code's row or a sentence
    naming it, never by its parent's (310) or a neighbour's."""
    if not codes:
        return True
    if fact.kind == "cell":
        return fact.row_code in codes or (not fact.row_code and any(_row_names_code(fact, code) for code in codes)
                                          and fact.table_kind in standard.FUNCTION_TABLES + standard.ECONOMIC_TABLES)
    return any(code in fact.quote or _heading_names_code(fact, code) or _levels_said(fact.quote, code) for code in codes)


def _levels_said(quote: str, code: str) -> bool:
    """A sentence naming a code by its levels: "公共安全支出（204类）司法（06款）信息化建设（13项）" says 2040613."""
    parts = [f"{code[:3]}类", f"{code[3:5]}款", f"{code[5:]}项"][:{3: 1, 5: 2, 7: 3}.get(len(code), 0)]
    at = 0
    for part in parts:
        at = quote.find(part, at)
        if at < 0:
            return False
    return bool(parts)


def _row_names_code(fact: Fact, code: str) -> bool:
    """A row printed without codes is that code's row when it bears the code's national name, under the
    parent's name where the table prints that name more than once (行政运行 under 文化和旅游: 2070101)."""
    name, parent = thesaurus.code_name(code), thesaurus.code_name(code[:-2]) if len(code) > 3 else None
    if not name or normalize(strip_enumerator(clean_label(fact.row_label))) != normalize(name):
        return False
    return not fact.under or (parent is not None and normalize(fact.under) == normalize(parent))


_LEVEL_MARK = {3: "类", 5: "款", 7: "项"}


def _heading_names_code(fact: Fact, code: str) -> bool:
    """A sentence under "…财政事务（款）信息化建设（项）。" is about 2010607 although it prints no code: its
    heading names the code's row by its official name and level, under its own 款 when one is said."""
    name, mark = thesaurus.code_name(code), _LEVEL_MARK.get(len(code))
    said = normalize(fact.lead + fact.quote)
    if not name or not mark or f"{normalize(name)}({mark})" not in said:
        return False
    parent = thesaurus.code_name(code[:5]) if len(code) == 7 else None
    return parent is None or "(款)" not in said or f"{normalize(parent)}(款)" in said


def _printed_blank(fact: Fact, words: tuple[str, ...], unit: str) -> bool:
    """A sentence's figure of another thing, where the sentence prints the thing asked with its unit and
    no number (a template's blank: "房屋平方米(其中办公用房平方米"): the thing asked has no figure."""
    own = normalize(fact.own_words + fact.item)
    return (fact.kind == "narrative" and bool(words) and not any(w in own for w in words)
            and any(re.search(re.escape(w) + r"\s*" + re.escape(unit), normalize(fact.said_before)) for w in words))


def _fits_measures(fact: Fact, measures: set[str]) -> bool:
    """A cell answers a question naming measures only from one of those columns; a sentence only
    when it names one of them."""
    if not measures:
        return True
    if fact.kind == "cell":
        return (not fact.measure or any(standard.answers_measure(m, fact.measure, fact.table_kind, fact.doc_kind)
                                        for m in measures)
                or _measure_above(fact) in measures  # "年初预算 / 小计": the 小计 of that period
                or _row_names_measure(fact, measures))
    if "决算数" in measures and fact.doc_kind == "决算" and not re.search(r"预算|上年|[0-9]{4}年度?[^，。]*(?:比|较)", fact.item):
        return True  # a final account's sentence says what was spent ("2024年度机关运行经费支出65.64万元")
    # (last year's by the words since the amount before: "2025年预算执行数为60.41万元，2026年预算安排227.88万元")
    return any(standard.sentence_names_measure(m, fact.own_words if m in standard.LAST_YEAR_MEASURES else fact.said_before,
                                               fact.year) for m in measures)


class Recent:
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


# a fund named in words of funds only ("一般公共预算财政拨款"): which money, not which item
_FUND_PHRASE = re.compile("(?:" + "|".join(standard.FUND_WORDS) + ")+")
# funds a document may have no figure of at all: a question naming one is answered only where it is named
_RARE_FUNDS = ("政府性基金", "国有资本经营")


def _of_funds(fact: Fact, question: str) -> bool:
    """"政府性基金预算财政拨款支出决算是多少": only a figure its table, column, row or sentence names
    as of that fund (never the document's total spending)."""
    where = f"{fact.table}{fact.column}{fact.row_label}{fact.quote if fact.kind == 'narrative' else ''}"
    return all(fund in where for fund in _RARE_FUNDS if fund in question)


# a side's totals: the year's own (本年收入合计, 收入合计) and with the balances carried in or out (收入总计)
_TOTAL_SIDE = re.compile(r"(?:本年)?(?P<side>收入|支出)(?P<end>合计|总计)")
# words of a question choosing one of them
_NAMES_TOTAL = re.compile(r"本年|当年|今年新|新进账|一年|全年|不含|不算|不包括|合计|总计|含|包括|算上|加上|结转|结余|剩|留")
# the two ends of a year a stock is counted at, and the words that name each
_YEAR_ENDS = (("年初", "期初", "开年", "上年留", "上年剩", "上年结转", "往年", "留到今年", "留到本年"),
              ("年末", "期末", "年底", "结转下年", "结转到下", "带到下", "留到下"))


def _names_parent(text: str, parent: str) -> bool:
    """Whether a question names the row a repeated row is part of: by its name, or by the first two
    characters of a longer one ("林业的行政运行" for the one under 林业和草原)."""
    name = strip_enumerator(normalize(parent))
    return bool(name) and (name in text or (len(name) > 2 and name[:2] in text))
