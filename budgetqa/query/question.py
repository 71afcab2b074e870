"""question: what a question asks for — which documents (unit, year, kind, level), which unit of
measure, which arithmetic (budgetqa.query.operation), what its item text and each operand ask for
(budgetqa.query.asking) — parsed once into a Query. Item matching lives in answer/retrieve.py."""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache
from itertools import accumulate

from opencc import OpenCC

from budgetqa.model import standard
from budgetqa.model.document import DocumentMeta, parse_number, to_yuan
from budgetqa.model.text import bigrams, in_order, normalize
from budgetqa.parse.metadata import OWN_BODY, region_of, region_prefix
from budgetqa.query import lexicon, thesaurus
from budgetqa.query.asking import (
    ASKED_UNIT, CHANGE_WORDS, TABLE_NAMED, TOTAL_END, WHY, Ask, Reason, ask_of, asked_count, asked_kind, asked_measures, asks_text,
    described_topic, printed_words, reason_of,
)
from budgetqa.query.operation import (HOW_MUCH_OF, MEMBER_MARK, Operation, parse_operation, projects_together,
                                      quoted_names, quoted_projects)
from budgetqa.query.spelling import respelled

# why / what-for words: such a question is answered with the document's own sentence (answer/explain.py)
_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2}|2[0-9])(?=年|年度)|(?<![0-9])(20[0-9]{2})(?![0-9])")
CHANGE_OR_SHARE = re.compile(r"比.{0,40}(多|少|高|低|增|减|降|升|变)|新增|增加|减少|增长|下降|上升|降低|变化|变动|百分之|百分比"
                             r"|(?:降|涨|升|减|增)了?(?:多少|几)"  # "机关运行经费降了多少" (not "少了多少钱": no base said)
                             r"|%|增长率|增幅|降幅|占比|比重|比例|占(?!有|用|地).{0,30}" + HOW_MUCH_OF)  # 占有使用的房屋: no share
_UNIT_KIND = re.compile(r"(?:哪家|哪个|哪一家|哪些|各家?|这几家|几家|这些|所有|每家)(?:\d+)?"
                        r"(中心|局|委员会|办公室|街道|医院|学校)")
# an organisation's name right after a place: "(市)财政局", "(区)教育局", "(市)便民中心"
_ORGANISATION = r"(?:省|市|区|县)?(府办|(?:(?![的比])[\u4e00-\u9fa5]){1,16}?(?:局|委员会|委|办公室|中心|街道|所|院|站|队|馆|厅|学校|中学|小学|幼儿园|医院))"
# a subordinate unit named right after its parent's name: "财政局|财政所", "街道|社区服务站"
_SUBORDINATE = re.compile(r"(?P<unit>[\u4e00-\u9fa5]{1,6}(?:局|委员会|委|办公室|街道|办事处))(?P<sub>[\u4e00-\u9fa5]{1,6}?(?:所|站|队|院|馆))")
_PLACE_CORE = re.compile(r"([\u4e00-\u9fa5]{2,}?)(?:省|自治区|市|自治州|州|区|县)")
_RELATIVE_YEAR = {"上年": -1, "上一年": -1, "去年": -1}


@dataclass
class DocumentMatch:
    docs: list[DocumentMeta]  # documents that fit the question, best first
    entity_named: bool  # the question names a unit we recognise
    unknown_names: list[str] = field(default_factory=list)  # units/places named that no document has
    years: list[int] = field(default_factory=list)
    kind: str = ""  # 预算 / 决算 when the question says so
    level: str = ""  # 部门 / 单位 when the question says so
    missing: str = ""  # why nothing fits, e.g. "没有2023年的文档"
    year_before: bool = False  # the year named is the one before the documents': their 上年 columns answer
    # units the documents' tables print as rows, named by the question: (the words naming it, the unit)
    members: list[tuple[str, str]] = field(default_factory=list)
    # the unit named of each department ("甲局的乙中心和丙局的丁中心"): department -> its unit's row
    member_of: dict[str, str] = field(default_factory=dict)
    # units the question names whose documents all lack the year, kind or level asked (with what they have)
    dropped: list[str] = field(default_factory=list)
    # a name the question says that fits several units' documents ("甲的…比乙镇…"): (the name, them)
    unsure: list[tuple[str, list[DocumentMeta]]] = field(default_factory=list)
    shared_name: bool = False  # several units fit the one name the question says ("镇政府"), none named apart

    @property
    def member(self) -> str:
        """The first such unit: the one a question asking no arithmetic is about."""
        return self.members[0][1] if self.members else ""


@dataclass
class Query:
    """A question parsed once: what the answering code below reads instead of the raw string."""
    text: str  # as asked
    item_text: str  # what it asks about: without the unit's name; a follow-up carries the previous question
    match: DocumentMatch  # the documents that fit, with the years, kind (预算/决算) and level named
    unit: str  # the unit asked for (万元 …), else ""
    measures: set[str]  # canonical measures named (人员经费, 年初预算, 决算数 …; budgetqa.model.standard)
    follow_up: bool
    asks_change: bool  # a difference, growth or share ("比…减少了多少", "百分之几"), not a level
    asks_why: bool  # why / what for ("为什么", "主要用于"): answered with the document's own sentence
    asks_text: bool  # a name or description the documents write in words ("实施单位是哪个"): a sentence answers
    operation: Operation  # the arithmetic asked for (kind "" for none, or when no document fits)
    mentioned: list[DocumentMeta]  # match.docs in the order the question mentions them
    ask: Ask  # what item_text asks for, as the ranking reads it
    codes: set[str] = field(default_factory=set)  # national classification codes named ("31009")
    operands: tuple[Query, ...] = ()  # operation.items, each parsed as a question of its own (item_query)
    names: str = ""  # the units' names: words of them that remain in item_text name no item (asking.content_terms)
    decimals: int | None = None  # "保留两位小数": the places a computed answer is rounded to
    described: str = ""  # what a unit is, asked ("性质", "职责", "构成": asking.UNIT_TOPICS), else ""
    figure: Query | None = None  # asked with a why, the level asked before it ("年初预算是多少？为什么没花完")
    unreadable: str = ""  # why the question cannot be read (no words, not Chinese), else ""
    undisclosed: str = ""  # what no budget disclosure prints, asked (one person's pay), else ""
    stated: tuple[Decimal, ...] = ()  # amounts the question itself states, in 元 (not those it asks to check)
    reason: Reason | None = None  # asked why or what for: what the reason is asked of
    together: int | None = None  # "三个项目合起来": how many of a project table's projects are taken together (0: all)
    same_year: int | None = None  # "同是2025年": the one year said of every unit compared
    classes_said: tuple[str, ...] = ()  # the classification's names the question says, the units' names aside
    this_year: Ask | None = None  # the item as this year's level, its 上年 words aside ("上年收入预算")
    as_total: Query | None = None  # an operand read as a measure's total, its 总额/合计 aside ("占项目支出总额")
    per_member: dict[str, Query] = field(default_factory=dict)  # an operand as asked of each department's unit named

    def follow_up_context(self) -> dict:
        """What a follow-up ("那2023年呢？") reads back through parse_query: the question, the
        documents' units and years, the unit asked."""
        docs = self.match.docs
        return {"question": self.item_text if self.follow_up else self.text,
                "entities": sorted({m.entity for m in docs}),
                "years": sorted({m.year for m in docs}) if len(docs) == 1 else self.match.years,
                "unit": self.unit}


# numbers set apart by spaces ("甲110中心 2024 30113 预算数"): normalising drops the spaces, so a comma
# keeps the unit's number, the year and the code apart
# an amount the question states ("预算收入 8 695.94 万元，比上年多了 794.88 万元——增长了百分之几"): what the
# asker read, never a code or an item of the question
_STATED_AMOUNT = re.compile(r"(?<![0-9.])[0-9]+(?:[ ,，][0-9]{3})*(?:\.[0-9]+)?\s*(?:亿元|万元|元|亿|万)(?!人|个|次|辆)")
_DASHED_ASIDE = re.compile(r"——([^—]{2,40})——")
# a figure stated to be checked ("…是7.46万元，对吗", "…4703平方米，文件里是这么写的吗")
_CLAIM_CHECKED = re.compile(r"对吗|对不对|是真的吗|真的吗|是这样吗|这么写的?吗|没错吧|属实吗|是否属实|准确吗|是不是真的")
_STATED_COUNT = re.compile(r"(?<![0-9.])[0-9]+(?:\.[0-9]+)?\s*(?P<unit>平方米|人次|人|辆|台|套|张|个|家|项|所)")
# money as people say it, after what asks the amount: "多少块钱" (元), "几万块" (万元), "多少个亿" (亿元)
_SPOKEN_AMOUNT = re.compile(r"(?P<how>多少|几)(?P<unit>万块钱?|块钱|块(?![\u4e00-\u9fa5])|个亿元?|亿(?!元))")  # (not "这几块工资")
_SPOKEN_UNITS = {"万块": "万元", "万块钱": "万元", "块": "元", "块钱": "元", "个亿": "亿元", "个亿元": "亿元", "亿": "亿元"}
_CODE_BY_LEVEL = re.compile(r"(?<![0-9])([0-9]{3})类([0-9]{2})款(?:([0-9]{2})项)?")
_FULL_STOP_END = re.compile(r"[。！!]+\s*$")
_HALF_WIDTH = str.maketrans({chr(ord("０") + d): str(d) for d in range(10)} | {"．": "."})  # full-width digits
# "甲热线中心23年…", "…2080506 23年执行数": a year written in two digits is that year in full
_TWO_DIGIT_YEAR = re.compile(r"(?<![0-9.第近满约共前后])(2[0-9])(?=年)")
_SPACED_NUMBERS = re.compile(r"(?<=[0-9]{4})\s+(?=[0-9]{4})|(?<=(?<![0-9])20[0-9]{2})\s+(?=[0-9])")  # ("201 03 50" stays one)


# "乙区府办 25 30217", "甲中心 26 项目支出": a year in two digits, set apart (20XX年; not "25 万元")
_SHORT_YEAR = re.compile(r"(?<![0-9.第共约近超])(?<![.第共约近超]\s)(2[0-9])\s+"
                         r"(?=[0-9]{3}|(?![万元亿个人辆台张次条页名家所批]|项(?!目))[\u4e00-\u9fa5])")
# "三公 2026比2025 增幅": years compared without their 年
_YEARS_COMPARED = re.compile(r"(?<![0-9.])(20[0-9]{2})(?![0-9.年万元亿%])(?=\s*(?:比|较|相比|对比|[和与至到~-]\s*20[0-9]{2}))"
                            r"|(?<=[比较和与至到~-])\s*(20[0-9]{2})(?![0-9.年万元亿%])")
_UNDER_IT = re.compile(r"底下(?=的)")  # "2026年甲局底下的…": 下属 (with the unit's name out, no 年底 is said)
# "您好，请问…", "我想知道…", "…是多少，谢谢！": courtesy, at either end, asks nothing
_COURTESY = re.compile(r"^\s*(?:(?:你好|您好|老师好)[，,！!。\s]*)?(?:请问|请教一下|请教)[，,：:\s]*|^\s*(?:你好|您好)[，,！!。\s]+"
                       r"|^\s*(?:我们?)?(?:想|要)(?:知道|了解一?下|问一?下|查一?下)[，,：:\s]*"
                       r"|^\s*(?:请|麻烦)?(?:帮我|帮忙|你|您)?(?:查|看|找)一?下[，,：:\s]*|^\s*(?:请|麻烦)?(?:你|您)?(?:能|可以)?告诉我[，,：:\s]*"
                       r"|[，,。！!\s]*(?:谢谢(?:你|您|了)?|多谢|感谢(?:你|您)?|麻烦(?:你|您)?了|辛苦了?)[。！!~～]*\s*$"
                       r"|[呢啊呀嘛](?=[？?。！!]*\s*$)")  # "…有多少退休的老同志呢？": a particle ends the ask
