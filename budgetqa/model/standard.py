"""The national disclosure templates as terms every layout is mapped into.

Every 部门/单位 budget or final-accounts disclosure prints the same standard tables (收支总表,
收入总表, 支出总表, 财政拨款收支总表, …) in its own layout and wording. A parsed table gets the
standard type its printed title names, each of its columns the canonical measure its printed
header path names, each coded row the classification (功能/经济) and level (类/款/项) of its code.
What is not recognised is "other": never guessed. The printed title and header stay beside.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OTHER = "other"
OTHER_FUNDS = "其他资金"  # what is not the treasury's: 事业收入, 其他收入 … (MEASURE_WORDS)
SANGONG_TABLE = "三公经费表"  # the 三公 items of every fund, beside their economic rows (30217 …) of one

PROJECT_FORM = "项目支出绩效目标表"  # performance forms: one per project (or the unit's own, 部门整体)
# (standard type, pattern on the whitespace-free title) — first match wins, so the narrower
# templates come before the broader ones they contain ("财政拨款收支总表" before "收支总表").
TABLE_TYPES: list[tuple[str, re.Pattern]] = [
    (SANGONG_TABLE, re.compile(r"三公")),
    ("财政拨款收支总表", re.compile(r"财政拨款收[入]?支[出]?.*总表")),
    ("收支总表", re.compile(r"收[入]?支[出]?.*总表|收支.*表$")),
    ("政府性基金预算支出表", re.compile(r"政府性基金")),
    ("国有资本经营预算支出表", re.compile(r"国有资本经营")),
    ("机关运行经费表", re.compile(r"机关运行经费")),
    ("政府采购表", re.compile(r"政府采购")),
    ("国有资产占用表", re.compile(r"国有资产|资产占用|资产情况")),
    (PROJECT_FORM, re.compile(r"绩效目标|绩效")),
    ("项目支出表", re.compile(r"项目支出.*表|项目.*明细")),
    ("一般公共预算基本支出表", re.compile(r"一般公共预算.*基本支出|基本支出.*经济分类")),
    ("财政拨款基本支出表", re.compile(r"财政拨款.*基本支出")),
    ("一般公共预算支出经济分类表", re.compile(r"一般公共预算.*支出.*经济分类")),
    ("一般公共预算支出表", re.compile(r"一般公共预算.*支出")),
    ("财政拨款支出表", re.compile(r"财政拨款.*支出")),
    ("收入总表", re.compile(r"收入.*表$")),
    ("支出总表", re.compile(r"支出.*表$")),
]

# The two classifications a spending item can be printed in: by function (what for: 2210201 住房公积金
# under 住房保障支出) and by economic nature (30113 住房公积金 under 工资福利支出), over other scopes
FUNCTION_TABLES = ("支出总表", "一般公共预算支出表", "财政拨款支出表")
ECONOMIC_TABLES = ("一般公共预算基本支出表", "财政拨款基本支出表", "一般公共预算支出经济分类表")

# Tables about one topic (a title word, and the words a question names it by): their cells answer
# only a question that names the topic — "一般公共预算拨款支出" is never the 三公 table's 合计.
TOPICS = {
    "三公": ("三公", "出国", "出境", "接待", "招待", "用车", "公车", "公务车", "车辆"),
    "机关运行": ("机关运行",),
    "采购": ("采购", "买", "购置", "添置", "请人"),  # (请人来做保洁: a service bought)
    "资产": ("资产", "车辆", "房屋", "设备", "土地", "用车", "公车", "公务车", "几辆", "多少辆"),
}


# the two national classifications of spending, by the first digit of their codes (功能 2xx; 经济 30x-31x,
# 50x-51x) and by the standard tables that print them
_CLASSIFICATIONS = {"功能分类": ("2", FUNCTION_TABLES), "经济分类": ("35", ECONOMIC_TABLES)}


def classification_named(question: str) -> str:
    """The classification a question names ("按经济分类", "功能分类里"), else ""."""
    named = [name for name in _CLASSIFICATIONS if name in question]
    return named[0] if len(named) == 1 else ""


def of_other_classification(code: str, table_kind: str, named: str) -> bool:
    """Whether a row (its code, its table's kind) belongs to the classification other than `named`."""
    other = next(name for name in _CLASSIFICATIONS if name != named)
    digits, tables = _CLASSIFICATIONS[other]
    return code[:1] in digits if code else table_kind in tables


def off_topic(title: str, question: str) -> bool:
    """Whether a table is about a topic (三公, 机关运行经费 …) the question does not name."""
    topics = [words for key, words in TOPICS.items() if key in title]
    return bool(topics) and not any(word in question for words in topics for word in words)


def named_topics(question: str, by_key: bool = False) -> tuple[str, ...]:
    """The topics (三公, 机关运行 …) a question names; `by_key`: only by the topic itself ("三公经费中
    公务接待费", not "公务接待费", which the 基本支出表 also prints)."""
    return tuple(key for key, words in TOPICS.items() if key in question or (not by_key and any(w in question for w in words)))


def outside_topic(title: str, topics: tuple[str, ...]) -> bool:
    """Whether a table is about none of the topics named: its totals are not the topic's total."""
    return bool(topics) and not any(key in title for key in topics)


# Words naming one fund: a question without them asks about all of the unit's funds.
FUND_WORDS = ("财政拨款", "一般公共预算", "政府性基金", "国有资本经营", "拨款")
_ONE_FUND = ("一般公共预算", "政府性基金", "国有资本经营")


def holds_funds_named(title: str, text: str) -> bool:
    """Whether a table titled `title` is about the fund `text` names: a 财政拨款 table's total also holds
    政府性基金, so it does not answer a question naming 一般公共预算."""
    named = [word for word in _ONE_FUND if word in text]
    return all(word in title for word in named) if named else any(word in title for word in FUND_WORDS)

# Canonical measures, tested on one header level at a time (the deepest level first).
MEASURE_WORDS: list[tuple[str, re.Pattern]] = [
    ("增减率", re.compile(r"增长率|增减率|增幅|降幅|[%％]")),
    ("增减", re.compile(r"增减|增加|减少|变动")),
    ("人员经费", re.compile(r"人员经费|人员支出")),
    ("公用经费", re.compile(r"公用经费|公用支出")),
    ("基本支出", re.compile(r"基本支出")),
    ("项目支出", re.compile(r"项目支出")),
    ("上年结转", re.compile(r"上年结转|结转结余|结转和结余")),
    ("年初预算", re.compile(r"年初预算")),
    ("调整预算", re.compile(r"调整预算|调整后|全年预算")),  # 决算: 全年预算 = the budget as adjusted
    ("执行数", re.compile(r"执行数|预计执行")),
    ("决算数", re.compile(r"决算")),
    ("财政拨款", re.compile(r"财政拨款|一般公共预算|政府性基金|国有资本经营")),
    ("其他资金", re.compile(r"其他资金|其他收入|事业收入|经营收入|上级补助收入|附属单位上缴|财政专户|单位资金")),
    ("合计", re.compile(r"^(?:其中[:：]?)?(?:合计|小计|总计)$|合计$|^(?:年度)?资金总额$")),
    ("本年预算", re.compile(r"预算数|预算$|本年预算|预算安排")),
    # an amount column that names no phase: the document's own figure (预算 or 决算); a bare year
    # ("2025年") is this year's or, before the document's year, last year's (LAST_YEAR, _only_earlier_years)
    ("金额", re.compile(r"^金额$|^本年$|^(?:本|上)年数$|^本年收入$|^本年支出$|^20[0-9]{2}年度?$")),
]
LAST_YEAR = re.compile(r"上年|上一年|去年")
# a header's money-unit note ("年度预算安排(万元)", "项目资金(万元)"): a unit, never part of the measure
MONEY_NOTE = re.compile(r"[(（](?:单位[:：])?(亿元|万元|千元|元)[)）]")
# a column numbering the rows (行次 1, 2, 3 of the 决算 templates), or one of classification codes
# beside a project ("功能分类科目 2100401"): no figure of the budget
ORDINAL_COLUMN = re.compile(r"(?:^|/)\s*(?:行次|栏次|序号|[^/]*(?:科目|科目编码|科目代码|编码|代码))$")
# a column of rates ("增减率（%）", "增长%", "完成率"): its cells are percentages, never summed as money
RATE_COLUMN = re.compile(r"%|％|率$")
# a performance form's points columns: their numbers are neither money nor counts
COUNT_COLUMN = re.compile(r"[（(](辆|个|人次|人|批次|台|套|张|平方米|家|项)[)）]$")  # "公务用车保有量（辆）": counts, not money
QUANTITY_COLUMN = re.compile(r"(?:^|/)(?:采购)?(?:数量|数目)$")  # how many (40 台), counted in the row's 计量单位
SCORE_COLUMN = re.compile(r"分值|得分|权重|指标值")
# a 小计 under a breakdown is the breakdown's own total ("基本支出 / 小计" = 基本支出)
GROUP_TOTAL = re.compile(r"^(?:合计|小计)$")
BREAKDOWNS = ("基本支出", "项目支出", "人员经费", "公用经费")
# the kinds of official vehicles the 国有资产占用 tables count: a count of one kind is never all 车辆
VEHICLE_KINDS = ("一般公务用车", "执法执勤用车", "特种专业技术用车", "应急保障用车", "机要通信用车", "领导干部用车")


@dataclass(frozen=True)
class Classification:
    scheme: str  # "功能" (支出功能分类, 2xx) | "经济" (经济分类, 3xx/5xx) | ""
    level: str  # "类" | "款" | "项" | ""


def table_type(title: str) -> str:
    compact = "".join(title.split())
    for name, pattern in TABLE_TYPES:
        if pattern.search(compact):
            return name
    return OTHER


# one project's table ("话务场地租赁费用项目绩效目标表"): its title names the project its cells are about
_PROJECT_TABLE = re.compile(r"^(?:20[0-9]{2}年度?)?(?P<name>.+?)(?:项目)?(?:支出)?绩效(?:目标|自评)(?:申报|情况)?表$")
_NOT_A_PROJECT = re.compile(r"^(?:项目|项目支出|专项|专项资金|(?:部门|单位)(?:预算)?|预算单位)?$|整体")


def titled_project(title: str) -> str:
    """The project a per-project table's title names, else "" (项目支出绩效目标表, 部门整体绩效目标表)."""
    found = _PROJECT_TABLE.match("".join(title.split()))
    name = found["name"] if found else ""
    return "" if _NOT_A_PROJECT.search(name) else name


def table_phase(title: str, document_kind: str) -> str:
    """预算 or 决算: the title's word, else the document's."""
    if "决算" in title:
        return "决算"
    if "预算" in title:
        return "预算"
    return document_kind


def measure(path: tuple[str, ...] | list[str], phase: str = "预算", year: int | None = None) -> str:
    """The canonical measure of a printed header path in a table of `phase` in a document of
    `year`, e.g. ("本年预算", "基本支出", "小计") -> "基本支出"; ("上年预算数",) -> "上年预算";
    ("2023年执行数",) in a 2024 budget -> "上年执行数"; ("金额",) in a 决算 table -> "决算数"."""
    levels = [MONEY_NOTE.sub("", "".join(p.split())) for p in path if p and p.strip()]
    levels = [p for p in levels if p]
    if not levels:
        return OTHER
    last_year = any((LAST_YEAR.search(p) and "结转" not in p) or _only_earlier_years(p, year) for p in levels)
    if any(_CARRIED_OVER.search(p) for p in levels[:-1]):  # "上年结转结余 / 一般公共预算": the carry-over's part
        return "上年结转"
    for depth in range(len(levels) - 1, -1, -1):
        word = levels[depth]
        if GROUP_TOTAL.match(word) and depth > 0:
            parent = column_measure(levels[depth - 1])
            if parent in BREAKDOWNS:
                return parent
        found = column_measure(word)
        if found == "金额":
            found = "决算数" if phase == "决算" else "本年预算"
        if found in ("本年预算", "决算数"):  # "公用经费 / 金额": the breakdown above says which figure
            above = [column_measure(w) for w in levels[:depth]]
            found = next((m for m in reversed(above) if m in BREAKDOWNS), found)
        if found != OTHER:
            return _year(found, last_year)
    return OTHER


# a row that names a period ("2025年预算数", "本年预算数"): a table printed with years as rows and
# items as columns (a 三公 table of two rows); the row, not the column, holds the measure
PERIOD_ROW = re.compile(r"^(?:(?:20[0-9]{2}|上|本)年度?)?(?:年初|全年|调整)?(?:预算|决算|执行)数?$")


_CARRIED_OVER = re.compile(r"^(?!.*年末)(?:上年|年初)?结转(?:和|及)?结余|^上年结转")


def is_period_row(label: str) -> bool:
    return bool(PERIOD_ROW.match("".join(label.split())))


def row_measure(label: str, phase: str, year: int | None) -> str:
    """The measure a period row names, else "" (the column's measure holds)."""
    return measure(("".join(label.split()),), phase, year) if is_period_row(label) else ""


def _only_earlier_years(level: str, year: int | None) -> bool:
    """The header names years, all before the document's ("2023年执行数" in a 2024 budget)."""
    named = [int(y) for y in re.findall(r"(20[0-9]{2})年", level)]
    return bool(year and named) and all(y < year for y in named)


def column_measure(word: str) -> str:
    """The canonical measure one header level (or a row named for a fund: 其他收入) names, else OTHER."""
    for name, pattern in MEASURE_WORDS:
        if pattern.search(word):
            return name
    return OTHER


def _year(found: str, last_year: bool) -> str:
    if last_year and found in ("本年预算", "合计"):
        return "上年预算"
    if last_year and found in ("执行数", "决算数"):  # 上年决算数: what was spent last year
        return "上年执行数"
    return found


# measures a question can name, and the words it names them by
QUESTION_MEASURES: list[tuple[str, re.Pattern]] = [
    ("人员经费", re.compile(r"人员经费")),
    ("公用经费", re.compile(r"公用经费")),
    ("基本支出", re.compile(r"基本支出")),
    ("项目支出", re.compile(r"项目支出")),
    # what is not the treasury's (事业收入, 其他收入 … columns): "财政拨款以外的进项"
    ("其他资金", re.compile(r"其他资金|非财政拨款|财政拨款(?:以外|之外)")),
    ("年初预算", re.compile(r"年初预算")),
    ("调整预算", re.compile(r"调整预算|调整后预算|全年预算")),
    ("上年预算", re.compile(r"(上年|去年|上一年)(?!结转|结余|末|底|执行|决算|实际|带|剩|留|转|没|未)")),  # 上年带过来的钱, 上年没花完: 上年结转; 上年底: a date
    ("上年执行数", re.compile(r"(上年|去年|上一年)(执行|决算|实际)")),
    ("决算数", re.compile(r"决算数|实际支出|实际(?:一共|总共|共)?花")),
    ("增减", re.compile(r"增减(?!率|了?(?:百分之|多少个?百分|几个?百分|幅度))")),  # "购房补贴增减是多少": the printed 增减 column
    ("增减率", re.compile(r"增减(?:率|了?(?:百分之|多少个?百分|几个?百分|幅度))")),  # "增减了百分之几": its 增减% column
]
ACTUAL = re.compile(r"执行|决算|实际|花了")  # words for what was spent, not planned
_LAST_YEAR_BASE = {"上年执行数": ACTUAL, "上年预算": re.compile(r"预算(?!执行)")}
LAST_YEAR_MEASURES = frozenset({"上年预算", "上年执行数"})
BUDGET_MEASURES = frozenset({"本年预算", "上年预算", "年初预算", "调整预算"})
BREAKDOWN_MEASURES = frozenset({"人员经费", "公用经费", "基本支出", "项目支出"})
# 基本支出 by economic class: 工资福利支出 (301) and 对个人和家庭的补助 (303) are its 人员经费, 商品和服务支出 (302) its 公用经费
_BREAKDOWN_OF_CLASS = {"301": "人员经费", "303": "人员经费", "302": "公用经费"}


def breakdown_of_code(code: str) -> str:
    """The part of 基本支出 an economic-classification row belongs to ("30113" -> 人员经费), else ""."""
    return _BREAKDOWN_OF_CLASS.get(code[:3], "") if len(code) in (3, 5) and code.isdigit() else ""


_YEAR_GLOSS = re.compile(r"[（(][0-9]{4}年度?[)）]")
_LAST_YEARS_ACTUAL = re.compile(r"(?:上年|去年|上一年)(?:执行|决算|实际)(?:数|支出)?")
_THIS_YEARS_ACTUAL = dict(QUESTION_MEASURES)["决算数"]


def named_measures(question: str) -> set[str]:
    """The canonical measures a question names ("人员经费是多少" -> {"人员经费"})."""
    compact = _YEAR_GLOSS.sub("", "".join(question.split()))  # "上年（2022年）决算数" is 上年决算数
    named = {name for name, pattern in QUESTION_MEASURES if pattern.search(compact)}
    if "上年执行数" in named and not _THIS_YEARS_ACTUAL.search(_LAST_YEARS_ACTUAL.sub("", compact)):
        named.discard("决算数")  # "上年决算数" names last year's column, not this year's 决算数
    if named & {"人员经费", "公用经费"}:  # "基本支出中人员经费": the part of 基本支出 is the column asked
        named.discard("基本支出")
    return named


# where the whole of a measure is printed, best first (a 合计 row of that column)
TOTAL_SOURCES = {
    "基本支出": ("支出总表", "一般公共预算支出表", "财政拨款支出表"),
    "项目支出": ("支出总表", "一般公共预算支出表", "财政拨款支出表"),
    "人员经费": ("一般公共预算基本支出表", "财政拨款基本支出表", "支出总表", "一般公共预算支出表"),
    "公用经费": ("一般公共预算基本支出表", "财政拨款基本支出表", "支出总表", "一般公共预算支出表"),
}


# how a document writes what a unit is (budgetqa.query.asking.UNIT_TOPICS asks it): its nature, its
# duties, the units its budget is made of
TOPIC_SAID = {"性质": re.compile(r"行政单位|事业单位|参照公务员法管理|参公|公益[一二]类|差额拨款|全额拨款|自收自支"),
              "职责": re.compile(r"职责|职能|负责"),
              "构成": re.compile(r"单位构成|编制范围|所属|组成|包括")}


def answers_measure(named: str, measure_: str, table_kind: str, document_kind: str) -> bool:
    """Whether a cell (its column's measure, its table's type, its document's kind) holds the
    measure a question names: the column itself, a 决算 document's own figures for 决算数, or a
    基本支出/项目支出 table for those."""
    if measure_ == named:
        return True
    if named == "决算数":
        return document_kind == "决算" and measure_ not in BUDGET_MEASURES
    if named in ("基本支出", "项目支出"):
        return named in table_kind
    # a budget's own figures (its bare 预算数) are its 年初预算; a final account's bare 预算数 may be the
    # budget as adjusted, so it answers neither 年初 nor 全年 预算
    return measure_ == "本年预算" and named == "年初预算" and document_kind == "预算"


def sentence_names_measure(named: str, words: str, year: int | None = None) -> bool:
    """Whether the words a sentence says of its number ("支出决算为") name the measure; in a
    document of `year`, "2025年当年预算执行数" names 上年执行数 when the year is 2026."""
    if named in _LAST_YEAR_BASE and year and f"{year - 1}年" in words and _LAST_YEAR_BASE[named].search(words):
        return True
    patterns = [pattern for name, pattern in MEASURE_WORDS + QUESTION_MEASURES if name == named]
    return any(pattern.search(words) for pattern in patterns)


def classification(code: str) -> Classification:
    """'2080505' -> 功能/项; '30101' -> 经济/款; '' -> no classification."""
    if not code or not code.isdigit() or len(code) not in (3, 5, 7):
        return Classification("", "")
    scheme = "功能" if code[0] == "2" else "经济" if code[0] in "35" and len(code) <= 5 else ""
    level = {3: "类", 5: "款", 7: "项"}[len(code)] if scheme else ""
    return Classification(scheme, level)


# the tables only a budget or final-accounts disclosure prints: a file with none is no disclosure
BUDGET_ONLY_TABLES = ("收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表",
                      "一般公共预算基本支出表", "三公经费表", "财政拨款支出表", "财政拨款基本支出表")
# the standard tables a complete 预算 disclosure prints (the national 8/9-table set)
EXPECTED_BUDGET_TABLES = (
    "收支总表", "收入总表", "支出总表", "财政拨款收支总表", "一般公共预算支出表",
    "一般公共预算基本支出表", "三公经费表", "政府性基金预算支出表",
)
