"""calculator: arithmetic answers over facts the engine finds — share, sum, per person, item and
column differences, growth, ranking across documents. Decimal arithmetic, every operand cited,
the formula shown. Returns None when an operand is missing (the engine then answers plainly)."""
from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.answer import not_found
from budgetqa.compute import (
    CHANGE_ASKED,
    COLUMN_CHANGE,
    ITEM_DIFFERENCE,
    RANK_MIN,
    SHARE,
    STAFF_WORDS,
    Operand,
    base_column,
    common_unit,
    difference,
    format_decimal,
    growth,
    in_unit,
    normalize,
    result,
    split_items,
    staff_fact,
)
from budgetqa.model import DocumentMeta
from budgetqa.retrieve import FIRM_LABEL_SCORE, MIN_LABEL_SCORE


class Calculator:
    def __init__(self, engine):
        self.engine = engine  # finds operands: engine.best_fact, engine.facts_of, engine.rank, engine.content_terms

    def answer(self, operation: str, question: str, item_text: str, docs: list[DocumentMeta], unit: str):
        """Arithmetic answers; None when an operand is missing (the caller then answers plainly)."""
        q = item_text
        if operation in ("per_person", "share", "item_difference", "column_change") or (operation == "sum" and len(docs) == 1):
            if len(docs) != 1:
                return None
            meta = docs[0]
            if operation == "column_change":
                return self.column_change(question, q, meta, unit)
            if operation == "item_difference":
                match = ITEM_DIFFERENCE.search(q)
                # "基本支出里，工资福利支出比商品和服务支出多多少": the clause right before 比 names the first
                # item; the clauses before it (基本支出里, 2010399科目里) narrow down both operands
                *context, first_item = re.split(r"[，,：:]", match["a"])
                context = "".join(context)
                first = self.engine.best_fact(context + first_item, meta)
                second = self.engine.best_fact(context + match["b"], meta)
                if first is None or second is None or first.id == second.id:
                    return None
                value_unit = common_unit([first, second], unit)
                if value_unit is None:
                    return None  # operands in units that do not add up
                a, b = (Operand(f, meta, in_unit(f, value_unit)) for f in (first, second))
                return difference(question, a, b, match[3] not in "多高", value_unit, meta.label)
            if operation == "per_person":
                item = self.engine.best_fact(STAFF_WORDS.sub("", q.replace("人均", "")), meta)
                staff = staff_fact(self.engine.facts_of([meta.doc_id]))
                if staff is None:
                    return not_found(question, f"{meta.label} 未载明在职人数，无法计算人均", [], [])
                if item is None:
                    return None
                value_unit = unit or item.unit
                a = Operand(item, meta, in_unit(item, value_unit))
                b = Operand(staff, meta, staff.value)
                value = a.value / b.value
                return result(question, value, value_unit, f"{meta.label}：人均 = {{value}} {value_unit}。",
                                      f"{format_decimal(a.value)} ÷ {staff.printed} 人", [a, b], divided=True)
            if operation == "share":
                match = SHARE.search(q)
                part = self.engine.best_fact(match["a"], meta)
                if part is None:
                    return None
                # the whole holds the part: skip candidates smaller than it (a 收入 line for a 支出 whole)
                whole = next((f for f in self.engine.candidate_facts(match["b"], meta, 5)
                              if f.id != part.id and f.unit == part.unit and f.value >= part.value > 0), None)
                if whole is None:
                    return None
                shown_unit = common_unit([part, whole], "")
                if shown_unit is None:
                    return None  # operands in units that do not add up
                ops = [Operand(f, meta, in_unit(f, shown_unit)) for f in (part, whole)]
                value = ops[0].value / ops[1].value * 100
                return result(question, value, "%", f"{meta.label}：占比 {{value}}%。",
                                      f"{format_decimal(ops[0].value)} {shown_unit} ÷ {format_decimal(ops[1].value)} {shown_unit} × 100%", ops,
                                      divided=True)
            items = split_items(q)
            facts = [self.engine.best_fact(item, meta) for item in items]
            if not items or any(f is None for f in facts) or len({f.id for f in facts}) < len(facts):
                return None
            value_unit = common_unit(facts, unit)
            if value_unit is None:
                return None  # operands in units that do not add up
            ops = [Operand(f, meta, in_unit(f, value_unit)) for f in facts]
            value = sum((op.value for op in ops), Decimal(0))
            return result(question, value, value_unit, f"{meta.label}：合计 {format_decimal(value)} {value_unit}。",
                                  " + ".join(format_decimal(op.value) for op in ops) + f" = {format_decimal(value)}", ops)
        ordered = self.mention_order(question, docs)
        level_text = CHANGE_ASKED.sub("", q)  # each operand is a level, not the change asked for
        # across documents an operand must name the item firmly: a near miss (301 工资福利支出 for
        # 30199 其他工资福利支出) in one document would decide a ranking or a sum
        found = [(meta, self.engine.best_fact(level_text, meta, FIRM_LABEL_SCORE)) for meta in ordered]
        quoted = [normalize(w) for w in re.findall(r"[“\"「『](.+?)[”\"」』]", question)]
        found = [(meta, fact if fact is not None and _accounts_for(fact, quoted) else None) for meta, fact in found]
        found = _one_per_unit_and_year([(meta, fact) for meta, fact in found if fact is not None])
        if found is None or len(found) < 2:
            return None
        value_unit = common_unit([f for _, f in found], unit)
        if value_unit is None:
            return None  # operands in units that do not add up
        ops = [Operand(f, m, in_unit(f, value_unit)) for m, f in found]
        if operation == "rank":
            pick = min if any(w in q for w in RANK_MIN) else max
            best = pick(ops, key=lambda op: op.value)
            ranking = "；".join(f"{op.meta.entity} {format_decimal(op.value)}" for op in sorted(ops, key=lambda op: -op.value))
            return result(question, best.value, value_unit, f"{best.meta.label} 最{'低' if pick is min else '高'}：{format_decimal(best.value)} {value_unit}。",
                                  f"排序（高→低）：{ranking}", ops)
        if operation == "sum":
            value = sum((op.value for op in ops), Decimal(0))
            return result(question, value, value_unit, f"合计 {format_decimal(value)} {value_unit}。",
                                  " + ".join(format_decimal(op.value) for op in ops) + f" = {format_decimal(value)}", ops)
        a, b = ops[0], ops[1]
        if re.search(r"从.+到", question):  # "从2023年决算到2025年预算": the first named is the base
            a, b = b, a
        if operation == "growth":
            return growth(question, a, b, f"{a.meta.label} 相比 {b.meta.label}")
        # "A比B少多少" is answered with the shortfall B − A, unless the question spells out "A减B"
        shortfall = bool(re.search(r"比.+?少了?(多少|几)", q)) and not re.search(r"[0-9]{2,4}年?减", question)
        if shortfall:  # "A比B少多少": the shortfall B − A
            value = b.value - a.value
            formula = f"{format_decimal(b.value)} − {format_decimal(a.value)} = {format_decimal(value)}"
        else:
            value = a.value - b.value
            formula = f"{format_decimal(a.value)} − {format_decimal(b.value)} = {format_decimal(value)}"
        more = (value >= 0) != shortfall
        return result(question, value, value_unit,
                      f"{a.meta.label} 比 {b.meta.label} {'多' if more else '少'} {format_decimal(abs(value))} {value_unit}"
                      f"（{format_decimal(a.value)} {value_unit} 对 {format_decimal(b.value)} {value_unit}）。",
                      formula, [a, b])

    def column_change(self, question: str, q: str, meta: DocumentMeta, unit: str) -> dict | None:
        """One row, two of its columns: this year's figure against the base the question names."""
        match = COLUMN_CHANGE.search(q)
        item_text = q[:match.start()]
        ranked = [r for r in self.engine.rank(item_text, [meta.doc_id], k=30) if r.fact.kind == "cell"]
        for scored in ranked:
            if scored.label_score < MIN_LABEL_SCORE:
                break
            fact = scored.fact
            row = {f.column: f for f in self.engine.facts_of([fact.doc_id]) if f.table_id == fact.table_id
                   and f.row_code == fact.row_code and f.row_label == fact.row_label and f.kind == "cell"}
            base = base_column(row, match["base"], meta.year or 0)
            if base is None or base.id == fact.id:
                continue
            if base_column({fact.column: fact}, match["base"], meta.year or 0) is not None:
                continue  # the ranked cell is itself a base-period cell
            if fact.column.split(" / ")[-1] not in ("合计", "小计", "总计", "金额", "预算数", "决算数") and " / " in fact.column:
                continue  # "2024年预算数 / 基本支出" has no 2023 counterpart in the base column
            headers = normalize("".join(row))
            if any(w in headers and w not in normalize(fact.row_label) for w in self.engine.content_terms(item_text)):
                continue  # the question's item is a column here (基本支出), which the base period lacks
            value_unit = common_unit([fact, base], unit)
            if value_unit is None:
                return None  # operands in units that do not add up
            a, b = (Operand(f, meta, in_unit(f, value_unit)) for f in (fact, base))
            if re.search(r"百分之|%|增长率|增幅|变化了?百分", q) or (re.search(r"(增长|下降)了?多少", q) and not unit):
                return growth(question, a, b, f"{meta.label}：{fact.row_label}")
            shortfall = bool(re.search(r"(少|减少|下降|低)了?(多少|几)", q))
            return difference(question, a, b, shortfall, value_unit, f"{meta.label}：{fact.row_label}")
        return None

    def mention_order(self, question: str, docs: list[DocumentMeta]) -> list[DocumentMeta]:
        """Documents in the order the question mentions them (by year, else by unit name)."""
        q = normalize(question)

        def position(meta: DocumentMeta) -> int:
            spots = [q.find(str(meta.year)), q.find(f"{str(meta.year)[2:]}年")] if len({d.year for d in docs}) > 1 else []
            if len({d.entity for d in docs}) > 1:
                grams = self.engine.entities.grams_by_entity.get(meta.entity, set())
                unique = [g for g in grams if self.engine.entities.idf[g] == self.engine.entities.max_idf] or list(grams)
                spots += [q.find(g) for g in unique]
            spots = [s for s in spots if s >= 0]
            return min(spots) if spots else len(q)

        return sorted(docs, key=position)


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


def _accounts_for(fact, words: list[str]) -> bool:
    """Every item the question quotes appears where the fact stands (“其他工资福利支出”, not 工资福利支出)."""
    where = normalize(f"{fact.row_label}{fact.column}{fact.table}{fact.quote if fact.kind == 'narrative' else ''}")
    return all(word in where for word in words)