# "…分别是多少？两者一样吗？", "…加起来多少？哪家最大？": a second question about the figures just asked,
# which the answer's comparison of them says anyway
_AFTERTHOUGHT = re.compile(r"(?<=[？?])\s*(?:两者|二者|两家|三家|几家|它们|这两个|这几个|哪家|哪个|谁)?的?(?:是不是|是否)?"
                           r"(?:一样|相同|相等|不同|有区别|有差别|最大|最多|最高|最小|最少|最低|更多|更高|更大)(?:吗|呢|吧|的是哪家|的是谁)?[？?]?\s*$")
_PLUS_SIGN = re.compile(r"\s*[+＋]\s*(?=[\u4e00-\u9fff])")  # "甲+乙 合计": 甲加乙
# terse comparisons typed into a search box: "甲 vs 乙" (PK) is 甲比乙, "决算 减 年初预算" asks 决算比年初预算多多少
_VERSUS = re.compile(r"\s*(?<![A-Za-z])(?:vs|VS|Vs|v\.s\.|pk|PK)(?![A-Za-z])\.?\s*")
_ACTUAL_VS_START = re.compile(r"(决算数?|执行数|实际支出)\s*比\s*年初(?!预算)")
_LESS_TERSE = re.compile(r"\s+(?:减去?|-)\s+(\S+?)\s*[?？]?$")
_SHORT_YEARS_COMPARED = re.compile(r"(?<![0-9.])(2[0-9])\s*比\s*(2[0-9])(?![0-9.年万元亿%])")  # "三公 26比25 涨幅"
# "甲应急局 2024决算 执法执勤用车 辆": a unit of count typed last asks how many
_COUNT_ONLY = re.compile(r"\s+(辆|台|套|张|人次|批次)\s*[?？]?$")


@cache
def _to_simplified() -> OpenCC:
    return OpenCC("t2s")


def in_simplified(question: str, known: str = "") -> str:
    """A question typed in traditional characters, as the documents print it: '甲區…三公經費' -> '甲区…三公经费';
    a character the documents' names print themselves stays as typed (a simplified name may own it: 乾县)."""
    simple = _to_simplified().convert(question)
    if len(simple) != len(question):
        return simple
    return "".join(typed if typed in known else changed for typed, changed in zip(question, simple))


def stated_amounts(question: str) -> tuple[Decimal, ...]:
    """The amounts a question states as a whole it asks a part of ("那3000万元里，…分到多少"), in 元."""
    found = []
    for m in _STATED_AMOUNT.finditer(question):
        if not _PART_OF_STATED.match(question, m.end()):
            continue
        said = re.match(r"([0-9 ,，.]+)\s*(亿元|万元|元|亿|万)", m.group())
        value = parse_number(re.sub(r"[ ,，]", "", said[1])) if said else None
        unit = {"亿": "亿元", "万": "万元"}.get(said[2], said[2]) if said else ""
        yuan = to_yuan(value, unit) if value is not None else None
        found += [yuan] if yuan is not None else []
    return tuple(found)


_PART_OF_STATED = re.compile(r"(?:的)?(?:里面?|之中|当中|中)[，,]?[^。？?]*(?:多少|几)")


def unreadable(question: str) -> str:
    """Why a question cannot be read at all, else "": nothing but signs, or no Chinese — the
    documents' terms are Chinese (a bare code, "2110302 2026", is read)."""
    if not re.search(r"[\u4e00-\u9fa5A-Za-z0-9]", question):
        return "问题中没有可查询的内容（单位、年份、项目）"
    if not re.search(r"[\u4e00-\u9fa5]", question) and not named_codes(question):
        return "请用中文提问，并写明单位、年份和要查的项目（例如“某市某局2026年三公经费是多少？”）"
    return ""


# "一共有多少退役军人": the people counted, however much of the unit's name their words are
_PEOPLE_ASKED = re.compile(r"(?:多少|几)(?:个|名|位)?(?P<who>[\u4e00-\u9fa5]{2,6}?人)[？?。]*$")


def _people_kept(item_text: str, question: str) -> str:
    """The item text with the people a question counts put back where the unit's name took them out."""
    asked = _PEOPLE_ASKED.search(normalize(question))
    if asked and asked["who"] not in item_text and not _PEOPLE_ASKED.search(item_text):
        return re.sub(r"[？?。]*$", "", item_text) + asked["who"] + "？"
    return item_text


# "局长一年工资多少": one person's pay, which disclosures never print (they print the unit's 工资福利支出)
_ONE_PERSONS_PAY = re.compile(r"(?:副?(?:局长|厅长|处长|科长|主任|书记|校长|院长|镇长|乡长|区长|市长|县长|所长|站长|馆长|部长)|某个人|个人)"
                              r"(?:的|一年|每年|每月|一个月|一月|年|月)*(?:工资|薪水|薪资|薪酬|年薪|月薪|奖金|绩效工资)")


def undisclosed(question: str) -> str:
    """What the question asks that no budget disclosure prints, else ""."""
    if _ONE_PERSONS_PAY.search(normalize(question)):
        return "预算、决算公开只列出单位的工资福利支出总额，不公开某个人的工资"
    return ""


def parse_query(question: str, index: EntityIndex, context: dict | None = None) -> Query:
    reason = unreadable(question)
    if reason:
        return Query(text=question, item_text="", match=DocumentMatch(docs=[], entity_named=False), unit="",
                     measures=set(), follow_up=False, asks_change=False, asks_why=False, asks_text=False,
                     operation=Operation(), mentioned=[], ask=ask_of(""), unreadable=reason)
    asked = question  # as the user wrote it; the rest reads the numbers set apart
    question = question.translate(_HALF_WIDTH)  # "２０２６ ３０２０１": the digits every rule below reads
    question = _CODE_BY_LEVEL.sub(lambda m: "".join(g for g in m.groups() if g), question)  # "204类06款13项": 2040613
    question = _SPOKEN_AMOUNT.sub(lambda m: m["how"] + _SPOKEN_UNITS[m["unit"]], question)  # "多少万块钱": 多少万元
    if not re.search(r"[？?]", question):  # "…有多少在职员工。": asked all the same (not a remark after a question)
        question = _FULL_STOP_END.sub("？", question)
    question = _DASHED_ASIDE.sub(r"（\1）", respelled(in_simplified(question, index.known_text)))  # "养人的钱——工资、社保……——": a gloss
    question = _PLUS_SIGN.sub("加", _AFTERTHOUGHT.sub("", _COURTESY.sub("", _UNDER_IT.sub("下属", question))))
    question = _FULL_NAME_GLOSSED.sub(lambda m: _glossed_name(m, index), question)
    question = _PLACE_GLOSSED.sub(lambda m: m["place"] + m["name"] if index.named_places(m["place"]) else m[0], question)
    question = _VERSUS.sub("比", _LESS_TERSE.sub(r"比\1多多少", question))  # "2026 vs 2025 增幅", "决算 减 年初预算"
    question = _ACTUAL_VS_START.sub(r"\1比年初预算", question)  # "决算 vs 年初": its 年初预算 (not the 年初 balance)
    question = _TWO_DIGIT_YEAR.sub(r"20\1", question)
    question = _YEARS_COMPARED.sub(lambda m: f"{m[1] or m[2].strip()}年", question)
    question = _SHORT_YEARS_COMPARED.sub(r"20\1年比20\2年", question)
    question = _COUNT_ONLY.sub(r"有几\1", _SPACED_NUMBERS.sub("，", _SHORT_YEAR.sub(r"20\1年，", question)))
    follow_up = bool(context) and is_follow_up(asked.strip())  # (as asked, its 呢 still there)
    context = context if follow_up else None
    item_text = f"{context.get('question', '')} {question}" if context else question
    match = match_documents(question, index, context)
    members = match.members
    if members:  # units' rows: their names are no item — marked, so that each operand keeps its own
        item_text = normalize(item_text)
        for k, (surface, _) in enumerate(members):
            item_text = item_text.replace(surface, f"§{k}§")
    item_text = _people_kept(without_preface(strip_entity(item_text, match.docs)), question)
    parents = index.parents_of_units(normalize(question))
    item_text = _PARENT_OF.sub(lambda m: "" if m["parent"] in parents else m[0], item_text)  # no item 水务局
    stated = stated_amounts(question)
    if _CLAIM_CHECKED.search(item_text):  # "占用房屋4703平方米，文件里是这么写的吗": the count is what is checked
        item_text = _STATED_COUNT.sub(lambda m: f"多少{m['unit']}", item_text)
    item_text = printed_words(glossed(_ROUNDING_SAID.sub("", _STATED_AMOUNT.sub(" ", item_text))))
    item_text = _AS_OF.sub(" ", item_text)  # "截至2025年8月31日": when a stock is counted, no month of spending
    unit = asked_unit(question) or (context or {}).get("unit", "")
    asks_change = bool(CHANGE_OR_SHARE.search(normalize(item_text)))
    measures = asked_measures(item_text) - ({"上年预算"} if asks_change else set())  # "比上年": the base
    if match.year_before and not asked_count(item_text):  # an amount of the year before, from the next year's budget
        spent = bool(standard.ACTUAL.search(item_text))  # "上一年预算实际执行了多少": what was spent of it
        measures = (measures - {"本年预算", "决算数"} - ({"上年预算"} if spent else set())) | {"上年执行数" if spent else "上年预算"}
    elif not asks_change:  # "2024年预算中…2023年执行数（决算数）": the budget's column of the year before
        measures = _year_before_named(item_text, match.docs) or measures
    asks_why = bool(WHY.search(question))
    # "…为什么比上年增加": the change is what is explained, not a difference to compute
    # (one unit's 部门 and 单位 documents of a year are one document to compute in, each in turn — unless
    # the question sets them against each other: "部门预算和单位预算…相差多少")
    several = len({(m.entity, m.year) for m in match.docs}) > 1 or (
        len(match.docs) > 1 and bool(re.search(r"部门.*单位|单位.*部门", normalize(question))))
    operation = (parse_operation(question, item_text, several, unit)
                 if not match.missing and not asks_why else Operation())
    operation = _part_unit_named(operation, match.docs, index)
    names = index.names_of(match.docs)

    def unmarked(text: str) -> tuple[str, str]:
        """The text without the units' marks, and the unit its own mark names."""
        mark = MEMBER_MARK.search(text)
        return MEMBER_MARK.sub(" ", text), members[int(mark.group(1))][1] if mark else ""

    item_text, _ = unmarked(item_text)
    operands = tuple(item_query(*unmarked(text), names=names, unit=unit) for text in operation.items)
    same_year = _SAME_YEAR.search(normalize(asked))
    return Query(text=asked, item_text=item_text, match=match, unit=unit, measures=measures,
                 follow_up=follow_up, asks_change=asks_change, asks_why=asks_why, asks_text=asks_text(question),
                 operation=operation, mentioned=index.mention_order(question, match.docs),
                 ask=ask_of(item_text, names, match.member, quoted_names(question), left_out(question),
                            quoted_projects(question)),
                 codes=_codes_named(question, item_text), names=names, decimals=asked_decimals(question),
                 described=described_topic(question), stated=stated, figure=_figure_before_why(item_text, names, unit, {m.year for m in match.docs}) if asks_why else None,
                 reason=reason_of(item_text, names) if asks_why else None, together=projects_together(item_text),
                 same_year=int(same_year["year"]) if same_year else None,
                 classes_said=tuple(thesaurus.classification_names_in(strip_entity(asked, match.docs))),
                 this_year=_this_year(item_text, names, measures), undisclosed=undisclosed(asked),
                 operands=_operands_read(operation, operands, match, names, unit))


