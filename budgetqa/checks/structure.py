"""The structural checks reviewers make of a disclosure, beyond arithmetic:

- "table-set": a standard table of the national 预算 set missing; a table with no rows and no note
  saying why it is empty;
- "placeholder": template text never filled in (XX局, ×××, 某某, "增加（减少）", "主要原因是。");
- "year": a heading about the document, or a "截至…" date, of a year that does not fit the document's
  (a 预算 of year Y states assets at the end of Y-1, a 决算 at the end of Y);
- "wording": the document's kind named wrongly (部门预算 in a 单位预算), or a comparison word that its
  own figures contradict (决算数大于预算数 where the figures say smaller; 持平 beside a non-zero change;
  增加 … 下降 in one clause);
- "code-name": a 类/款/项 code printed with a name that is not its name in the national 功能分类 /
  经济分类 lists (nor in the document's own tables);
- "narrative-total": the document's total 收入/支出 in the narrative matching no total of its summary tables;
- "mixed-units": a column header naming another unit than its table's (the unit slip between tables is
  found by the audit's table-vs-table comparison).

Each function takes a ParsedDocument and returns findings; nothing here names a document.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.checks.findings import (
    HIGH,
    LOW,
    MEDIUM,
    PARSER,
    SEVERITY_OF_SIZE,
    Finding,
    cell_evidence,
    document_unit,
    half_step,
    in_unit,
    sentence_evidence,
    sentences,
    size_of,
    table_evidence,
)
from budgetqa.model import standard
from budgetqa.model.document import MONEY_UNITS, ParsedDocument, parse_number
from budgetqa.parse.vocabulary import GRAND_TOTAL, compact
from budgetqa.query.thesaurus import code_name, normalize

NUM = r"[0-9][0-9,，]*(?:\.[0-9]+)?"
MONEY = rf"(?P<num>{NUM})\s*(?P<unit>亿元|万元|元)"

# -- placeholders ------------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"(?<![A-Za-z])[XＸ]{2,}(?![A-Za-z])|[×＊*]{2,}|某某|○○")
# template alternatives left standing, and a reason announced and never given
TEMPLATE_LEFTOVER = re.compile(r"(?:增加|增长)[（(](?:减少|下降)[）)]|(?:减少|下降)[（(](?:增加|增长)[）)]")
EMPTY_REASON = re.compile(r"原因(?:是|为|主要是)?[:：]?\s*[。；;]")


def _narrative_hits(doc: ParsedDocument, pattern: re.Pattern):
    for sentence, page, line, _ in sentences(doc):
        m = pattern.search(sentence)
        if m:
            yield sentence, page, line, m.group(0)


def placeholders(doc: ParsedDocument) -> list[Finding]:
    findings = []
    for sentence, page, line, hit in _narrative_hits(doc, PLACEHOLDER):
        findings.append(Finding(
            kind="placeholder", severity=HIGH, page=page, line=line, doc=doc.meta.source,
            message=f"文中留有未填写的占位符“{hit}”：“{sentence[:80]}”。",
            evidence=[sentence_evidence(doc, sentence, hit, "", page, line)]))
    for table in doc.tables:
        for text, row in [(table.title, None)] + [(r.label, r) for r in table.rows]:
            hit = PLACEHOLDER.search(text)
            if hit:
                findings.append(Finding(
                    kind="placeholder", severity=HIGH, page=(row.page if row else None) or table.page,
                    line=(row.line if row else None) or table.line, doc=doc.meta.source,
                    message=f"《{table.title}》中留有未填写的占位符“{hit.group(0)}”：“{text}”。",
                    evidence=[table_evidence(doc, table)]))
    for sentence, page, line, hit in _narrative_hits(doc, TEMPLATE_LEFTOVER):
        findings.append(Finding(
            kind="placeholder", severity=MEDIUM, page=page, line=line, doc=doc.meta.source,
            message=f"模板中的备选措辞“{hit}”未按实际情况取舍：“{sentence[:80]}”。",
            evidence=[sentence_evidence(doc, sentence, hit, "", page, line)]))
    for sentence, page, line, hit in _narrative_hits(doc, EMPTY_REASON):
        findings.append(Finding(
            kind="placeholder", severity=MEDIUM, page=page, line=line, doc=doc.meta.source,
            message=f"说明原因的句子没有写出原因（“{hit.strip()}”）：“{sentence[:80]}”。",
            evidence=[sentence_evidence(doc, sentence, hit, "", page, line)]))
    return findings


# -- years -------------------------------------------------------------------------------------

AS_OF = re.compile(r"截至\s*(?P<year>(?:19|20)\d{2})\s*年\s*(?P<month>\d{1,2})\s*月")
HEADING_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?")
# a heading about another year's figures ("上年预算执行情况", "与2025年相比") names that year rightly
OTHER_YEAR_WORDS = re.compile(r"上年|上一年|执行|比|较|对比|相比|以来|至")


def years(doc: ParsedDocument) -> list[Finding]:
    year, kind = doc.meta.year, doc.meta.kind
    if not year or kind not in ("预算", "决算"):
        return []
    findings = []
    as_of_year = year - 1 if kind == "预算" else year
    for sentence, page, line, _ in sentences(doc):
        for m in AS_OF.finditer(sentence):
            # a 预算 published early in its year may state assets of that year's first months
            early = kind == "预算" and int(m["year"]) == year and int(m["month"]) <= 3
            if int(m["year"]) != as_of_year and not early:
                findings.append(Finding(
                    kind="year", severity=MEDIUM, page=page, line=line, doc=doc.meta.source,
                    message=(f"{year}年{kind}中资产情况的截止日期应在{as_of_year}年，文中写“{m.group(0)}”："
                             f"“{sentence[:80]}”。"),
                    evidence=[sentence_evidence(doc, sentence, m["year"], "年", page, line)]))
    seen = set()
    for section in doc.sections:
        for heading in section.heading:
            text = compact(heading)
            if text in seen or not re.search(r"预算|决算", text) or OTHER_YEAR_WORDS.search(text):
                continue
            seen.add(text)
            m = HEADING_YEAR.search(text)
            if m and int(m["year"]) != year:
                findings.append(Finding(
                    kind="year", severity=MEDIUM, page=section.page, line=section.line, doc=doc.meta.source,
                    message=f"{year}年{kind}的标题写成了{m['year']}年：“{heading}”。",
                    evidence=[sentence_evidence(doc, heading, m["year"], "年", section.page, section.line)]))
    return findings


# -- wording -------------------------------------------------------------------------------------

WRONG_LEVEL = re.compile(r"(?:19|20)\d{2}\s*年\s*度?\s*(?P<word>部门|单位)预算(?:安排|中)")
COMPARISON = re.compile(r"决算数?\s*(?P<op>大于|小于|等于|高于|低于|超过|与预算数?(?:基本)?持平)\s*(?:年初)?预算数?")
PLAN = re.compile(rf"(?:年初|全年|调整)?预算(?:数)?为\s*{MONEY}")
ACTUAL = re.compile(rf"决算(?:数)?为\s*{MONEY}")
ITEM_START = re.compile(r"(?:^|[。；\s])\d{1,2}\s*[、.．](?!\d)|[（(][一二三四五六七八九十]+[）)]")
CHANGE_CLAUSE = re.compile(
    rf"(?:比|较)(?:上年|\d{{4}}\s*年)[^，,。；]{{0,12}}?(?P<dir>增加|减少)\s*{MONEY}"
    rf"(?:[，,]\s*(?P<dir2>增长|下降|降低|增加|减少)\s*(?P<pct>{NUM})\s*[%％])?"
    rf"(?:[，,]\s*(?P<flat>与上年持平|持平))?")
BASICALLY_EQUAL = Decimal("0.05")  # "基本持平": within 5 %


def _amount(m: re.Match) -> Decimal | None:
    value = parse_number(m["num"].replace("，", ","))
    return None if value is None else value * MONEY_UNITS[m["unit"]]


def _comparison_holds(op: str, plan: Decimal, actual: Decimal) -> bool:
    if op in ("大于", "高于", "超过"):
        return actual > plan
    if op in ("小于", "低于"):
        return actual < plan
    if "基本" in op:
        return abs(actual - plan) <= abs(plan) * BASICALLY_EQUAL
    return actual == plan


def _compare_words(doc: ParsedDocument) -> list[Finding]:
    findings = []
    for section in doc.sections:
        text = compact(section.text)
        for m in COMPARISON.finditer(text):
            # the figures the comparison speaks of stand in the same enumerated item, before it
            starts = [s.end() for s in ITEM_START.finditer(text, 0, m.start())]
            window = text[starts[-1] if starts else 0:m.start()]
            plans, actuals = list(PLAN.finditer(window)), list(ACTUAL.finditer(window))
            if not plans or not actuals:
                continue
            plan, actual = _amount(plans[-1]), _amount(actuals[-1])
            if plan is None or actual is None or _comparison_holds(m["op"], plan, actual):
                continue
            quote = window[plans[-1].start():] + m.group(0)
            findings.append(Finding(
                kind="wording", severity=HIGH, page=section.page, line=section.line, doc=doc.meta.source,
                message=(f"文字写“{m.group(0)}”，但同一处写预算为 {plans[-1]['num']} {plans[-1]['unit']}、"
                         f"决算为 {actuals[-1]['num']} {actuals[-1]['unit']}，措辞与数字相反。"),
                evidence=[sentence_evidence(doc, quote, plans[-1]["num"], plans[-1]["unit"], section.page, section.line),
                          sentence_evidence(doc, quote, actuals[-1]["num"], actuals[-1]["unit"], section.page,
                                            section.line)]))
    return findings


def _change_words(doc: ParsedDocument) -> list[Finding]:
    findings = []
    for sentence, page, line, _ in sentences(doc):
        text = compact(sentence)
        for m in CHANGE_CLAUSE.finditer(text):
            amount = _amount(m)
            if amount is None:
                continue
            pct = parse_number(m["pct"]) if m["pct"] else None
            problem = ""
            if m["flat"] and (amount != 0 or (pct or 0) != 0):
                problem = f"写“持平”，但同一处写{m['dir']} {m['num']} {m['unit']}"
            elif m["dir2"] and amount != 0 and pct and (m["dir"] == "增加") != (m["dir2"] in ("增长", "增加")):
                problem = f"前写“{m['dir']} {m['num']} {m['unit']}”，后写“{m['dir2']} {m['pct']}%”，方向相反"
            elif m["dir2"] and amount == 0 and pct:
                problem = f"写{m['dir']} {m['num']} {m['unit']}，却又写{m['dir2']} {m['pct']}%"
            if problem:
                findings.append(Finding(
                    kind="wording", severity=HIGH, page=page, line=line, doc=doc.meta.source,
                    message=f"措辞与数字矛盾：{problem}：“{sentence[:80]}”。",
                    evidence=[sentence_evidence(doc, sentence, m["num"], m["unit"], page, line)]))
    return findings


def _level_words(doc: ParsedDocument) -> list[Finding]:
    if doc.meta.level not in ("部门", "单位") or doc.meta.kind != "预算":
        return []
    findings = []
    for sentence, page, line, hit in _narrative_hits(doc, WRONG_LEVEL):
        if WRONG_LEVEL.search(sentence)["word"] != doc.meta.level:
            findings.append(Finding(
                kind="wording", severity=MEDIUM, page=page, line=line, doc=doc.meta.source,
                message=(f"这是{doc.meta.level}预算，文中却写“{compact(hit)}”："
                         f"“{sentence[:80]}”。"),
                evidence=[sentence_evidence(doc, sentence, hit, "", page, line)]))
    return findings


def wording(doc: ParsedDocument) -> list[Finding]:
    return _compare_words(doc) + _change_words(doc) + _level_words(doc)


# -- code-name pairs ---------------------------------------------------------------------------

# "2010350-事业运行 130.78 万元", "30101 基本工资 25.58 万元": a code, its name and an amount
CODE_ITEM = re.compile(r"(?<!\d)(?P<code>\d{3}|\d{5}|\d{7})\s*[-—－:：]?\s*(?P<name>[\u4e00-\u9fff（）()]+?)\s*"
                       r"(?P<num>[0-9][0-9,]*(?:\.[0-9]+)?)\s*(?P<unit>万元|元)")
NARRATIVE_CODE = re.compile(r"(?P<name>[\u4e00-\u9fff（）()、]{2,30}?)[（(](?P<code>\d{2,3})(?P<level>类|款|项)[）)]")


def _same_name(printed: str, official: str) -> bool:
    a, b = normalize(printed), normalize(official)
    for suffix in ("支出",):
        a, b = a.removesuffix(suffix), b.removesuffix(suffix)
    return a == b or a in b or b in a


def _document_names(doc: ParsedDocument) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for table in doc.tables:
        for row in table.rows:
            if row.code.isdigit():
                names.setdefault(row.code, set()).add(row.label)
    return names


def _name_finding(doc, code: str, name: str, own: dict[str, set[str]], page, line, evidence: dict,
                  where: str) -> Finding | None:
    official = code_name(code)
    if not official or _same_name(name, official) or any(_same_name(name, n) for n in own.get(code, ())):
        return None
    scheme = "支出功能分类" if code.startswith("2") else "经济分类"
    in_tables = f"（本文件表中为“{'、'.join(sorted(own[code]))}”）" if own.get(code) else ""
    return Finding(
        kind="code-name", severity=MEDIUM, page=page, line=line, doc=doc.meta.source, evidence=[evidence],
        message=f"科目 {code} 在{where}写作“{name}”，但全国{scheme}中 {code} 为“{official}”{in_tables}，口径不统一。")


def code_names(doc: ParsedDocument) -> list[Finding]:
    """Names printed beside a code — in the narrative ("医疗卫生与计划生育支出（210类）",
    "2010350-事业运行") or in a standard table's row — checked against the national lists (and,
    for the narrative, against the document's own tables)."""
    own = _document_names(doc)
    findings = []
    for sentence, page, line, _ in sentences(doc):
        for m in NARRATIVE_CODE.finditer(sentence):
            if m["level"] != "类" or len(m["code"]) != 3:
                continue  # 款/项 numbers are two digits that need their 类 to be a code
            name = re.sub(r"^[\d、.．]+", "", m["name"])
            findings.append(_name_finding(doc, m["code"], name, own, page, line,
                                          sentence_evidence(doc, sentence, m.group(0), "", page, line), "文中"))
        for m in CODE_ITEM.finditer(sentence):
            name = m["name"].removesuffix("支出支出") + ("支出" if m["name"].endswith("支出支出") else "")
            findings.append(_name_finding(doc, m["code"], name, own, page, line,
                                          sentence_evidence(doc, sentence, m.group(0), "", page, line), "文中"))
    # rows of the expenditure tables (a 收入总表 may print units' own numbers in its code column); one
    # finding per misnamed code, with every table that prints it
    by_code: dict[tuple[str, str], Finding] = {}
    for table in doc.tables:
        if table.kind not in standard.BUDGET_ONLY_TABLES or "支出" not in table.kind:
            continue
        for row in table.rows:
            if not (row.code.isdigit() and standard.classification(row.code).scheme):
                continue
            found = _name_finding(doc, row.code, row.label, {}, row.page or table.page, row.line,
                                  cell_evidence(doc, table, row, 0), "表中")
            if found and (row.code, row.label) in by_code:
                by_code[(row.code, row.label)].evidence += found.evidence
            elif found:
                by_code[(row.code, row.label)] = found
    return [f for f in findings if f is not None] + list(by_code.values())


