"""calculator: arithmetic answers over facts the finder finds — share, sum, per person, item and
column differences, growth, ranking across documents. Decimal arithmetic, every operand cited,
the formula shown. Returns None when an operand is missing (respond.py then answers plainly).
The operands are looked up as parse_query parsed them (Query.operands)."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from budgetqa.answer.compose import Answer, Operand, ambiguous, computed_in_each, format_decimal, not_found
from budgetqa.answer.compute import (
    FELL,
    STATED_CHANGE,
    base_column,
    common_unit,
    difference,
    earlier_level,
    growth,
    in_unit,
    names_base,
    ratio,
    result,
    share_of_sum,
    staff_fact,
    stated_change_pair,
    stated_rate,
    stated_ratio,
)
from budgetqa.answer.finder import Finder
from budgetqa.answer.retrieve import FIRM_LABEL_SCORE, MIN_LABEL_SCORE, clean_label
from budgetqa.model import standard
from budgetqa.model.document import MONEY_UNITS, DocumentMeta
from budgetqa.model.facts import AMOUNT_SAID, COMPARED_OPENING, Fact
from budgetqa.model.text import normalize
from budgetqa.parse.vocabulary import GRAND_TOTAL, TOTAL_LABEL, strip_enumerator
from budgetqa.query.asking import TOTAL_END, TOTAL_VOCABULARY, Ask, of_document_kind
from budgetqa.query.operation import BasePeriod, Operation
from budgetqa.query.question import Query

_PAIRWISE = ("difference", "growth", "ratio")  # operations on two documents' figures
ONE_DOCUMENT = ("per_person", "per_count", "share", "item_difference", "column_change", "top")  # and a ratio of two items of one


def _counted_in_prose(facts: list[Fact], item: Fact, counted: str) -> Fact | None:
    """The count a sentence gives of the item ("公务接待费支出决算21,229.00元，国内公务接待8批次、153人次"
    for 公务接待费 per 人次): a figure in `counted` in a sentence naming the item (its name without 费)."""
    stem = clean_label(item.row_label or item.column.split(" / ")[-1]).removesuffix("费")
    said = next((f for f in facts if f.kind == "narrative" and f.unit == counted and f.value > 0
                 and len(stem) >= 2 and stem in normalize(f.quote)), None)
    if said is None and counted == "辆" and "车" in stem:  # a car's costs per car: the cars the unit has
        said = next((f for f in facts if f.kind == "narrative" and f.unit == "辆" and f.value > 0
                     and _FLEET.search(f.item) and not _FLEET_CHANGE.search(f.item)), None)
    return said


def _people_counted(facts: list[Fact], who: str, item: Fact | None) -> Fact | None:
    """The number of the people a question divides by ("参训学员人数 … 260人"), in the item's own
    project when its sentence or table says so."""
    counts = [f for f in facts if f.unit == "人" and f.value > 0 and who in normalize(f.row_label + f.column + f.quote)]
    project = clean_label(item.item or item.row_label) if item is not None else ""
    return next((f for f in counts if project and project in normalize(f.quote + f.row_label)), next(iter(counts), None))


# the figures of one period or stage of the budget ("年初预算", "全年预算", "决算数"): a whole naming one is read there
_PERIOD_MEASURES = frozenset({"年初预算", "调整预算", "决算数", "上年预算", "上年执行数"})
_FLEET = re.compile(r"共有|保有|实有|现有|车辆$|车辆(?:总数|数)")
_FLEET_CHANGE = re.compile(r"购置|更新|新增|报废|处置|其中")


class Calculator:
    def __init__(self, finder: Finder):
        self.finder = finder  # finds the operands

    def answer(self, query: Query) -> Answer | None:
        """The arithmetic the query asks for; None when an operand is missing (the caller then answers plainly)."""
        operation, docs = query.operation, query.match.docs
        if query.match.year_before and operation.kind != "column_change":
            return None  # the year before the document's: its operands are no figures of the document's own year
        if operation.kind == "share" and operation.larger_first and len(docs) == 2 and (
                len({m.entity for m in docs}) == 2 or len({m.year for m in docs}) == 2):  # two units, or one unit's two years
            return self.rates_compared(query, query.mentioned or docs, self.share)
        if operation.kind == "rate_gap":  # each unit's change (or completion) of its own row and years
            if len({m.entity for m in docs}) != 2 or len(docs) != 2:
                return None
            per_document = replace(query, operation=replace(operation, kind="column_change"))
            return self.rates_compared(per_document, query.mentioned or docs, self.column_change)
        one_unit = len({(m.entity, m.year) for m in docs}) == 1  # (its 部门 and 单位 documents, both fitting)
        if operation.kind in ONE_DOCUMENT or (operation.kind in ("sum", "ratio") and one_unit):
            if len(docs) == 1:
                return self._in_document(query, docs[0])
            return computed_in_each([(meta, self._in_document(query, meta)) for meta in docs]) if one_unit else None
        if operation.kind != "rank" and len({m.entity for m in docs}) > 1 and (
                not query.match.entity_named or query.match.shared_name):
            return None  # "2025年预算比2024年增长了多少", "镇政府…一共多少": no units named apart to set together
        if operation.kind == "sum" and len({m.entity for m in docs}) == 1 and not query.match.years and not operation.years_summed:
            return None  # "甲中心一般公共预算支出一共多少" with two years' documents: which year is not said, no sum of years
        return self.across_documents(query)

    def _in_document(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """The arithmetic of one document's figures the query asks for."""
        operation = query.operation
        if _projects_completion_asked(query):
            return self.projects_completion(query, meta)
        if operation.kind == "column_change":
            return self.column_change(query, meta)
        if operation.kind == "item_difference":
            return self.item_difference(query, meta)
        if operation.kind == "per_person":
            return self.per_person(query, meta)
        if operation.kind == "per_count":
            return self.per_count(query, meta)
        if operation.kind == "share":
            return self.share(query, meta)
        if operation.kind == "ratio":
            return self.item_ratio(query, meta)
        if operation.kind == "top":
            return self.top_row(query, meta)
        if operation.quarters:
            return self.quarters_summed(query, meta)
        if operation.projects:
            return self.rows_summed(query, meta)
        return self.sum_of_items(query, meta)

    def table_rows(self, query: Query, meta: DocumentMeta) -> list:
        """The rows of the table (and column) the question names, in print order — a project
        table's projects, or the classification rows of one level (项 unless it names another)."""
        operation, item = query.operation, query.operands[0]
        cells = [s.fact for s in self.finder.rank(item.ask, [meta.doc_id], k=60)
                 if s.fact.kind == "cell" and s.fact.unit in MONEY_UNITS
                 and (not operation.projects or "项目" in s.fact.table_kind or "项目" in s.fact.table)
                 and (not operation.level or len(s.fact.row_code) == operation.level)]
        if not cells:
            return []
        anchor = cells[0]
        rows = [f for f in self.finder.facts_of([meta.doc_id]) if f.kind == "cell" and f.unit == anchor.unit
                and (f.table_id, f.part, f.column) == (anchor.table_id, anchor.part, anchor.column)
                and f.row_label and not TOTAL_LABEL.search(f.row_label)]
        deepest = operation.level or max((len(f.row_code) for f in rows), default=0)
        return [f for f in rows if len(f.row_code) == deepest]

    def rows_summed(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """"三个项目的财政拨款合计": the column over every project of the table, when the count asked is the table's."""
        rows, count = self.table_rows(query, meta), query.operation.count
        if len(rows) < 2:
            return None
        if count not in (0, len(rows)):  # the rows asked are not the table's: no sum of some of them
            return not_found(f"{meta.label} 的《{rows[0].table}》列有 {len(rows)} 个项目，不是问题所说的 {count} 个",
                             [(f, meta) for f in rows])
        ops = [Operand(f, meta, f.value) for f in rows]
        value = sum((op.value for op in ops), Decimal(0))
        anchor = rows[0]
        summed = " + ".join(format_decimal(op.value) for op in ops)
        if query.operation.mean:  # "平均每个项目多少": the total over the rows
            return result(value / len(rows), anchor.unit, f"{meta.label}：{len(rows)} 个项目平均每个 {{value}} {anchor.unit}"
                          f"（{anchor.table}，{anchor.column}）。", f"({summed}) ÷ {len(rows)}", ops, divided=True)
        return result(value, anchor.unit, f"{meta.label}：{len(rows)} 个项目合计 {format_decimal(value)} {anchor.unit}"
                      f"（{anchor.table}，{anchor.column}）。", f"{summed} = {format_decimal(value)}", ops)

    def quarters_summed(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """"四个季度的用款计划加起来": the quarters' figures of the sentence that best names the item
        ("第一季度用款计划158.05万元，第二季度…"), each quarter once; None unless it gives all four."""
        listed = [f for f in self.finder.facts_of([meta.doc_id]) if f.kind == "narrative" and _QUARTER.search(f.item)]
        words = query.operands[0].ask.specific

        def said(fact: Fact) -> int:  # the project's name is in the sentence's paragraph, its item by the figure
            return sum(len(w) for w in words if w in normalize(fact.lead + fact.quote))
        best = max(listed, key=said, default=None)
        if best is None or not said(best):
            return None
        quarters = {}
        for fact in listed:
            if fact.quote == best.quote and fact.unit == best.unit:
                quarters.setdefault(_QUARTER.search(fact.item)[1], fact)
        if len(quarters) != 4:
            return None
        ops = [Operand(f, meta, f.value) for f in quarters.values()]
        value = sum((op.value for op in ops), Decimal(0))
        return result(value, best.unit, f"{meta.label}：四个季度合计 {format_decimal(value)} {best.unit}。",
                      " + ".join(format_decimal(op.value) for op in ops) + f" = {format_decimal(value)}", ops)

    def projects_completion(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """"三个项目合起来的执行率": Σ 执行数 ÷ Σ 预算数 over the projects of a project table (never one
        project's own rate); what they left unspent, Σ 预算数 − Σ 执行数, when that is asked."""
        count = query.together
        cells = [f for f in self.finder.facts_of([meta.doc_id]) if f.kind == "cell" and f.unit in MONEY_UNITS
                 and "项目" in f.table_kind + f.table and f.row_label and not TOTAL_LABEL.search(f.row_label)]
        best: tuple[list, list] = ([], [])
        for table in dict.fromkeys(f.table_id for f in cells):
            mine = [f for f in cells if f.table_id == table]
            spent = {f.row_label: f for f in mine if standard.ACTUAL.search(f.column)}
            budgets = [f for f in mine if "预算" in f.column and not standard.ACTUAL.search(f.column)]
            # the rate is measured against the 全年预算 where a table prints both
            planned = {f.row_label: f for f in sorted(budgets, key=lambda f: "全年" not in f.column, reverse=True)}
            rows = [label for label in spent if label in planned]
            if len(rows) > len(best[0]):
                best = ([spent[r] for r in rows], [planned[r] for r in rows])
        spent, planned = best
        if len(spent) < 2:
            return None
        if count and count != len(spent):
            return not_found(f"{meta.label} 的《{spent[0].table}》列有 {len(spent)} 个项目，不是问题所说的 {count} 个",
                             [(f, meta) for f in spent])
        a, b = sum(f.value for f in spent), sum(f.value for f in planned)
        unit = spent[0].unit
        operands = [Operand(f, meta, f.value) for f in spent + planned]
        if not query.operation.completion and query.operation.shortfall:  # "两个项目加在一起，还有多少没执行掉"
            return result(b - a, unit, f"{meta.label}：{len(spent)} 个项目{planned[0].column}合计 {format_decimal(b)} {unit}，"
                          f"执行 {format_decimal(a)} {unit}，未执行 {format_decimal(b - a)} {unit}。",
                          f"({' + '.join(format_decimal(f.value) for f in planned)}) − "
                          f"({' + '.join(format_decimal(f.value) for f in spent)}) = {format_decimal(b - a)}", operands)
        if b == 0:
            return None
        return result(a / b * 100, "%", f"{meta.label}：{len(spent)} 个项目合计执行 {format_decimal(a)} {unit}，"
                      f"占其{planned[0].column} {format_decimal(b)} {unit} 的 {{value}}%。",
                      f"({' + '.join(format_decimal(f.value) for f in spent)}) ÷ "
                      f"({' + '.join(format_decimal(f.value) for f in planned)}) × 100%", operands, divided=True)

    def top_row(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """"哪个项目预算最多": the rows of the table the question names, ranked."""
        operation = query.operation
        rows = self.table_rows(query, meta)
        if len(rows) < 2:
            return None
        anchor = rows[0]
        ordered = sorted(rows, key=lambda f: f.value, reverse=True)
        top = ordered[-1] if operation.lowest else ordered[0]
        ranking = "；".join(f"{f.row_label} {format_decimal(f.value)}" for f in ordered)
        return result(top.value, top.unit, f"{meta.label}：{top.row_label} 最{'少' if operation.lowest else '多'}，"
                      f"{format_decimal(top.value)} {top.unit}（{anchor.table}，{anchor.column}）。",
                      f"排序（高→低）：{ranking}", [Operand(top, meta, top.value)])

    def item_difference(self, query: Query, meta: DocumentMeta) -> Answer | None:
        operation, unit = query.operation, query.unit
        first, second = (self.finder.lookup(operand, meta) for operand in query.operands)
        if first is None or second is None or first.id == second.id:
            return None
        value_unit = common_unit([first, second], unit)
        if value_unit is None:
            return None  # operands in units that do not add up
        a, b = (Operand(f, meta, in_unit(f, value_unit)) for f in (first, second))
        if operation.larger_first and a.value < b.value:
            a, b = b, a
        return difference(a, b, operation.shortfall, value_unit, meta.label)

    def item_ratio(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """"A是B的百分之几" in one document: A ÷ B."""
        first, second = (self.finder.lookup(operand, meta) for operand in query.operands)
        if first is None or second is None or first.id == second.id:
            return None
        value_unit = common_unit([first, second], "")
        if value_unit is None:
            return None
        a, b = (Operand(f, meta, in_unit(f, value_unit)) for f in (first, second))
        return ratio(a, b, query.operation.times)

    def per_person(self, query: Query, meta: DocumentMeta) -> Answer | None:
        unit = query.unit
        item = self.finder.lookup(query.operands[0], meta) or self.finder.best_fact(query.operands[0].ask, meta)
        who = query.operation.counted  # "按参训学员人头算": those people, not the staff
        if query.operation.given:
            return _over_given(item, query.operation.given, "人", unit, meta)
        facts = self.finder.facts_of([meta.doc_id])
        staff = _people_counted(facts, who, item) if who else staff_fact(facts)
        if staff is None:
            return not_found(f"{meta.label} 未载明{who or '在职'}人数，无法计算人均")
        if item is None or item.unit not in MONEY_UNITS:
            return None  # a count over a count is no money per person
        value_unit = unit or item.unit
        a = Operand(item, meta, in_unit(item, value_unit))
        b = Operand(staff, meta, staff.value)
        value = a.value / b.value
        return result(value, value_unit, f"{meta.label}：人均 = {{value}} {value_unit}。",
                      f"{format_decimal(a.value)} ÷ {staff.printed} 人", [a, b], divided=True)

    def rates_compared(self, query: Query, docs: list[DocumentMeta], rate_of) -> Answer | None:
        """"财政拨款收入占本年收入的比重，A和B相差几个百分点", "…增减率，A比B高几个百分点": each unit's
        rate (`rate_of`: its share, change or completion), then their gap in points (the larger named)."""
        rates = [(meta, rate_of(query, meta)) for meta in docs]
        if any(answer is None or answer.value is None or answer.unit != "%" for _, answer in rates):
            return None
        (a, first), (b, second) = rates
        gap = first.value - second.value
        ops = [*first.operands, *second.operands]
        if a.entity == b.entity:  # one unit's two years ("2025年预算和2023年决算相比"): the change, signed
            return result(gap, "个百分点", f"{a.label} {format_decimal(first.value)}%，{b.label} {format_decimal(second.value)}%；"
                          f"变化 {format_decimal(gap)} 个百分点。",
                          f"{format_decimal(first.value)}% − {format_decimal(second.value)}% = {format_decimal(gap)} 个百分点", ops)
        larger = a if gap >= 0 else b
        return result(abs(gap), "个百分点", f"{a.label} {format_decimal(first.value)}%，{b.label} {format_decimal(second.value)}%；"
                      f"{larger.label} 高 {format_decimal(abs(gap))} 个百分点。",
                      f"|{format_decimal(first.value)}% − {format_decimal(second.value)}%| = {format_decimal(abs(gap))} 个百分点", ops)

    def per_count(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """"台式计算机平均每台预算多少": the row's amount over the 数量 it prints in 台."""
        counted = query.operation.counted
        if query.operation.given:
            return _over_given(self.finder.lookup(query.operands[0], meta), query.operation.given, counted, query.unit, meta)
        facts = self.finder.facts_of([meta.doc_id])
        for item in self.finder.candidate_facts(query.operands[0].ask, meta, 10):
            if item.kind != "cell" or item.unit not in MONEY_UNITS:
                continue
            count = next((f for f in facts if f.kind == "cell" and f.row_id == item.row_id
                          and (f.unit == counted or counted in f.column) and f.unit not in MONEY_UNITS and f.value > 0), None)
            count = count or _counted_in_prose(facts, item, counted)
            if count is None:
                continue
            value_unit = query.unit or item.unit
            a, b = Operand(item, meta, in_unit(item, value_unit)), Operand(count, meta, count.value)
            return result(a.value / b.value, value_unit, f"{meta.label}：平均每{counted} {{value}} {value_unit}。",
                          f"{format_decimal(a.value)} {value_unit} ÷ {count.printed} {counted}", [a, b], divided=True)
        return not_found(f"{meta.label} 未载明{counted}数，无法计算平均每{counted}的金额")

    def share(self, query: Query, meta: DocumentMeta) -> Answer | None:
        part_operand, whole_operand = query.operands
        part = self.finder.lookup(part_operand, meta)
        if part is None:
            return None
        # the whole holds the part: skip candidates smaller than it (a 收入 line for a 支出 whole)
        # a whole naming a measure ("…年初预算") is read from that measure only
        # "占项目支出总额的百分之几": that measure's total (its 总额 said as the whole's, no other item)
        total = self.finder.measure_total(whole_operand.as_total, meta) if whole_operand.as_total else None
        candidates = ([total] if total is not None else
                      self.finder.fitting(whole_operand, meta)[0] if whole_operand.measures & _PERIOD_MEASURES
                      else self.finder.candidate_facts(whole_operand.ask, meta, 5))
        wholes = [f for f in candidates
                  if f.id != part.id and f.unit == part.unit and f.value >= part.value > 0
                  and not (f.part and part.part and f.part != part.part)]  # never the other half of a 收支总表
        if _BARE_TOTAL.fullmatch(normalize(whole_operand.item_text)) and part.kind == "cell":
            # "基本支出占合计的比例": the 合计 column of the part's own row
            wholes = [f for f in self.finder.facts_of([meta.doc_id]) if f.kind == "cell" and f.table_id == part.table_id
                      and f.part == part.part and _same_row(f, part) and f.measure == "合计" and f.value >= part.value > 0]
        top = next(iter(wholes), None)
        # the whole's best cell is in the part's table, in a column the whole names (收入合计, 其本年收入合计)
        named_column = (top is not None and top.table_id == part.table_id and top.column != part.column
                        and _says_column(whole_operand, top))
        if named_column and not _says_column(part_operand, part):
            # "机关的收入占收入合计的百分之几": the column the whole names is the part's too
            part = next((f for f in self.finder.facts_of([meta.doc_id]) if f.kind == "cell" and f.table_id == top.table_id
                         and (f.part, f.column) == (top.part, top.column) and _same_row(f, part) and f.id != top.id), part)
        # a whole in the part's own table is read in the part's column (its year, its measure) — unless
        # it names its own, or names a fund while the part's table holds all funds (一般公共预算支出, not 支出总计)
        all_funds = whole_operand.ask.fund and part.table_kind == "收支总表"
        own_column = named_column and not _says_column(whole_operand, part)
        whole = top if all_funds or own_column else next(
            (f for f in wholes if f.table_id == part.table_id and f.column == part.column), top)
        if whole is None or (_same_row(whole, part) and whole.amount == part.amount and whole.measure == part.measure):
            return None  # the part's own figure again (in another table): no whole was found
        part = self._read_beside(part, whole, meta)
        shown_unit = common_unit([part, whole], "")
        if shown_unit is None:
            return None  # operands in units that do not add up
        ops = [Operand(f, meta, in_unit(f, shown_unit)) for f in (part, whole)]
        if query.operation.base != BasePeriod():  # (no base period's figures: said, never a share of one year)
            base = query.operation.base
            return self._share_change(ops, base, meta) or self._share_change_elsewhere(part_operand, base, meta) or not_found(
                f"{meta.label} 中找不到{f'{base.year}年' if base.year else base.word}的对应数字，无法比较两个时期的占比")
        value = ops[0].value / ops[1].value * 100
        return result(value, "%", f"{meta.label}：占比 {{value}}%。",
                      f"{format_decimal(ops[0].value)} {shown_unit} ÷ {format_decimal(ops[1].value)} {shown_unit} × 100%",
                      ops, divided=True)

    def _share_change(self, now: list[Operand], base: BasePeriod, meta: DocumentMeta) -> Answer | None:
        """"…的比重，2026年比2025年提高了多少个百分点": the share in the base period's column (its rows'
        cells there) set against the share now, in points."""
        earlier = [base_column(self._row_cells(op.fact), base, meta.year or 0) for op in now]
        if any(f is None or f.id == op.fact.id or f.unit != op.fact.unit for f, op in zip(earlier, now)) or not earlier[1].value:
            return None
        before = [Operand(f, meta, in_unit(f, now[0].fact.unit)) for f in earlier]
        shares = [ops[0].value / ops[1].value * 100 for ops in (now, before)]
        shown = [format_decimal(share.quantize(Decimal("0.01"), ROUND_HALF_UP)) for share in shares]
        then = earlier[0].row_label if standard.is_period_row(earlier[0].row_label) else earlier[0].column
        return result(shares[0] - shares[1], "个百分点", f"{meta.label}：占比 {shown[0]}%，{then} {shown[1]}%；变化 {{value}} 个百分点。",
                      f"{format_decimal(now[0].value)} ÷ {format_decimal(now[1].value)} × 100% − "
                      f"{format_decimal(before[0].value)} ÷ {format_decimal(before[1].value)} × 100%", now + before, divided=True)

    def _share_change_elsewhere(self, part_operand: Query, base: BasePeriod, meta: DocumentMeta) -> Answer | None:
        """The share's change read in another table printing the part with the base period's column (the
        function table's 2023年执行数, where the economic table the part was found in has none): the part's
        row over that table's total row, in both periods."""
        facts = self.finder.facts_of([meta.doc_id])
        for part in self.finder.fitting(part_operand, meta)[0]:
            if part.kind != "cell":
                continue
            total = next((f for f in facts if f.kind == "cell" and (f.table_id, f.part, f.column) == (part.table_id, part.part, part.column)
                          and GRAND_TOTAL.search(clean_label(f.row_label)) and f.value >= part.value > 0), None)
            if total is not None and total.unit == part.unit:
                found = self._share_change([Operand(f, meta, f.value) for f in (part, total)], base, meta)
                if found is not None:
                    return found
        return None

    def _read_beside(self, part, whole, meta: DocumentMeta):
        """A share's part on the whole's basis: the part's row in the whole's table and column when
        that table has it ("一般公共预算支出中一般公共服务支出" — both of 一般公共预算, not all funds)."""
        if part.kind != "cell" or whole.kind != "cell" or part.table_id == whole.table_id:
            return part  # one table: the part's column is its own (项目支出 of the 合计 row)
        return next((f for f in self.finder.facts_of([meta.doc_id])
                     if f.kind == "cell" and (f.table_id, f.part, f.column) == (whole.table_id, whole.part, whole.column)
                     and _same_row(f, part) and f.value < whole.value), part)  # never the whole itself

    def sum_of_items(self, query: Query, meta: DocumentMeta) -> Answer | None:
        unit = query.unit
        facts = [self.finder.lookup(operand, meta) for operand in query.operands]
        if not facts or any(f is None for f in facts):
            return None
        distinct = _distinct_figures(facts)
        if len(distinct) == 1:  # "买车加上养车": the items printed only as one figure, counted once
            fact = distinct[0]
            return result(fact.value, fact.unit, f"{meta.label}：文件只印这几项的合计 {fact.printed} {fact.unit}。",
                          "各项只合并印出，不重复相加", [Operand(fact, meta, fact.value)])
        if len({f.id for f in facts}) < len(facts):
            return None
        value_unit = common_unit(facts, unit)
        if value_unit is None:
            return None  # operands in units that do not add up
        ops = [Operand(f, meta, in_unit(f, value_unit)) for f in facts]
        value = sum((op.value for op in ops), Decimal(0))
        return result(value, value_unit, f"{meta.label}：合计 {format_decimal(value)} {value_unit}。",
                      " + ".join(format_decimal(op.value) for op in ops) + f" = {format_decimal(value)}", ops)

    def across_documents(self, query: Query) -> Answer | None:
        """Rank, sum, growth or difference of one item over several documents (in the order named)."""
        operation, ordered, unit, item = query.operation, query.mentioned, query.unit, query.operands[0]
        items = {meta.doc_id: _of_member(query, item, meta) for meta in ordered}  # each department's unit named
        # across documents an operand must name the item firmly: a near miss (301 工资福利支出 for
        # 30199 其他工资福利支出) in one document would decide a ranking or a sum
        found = [(meta, self.finder.measure_total(items[meta.doc_id], meta)) for meta in ordered]
        if item.codes:  # "住房公积金（功能科目2210201）": the row of that code in each, never its namesake
            found = [(meta, self.finder.lookup(items[meta.doc_id], meta)) for meta in ordered]
        if not all(fact for _, fact in found):  # not a measure's total ("人员经费") in each: the item named
            found = [(meta, fact if fact is not None and not item.codes else self.finder.best_fact(
                of_document_kind(items[meta.doc_id].ask, meta.kind), meta, FIRM_LABEL_SCORE, unit)) for meta, fact in found]
        if not all(fact for _, fact in found):  # or the same item, less firmly named, in every document
            loose = [(meta, self.finder.best_fact(of_document_kind(items[meta.doc_id].ask, meta.kind), meta, unit=unit))
                     for meta in ordered]
            if all(fact for _, fact in loose) and _same_item([fact for _, fact in loose]):
                found = loose
        each_its_own = len(operation.quoted) == len(ordered) > 1
        found = [(meta, fact if fact is not None and _accounts_for(fact, operation.quoted, each_its_own)
                  and not self.finder.of_another_classification(fact, item) else None) for meta, fact in found]
        found = self.same_table(item.ask, [(meta, fact) for meta, fact in found if fact is not None])
        # (read after the tables are matched: the 上年 column of one is no reason to read the others' 上年)
        found = [(meta, self._year_before(item, meta) if _one_year_later(query, meta) else fact) for meta, fact in found]
        found = [(meta, fact) for meta, fact in found if fact is not None]
        if not (operation.kind == "difference" and len(found) == 2):  # two documents compared: both, as named
            found = _one_per_unit_and_year(found)
        if found is None or len(found) < 2:
            return None
        if operation.kind in _PAIRWISE and len(found) > 2:  # "卫健委的…比岭南…少多少": which 卫健委 is not said
            return ambiguous(found, unit)
        views = [self.finder.classification_views(item, meta, [fact, *self.finder.fitting(item, meta)[0]])
                 for meta, fact in found] if not _names_its_class(query, found[0][1]) else [[]]
        if all(views):  # each prints the item by function and by economic nature, at other amounts: which is compared?
            return ambiguous([(meta, fact) for view, (meta, _) in zip(views, found) for fact in view], unit,
                             f"各文档的“{clean_label(found[0][1].row_label)}”都有功能分类和经济分类两种口径，金额不同，请指明口径：")
        totals = [self.finder.total_views(items[meta.doc_id], meta, [fact]) for meta, fact in found]
        if any(totals):  # "收入" where a document prints the year's own income and the total with balances apart
            return ambiguous([(meta, f) for view, (meta, fact) in zip(totals, found) for f in (view or [fact])], unit,
                             "“收入”可指本年收入合计或含上年结转结余的收入总计，金额不同，请指明：")
        value_unit = common_unit([f for _, f in found], unit)
        if value_unit is None:
            return None  # operands in units that do not add up
        ops = [Operand(f, _as_member(query, m), in_unit(f, value_unit)) for m, f in found]
        if operation.kind == "rank":
            pick = min if operation.lowest else max
            best = pick(ops, key=lambda op: op.value)
            ranking = "；".join(f"{op.meta.entity} {format_decimal(op.value)}" for op in sorted(ops, key=lambda op: -op.value))
            fewer = pick is min
            headline = f"{best.meta.label} 最{'低' if fewer else '高'}：{format_decimal(best.value)} {value_unit}"
            if len(ops) == 2:  # "A和B哪个多": the larger, and by how much
                other = next(op for op in ops if op is not best)
                headline = (f"{best.meta.label} 较{'少' if fewer else '多'}：{format_decimal(best.value)} {value_unit}，"
                            f"比 {other.meta.label}（{format_decimal(other.value)} {value_unit}）"
                            f"{'少' if fewer else '多'} {format_decimal(abs(best.value - other.value))} {value_unit}")
            return result(best.value, value_unit, f"{headline}。", f"排序（高→低）：{ranking}", ops)
        if operation.kind == "sum":
            value = sum((op.value for op in ops), Decimal(0))
            # a unit named without the figure is said, never left out silently
            used = {(m.entity, m.year) for m in ordered if m.doc_id in {op.fact.doc_id for op in ops}}
            missing = list(dict.fromkeys(m.label for m in ordered if (m.entity, m.year) not in used))
            left_out = f"（不含 {'、'.join(missing)}：其文件中未找到此项）" if missing else ""
            return result(value, value_unit, f"合计 {format_decimal(value)} {value_unit}{left_out}。",
                          " + ".join(format_decimal(op.value) for op in ops) + f" = {format_decimal(value)}", ops)
        if operation.kind == "share_of_sum":
            return share_of_sum(ops, operation.part_unit, value_unit)
        a, b = ops[0], ops[1]
        first = a  # "A和B分别是多少": A's figure heads the answer, the comparison beside it
        if operation.base_first or (operation.larger_first and a.value < b.value):
            a, b = b, a
        if operation.kind == "growth":  # "甲比乙低了百分之多少": the fall, (乙 − 甲) ÷ 乙
            return growth(a, b, f"{a.meta.label} 相比 {b.meta.label}", decline=operation.shortfall)
        if operation.kind == "ratio":
            return ratio(a, b, operation.times)
        shortfall = operation.shortfall
        if shortfall:  # "A比B少多少": the shortfall B − A
            value = b.value - a.value
            formula = f"{format_decimal(b.value)} − {format_decimal(a.value)} = {format_decimal(value)}"
        else:
            value = a.value - b.value
            formula = f"{format_decimal(a.value)} − {format_decimal(b.value)} = {format_decimal(value)}"
        more = (value >= 0) != shortfall
        gap_unit = "个百分点" if value_unit == "%" else value_unit  # two rates differ by points
        compared = (f"{a.meta.label} 与 {b.meta.label} 相同，相差 0 {gap_unit}" if a.value == b.value else
                    f"{a.meta.label} 比 {b.meta.label} {'多' if more else '少'} {format_decimal(abs(value))} {gap_unit}")
        if operation.each:
            return result(first.value, value_unit, "；".join(f"{op.meta.label}：{format_decimal(op.value)} {value_unit}"
                                                           for op in ops[:2]) + f"（{compared}）。", formula, [a, b])
        return result(value, gap_unit,
                      f"{compared}（{format_decimal(a.value)} {value_unit} 对 {format_decimal(b.value)} {value_unit}）。",
                      formula, [a, b])

    def _year_before(self, item: Query, meta: DocumentMeta) -> Fact | None:
        """"同是2025年": the item in the 上年 column of a unit's 2026 budget."""
        last_year = replace(item, measures=(item.measures - {"本年预算", "决算数"}) | {"上年预算"},
                            match=replace(item.match, year_before=True))
        return self.finder.lookup(last_year, meta)

    def same_table(self, ask: Ask, found: list) -> list:
        """Operands compared across documents are read from the same standard table and column when
        each document has one: 支出总表's 合计 is not compared with 一般公共预算支出表's."""
        cells = [fact for _, fact in found if fact.kind == "cell"]
        if len(cells) != len(found) or len({_basis(f) for f in cells}) <= 1:
            return found
        for basis, _ in Counter(_basis(f) for f in cells).most_common():  # (two documents: either one's table)
            aligned = [(meta, fact if _basis(fact) == basis else next(  # (the document's own row, in that table)
                (f for f in self.finder.candidate_facts(ask, meta, 10) if f.kind == "cell" and _basis(f) == basis
                 and _same_row_name(f, fact)), None))
                for meta, fact in found]
            if all(fact is not None for _, fact in aligned):
                return aligned
        return found  # no table every document has: compare what each prints

    def column_change(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """One row, two of its columns: this year's figure against the base the question names."""
        operation, unit, item = query.operation, query.unit, query.operands[0]
        if operation.as_rate and operation.base.word == "上年" and self._states_rate(query, meta):
            return None  # a sentence states the change from last year asked ("下降15.25%"): cited as printed
        item_words = [w for w in item.ask.content if w not in TOTAL_VOCABULARY]  # not 支出, 预算
        ranked = [r for r in self.finder.rank(item.ask, [meta.doc_id], k=30) if r.fact.kind == "cell"]
        for scored in ranked:
            if scored.label_score < MIN_LABEL_SCORE:
                break
            fact = scored.fact
            leaf = fact.column.split(" / ")[-1]
            by_period = standard.is_period_row(fact.row_label)  # a 三公 table whose rows are years
            row = self._row_cells(fact)
            # "项目支出完成全年预算的百分之几": a breakdown asked is compared with the base period's same breakdown
            breakdown = leaf in standard.BREAKDOWN_MEASURES and leaf in item.measures and " / " in fact.column
            if breakdown:
                row = {column: f for column, f in row.items() if column.split(" / ")[-1] == leaf}
            base = base_column(row, operation.base, meta.year or 0)
            if base is None or base.id == fact.id:
                continue
            if base_column({fact.row_label if by_period else fact.column: fact}, operation.base, meta.year or 0) is not None:
                continue  # the ranked cell is itself a base-period cell
            if (not by_period and not breakdown and fact.row_label and not TOTAL_LABEL.fullmatch(leaf)
                    and leaf not in ("金额", "预算数", "决算数") and " / " in fact.column):
                continue  # "2024年预算数 / 基本支出" has no 2023 counterpart in the base column
            headers = normalize("".join(row))
            if not breakdown and fact.row_label and any(w in headers and w not in normalize(fact.row_label)
                                                        and not w.startswith("本年") for w in item_words):
                continue  # the question's item is a column here (基本支出), which the base period lacks (本年支出 names this period's)
            value_unit = common_unit([fact, base], unit)
            if value_unit is None:
                return None  # operands in units that do not add up
            a, b = (Operand(f, meta, in_unit(f, value_unit)) for f in (fact, base))
            # 三公 by period: its items are columns, its total named by the table
            item_name = (f"{fact.table} {leaf}" if TOTAL_LABEL.fullmatch(fact.column) else fact.column) if by_period \
                else fact.row_label or f"{fact.table} {leaf}"
            subject = f"{meta.label}：{item_name}{f' {leaf}' if breakdown else ''}"
            if operation.completion:
                return ratio(a, b, times=operation.times, subject=subject)
            if operation.as_rate:
                return growth(a, b, subject, operation.shortfall)
            return difference(a, b, _shortfall(operation, a, b), value_unit, subject)
        return self.stated_change(query, meta)

    def _row_cells(self, fact) -> dict:
        """A cell's row, by column; in a table whose rows are periods (三公 by year), its item by period."""
        if standard.is_period_row(fact.row_label):
            return self._periods_of(fact)
        leaf = fact.column.split(" / ")[-1]
        return {f.column: f for f in self.finder.facts_of([fact.doc_id]) if f.table_id == fact.table_id
                and f.row_code == fact.row_code and f.row_label == fact.row_label and f.kind == "cell"
                and (fact.row_label or f.column.split(" / ")[-1] == leaf)}  # 三公: the item's own columns

    def _periods_of(self, fact) -> dict:
        """A period-row table's cells of one item (its column), by the period each row names."""
        return {f.row_label: f for f in self.finder.facts_of([fact.doc_id])
                if f.kind == "cell" and (f.table_id, f.part, f.column) == (fact.table_id, fact.part, fact.column)}

    def _states_rate(self, query: Query, meta: DocumentMeta) -> bool:
        best = next(iter(self.finder.rank(query.ask, [meta.doc_id], k=1)), None)
        return (best is not None and best.label_score >= MIN_LABEL_SCORE and best.fact.kind == "narrative"
                and best.fact.unit == "%" and bool(STATED_CHANGE.search(best.fact.item)))

    def stated_change(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """No row prints both periods, but a sentence about the item states both: "年初预算为135.90万元，
        支出决算为135.25万元", "2025年当年预算执行数为60.41万元，2026年预算安排227.88万元"."""
        operation, unit, item = query.operation, query.unit, query.operands[0]
        facts = self.finder.facts_of([meta.doc_id])
        # a whole (收入预算, 支出) is stated by a sentence whose own words name its side, not by an item's
        whole = not item.ask.specific
        sides = [side for side in ("收入", "支出") if side in item.item_text] if whole else []
        for scored in self.finder.rank(item.ask, [meta.doc_id], k=len(facts)):  # cells rank first: read past them
            if scored.fact.kind != "narrative":
                continue
            own = normalize(scored.fact.own_words + scored.fact.item)
            # (a whole's level is named by its total's words, "收入预算", whatever the label score)
            if scored.label_score < MIN_LABEL_SCORE and not (whole and _WHOLE_SAID.search(own)):
                continue
            if not all(side in own for side in sides):
                continue
            if standard.off_topic(normalize(scored.fact.item), query.item_text):
                continue  # "“三公”经费预算数为47.91万元，比2023年…" states no change of the whole budget
            said = _sentence_amounts(facts, scored.fact)
            # the base period's level (a change "与上年相比增加298.09万元" names the period but is no level)
            at = next((i for i, f in enumerate(said) if names_base(f.item, operation.base, meta.year or 0)
                       and not STATED_CHANGE.search(f.item)), None)
            if at is None:
                rate = self.rate_of_stated_change(said, operation, meta)
                if rate is not None:
                    return rate
                continue
            # this period's figure is stated right beside the base (after it, else before it)
            beside = [said[i] for i in (at + 1, at - 1) if 0 <= i < len(said)]
            current = next((f for f in beside if not STATED_CHANGE.search(f.item)), None)
            if current is None:
                continue
            base = said[at]
            value_unit = common_unit([current, base], unit)
            if value_unit is None:
                return None
            a, b = (Operand(f, meta, in_unit(f, value_unit)) for f in (current, base))
            subject = f"{meta.label}：{clean_label(scored.fact.lead).rstrip('。；;，,：: ') or item.item_text}"
            if operation.completion:
                return ratio(a, b, times=operation.times, subject=subject)
            if operation.as_rate:
                return growth(a, b, subject, operation.shortfall)
            return difference(a, b, _shortfall(operation, a, b), value_unit, subject)
        return None

    def stated_unchanged(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """No figure states the change asked, but a sentence says the item's figure "与上年持平": 0."""
        operation, year = query.operation, query.operation.base.year
        # a rate asked ("增长了百分之几") is 0 too: the sentence's level is what says 持平
        for scored in self.finder.rank(replace(query.ask, percent=False), [meta.doc_id], k=80):
            if (scored.label_score >= MIN_LABEL_SCORE and scored.fact.kind == "narrative" and _says_unchanged(scored.fact)
                    and (year is None or str(year) in scored.fact.quote)):
                return _unchanged(scored.fact, meta, "%" if operation.as_rate else (query.unit or scored.fact.unit))
        return None

    def last_year_level(self, query: Query, meta: DocumentMeta) -> Answer | None:
        """"上年收入预算是多少" where the document prints no 上年 column but says "收入预算1182.04万元，
        比上年增加51.77万元": last year's level is 1182.04 − 51.77."""
        facts = self.finder.facts_of([meta.doc_id])
        last_year = query.this_year  # the item as this year's level
        if last_year is None:
            return None
        # "支出预算总额" is what "支出预算总计…" states: the words without their total qualifier
        words = [TOTAL_END.sub("", w) or w for w in last_year.content if w not in ("上年数", "上年")]
        sentences = [s.fact for s in self.finder.rank(last_year, [meta.doc_id], k=len(facts)) if s.fact.kind == "narrative"]
        for fact in sentences if words else ():
            pair = (stated_change_pair(_sentence_amounts(facts, fact), BasePeriod(word="上年"), meta.year or 0)
                    or _next_sentence_change(facts, fact, meta.year or 0))
            # the level or its change is named for the item asked ("…单位收入预算为", "收支预算总计各增加")
            if (pair is None or pair[0] is not fact or not all(w in normalize(pair[0].own_words + pair[1].item) for w in words)
                    or standard.off_topic(normalize(pair[0].item), query.item_text)):  # 机关运行经费支出 is no 支出 total
                continue
            level, change, fell = pair
            value = earlier_level(level.value, change.value, fell)
            if value <= 0:  # "增加10.23万元，增长100%": nothing last year to state (a new unit or item)
                continue
            formula = f"{format_decimal(level.value)} {'+' if fell else '−'} {format_decimal(change.value)} = {format_decimal(value)}"
            ops = [Operand(level, meta, level.value), Operand(change, meta, change.value)]
            return result(value, level.unit, f"{meta.label}：上年 {format_decimal(value)} {level.unit}"
                          f"（本年 {level.printed} {level.unit}，{change.item} {change.printed} {change.unit}）。",
                          formula, ops)
        return None

    @staticmethod
    def rate_of_stated_change(said: list, operation: Operation, meta: DocumentMeta) -> Answer | None:
        """"收入预算15621.11万元，…比2023年预算减少876.75万元" and the rate is asked: 876.75 ÷
        (15621.11 + 876.75)."""
        pair = stated_change_pair(said, operation.base, meta.year or 0) if operation.as_rate or operation.completion else None
        if pair is None:
            return None
        level, change, fell = pair
        if operation.completion:  # "是2024年预算的几倍": the level over the base the change leaves
            return stated_ratio(Operand(level, meta, level.value), Operand(change, meta, change.value), fell,
                                operation.times, meta.label,
                                f"{operation.base.year}年" if operation.base.year else operation.base.word or "上年")
        return stated_rate(Operand(level, meta, level.value), Operand(change, meta, change.value), fell,
                           operation.shortfall, meta.label)


def _says_column(operand: Query, fact) -> bool:
    """The operand names the fact's column by one of its names ("收入合计": 合计; "基本支出": 基本支出 / 小计)."""
    return any(normalize(name) in normalize(operand.item_text) for name in fact.column.split(" / "))


_WHOLE_SAID = re.compile(r"(?:收入|支出|收支)预算(?:总计|总额|合计)?$|预算(?:总计|总额)$")  # "…收入预算", "收支预算总计"
_BARE_TOTAL = re.compile(r"(?:20[0-9]{2}年度?)?的?(?:合计|总计|总额|总数|全部)数?")


_UNCHANGED_NEXT = re.compile(r"^\s*(?:亿元|万元|元)?[。；;]\s*(?=[与较比同])")  # the next sentence says it of the figure


def _says_unchanged(fact) -> bool:
    """"公务接待费28.50万元，与2024年预算持平": the words right after the figure say it did not change."""
    if fact.offset < 0:
        return False
    after = _UNCHANGED_NEXT.sub("", fact.quote[fact.offset + len(fact.printed):])  # "0.73万元。与2025年预算数持平"
    after = re.split(r"[。；;]", after, maxsplit=1)[0]
    return "持平" in after and not AMOUNT_SAID.search(after)  # no other figure the 持平 could be about


def _unchanged(fact, meta: DocumentMeta, unit: str) -> Answer:
    zero = Decimal(0)
    return result(zero, unit, f"{meta.label}：{clean_label(fact.item) or fact.row_label} {fact.printed} {fact.unit}，"
                  f"文件写明与上一期持平，变化 0 {unit}。", "持平：变化 0", [Operand(fact, meta, fact.value)])


def _sentence_amounts(facts: list, fact) -> list:
    """The money amounts of the sentence `fact` is read from, in the order they are written."""
    return sorted((f for f in facts if f.passage_id == fact.passage_id and f.unit in MONEY_UNITS), key=lambda f: f.offset)


def _next_sentence_change(facts: list, fact, year: int):
    """"…收入总计1101.36万元，支出总计1101.36万元。与2023年度相比，减少121.15万元": the level and the change
    the next sentence states of it, opening with the comparison to last year; else None."""
    following = sorted((f for f in facts if f.kind == "narrative" and f.unit in MONEY_UNITS
                        and f.passage_id == fact.next_passage_id), key=lambda f: f.offset)
    opening = COMPARED_OPENING.search(following[0].quote[:following[0].offset]) if following else None
    change = following[0] if following else None
    if (opening is None or not re.search(f"上年|去年|上一年|{year - 1}年", opening.group())
            or not STATED_CHANGE.search(change.item) or change.unit != fact.unit):
        return None
    return fact, change, bool(FELL.search(change.item))


def _one_per_unit_and_year(found: list) -> list | None:
    """The 部门 and the 单位 document of one unit and year are one operand, not two: kept once when
    they print the same figure; when they differ the comparison cannot be decided (None)."""
    kept: dict = {}
    for meta, fact in found:
        key = (meta.entity, meta.year)
        if key in kept:
            if kept[key][1].amount != fact.amount:
                return None
            continue
        kept[key] = (meta, fact)
    return list(kept.values())


def _basis(fact) -> tuple[str, str]:
    """The table type and the figure a cell is: the document's own figure (a budget's 本年预算数, a
    决算's 决算数) whether its column is headed so, 合计 or the item itself (a 三公 table printed either way)."""
    own = (standard.OTHER, "合计", "", "决算数" if fact.doc_kind == "决算" else "本年预算")
    return fact.table_kind, "本年" if fact.measure in own else fact.measure


def _same_row(fact, other) -> bool:
    """Two tables' rows of one item: the same code, or (a row printed without one) the same name."""
    if fact.row_code and other.row_code:
        return fact.row_code == other.row_code
    return bool(fact.row_label) and clean_label(fact.row_label) == clean_label(other.row_label)


def _same_row_name(fact, other) -> bool:
    """The same row by code or by name, its enumerator aside ("（一）一般公共服务支出" = "201 一般公共服务支出")."""
    return _same_row(fact, other) or (
        bool(fact.row_label) and normalize(strip_enumerator(clean_label(fact.row_label)))
        == normalize(strip_enumerator(clean_label(other.row_label))))


def _same_item(facts: list) -> bool:
    """The facts name one item: one code, one label once years are set aside ("2024年机关运行经费预算数"
    = "机关运行经费预算数"), or one kind of count (人, 辆)."""
    if len({f.unit for f in facts}) == 1 and facts[0].unit in ("人", "辆", "个"):
        return True
    if all(f.row_code for f in facts) and len({f.row_code for f in facts}) == 1:
        return True
    if all(f.kind == "cell" for f in facts):
        return len({re.sub(r"20[0-9]{2}年度?", "", normalize(f.row_label or f.column or f.item)) for f in facts}) == 1
    if any(f.kind == "cell" for f in facts):
        return False  # a cell and a sentence: not one item by their words
    # sentences name it by their words before the figure: "…事业单位机关运行经费" and "机关运行经费支出"
    said = {re.sub(r"^20[0-9]{2}年度?|(?:支出|预算数?|决算数?)$", "", normalize(f.item)) for f in facts}
    shortest = min(said, key=len)
    return len(shortest) >= 4 and all(name.endswith(shortest) for name in said)


def _of_member(query: Query, item: Query, meta: DocumentMeta) -> Query:
    """The operand as asked of one document: the row of the unit the question names in that
    department ("甲局的乙中心和丙局的丁中心的收入预算"), when it names one in each."""
    member = query.match.member_of.get(meta.entity, "")
    if member == item.match.member or (len(query.match.member_of) < 2 and member):
        return item
    # (a department none of whose units is named is read whole: "甲委的收入总计比乙局的丙中心…")
    return item.per_member.get(member, item)


def _as_member(query: Query, meta: DocumentMeta) -> DocumentMeta:
    """The document as the unit whose row is read, when the question names one unit of each department
    ("乙中心（甲局） 2026年 部门预算")."""
    member = query.match.member_of.get(meta.entity, "") if len(query.mentioned) > 1 else ""
    return replace(meta, entity=f"{member}（{meta.entity}）") if member else meta


def _accounts_for(fact, words: tuple[str, ...], each_its_own: bool = False) -> bool:
    """Every item the question quotes appears where the fact stands (“其他工资福利支出”, not 工资福利支出);
    one of them, when each unit compared has its own name quoted (“甲赛事活动”项目 比 乙的“甲赛事”项目)."""
    where = normalize(f"{fact.row_label}{fact.column}{fact.table}{fact.quote if fact.kind == 'narrative' else ''}")
    return (any if each_its_own else all)(word in where for word in words) if words else True


def _shortfall(operation: Operation, a: Operand, b: Operand) -> bool:
    """Whether the change is told as b − a: "少了多少", or "差了多少" when b is the larger."""
    return operation.shortfall or (operation.larger_first and a.value < b.value)


def _distinct_figures(facts: list[Fact]) -> list[Fact]:
    """The facts, a sentence restating a cell's figure (the same amount) taken as that cell."""
    cells = [f for f in facts if f.kind == "cell"]
    kept = list({f.id: f for f in cells}.values())
    amounts = {(f.value, f.unit) for f in kept}
    return kept + [f for f in {f.id: f for f in facts if f.kind != "cell"}.values() if (f.value, f.unit) not in amounts]


def _one_year_later(query: Query, meta: DocumentMeta) -> bool:
    """"同是2025年": the year said of every unit compared is the year before this document's (its 上年
    columns answer); a year said of one unit only ("甲、乙、丙（2025年）") binds no other."""
    return query.same_year is not None and meta.year == query.same_year + 1 and meta.kind == "预算"


_QUARTER = re.compile(r"第([一二三四])季度")  # "第一季度用款计划"


def _names_its_class(query: Query, fact: Fact) -> bool:
    """The question names a classification's item besides the one compared ("住房保障支出（住房公积金）",
    as asked, before its gloss stands for it): the classification is said."""
    return any(name != normalize(clean_label(fact.row_label))
               for name in query.classes_said)


def _over_given(item: Fact | None, given: str, counted: str, unit: str, meta: DocumentMeta) -> Answer | None:
    """An amount over the count the question itself gives ("按在职88人算，人均多少"): the count is the asker's."""
    if item is None or item.unit not in MONEY_UNITS or not Decimal(given):
        return None
    value_unit = unit or item.unit
    a = Operand(item, meta, in_unit(item, value_unit))
    return result(a.value / Decimal(given), value_unit,
                  f"{meta.label}：按问题给出的 {given} {counted}计，平均每{counted} {{value}} {value_unit}。",
                  f"{format_decimal(a.value)} {value_unit} ÷ {given} {counted}（问题给出）", [a], divided=True)


def _projects_completion_asked(query: Query) -> bool:
    """"三个项目合起来的执行率", "三个项目加在一起，实际花掉的钱占预算的百分之几", "…还有多少没执行掉"."""
    operation = query.operation
    if query.together is None:
        return False
    return operation.completion or (operation.kind == "column_change" and operation.shortfall) or (
        operation.kind == "share" and len(operation.items) == 2
                                    and bool(standard.ACTUAL.search(operation.items[0]) or "花" in operation.items[0])
                                    and "预算" in operation.items[1])