# "同是2025年": one year said of every unit compared
_SAME_YEAR = re.compile(r"(?:同是|都是|同为|均为|同样是|同样按|都按|均按)(?P<year>20[0-9]{2})年")


def _operands_read(operation: Operation, operands: tuple[Query, ...], match: DocumentMatch, names: str,
                   unit: str) -> tuple[Query, ...]:
    """The operands as each computation reads them: a share's whole also as a measure's total, its part
    the whole's item of the unit named alone ("本年收入里，甲中心一家占了多大比例"); with one unit of each
    department named, each operand as asked of each unit ("甲局的乙中心和丙局的丁中心的收入预算"), or of a
    department none of whose units is named ("甲委的收入总计比乙局的丙中心…")."""
    if operation.kind == "share" and len(operands) == 2:
        part, whole = operands
        if part.match.member and not part.ask.content:
            part = item_query(whole.item_text, member=part.match.member, names=whole.names, unit=whole.unit)
        said = TOTAL_END.sub("", normalize(whole.item_text))
        operands = (part, replace(whole, as_total=item_query(said, names=whole.names, unit=whole.unit)))
    if not match.member_of:
        return operands
    members = set(match.member_of.values()) | {""}
    return tuple(replace(item, per_member={member: replace(item_query(item.item_text, member, item.names, item.unit),
                                                            codes=item.codes, measures=item.measures)
                                           for member in members}) for item in operands)


# "最近在对比各地的预算公开，想问下…": what comes before the ask says why, not what
_PREFACE = re.compile(r"^.*(?:想问一?下|请问|想知道|想了解一?下|问一下|问下|帮我查一?下|帮忙查一?下|麻烦查一?下"
                      r"|核[对实]一?个数字?|核[对实]一下)[,，:：]?")
# "按说明中给出的减少额倒推，", "根据表1…和说明中…，推算": how the figure is to be worked out, not what it is
_WORKED_OUT = re.compile(r"(?:根据|按照?|依据|由|用(?=[0-9]{4}年))[^。？?]*?(?:倒推|推算|推出)(?:出来)?[，,]?")


# "…多少万元？手上只有它2026年的单位预算。": what the asker has to work from, not what is asked
_HAVE_ONLY = re.compile(r"[，,。？?]?(?:我|手上|手里|手头)?(?:只有|就有)[^，,。？?]{0,30}?(?:预算|决算|文件|说明)[。.]?")


_DECIMALS = re.compile(r"(?:保留|精确到|四舍五入到?)(?P<n>[0-9一二两三四])位小数|精确到(?P<unit>角|分)")
_ROUNDING_SAID = re.compile(rf"[，,]?[（(]?(?:{_DECIMALS.pattern})[)）]?")  # "（四舍五入到两位小数）": how, not what


def asked_decimals(question: str) -> int | None:
    """"保留两位小数" -> 2; "精确到分" -> 2; None when the question asks no rounding."""
    said = _DECIMALS.search(question)
    if said is None:
        return None
    if said["unit"]:
        return {"角": 1, "分": 2}[said["unit"]]
    return int(said["n"]) if said["n"].isdigit() else {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4}[said["n"]]


def without_preface(text: str) -> str:
    """The ask, without what comes before it and without an aside naming what is not asked."""
    rest = _HAVE_ONLY.sub("", _WORKED_OUT.sub("", _PREFACE.sub("", _ROW_NUMBER.sub("", _NOT_ASKED.sub("", text)))))
    return rest if len(rest) >= 4 else text


_ROW_NUMBER = re.compile(r"(?:序号|行次)\s*[0-9]+")  # "序号2甲县…": where the row stands, not what it is
# "（不是编制数）", "(不含上年结转)", "不算财政给的和上级补助的，…": an aside naming what the question does not ask; "（工资、奖金这些）",
# "（办公、水电之类）": examples of what the words before them mean, no items of their own
# "（不含港航中心）", "(不是编制数)": what a bracket leaves out (a unit named there is not asked either)
_LEFT_OUT = re.compile(r"[（(](?:而?不是|并非|非|不含|不包括|未含|不算|除去?)(?P<left_out>[^）)]*)[）)]")


def left_out(question: str) -> tuple[str, ...]:
    """The items a bracketed aside says are not asked: "买设备本身（不是安装费）" -> ("安装费",)."""
    terms = (re.sub(r"(?:的|那部分|部分|在内|那些|这些)+$", "", m["left_out"]) for m in _LEFT_OUT.finditer(normalize(question)))
    return tuple(t for t in terms if len(t) >= 2)
_NOT_ASKED = re.compile(_LEFT_OUT.pattern + r"|[（(][^（）()]*(?:这些|之类|这类|等等)[）)]"
                        r"|[（(][^（）()]*(?:不算|除外)[）)]"  # "（其他收入那部分不算）"
                        # "(2026年)不算财政给的，…" (not "除去X，还剩多少": the rest is asked)
                        r"|(?:^|(?<=[，,])|(?<=年)|(?<=年度))(?:不算|不含|不包括|除去|除了)[^，,。？?（）()]*[，,](?!还剩|剩下|剩余|其余)"
                        # "专门办具体事情、不算日常运转的钱": a clause of the description saying what it is not
                        r"|、(?:不算|不含|不包括|而?不是)[^，,。？?、（）()]*?(?=的(?:钱|经费|资金|支出|费用))"
                        # "…的钱有多少，不是退休的那些哈" (not "…的钱里，不是财政给的有多少": that asks)
                        r"|[，,](?:而?不是|并非)(?![^，,。？?]*(?:多少|几))[^，,。？?、（）()—]*(?=[。？?]*$)"
                        r"|[，,](?:听说|据说|好像|貌似|感觉)[^，,。？?、（）()—]*(?=[。？?]*$)"  # "…有多少万，听说挺多的"
                        r"|(?<=[？?])(?:只看|只算|仅看|仅算|单看)[^。？?]{1,12}[。.]?$"  # "…多少元？只看服务中心本身。"
                        # "…是多少？其他收入那块不算", "…多少？不算办公那些日常开销。": what is left out, said after the ask
                        r"|(?<=[？?])[^。？?]{0,12}?(?:不算|除外|不含|不包括)[^。？?]{0,12}[。.]?$"
                        # "不管钱是财政给的还是医院自己的": every source counts, none is named
                        r"|[，,]?(?:不管|无论|不论)(?:钱)?是[^，,。？?]*?还是[^，,。？?]*"
                        r"|[，,](?:而?不是|并非)[^，,。？?、（）()—]*(?=—)"  # "——专门救援那一项，不是整个应急大类——"
                        r"|—{1,2}[^—]*(?:这些|那些|之类的?|这类|等等)—{1,2}"  # "…的钱——工资、社保这些——": examples
                        # "把其他收入和上年结转都算上，": what the figure covers (all the money), no items to add
                        r"|(?:^|(?<=[，,]))(?:把|连同?)[^，,。？?]{1,20}?(?:都|也|一起|一并)(?:算上|算进去|算在内|加上|包括在内|计算在内|计入)[，,]?")


_RATE_OR_CHANGE = re.compile(r"率|比例|比重|百分|(?:涨|降|增|减|多|少|高|低|变)了?(?:多少|几)")  # (or a change: "涨了多少")
_LEVEL_ASKED = re.compile(r"(?:是|有|为)?多少(?:钱|万元|元)?[？?，,。]*$")


def _figure_before_why(item_text: str, names: str, unit: str, years: set) -> Query | None:
    """"信息化建设年初预算是多少？为什么最后没花完？": the level asked in its own sentence before the why
    (of the documents' own year: another year's level is no figure of theirs to look up)."""
    why = WHY.search(item_text)
    before = item_text[:why.start()] if why else ""
    before = before[:max(before.rfind("?"), before.rfind("？")) + 1] or before  # ("…多少？执行率为啥偏低")
    asked = _LEVEL_ASKED.search(before)
    if not asked or CHANGE_OR_SHARE.search(before) or any(w in before for w in CHANGE_WORDS) or _RATE_OR_CHANGE.search(before):
        return None  # (a change or a rate asked with its reason is the reason's own figure)
    if not set(asked_years(before)) <= years:
        return None
    return item_query(before[:asked.start()], names=names, unit=unit)


def item_query(text: str, member: str = "", names: str = "", unit: str = "") -> Query:
    """An operand of a computation as a question of its own ("人员经费"; a department's unit's row
    when `member` is named), looked up in whichever document the computation reads
    (budgetqa.answer.finder.Finder.lookup)."""
    match = DocumentMatch(docs=[], entity_named=True, members=[(member, member)] if member else [])
    measures = asked_measures(text)
    return Query(text=text, item_text=text, match=match, unit=unit, measures=measures,
                 follow_up=False, asks_change=False, asks_why=False, asks_text=False, operation=Operation(), mentioned=[],
                 ask=ask_of(text, names, member), codes=named_codes(text), names=names,
                 this_year=_this_year(text, names, measures))


def _this_year(text: str, names: str, measures: set[str]) -> Ask | None:
    """"上年收入预算", "2025年…" of a 2026 budget: the item as this year's level, its 上年 words aside;
    None when no measure of the year before is asked."""
    return ask_of(standard.LAST_YEAR.sub("", text), names) if measures & standard.LAST_YEAR_MEASURES else None


# "办公经费（日常公用开支）": words glossed in brackets; a one-character note ("维修（护）费") is part of
# a name, a code ("（2010601）") is read as a code
_GLOSS = re.compile(r"[（(](?P<gloss>[^（）()0-9]{2,})[)）]")
# a gloss that says what the figure covers ("（含年初结转和结余）"), not what it is
# or gives examples ("（比如物业外包）")
_SCOPE_NOTE = re.compile(r"^(?:不含|含|包括|不包括|包含|不包含|全部|不只|不仅|仅|只|比如|例如|譬如|诸如|像是|连同?)|[，,；;]"
                         r"|(?:都算|都算上|都包括|在内|之类的?|等等|一起算|一并算|算上)$")
# the words a gloss explains: back to the previous particle, year or separator ("2026年的|工资开销")
_GLOSSED = re.compile(r"[^\W\d_的里中年和与及、比]{2,}$")  # (not the 比 of "A比B")
# "…没花完结转过来的钱（年初结转和结余）": a clause about money that a term glosses
_MONEY_NOUN = re.compile(r"的(?:钱|资金|经费|费用)$")
# where a clause starts: after a separator or a year ("2024年|发工资、交社保这类人员开支")
_CLAUSE_START = re.compile(r"[，,；;：:]|(?:19|20)[0-9]{2}年度?")


_WHICH_OPENS = re.compile(r"谁家?|哪一?[个家项位]")


def _year_before_named(text: str, docs: list[DocumentMeta]) -> set[str]:
    """{"上年执行数"} when a question about one year's documents names the year before's 执行数 or 决算
    ("2024年部门预算中…2023年执行数"), {"上年预算"} for its 预算; else empty."""
    years = {m.year for m in docs if m.year}
    if len(years) != 1:
        return set()
    said = re.search(rf"{years.pop() - 1}年度?(?:的)?(?P<what>执行|决算|实际|预算)", normalize(text))
    if said is None:
        return set()
    return {"上年预算"} if said["what"] == "预算" else {"上年执行数"}


_PARTS_LISTED = re.compile(r"[^、，,]{2,}(?:[、，,]|再?加上|以及)[^、，,]{2,}(?:[、，,]|再?加上|以及)")  # three parts or more