# -- narrative totals -------------------------------------------------------------------------

# the document's own totals: "收入预算为…", "相应安排支出预算…", "收入总计…", "收、支总预算…"
NARRATIVE_TOTAL = re.compile(
    rf"(?:(?P<what>收入|支出)(?:预算(?:总额|总计|合计)?|总计|合计)|收[、，,]?支总预算)(?:为|是)?\s*{MONEY}")
# words that make a total one source's or one purpose's part, not the document's total
PART_WORDS = re.compile(r"拨款|基金|资本|经营|事业|上级|附属|其他|一般|专户|基本|项目|结转|上缴|三公|运行|采购|其中|"
                        r"增加|减少|上年|执行")
SUMMARY_TABLES = ("收支总表", "收入总表", "支出总表")


def _table_totals(doc: ParsedDocument) -> list[tuple[Decimal, Decimal]]:
    """(amount in 元, its rounding in 元) of every cell of the summary tables' total rows."""
    out = []
    for table in doc.tables:
        if table.kind not in SUMMARY_TABLES or table.unit not in MONEY_UNITS:
            continue
        factor = MONEY_UNITS[table.unit]
        for row in table.rows:
            if GRAND_TOTAL.search(row.label):  # blank and 0 columns (上年结转 0.00) are no total
                out += [(c.value * factor, half_step(c.printed) * factor) for c in row.cells if c.value]
    return out