_SPENDING_SCOPES = ("基本支出", "项目支出")
_BREAKDOWN_COLUMNS = ("人员经费", "人员支出", "公用经费", "公用支出")


def glossed(text: str) -> str:
    """A question that glosses its own words with a budget term in brackets ("人头经费（人员支出）")
    asks for that term: the gloss stands for the word it explains."""
    for match in reversed(list(_GLOSS.finditer(text))):
        term = match["gloss"]
        if _SCOPE_NOTE.search(term):  # "收入总计（含年初结转和结余）" says what the figure covers, names no item
            text = text[:match.start()] + text[match.end():]
            continue
        before = printed_words(text[:match.start()][-10:])
        # "租场地的钱（基本支出）", "基本支出表里职工医保缴费（人员支出）": an economic row, and the column it is
        # read in (a breakdown glossed without a table named is the breakdown: "工资开销（人员经费）")
        column = term in _SPENDING_SCOPES or (term in _BREAKDOWN_COLUMNS and TABLE_NAMED.search(text))
        if column and any(len(code) == 5 for e in thesaurus.expand(before) for code in e.codes):
            text = text[:match.start()] + f"的{term}" + text[match.end():]
            continue
        if _PARTS_LISTED.search(term) and any(e.kind == "item" for e in thesaurus.expand(printed_words(text[:match.start()][-8:]))):
            text = text[:match.start()] + text[match.end():]  # "养人的钱（工资、社保、公积金再加上退休费）": its parts, said
            continue
        terms = [e for e in thesaurus.expand(term) if e.kind not in ("doc_kind", "column") and e.end == len(term)]
        if not terms:
            continue  # "（决算数）" says which figure, not what the words before it are
        whole = any(e.start == 0 for e in terms)
        glossed_words = _GLOSSED.search(text[:match.start()]) if whole else None
        if glossed_words:
            text = text[:glossed_words.start()] + term + text[match.end():]
        elif not whole or _MONEY_NOUN.search(text[:match.start()]):  # "发工资、交社保这类人员开支（一般公共预算财政拨款基本支出中的人员经费）": a phrase
            # ending in a term stands for the clause it explains, examples and all (never a code it names)
            start = max((m.end() for m in _CLAUSE_START.finditer(text[:match.start()])), default=0)
            if len(term) >= 4 and not re.search(r"[0-9]{3}", text[start:match.start()]):
                # the topic the clause names stays ("“三公”里花在公车上（买车加养车）": 三公 买车加养车)
                topics = "".join(standard.named_topics(text[start:match.start()], by_key=True))
                asking = _WHICH_OPENS.match(text, start)  # "谁“养人的钱”（人员经费）更多": the 谁 stays
                text = text[:start] + (asking[0] if asking else "") + topics + term + text[match.end():]
    return text


def _codes_named(question: str, item_text: str) -> set[str]:
    """The codes of the item asked: read where the question prints them (before their name, which may
    share words with the unit's name: "2100202中医（民族）医院" of 梅岭市中医院), kept when no unit's name holds them."""
    return named_codes(item_text) | {code for code in named_codes(normalize(question)) if code in item_text}


def named_codes(text: str) -> set[str]:
    """The 功能/经济 classification codes a question names ("土地补偿（31009）" -> {"31009"}): one our code
    table knows, or one printed as codes are, right before its name ("2100202中医（民族）医院")."""
    return {m[1] for m in re.finditer(r"(?<![0-9.])([0-9]{3}|[0-9]{5}|[0-9]{7})(?![0-9.])", text)
            if thesaurus.code_name(m[1]) or m[1][0] in "235" and (
                _BEFORE_NAME.match(text, m.end()) or len(m[1]) > 3 and _NOTHING_AFTER.match(text, m.end()))}


def is_follow_up(question: str) -> bool:
    return question.startswith("那") or question.rstrip("？?。 ").endswith("呢")  # "那2023年呢？"


# kinds of place, no place's name (jieba tags 湖泊 a place): "治理河流湖泊水污染" names no unit
_KINDS_OF_PLACE = frozenset({"湖泊", "河流", "江河", "河湖", "山区", "农村", "城区", "城市", "城镇", "乡村", "海洋",
                             "森林", "草原", "湿地", "流域", "沿海", "边境", "境外", "国外", "全国", "全省", "全市", "全县",
                             "大街", "马路", "街上", "街面"})
_INSIDE = re.compile(r"^.[里内]$")  # "馆里", "局里", "镇里": inside the unit asked about, no other unit


class EntityIndex:
    """Scores how strongly a question names each document's unit (IDF-weighted bigram overlap)."""

    def __init__(self, docs: list[DocumentMeta]):
        self.docs = docs
        names_by_entity: dict[str, set[str]] = {}
        for meta in docs:
            names = {meta.entity, *meta.aliases}
            names_by_entity.setdefault(meta.entity, set()).update(names | thesaurus.abbreviated(names))
        self.names_by_entity = names_by_entity
        grams_by_entity = {e: set().union(*(bigrams(n) for n in names)) for e, names in names_by_entity.items()}
        df = Counter(g for grams in grams_by_entity.values() for g in grams)
        n = max(len(grams_by_entity), 1)
        self.idf = {g: math.log(1 + n / count) for g, count in df.items()}
        self.grams_by_entity = grams_by_entity
        self.max_idf = max(self.idf.values(), default=0.0)
        self._own_names = {normalize(n) for names in names_by_entity.values() for n in names if len(normalize(n)) >= 4}
        self.known_text = normalize("".join(n for names in names_by_entity.values() for n in names)
                                    + "".join(m.region for m in docs))
        # the places each unit belongs to ("福建省泉州市…" -> 福建, 泉州): a place the question names
        # must be one of them
        self.places_by_entity: dict[str, set[str]] = {}
        for meta in docs:
            regions = [meta.region, region_of(meta.entity)] + [region_of(a) for a in meta.aliases]
            cores = {c for r in regions for c in _PLACE_CORE.findall(normalize(r))}
            self.places_by_entity.setdefault(meta.entity, set()).update(cores)
        self.places = set().union(*self.places_by_entity.values()) if self.places_by_entity else set()
        # units a department's tables print as rows: named, they pick that department's documents
        # (a unit with documents of its own is answered by them, not by a row of its department's)
        self.members: dict[str, tuple[str, str]] = {}  # surface form -> (member, entity)
        for meta in docs:
            for member in meta.members:
                name = normalize(member)
                # by its name, without its place, or as people shorten it (农技推广中心)
                for form in (name, _organisation(name), *thesaurus.abbreviated({name, _organisation(name)})):
                    if len(form) >= 5 and not any(form in known or (known in form and not form.endswith(OWN_BODY))
                                                  for known in self._own_names):
                        self.members.setdefault(form, (name, meta.entity))

    def members_named(self, question: str) -> list[tuple[str, str, str]]:
        """(surface, member, entity) of each department's unit the question names, longest first:
        by its name, its name without the place, or a short form of that ("港航中心" for
        港航事业发展中心: its first two and last two characters, the rest in order); "本级" names the
        department's own 本级 row."""
        q, found = _LEFT_OUT.sub(" ", normalize(question)), []  # "本级（不含港航中心）": the unit left out is not asked
        for form in sorted(self.members, key=len, reverse=True):
            surface = form if form in q else self._short_form(form, q)
            if surface and self._at_another_place(q, surface, self.members[form][1]):
                continue  # "甲市应急救援保障中心" is not 乙市's 应急救援保障中心
            if surface and _runs_into_term(q, surface):
                continue  # "甲厅机关运行经费": 机关运行经费, not the 甲厅机关 row
            if surface and not any(surface in named or named in surface for named, _, _ in found):
                found.append((surface, *self.members[form]))
        if "本级" in q and not any(member.endswith("(本级)") for _, member, _ in found) and not self._own_budget_before(q):
            own = {self.members[form] for form in self.members if form.endswith("(本级)")}
            scores = self.scores(question)  # the 本级 of the department the question names
            best = max(own, key=lambda pair: scores.get(pair[1], 0.0), default=None)
            top = scores.get(best[1], 0.0) if best else 0.0
            surface = "机关本级" if "机关本级" in q else "本级"  # "局机关本级"
            said = q.count("本级")  # "甲局本级和乙局本级": as many departments' own rows as it is said
            if top > 0 and said == 1 and sum(scores.get(e, 0.0) == top for _, e in own) == 1:
                found.append((surface, *best))
            elif top > 0:  # "甲、乙、丙三个交通局本级的…": each department named, its own 本级
                ranked = sorted((pair for pair in own if scores.get(pair[1], 0.0) > 0), key=lambda p: -scores[p[1]])
                tied = [pair for pair in ranked if scores[pair[1]] == top]
                found += [(surface, *pair) for pair in (ranked[:said] if said > 1 else tied)]
        return found

    def _own_budget_before(self, q: str) -> bool:
        """"…和甲局本级": the unit said right before 本级 has a budget of its own (本级 throughout) printing no
        本级 row, so 本级 names that budget — no other department's 本级 row."""
        before = re.split(r"[和与及跟、，,]", q[:q.find("本级")])[-1][-12:]
        scores = self.scores(before)
        best = max(scores, key=scores.get, default=None)
        return (best is not None and scores[best] >= 1.5 and all(m.scope == "本级" for m in self.docs if m.entity == best)
                and not any(entity == best for form, (_, entity) in self.members.items() if form.endswith("(本级)")))

    def members_shared(self, question: str) -> list[tuple[str, set[str]]]:
        """A short name several departments' units share ("公路中心" of 甲局's 公路事业发展中心 and 乙局's
        公路养护中心), with the departments."""
        q = _LEFT_OUT.sub(" ", normalize(question))
        fits: dict[str, set[str]] = {}
        for form, (_, entity) in self.members.items():
            surface = self._short_form(form, q) if form not in q else ""
            if surface and not self._at_another_place(q, surface, entity):
                fits.setdefault(surface, set()).add(entity)
        return [(surface, entities) for surface, entities in fits.items() if len(entities) > 1]

    def _at_another_place(self, q: str, surface: str, entity: str) -> bool:
        """Whether every mention of a unit's name follows a place its department is not at."""
        own = self.places_by_entity.get(entity, set())
        before = [q[:m.start()] for m in re.finditer(re.escape(surface), q)]
        return bool(before) and all(
            any(re.search(re.escape(place) + r"(?:省|市|区|县)?$", text) for place in self.places - own) for text in before)

    @staticmethod
    def _short_form(form: str, q: str) -> str:
        for match in re.finditer(re.escape(form[:2]) + r"[\u4e00-\u9fff]{0,8}?" + re.escape(form[-2:]), q):
            if len(match.group()) >= 4 and in_order(match.group(), form):
                return match.group()
        # "林业站" for 林业技术推广站: its first two characters and the kind of body it is
        if len(form) >= 5 and form[-1] in _BODY_TAIL and (short := form[:2] + form[-1]) in q:
            return short
        return ""

    def names_of(self, docs: list[DocumentMeta]) -> str:
        """The names of these documents' units (with their aliases and short forms), normalised."""
        return normalize("".join(n for entity in dict.fromkeys(m.entity for m in docs) for n in self.names_by_entity[entity]))

    def mention_order(self, question: str, docs: list[DocumentMeta]) -> list[DocumentMeta]:
        """Documents in the order the question mentions them (by year, else by unit name)."""
        q = normalize(question)

        def position(meta: DocumentMeta) -> int:
            # units apart by where their names stand; one unit's documents by where their years do
            named = self.mentioned_at(q, meta.entity) if len({d.entity for d in docs}) > 1 else -1
            spots = [named] if named >= 0 else (
                [q.find(str(meta.year)), q.find(f"{str(meta.year)[2:]}年")] if len({d.year for d in docs}) > 1 else [])
            spots = [s for s in spots if s >= 0]
            return min(spots) if spots else len(q)

        return sorted(docs, key=position)

    def mentioned_at(self, q: str, entity: str) -> int:
        """Where the normalised question first names the unit (by its rarest word pairs), else -1."""
        grams = self.grams_by_entity.get(entity, set())
        unique = [g for g in grams if self.idf[g] == self.max_idf] or list(grams)
        at = min((at for at in (q.find(g) for g in unique) if at >= 0), default=-1)
        # a unit named by words it shares with others ("卫健委" beside 岭南市应急管理局): where those stand
        return at if at >= 0 else min((at for at in (q.find(g) for g in grams) if at >= 0), default=-1)

    def named_with_year(self, question: str, entity: str) -> bool:
        """Whether the question writes a year right after one of the unit's names ("安河县图书馆2024年度"),
        or after the units it is joined with."""
        q = normalize(question)
        # "甲县水利局和乙市水利局2025年": a year after units joined by 和 is said of each
        names = self.names_by_entity.get(entity, set())
        forms = {normalize(name) for name in names} | {o for o in map(_organisation, names) if len(o) >= 3}
        if any(re.search(re.escape(form) + r"(?:[和与及跟、][^，,。？?比年]{2,14}?)?[（(]?(?:20[0-9]{2}|[0-9]{2})年", q)
               for form in forms):
            return True
        # a short form said right before the year ("甲中心2024年", "乙区府办2026年"): its characters
        # are the name's, in order
        said = [m[1] for m in re.finditer(r"([^，,。？?、和与及跟比较的\s]{3,14})[（(]?(?<![0-9])(?:20[0-9]{2}|[0-9]{2})年", q)]
        # or joined by 和 with the one unit said before the year ("甲区府办和乙局2026年"; in "甲、乙、丙（2025年）"
        # the year is the last one's)
        said += [m[1] for m in re.finditer(r"([^，,。？?、和与及跟比较的\s0-9年]{3,14})[和与及跟][^，,。？?比年的、和与及跟（(]{2,14}?"
                                           r"(?<![0-9])(?:20[0-9]{2}|[0-9]{2})年", q)]
        # "2026年甲局和乙局…": a year said before units joined by 和 is each one's
        said += [part.split("的")[0] for m in re.finditer(r"(?<![0-9])(?:20[0-9]{2}|[0-9]{2})年度?的?([^，,。？?]{3,40})", q)
                 for part in re.split(r"[和与及跟、]", m[1])]
        return any(len(before) >= 3 and in_order(before, normalize(name)) for before in said for name in names)

    def named_with_kind(self, question: str, entity: str, kind: str) -> bool:
        """Whether the question writes 预算/决算 right after one of the unit's names ("…财政局决算的…",
        "乙中心2024年预算"): said of that unit only, when several are compared."""
        q = normalize(question)
        after = r"(?:(?:20[0-9]{2}|[0-9]{2})年度?)?的?(?:部门|单位)?" + kind
        names = self.names_by_entity.get(entity, set())
        forms = {normalize(name) for name in names} | {o for o in map(_organisation, names) if len(o) >= 3}
        if any(re.search(re.escape(form) + after, q) for form in forms):
            return True
        said = [m[1] for m in re.finditer(r"([^，,。？?、和与及跟比较的\s0-9]{3,14}?)" + after, q)]
        return any(in_order(before, normalize(name)) for before in said for name in names)

    def named_places(self, question: str) -> set[str]:
        q = normalize(question)
        return {p for p in self.places if p in q}

    def _name_text(self, question: str) -> str:
        """The question as it may name a unit: no budget terms, no years ("2023" is no part of "12345")."""
        return _YEAR.sub(" ", without_items(question, self.known_text))

    def scores(self, question: str) -> dict[str, float]:
        q = bigrams(self._name_text(question))
        return {entity: sum(self.idf[g] for g in grams & q) for entity, grams in self.grams_by_entity.items()}

    def uniquely_named(self, question: str) -> set[str]:
        """Entities the question names by a word pair no other entity has ("泉州", "司法")."""
        text = self._name_text(question)
        q = bigrams(text)
        # (a pair holding a joining word, 和社 of "财政局和社会工作部" (人力资源和社会保障局's pair), names no unit however rare)
        unique = {g for g, idf in self.idf.items() if idf == self.max_idf and re.fullmatch(r"[\u4e00-\u9fa5]{2}", g)
                  and not re.search(r"[和与及]", g)}
        named = set()
        for entity, grams in self.grams_by_entity.items():
            names = self.names_by_entity[entity]
            for gram in grams & q & unique:
                at = text.find(gram)
                longer = {text[max(at - 1, 0):at + 2], text[at:at + 3]} - {gram}
                place = any(re.search(gram + "[省市区县]", normalize(n)) for n in names)
                run = _shared_run(text, at, names)
                if place or (any(len(piece) == 3 and piece in normalize(n) for piece in longer for n in names)
                             and not _item_words(run) and not _ANY_UNITS_END.fullmatch(run)):
                    named.add(entity)
        return named | self._short_named(text)

    def _short_named(self, text: str) -> set[str]:
        """Units said by a short form only one unit's name has: the first two and the last two characters
        of its name after the place, the rest left out ("文保中心" for 文保研究中心, "医保中心")."""
        said: dict[str, set[str]] = {}
        for entity, names in self.names_by_entity.items():
            for form in _bare_forms(names):
                if len(form) < 5 or not re.fullmatch(r"[\u4e00-\u9fa5]{2}", form[:2]):
                    continue
                for m in re.finditer(re.escape(form[:2]) + r"[\u4e00-\u9fa5]{0,2}?" + re.escape(form[-2:]), text):
                    if in_order(m.group(), form):
                        said.setdefault(m.group(), set()).add(entity)
        return {e for fits in said.values() if len(fits) == 1 for e in fits}

    def named_apart(self, question: str, entity: str, places: set[str]) -> bool:
        """Whether a unit uniquely named, but not by a place the question names, is named outside the
        mentions of units that place names: in "甲市便民中心" the words 便民中心 belong to 甲市's unit."""
        text = self._name_text(question)
        spans = [span for other, own in self.places_by_entity.items() if own & places and other != entity
                 for span in self._mentions(text, other, own & places)]
        unique = {g for g, idf in self.idf.items() if idf == self.max_idf}
        at = [m.start() for g in self.grams_by_entity[entity] & unique for m in re.finditer(re.escape(g), text)]
        return any(not any(s <= a and a + 2 <= e for s, e in spans) for a in at)

    def _mentions(self, text: str, entity: str, places: set[str]) -> list[tuple[int, int]]:
        """Stretches of the question that read as the unit's name from a place on: its characters in
        the order one of the unit's names has them ("甲市便民中心" in 甲市12345便民服务中心)."""
        spans = []
        for name in map(normalize, self.names_by_entity[entity]):
            for place in places:
                if place not in name:
                    continue
                for m in re.finditer(re.escape(place), text):
                    i, j = m.end(), name.find(place) + len(place)
                    while i < len(text) and (k := name.find(text[i], j)) >= 0:
                        i, j = i + 1, k + 1
                    spans.append((m.start(), i))
        return spans

    def unknown_names(self, question: str) -> list[str]:
        """Places or organisations named in the question that appear in no document's names."""
        unknown = []
        text = _UNIT_COUNT.sub(" ", without_items(question, self.known_text))  # "两个城市管理局": no place 两个城
        text = re.sub(r"[0-9]{2,4}年度?", " ", text)  # "2026年卫健局": no unit 年卫健局
        # "火星市12345热线中心…": a place name the question opens with, no part of which any document has
        opening = re.match(r"([\u4e00-\u9fa5]{2,4}?)(省|市|区|县)", _OPENING_WORDS.sub("", text.strip()))
        if opening and not any(gram in self.known_text for gram in bigrams(opening.group(1))):
            unknown.append(opening.group())
        words = lexicon.tokenizer().lcut(text)
        parents = self.parents_of_units(text)
        for k, word in enumerate(words):
            if any(word in parent for parent in parents):
                continue  # "甲局下面的乙中心": 乙中心's own document answers, whoever its department is
            if k and len(words[k - 1]) >= 2 and words[k - 1] + word[:1] in self.known_text:
                continue  # "甲溪镇安防": 镇 ends the name before (jieba cut 甲溪|镇安), no place 镇安
            word = _LEADING_LINK.sub("", word)  # "比安河县": the 比 of a comparison is no part of the place
            if k + 1 < len(words) and _COUNTED.match(words[k + 1]):
                continue  # "新建多少个站点": a verb before what it counts, though jieba knows a place 新建
            named = (lexicon.names_place_or_organisation(word)
                     or re.search(r"..(局|委|委员会|办|办公室|街道|厅|省|市|(?<!社)区|县)$", word))  # 社区 is no district
            if (named and len(word) >= 2 and word not in self.known_text and not _budget_word(word)
                    and word not in _KINDS_OF_PLACE and not _INSIDE.match(word)):
                core = re.sub(r"(省|市|区|县)$", "", word)
                if core not in self.known_text and word not in unknown and not self._shortens_a_name(word):
                    unknown.append(word)
        found = [name for name in self._units_at_places(question) + self._units_under_units(question)
                 if not any(name.endswith(parent) for parent in parents)]
        return unknown + [name for name in dict.fromkeys(found) if not any(word in name for word in unknown)]

    def parents_of_units(self, text: str) -> set[str]:
        """The words said as the department over a unit the corpus has ("水务局下面的甲中心")."""
        return {m["parent"] for m in _PARENT_OF.finditer(text)
                if len(text[m.end():m.end() + 4]) == 4 and any(text[m.end():m.end() + 4] in name for name in self._own_names)}

    def _shortens_a_name(self, word: str) -> bool:
        """"水文预报" of 甲市水文监测预报中心: a word of four or more characters whose characters stand in
        their order, in the first two and from the last two of their own, in one unit's name."""
        return len(word) >= 4 and any(in_order(word, name) and word[:2] in name and word[-2:] in name
                                      for name in self._own_names)

    def _units_under_units(self, question: str) -> list[str]:
        """"农业局农机站", "水利局水文站": an office, station or institute named right after a unit
        the corpus has, that no document is — a subordinate unit, whose figures no document gives."""
        q = normalize(_QUOTED_ITEM.sub(" ", question))
        return [m["sub"] for m in _SUBORDINATE.finditer(q)  # "…民政局比安河县图书馆": the unit compared with
                if m["unit"] in self.known_text and m["sub"] not in self.known_text and not _LEADING_LINK.match(m["sub"])]

    def _units_at_places(self, question: str) -> list[str]:
        """"甲市财政局": an organisation named right after a place that none of that place's units
        is (its characters in their order in no name of theirs), though another place's may be."""
        q, unknown = normalize(question), []
        places = self.named_places(question)
        # "兰溪一中和清江卫健委": a 和 before another place named ends the first unit's name
        next_unit = re.compile("[和与及跟同、](?=" + "|".join(map(re.escape, places)) + ")") if places else None
        for place in places:
            names = [normalize(n) for e, own in self.places_by_entity.items() if place in own for n in self.names_by_entity[e]]
            for mention in re.finditer(re.escape(place) + _ORGANISATION, q):
                # "甲市三家交通运输局": 交通运输局; "乙区的卫健委": 卫健委
                organisation = _UNIT_COUNT.sub("", mention.group(1)).removeprefix("的")
                organisation = next_unit.split(organisation)[0] if next_unit else organisation
                if "的" in organisation:
                    continue  # "甲中心的委(托业务费)": no organisation's name holds 的
                if not any(in_order(organisation, name) or _short_form_then_words(organisation, name) for name in names):
                    unknown.append(mention.group())
                    continue
                fitting = [name for name in names if place in name and in_order(organisation, name)]
                if fitting and not any(_follows_place(organisation, name, place) for name in fitting):
                    unknown.append(mention.group())  # "甲市生态环境局" is no 甲市乙生态环境局: 乙's, a level below
        return unknown