def narrative_totals(doc: ParsedDocument) -> list[Finding]:
    totals = _table_totals(doc)
    if not totals:
        return []
    unit_shown = document_unit(doc)
    findings = []
    for sentence, page, line, _ in sentences(doc):
        text = compact(sentence)
        for m in NARRATIVE_TOTAL.finditer(text):
            clause = re.split(r"[，,。；;：:]", text[:m.start()])[-1]
            if PART_WORDS.search(clause + m.group(0)):
                continue
            num, unit = m["num"], m["unit"]
            value = parse_number(num.replace("，", ","))
            if value is None:
                continue
            stated = value * MONEY_UNITS[unit]
            half = half_step(num) * MONEY_UNITS[unit]
            nearest, nearest_half = min(totals, key=lambda t: abs(t[0] - stated))
            if abs(nearest - stated) <= max(half, nearest_half):
                continue
            size = size_of(stated - nearest, max(stated, nearest), 2 * max(half, nearest_half))
            findings.append(Finding(
                kind="narrative-total", severity=SEVERITY_OF_SIZE[size], size=size, page=page, line=line,
                doc=doc.meta.source, unit=unit_shown, difference=in_unit(abs(stated - nearest), unit_shown),
                message=(f"说明文字写{m['what'] or '收支'}总额 {num} {unit}，但收支总表的合计/总计中没有这个数"
                         f"（最接近的是 {in_unit(nearest, unit_shown)} {unit_shown}）。"),
                evidence=[sentence_evidence(doc, sentence, num, unit, page, line)]))
    return findings