_BEFORE_BODY = re.compile(r"[省市区县0-9]*(?:中共|中国共产党|人民)?")  # what may stand between a place and its body
_GOVERNMENT_BODY = re.compile(r"(?:局|委员会|委|厅)$")


def _follows_place(organisation: str, name: str, place: str) -> bool:
    """The government body said after the place (生态环境局) is, in the unit's name holding that place,
    not a level below: no other place's name (two or three characters) stands between them. A body
    said by a short form (…服务中心) says nothing against it."""
    if not _GOVERNMENT_BODY.search(organisation):
        return True
    rest = name[name.find(place) + len(place):]
    at = max(rest.find(organisation[0]), 0)
    between = rest[:at]
    # (a word the body's name begins with, 生态 of 生态环境局, is cut inside by a short form: 环境局)
    starts_a_word = at in accumulate(len(w) for w in lexicon.tokenizer().lcut(rest))
    return (bool(_BEFORE_BODY.fullmatch(between)) or not starts_a_word
            or not re.fullmatch(r"[省市区县]?[\u4e00-\u9fa5]{2,3}", between))


def _runs_into_term(q: str, surface: str) -> bool:
    """The words end inside a budget term that begins among them ("…厅机关" of "…厅机关运行经费")."""
    at = q.find(surface)
    end = at + len(surface)
    return at >= 0 and any(at <= e.start < end < e.end for e in thesaurus.expand(q))


def _short_form_then_words(organisation: str, name: str) -> bool:
    """"一中请人给学校" after 甲: a short form of a unit's name (一中 of 甲县第一中学), then a clause of the
    question (a verb: 请, 给 …) that runs on to the next organisation word — not another body (甲市救援保障中心)."""
    return any(in_order(organisation[:k], name) and _CLAUSE_WORD.search(organisation[k:])
               for k in range(2, len(organisation) - 2))


_CLAUSE_WORD = re.compile(r"[请给为向对在把替帮拿花用搞办]")


@cache
def _budget_text() -> str:
    return "\n".join(thesaurus.classification_names())


def _budget_word(word: str) -> bool:
    """Part of a national classification name (福利 in 工资福利支出): an item, never a unit's name."""
    return word in _budget_text()


_LEADING_LINK = re.compile(r"^[比和与跟同较及占是]")  # ("占乙区…的比例", "是乙区的几倍")
_PROVINCIAL = re.compile(r"省里|省级|省属|省直")
_OPENING_WORDS = re.compile(r"^(?:听说|据说|听人说|有人说|请问|问一下|问下|为什么|为啥|为何|咋|怎么)")  # "听说省里的…", "为啥区委…": no place 听说省, 为啥区
_COUNTED = re.compile(r"^(?:多少|几)")
# "A、B、C三家交通运输局", "两个城管局", "三个镇政府" (the kind counted names no unit)
_UNIT_COUNT = re.compile(r"[这那]?[两二三四五六七八九十几]+(?:家|个|地|(?<=[两二三四五六七八九十])[市县区](?=[\u4e00-\u9fa5]{2,}(?:局|委|办|中心)))"
                         r"(?:[镇乡](?:人民)?政府|街道办事处|街道)?")  # "甲、乙、丙三市交通运输局"
_ORG_END = re.compile(r"[局委办院所站队馆处社部厅心署会]$")
_PLACES_COUNTED = re.compile(r"[两二三四五六七八九十几]+[市县区](?=[\u4e00-\u9fa5]{2,}?(?:局|委|办|中心))")


def _shared_run(text: str, at: int, names: set[str]) -> str:
    """The longest stretch of the question around position `at` that a unit name contains."""
    normalized = [normalize(n) for n in names]
    start, end = at, at + 2
    while start > 0 and any(text[start - 1:end] in n for n in normalized):
        start -= 1
    while end < len(text) and any(text[start:end + 1] in n for n in normalized):
        end += 1
    return text[start:end]


# words any unit's name may end with ("社区公共服务中心" shares only 服务中心 with a 便民服务中心): no name
_ANY_UNITS_END = re.compile(r"(?:服务|事务|管理|发展|保障|技术|信息|指挥)?(?:中心|站|所|办公室)")


def _item_words(run: str) -> bool:
    """'社会保障' in '社会保障和就业': words of a budget classification, not a unit's name — unless the
    stretch ends like an organisation ('司法局')."""
    return not _ORG_END.search(run) and _budget_word(run)


_QUOTED_ITEM = re.compile(r"[“\"][^”\"]{2,40}[”\"](?=项目|科目|专项|绩效)")


def without_items(question: str, names: str = "") -> str:
    """The question minus budget terms ("办公费", "住房公积金"), whose words could look like a unit's
    name — unless the words are part of a unit's name ("司法" in 司法局)."""
    # ("“甲服务站工作经费”项目": a project's name, whatever body it names)
    q = _TOPIC_NAMED.sub(" ", _CODED_ITEM.sub(" ", normalize(_QUOTED_ITEM.sub(" ", question))))
    q = re.sub(r"(?<![0-9])((?:20)?[0-9]{2})年度?", r"\1，", q)  # "2026年金乙…": no 年金 (a pension) there
    # one stretch may be several terms ("部门预算": a level and a kind): each is blanked once
    spans = sorted({(e.start, e.end) for e in thesaurus.expand(q) if q[e.start:e.end] not in names}, reverse=True)
    cut_from = len(q)
    for start, end in spans:
        end = min(end, cut_from)  # overlapping terms: blank what the later one left
        if start < end:
            q = q[:start] + " " + q[end:]
            cut_from = start
    return q


# a disclosure's topic whose words are also units' ("政府采购": no 人民政府's 政府)
_TOPIC_NAMED = re.compile(r"政府采购")
# a classification code and the name printed after it, known to our code table or not
# ("2130122农业农村生态环境支出"): an item, never a unit's name
_BEFORE_NAME = re.compile(r"[\u4e00-\u9fa5]{2}(?![年月日万元亿人个])")  # a code's name follows it, not 年 or a unit
# "…决算 2130305": a code ending a terse question, or before its year ("2110302 2026")
_NOTHING_AFTER = re.compile(r"\s*(?:[？?，,。）)]|$|(?:20)?[0-9]{2}年?度?\s*$)")
_CODED_ITEM = re.compile(r"(?<![0-9])[235](?:[0-9]{2}|[0-9]{4}|[0-9]{6})(?![0-9])(?:[^\W\d_的]|[（）()]){2,24}?"
                         r"(?=科目|的|[，,。？?、]|$)")


def asked_years(question: str) -> list[int]:
    years = []
    for match in _YEAR.finditer(normalize(question)):
        text = match.group(1) or match.group(2)
        year = int(text) + 2000 if len(text) == 2 else int(text)
        if 2000 <= year <= 2100 and year not in years:
            years.append(year)
    return years


def asked_unit(question: str) -> str:
    match = ASKED_UNIT.search(normalize(question))
    if not match:
        return ""
    return match.group(1) or match.group(2) or "亿元"  # "几个亿"


# "基本支出部门预算经济分类预算表": the national economic classification's name, said of any unit's table
_CLASSIFICATION_NAME = re.compile(r"(?:政府预算|部门预算)(?:支出)?经济分类")


def asked_level(question: str) -> str:
    """部门 or 单位 when the question says which, anywhere in the sentence ("部门收入预算")."""
    q = _CLASSIFICATION_NAME.sub("", normalize(question))
    if re.search(r"部门(预算|决算)?(和|与|跟|及|、|比)单位(预算|决算)|单位(预算|决算)?(和|与|跟|及|、|比)部门", q):
        return ""  # "部门预算和单位预算…相差多少": both
    if re.search(r"部门(预算|决算)", q):
        return "部门"
    if re.search(r"单位(预算|决算)", q):
        return "单位"
    if "部门" in q and "单位" not in q:
        return "部门"
    if re.search(r"本单位|单位(本级|自身|收入|支出)", q) and "部门" not in q:
        return "单位"
    return ""


_ORG_TAIL = "局委办厅院"  # what ends a unit's short name
_ORG_END = re.compile(r"(?:中心|局|委|办|厅|院|所|站|队|部|会|馆|校)$")  # a name that has ended


# words after a phrase that make it an area of spending ("应急管理这一大块", "农业方面")
_AREA_AFTER = re.compile(r"这一?大?块|方面|领域|板块")


def _quotes_name(quoted: str, names: set[str]) -> bool:
    """A quotation of the unit's name (or part of it), not of an item whose name holds it ("2023年度甲中心
    乙服务运营经费": a project's name, kept whole)."""
    rest = quoted
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, "")
    return any(quoted in name for name in names) or (rest != quoted and len(re.sub(r"[^\u4e00-\u9fa5]", "", rest)) < 4)


_NAME_ENDS = re.compile(r"$|[，,、。；;？?的和与及跟0-9]")  # what may follow a short name ("甲农业农村的…")


_PLACE_WITH_SUFFIX = re.compile(r"([\u4e00-\u9fa5]{2,4}?)[区县]")


def _place_said_whole(q: str, i: int, names: set[str]) -> int:
    """"乙区生态环境局" for 甲市乙生态环境局: the place said with its 区 that the name prints without it;
    the length of the place said so, else 0."""
    said = _PLACE_WITH_SUFFIX.match(q, i)
    if not said:
        return 0
    after = q[said.end():said.end() + 2]
    return len(said[0]) if len(after) == 2 and any(said[1] + after in name for name in names) else 0


def strip_entity(question: str, metas: list[DocumentMeta]) -> str:
    """Remove the unit's name from a question so its words ("司法局") do not match row labels ("司法")."""
    names = {normalize(n) for m in metas for n in [m.entity, *m.aliases]}
    names |= thesaurus.abbreviated(names)  # "江北文旅局" for 江北区文化和旅游局
    # a quotation mark ends the name: "东山农业农村局“农村公路养护补助”" keeps its 农村
    q, out, i = normalize(re.sub(r"[“”「」『』]", "·", question)), [], 0
    q = _PLACES_COUNTED.sub(" ", q)  # "甲、乙、丙三市交通运输局公路养护": no 三 left beside 公路
    after_name = False  # right after a removed piece, two characters of a name continue it ("12345" + "中心")
    terms = [(e.start, e.end) for e in thesaurus.expand(q) if e.end - e.start >= 3]
    while i < len(q):
        quoted = re.match(r"·([^·]+)·(?P<item>科目|项目|款|项|类)?", q[i:])
        if quoted and (quoted["item"] or not _quotes_name(quoted[1], names)):
            # ("“图书馆”科目" of the 图书馆: a classification's name, however like the unit's)
            out.append(quoted[0])  # "“自然资源规划及管理”" of the 自然资源局: what the reader quotes is the item
            i += len(quoted[0])
            after_name = False
            continue
        item = thesaurus.classification_at(q, i)
        if item and after_name and _NAME_ENDS.match(q, i + len(item)) and any(
                item + tail in name for tail in _ORG_TAIL for name in names):
            item = ""  # "甲州农业农村、…" for 甲州县农业农村局: its name said without its 局, no item
        if item and not any(q[i:i + len(item) + 1] in name for name in names):
            out.append(item)  # "社会工作事务" in a question about the 社会工作部: an item, not the name again
            i += len(item)
            after_name = False
            continue
        length = _place_said_whole(q, i, names)
        for size in range(min(24, len(q) - i), 1, -1) if not length else ():
            piece = q[i:i + size]
            if any(piece in name if size > 2 or after_name else re.search(re.escape(piece) + "[省市区县]", name)
                   for name in names):
                length = size
                break
        # "甲省司法厅机关运行经费": a name (…司法厅机关, a row of its own) ends where a term it runs into begins
        length = next((start - i for start, end in terms if i <= start < i + length < end), length)
        if length and _AREA_AFTER.match(q, i + length):
            length = 0  # "应急管理这一大块" of the 应急管理局: an area of spending, not the name again
        if length:
            if out and out[-1][-1:].isdigit() and q[i + length:i + length + 1].isdigit():
                out.append("，")  # "2080505 甲区司法 2024": the code and the year stay two numbers
            i += length
            if (q[i:i + 1] in _ORG_TAIL and not any(q[i - 2:i + 1] in name for name in names)
                    and not _ORG_END.search(q[:i])):  # ("…服务中心办公用房": the name had ended)
                i += 1  # "岭南应急局" for 岭南市应急管理局: the short name's own 局
            if q[i:i + 1] in ("里", "内"):  # "…中心里": the locative belongs to the name, not to the item
                i += 1
        else:
            out.append(q[i])
            i += 1
        after_name = bool(length)
    return "".join(out).replace("·", "")


# the document a figure is worked out from: "按2026年预算说明推算", "根据2025年的部门预算文件"
_SOURCE_YEAR = re.compile(r"(?:根据|按照?|依据|从)[^，,。？?]{0,20}?(?P<year>20[0-9]{2})年度?[^，,。？?]{0,12}?"
                          r"(?:说明|文件|文档|报告|公开|数字|数据)"
                          # "用2024年决算里的减少额倒推", "由2024年数字倒推", "手上只有2026年的预算": the year right after
                          r"|(?:由|用|只有[^，,。？?]{0,20}?)(?P<year2>20[0-9]{2})年度?[^，,。？?]{0,12}?"
                          r"(?:说明|文件|文档|报告|公开|数字|数据|数|预算|决算)")


def _each_units_year(question: str, index: EntityIndex, docs: list[DocumentMeta]) -> tuple[list[DocumentMeta], str]:
    """"A局2025年的…比B中心2023年少多少": each unit keeps the year named right after it, when every
    unit named has its own year so (one year per unit); a unit without a document of its year is
    missing (never answered with its other year's). Returns the documents and what is missing."""
    q = normalize(question)
    named_at = {e: index.mentioned_at(q, e) for e in {m.entity for m in docs}}
    starts = sorted(at for at in named_at.values() if at >= 0)
    years_at = [(m.start(), year) for m in _YEAR.finditer(q) for year in asked_years(m.group())]
    paired = {}
    for entity, at in named_at.items():
        if at < 0:
            continue
        after = min((s for s in starts if s > at), default=len(q))
        year = next((y for pos, y in years_at if at < pos < after), None)
        if year:
            paired[entity] = year
    if len(paired) < len(named_at) or len(set(paired.values())) < len(paired):
        return docs, ""  # "2025年A和B…比2024年": the years do not pair with the units
    absent = [f"{entity}{year}年" for entity, year in paired.items()
              if not any(m.entity == entity and m.year == year for m in docs)]
    if absent:
        return [], f"没有{'、'.join(sorted(absent))}的文档"
    return [m for m in docs if paired[m.entity] == m.year], ""


def _year_said_with(q: str, surface: str) -> int | None:
    """The year said right after a name ("司法局2024年"), or the one year said before it ("同是2025年，
    甲的…"); None when the question's years belong to other units."""
    at = q.find(surface)
    after = re.match(r"[（(]?(?:20[0-9]{2}|[0-9]{2})年", q[at + len(surface):])
    if after:
        return asked_years(after.group())[0]
    before = set(asked_years(q[:at]))
    return before.pop() if len(before) == 1 else None


_AS_OF = re.compile(r"截[至止]到?(?:20[0-9]{2}|[0-9]{2})年(?:底|末|[0-9]{1,2}月(?:[0-9]{1,2}日|底|末)?)")  # (any date a stock is counted at)
_BODY_TAIL = "站所队馆"  # a unit's last character that says what it is (推广站, 监测站, 档案馆)


def _by_other_places(index: EntityIndex, question: str, named: set[str],
                     scores: dict[str, float]) -> dict[str, set[str]]:
    """Units of the places a question names beside units it names uniquely ("石门自然资源局、北湖退役
    军人局、金沙文旅局": 金沙's units share their words with others): each other place with its
    best-named units (one, or several named equally well: "甲的…" of 甲市 and 甲县 units)."""
    found = {}
    covered = set().union(*(index.places_by_entity.get(e, set()) for e in named))
    for place in index.named_places(question) - covered:
        here = {e: scores.get(e, 0.0) for e, own in index.places_by_entity.items() if place in own}
        best = max(here.values(), default=0.0)
        if best > 0:
            found[place] = {e for e, score in here.items() if score == best}
    q = normalize(question)
    for place in index.named_places(question) & covered:  # "甲街道…和甲区乙局": another unit of the same place
        for entity, own in index.places_by_entity.items():
            if place not in own or entity in named:
                continue
            # (or its short form: "甲医保中心" for 甲市医保事业管理中心, its first two and last two characters)
            said = [m.group(0) for form in _bare_forms(index.names_by_entity[entity])
                    if (m := re.search(f"{re.escape(place)}[省市区县]?(?:{re.escape(form)}|{re.escape(form[:2])}"
                                       f"[\u4e00-\u9fff]{{0,6}}?{re.escape(form[-2:])})", q))
                    and in_order(m.group(0)[len(place):].lstrip("省市区县"), form)]
            if said:
                found.setdefault(max(said, key=len), set()).add(entity)
    return found


def _part_unit_named(operation: Operation, docs: list[DocumentMeta], index: "EntityIndex") -> Operation:
    """"…加起来，甲占百分之几": the unit 甲 names, when it names one of the units summed (else none)."""
    if operation.kind != "share_of_sum":
        return operation
    scores = index.scores(operation.part_unit) if operation.part_unit else {}
    named = {m.entity: scores.get(m.entity, 0.0) for m in docs}
    best = max(named.values(), default=0.0)
    fits = [entity for entity, score in named.items() if score == best and score > 0]
    return replace(operation, part_unit=fits[0] if len(fits) == 1 else "")


def _each_named_apart(entities: set[str], question: str) -> bool:
    """"甲、乙两个镇": each unit named by its own first word (甲镇人民政府, 乙镇人民政府), no name they share."""
    heads = {normalize(e)[:2] for e in entities}
    return len(heads) == len(entities) and all(head in normalize(question) for head in heads)


def _organisation(name: str) -> str:
    """A unit's name after its place ("西陵市体育局" -> "体育局"), normalised."""
    name = normalize(name)
    return name[len(region_prefix(name)):]


def _bare_mentions(index: EntityIndex, question: str, named: set[str]) -> dict[str, set[str]]:
    """"司法厅2026年和体育局2025年": beside a unit named uniquely, others named by their name after the
    place alone (体育局, never part of 教育体育局) or by the body of a town or street (镇政府), where no
    place or other word runs into it. Each such name, with the units it fits (one, or several)."""
    q = normalize(question)
    # a classification's name is no unit's (政府办 of "政府办公厅及相关机构事务")
    items = [(e.start, e.end) for e in thesaurus.expand(q) if e.kind == "code"]
    at: dict[int, tuple[str, set[str]]] = {}  # where a name stands -> (its longest form there, units)
    # "湖滨县2024年……，水利局实际掏了多少": the unit named apart, its place first, is the one its name says
    apart = {form for e in named if not any(normalize(n) in q for n in index.names_by_entity[e])
             for form in _bare_forms(index.names_by_entity[e])}
    for entity in set(index.names_by_entity) - named:
        for form in set(_bare_forms(index.names_by_entity[entity])) - apart:
            for m in re.finditer(re.escape(form), q):
                if any(start <= m.start() and m.end() <= end for start, end in items):
                    continue
                if (m.start() == 0 or _BARE_BEFORE.match(q[m.start() - 1])
                        # "2026年卫健委的…" (not the 政府办 of "2024年政府办公厅事务": a word runs on)
                        or (_YEAR_BEFORE.search(q[:m.start()]) and m.end() in _word_ends(q))):
                    surface, fits = at.get(m.start(), (form, set()))
                    at[m.start()] = (max(surface, form, key=len), fits | {entity})
    mentions: dict[str, set[str]] = {}
    for surface, fits in at.values():
        mentions.setdefault(surface, set()).update(fits)
    return mentions


# "甲、乙两镇": towns (乡, 街道) named by their own names before the tier they share
_TOWNS_LISTED = re.compile(r"(?P<names>[\u4e00-\u9fff]{2,4}(?:[、和与及][\u4e00-\u9fff]{2,4})+)(?:这|那)?[两二三四五六七八九几]个?(?P<tier>镇|乡|街道)")


def _towns_listed(index: EntityIndex, question: str) -> set[str]:
    found = set()
    for m in _TOWNS_LISTED.finditer(normalize(question)):
        for name in re.split(r"[、和与及]", m["names"]):
            fits = {e for e, names in index.names_by_entity.items()
                    if any(normalize(n).startswith(name + m["tier"]) for n in names)}
            found |= fits if len(fits) == 1 else set()
    return found


def _bare_forms(names: set[str]) -> set[str]:
    """A unit's names as said without its place: after the place (体育局, 卫健委), or from the tier of a
    town or street on (镇政府, 街道办事处)."""
    forms = {_organisation(name) for name in names}
    forms |= {normalize(name)[m.start():] for name in names if (m := _TIER.search(normalize(name)))}
    # "卫生健康部门": the field a bureau or commission serves, said as a department's
    forms |= {f"{field}部门" for form in forms if len(field := _BODY.sub("", form)) >= 2 and field != form}
    return {form for form in forms if len(form) >= 3}


def _word_ends(text: str) -> set[int]:
    """Where the words of a text end, as the tokenizer cuts it."""
    ends, at = set(), 0
    for word in lexicon.tokenizer().lcut(text):
        at += len(word)
        ends.add(at)
    return ends


_TIER = re.compile(r"(?:镇|乡|街道)(?=.{2})")
_BODY = re.compile(r"(?:委员会|局|委|厅)$")
_YEAR_BEFORE = re.compile(r"(?<![0-9])(?:20)?[0-9]{2}年度?$")  # "2026年卫健委…": a unit named after its year
_BARE_BEFORE = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]|[和与及跟同比较]")  # what may stand before a unit named alone


def _claimed_by_another(q: str, members: list[tuple[str, str, str]], unique: set[str]) -> str:
    """Why a unit said to be under one department ("甲局下属的乙中心") is not: its rows are another's."""
    for surface, _, entity in members:
        at = q.find(surface)
        if at > 0 and unique and entity not in unique and re.search(r"(?:下属|所属|下面|旗下)的?$", q[:at]):
            return f"{'、'.join(sorted(unique))}的文档中没有“{surface}”这一所属单位"
    return ""


def _numbered_alike(index: EntityIndex, question: str, entities: set[str]) -> set[str]:
    """"NNNNN中心" (a service number) with no place: every unit the number names (a 便民服务中心 of that
    number runs the same line), not only those whose other words the question happens to say."""
    q = normalize(question)
    if index.named_places(question):
        return set()
    numbers = [n for n in re.findall(r"(?<![0-9])[0-9]{3,6}(?![0-9])", q) if not re.fullmatch(r"20[0-9]{2}", n)]
    said = [n for n in numbers if any(n in e for e in entities)]
    return {e for e in index.names_by_entity if any(n in e for n in said)}