# -- units ---------------------------------------------------------------------------------------

HEADER_UNIT = re.compile(r"[（(](?P<unit>万元|元|亿元|千元)[）)]|单位[:：]\s*(?P<unit2>万元|元|亿元|千元)")


def header_units(doc: ParsedDocument) -> list[Finding]:
    """A column whose header names another unit than the table's own ("预算数（元）" under 单位：万元)."""
    findings = []
    for table in doc.tables:
        if table.unit not in MONEY_UNITS:
            continue
        for col, path in enumerate(table.columns):
            for header in path:
                m = HEADER_UNIT.search(header)
                unit = m and (m["unit"] or m["unit2"])
                if unit and unit != table.unit:
                    findings.append(Finding(
                        kind="mixed-units", severity=MEDIUM, page=table.page, line=table.line, doc=doc.meta.source,
                        unit=table.unit, evidence=[table_evidence(doc, table)],
                        message=(f"《{table.title}》标明单位为{table.unit}，但“{table.column_name(col)}”一栏写的是{unit}："
                                 f"同一张表混用金额单位。")))
    return findings


# -- table set ---------------------------------------------------------------------------------

def table_set(doc: ParsedDocument) -> list[Finding]:
    findings, unread = [], []
    if doc.meta.kind == "预算" and doc.tables:
        kinds = {t.kind for t in doc.tables}
        missing = [k for k in standard.EXPECTED_BUDGET_TABLES if k not in kinds]
        if missing:
            findings.append(Finding(
                kind="table-set", severity=MEDIUM, page=None, line=None, doc=doc.meta.source,
                message=f"未找到全国统一公开格式中的这些预算表：{'、'.join(missing)}（空表也应公开并注明）。"))
    for table in doc.tables:
        if table.rows and not table.notes and not table.empty and table.kind != standard.OTHER and not any(
                c.value for r in table.rows for c in r.cells):
            findings.append(Finding(
                kind="table-set", severity=MEDIUM, page=table.page, line=table.line, doc=doc.meta.source,
                message=f"《{table.title}》没有任何金额，却没有注明为空表（如“本单位无此项支出，故本表为空”）。",
                evidence=[table_evidence(doc, table)]))
        if table.rows or table.notes:
            continue
        if table.kind in standard.BUDGET_ONLY_TABLES:
            findings.append(Finding(
                kind="table-set", severity=MEDIUM, page=table.page, line=table.line, doc=doc.meta.source,
                message=f"《{table.title}》没有任何数据行，也没有说明为何为空（如“本单位无此项支出”）。",
                evidence=[table_evidence(doc, table)]))
        else:  # a table of words (绩效目标, 项目说明) whose cells we may not have read
            unread.append(table)
    if unread:
        titles = "、".join(f"《{t.title or '（无标题）'}》" for t in unread[:5]) + ("等" if len(unread) > 5 else "")
        findings.append(Finding(
            kind="parser-doubt", severity=LOW, origin=PARSER, page=unread[0].page, line=unread[0].line,
            doc=doc.meta.source, evidence=[table_evidence(doc, t) for t in unread],
            message=f"{len(unread)} 张表未读出任何数据行（{titles}）：可能是文字表格未被识别，请对照原文。"))
    return findings


def structural_findings(doc: ParsedDocument) -> list[Finding]:
    return (table_set(doc) + placeholders(doc) + years(doc) + wording(doc) + code_names(doc)
            + narrative_totals(doc) + header_units(doc))