def _whole_organisation(entities: set[str], question: str) -> set[str]:
    """"体育局" names 西陵市体育局, not 白石县教育体育局: the units whose name after the place the
    question says whole, when it says one's."""
    q = normalize(question)
    whole = {e for e in entities if len(organisation := _organisation(e)) >= 2 and organisation in q}
    return whole or entities


# "医保中心（甲市医疗保险事业管理中心）": a short name glossed by the unit's full name, which says which unit
_FULL_NAME_GLOSSED = re.compile(r"[^\s，,、。？?：:（(）)0-9年和与及跟比]{2,12}[（(](?P<full>[^（()）]{4,40})[）)]")


# "医保中心（甲市）": a short name glossed by its place, said as 甲市医保中心
_PLACE_GLOSSED = re.compile(r"(?P<name>[^\s，,、。？?：:（(）)0-9年和与及跟比]{2,12})[（(](?P<place>[\u4e00-\u9fa5]{2,4}?[省市区县]?)[）)]")


def _glossed_name(said: re.Match, index: EntityIndex) -> str:
    full = normalize(said["full"])
    named = any(full in {normalize(n) for n in names} for names in index.names_by_entity.values())
    return full if named or len(index.uniquely_named(full)) == 1 else said[0]


_PARENT_OF = re.compile(r"(?P<parent>[\u4e00-\u9fa5]{2,10}?)(?:下面|下属|所属|旗下|底下|管)(?:的|那个|的那个)?")


def match_documents(question: str, index: EntityIndex, context: dict | None = None) -> DocumentMatch:
    """Filter documents by the unit, year, kind and level the question names (or the context had)."""
    context = context or {}
    members, shared = index.members_named(question), index.members_shared(question)
    said = normalize(question)
    bare: set[str] = set()  # units named by their name after the place alone, beside one named uniquely
    unsure: dict[str, set[str]] = {}  # names several units share ("甲", "卫健委"), beside one named uniquely
    for surface, _, _ in members:  # a department's unit: its name is no other unit's, nor an unknown one
        question = normalize(question).replace(surface, " ")
    scores = index.scores(question)
    best = max(scores.values(), default=0.0)
    entity_named = best >= 1.5 or bool(members)
    # (a short name units share is no choice when the question names one of their departments)
    shared = [(surface, fits) for surface, fits in shared if not any(scores.get(e, 0.0) >= 1.5 for e in fits)]
    unknown = index.unknown_names(question)
    unique = index.uniquely_named(question) if len(index.names_by_entity) > 2 else set()
    if members and not unique:
        entities = {entity for _, _, entity in members} | {e for _, departments in shared for e in departments}
    elif unique:
        mentions = _bare_mentions(index, question, unique) | _by_other_places(index, question, unique, scores)
        unsure = {surface: fits for surface, fits in mentions.items() if len(fits) > 1}
        bare = {e for fits in mentions.values() if len(fits) == 1 for e in fits} | _towns_listed(index, question)
        entities = unique | bare | {entity for _, _, entity in members}  # (甲局的…比乙局的丙中心…: 丙's department too)
    elif entity_named:
        entities = _whole_organisation({e for e, s in scores.items() if s >= 0.75 * best}, question)
        entities |= _numbered_alike(index, question, entities)
        # "甲市医保局和乙医保中心": another place's unit, the one best named there
        entities |= {e for fits in _by_other_places(index, question, entities, scores).values() if len(fits) == 1 for e in fits}
    elif context.get("entities"):
        entities, entity_named = set(context["entities"]), True
    else:
        entities = set(index.names_by_entity)
    if len(entities) > 1 and _PROVINCIAL.search(normalize(question)):  # "省里的甲中心": the province's own unit
        entities = {e for e in entities if "省" in e} or entities
    kind_of_unit = _UNIT_KIND.search(normalize(question))
    if kind_of_unit and not unique:  # "哪家中心…最高": only units of that kind take part
        entities = {e for e in entities if kind_of_unit.group(1) in e} or entities
    places = index.named_places(question)
    if places:  # "福州12345热线": a unit of another place does not fit, however well its name matches
        entities = {e for e in entities if index.places_by_entity.get(e, set()) & places or e in bare
                    or any(e == entity for _, _, entity in members)  # (a department's unit named whole)
                    or (e in unique and index.named_apart(question, e, places))}
    # "截至2025年底": the date a stock is counted at, not the year of a document
    years = asked_years(_AS_OF.sub(" ", normalize(question)))
    kind, level = asked_kind(question), asked_level(question)
    source = _SOURCE_YEAR.search(normalize(question))
    if source and len(years) > 1:  # "按2026年预算说明推算，2025年的…": the year asked is the other one
        years = [y for y in years if y != int(source["year"] or source["year2"])]
    if not years and context.get("years") and best < 1.5:  # a follow-up naming no unit keeps the years
        years = list(context["years"])
    undecided = []
    for surface, fits in unsure.items():  # the year said with a shared name may tell its units apart
        year = _year_said_with(normalize(question), surface)
        which = [m for m in index.docs if m.entity in fits and (year is None or m.year == year)]
        # or the place the question names ("甲区商务委、区府办和司法局": the 司法局 of 甲区)
        placed = {m.entity for m in which if index.places_by_entity.get(m.entity, set()) & places}
        which = [m for m in which if m.entity in placed] if len(placed) == 1 else which
        if len({m.entity for m in which}) == 1:
            entities |= {which[0].entity}
            bare |= {which[0].entity}
        elif which:
            undecided.append((surface, which))
    docs = [m for m in index.docs if m.entity in entities]
    match = DocumentMatch(docs=[], entity_named=entity_named, unknown_names=unknown,
                          years=years, kind=kind, level=level,
                          shared_name=entity_named and not unique and not members and len(entities) > 1
                          and not _each_named_apart(entities, question))
    match.members = [(surface, member) for surface, member, entity in members if entity in entities]
    for _, member, entity in members:
        match.member_of.setdefault(entity, member)
    if unknown:
        match.missing = f"文档库中没有“{'、'.join(unknown)}”的预算或决算文档"
        return match
    claimed = _claimed_by_another(said, members, unique)
    if claimed:  # "甲局下属的乙中心" where 乙中心 is 丙局's: 甲局 has no such unit
        match.missing = claimed
        return match
    if not docs:
        match.missing = f"文档库中没有“{'、'.join(sorted(places))}”的这一单位的文档"
        return match
    by_year = [m for m in docs if not years or m.year in years]
    two_years = sorted(set(years)) if len(set(years)) == 2 and len(entities) == 1 and not undecided else []
    # "2025年…比2024年" with no figure of either year anywhere (a year's figures are in its own document or,
    # as 上年, in the next year's)
    absent = next((year for year in reversed(two_years) if not any(m.year in (year, year + 1) for m in docs)), None)
    if absent:
        match.missing = f"没有{absent}年的文档（现有年份：{'、'.join(str(y) for y in sorted({m.year for m in docs if m.year}))}）"
        return match
    covered = {m.entity for m in by_year}
    # "福建、泉州、三明（2025年）": the year qualifies one of the units named apart (not one of the units
    # one word fits: "应急局2024年" is the 应急局 with a 2024 document)
    if years and len(entities) > 1 and entity_named and (unique or not covered):
        # a unit the year is named for ("石门县自然资源局2025年的…", "同是2025年的…") has no other year's figure
        bound = {e for e in entities - covered if index.named_with_year(question, e)}
        if bound:
            match.missing = f"没有{'、'.join(sorted(bound))}的{'、'.join(map(str, years))}年文档"
            return match
        by_year += [m for m in docs if m.entity not in covered and sum(d.entity == m.entity for d in docs) == 1]
        # "甲中心的…和乙中心2026年相比": the year is 乙's; a unit named without one that has
        # several documents is not for us to choose
        undecided += [(entity, [m for m in docs if m.entity == entity]) for entity in sorted(entities - covered)
                      if sum(d.entity == entity for d in docs) > 1]
    if len(years) > 1 and len(entities) > 1:
        by_year, match.missing = _each_units_year(question, index, by_year)
        if match.missing:
            return match
    unquoted = asked_years(re.sub(r"“[^”]*”|\"[^\"]*\"", " ", question))  # "“2022年…运营费”" is a project's name
    earlier = min(years) if len(set(years)) == 2 and max(years) - min(years) == 1 and min(years) in unquoted else None
    if (earlier and len(entities) == 1 and not CHANGE_OR_SHARE.search(normalize(question)) and TABLE_NAMED.search(question)
            and not any(m.year == earlier for m in docs)):  # "2026年三公经费预算表中，2025年的接待费": its 上年 column
        by_year, match.year_before = [m for m in by_year if m.year == earlier + 1], True
    if not by_year and years:  # "2023年执行数" of a unit whose 2024 budget prints it beside its own figures
        # a 决算 states last year's figures only as changes (answered when a sentence states one)
        by_year = [m for m in docs if m.year and m.year - 1 in years]
        match.year_before = bool(by_year)
    if not by_year:
        have = sorted({m.year for m in docs if m.year})
        match.missing = f"没有{'、'.join(map(str, years))}年的文档（现有年份：{'、'.join(map(str, have))}）"
        return match
    # "甲中心的…比乙局决算的…多多少": a kind said right after one unit's name is that unit's only
    bound = {e for e in entities if index.named_with_kind(question, e, kind)} if kind and len(entities) > 1 else set()
    by_kind = [m for m in by_year if not kind or m.kind == kind
               or (bound and m.entity not in bound and bound != entities)
               # "2025年预算比2023年实际花的多多少": the kind qualifies the year that has it
               or (len(years) > 1 and not any(d.kind == kind and d.year == m.year for d in by_year))]
    if not by_kind and kind == "预算":
        by_kind = [m for m in by_year if m.kind == "决算"]  # 决算 documents print 预算数 beside 决算数
    if not by_kind:
        have = sorted({f'{m.year}年{m.kind}' for m in by_year})
        match.missing = f"没有{kind}文档（现有：{'、'.join(have)}）"
        return match
    # the level qualifies the units that have documents of both levels ("司法局…比商务委（部门）")
    # (and, with two years named, the year that has a document of that level: "2023年决算…比2025年单位预算…")
    by_level = [m for m in by_kind if not level or m.level == level
                or not any(d.level == level and d.entity == m.entity for d in by_kind)
                or (len(set(years)) > 1 and not any(d.level == level and d.entity == m.entity and d.year == m.year
                                                    for d in by_kind))]
    by_level.sort(key=lambda m: (-scores.get(m.entity, 0), -(m.year or 0)))
    match.docs = by_level
    # "甲区财政局和甲区司法局2026年的…相差多少": a unit named whose documents are of another year or kind
    # (named as strongly as the units kept: a pair of characters shared by chance names no unit)
    kept = min((scores.get(m.entity, 0.0) for m in by_level), default=0.0)
    choices = {m.entity for _, metas in undecided for m in metas}  # (a unit to choose the document of is not dropped)
    match.dropped = [f"{e}（现有：{'、'.join(f'{m.year}年{m.kind}' for m in docs if m.entity == e)}）"
                     for e in sorted(unique & entities - choices) if not any(m.entity == e for m in by_level)
                     and scores.get(e, 0.0) >= 0.75 * kept]
    if any(m.entity in unique for m in by_level):  # (a name shared beside a unit the question does not have is no choice)
        match.unsure = undecided
    # "公路中心的…": a short name several departments' units share, no department named
    match.unsure += [(surface, [m for m in by_level if m.entity in departments])
                     for surface, departments in shared
                     if sum(m.entity in departments for m in by_level) > 1]
    return match
