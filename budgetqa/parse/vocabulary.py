"""What the parsers recognise in any Chinese budget disclosure, written once.

Both the text-extraction parser and the PDF parser (and the closure checks, and the metadata
detector) read titles, unit lines, table numbers, notes, enumerators, classification codes and
year prefixes through these patterns, so that they mean the same thing everywhere. They come
from the national disclosure templates, never from a particular document.
"""
from __future__ import annotations

import re

CN_NUM = "一二三四五六七八九十"

# "2026年", "2026 年度" in front of a title or a name
YEAR_PREFIX = re.compile(r"^\s*(?:19|20)\d{2}\s*年\s*度?\s*")
# the unit's name before the year ("兰溪县第一中学2026年收支预算总表"): no part of the table's title
NAME_BEFORE_YEAR = re.compile(r"^[\u4e00-\u9fa5（）()]{2,30}?(?:局|委员会|委|办公室|中心|政府|中学|小学|学校|医院|院|所|站|馆|办事处|街道|镇|乡|部|厅|会)(?=(?:19|20)\d{2}\s*年)")
# "（续表）", "(续)", "续表2" after a title
CONTINUED = re.compile(r"[(（]?续表?\s*\d*[)）]?$")
# a title line ends in 表, possibly qualified: 表（续）, 表（功能科目）, 表(经济分类)
TITLE_END = re.compile(r"表(?:[(（][^()（）]{1,12}[)）])?$")
# the table's number printed beside its title ("公开02表", "表3-1", "附表1", "部门公开01表"); it is
# a label, never the title
TABLE_NUMBER = re.compile(
    rf"^(?:附?表\s*[\d{CN_NUM}]+(?:\s*[-—－]\s*\d+)?|[\u4e00-\u9fff]{{0,6}}?\s*\d{{1,2}}(?:\s*[-—－]\s*\d{{1,2}})?\s*表)$"
)
# "单位：万元", "金额单位：元" (also inside a longer line such as "部门：… 单位：万元")
# a table's unit: money, or what a table of counts counts ("单位：辆" over vehicles by kind)
UNIT = re.compile(r"(?:金额)?单位\s*[:：]\s*(万元|亿元|千元|元|(?:辆|台（套）|台|套|人|个|平方米)(?![\u4e00-\u9fff]))")  # 编制单位：人民医院: none
UNIT_LINE = re.compile(r"^(?:金额)?单位\s*[:：]\s*(万元|亿元|千元|元)$")
# "编制单位：…", "部门：…", "预算单位：…" — who the table is about, not a title
ENTITY_LINE = re.compile(r"^(?:编制|预算|决算|主管)?(?:单位|部门)(?:名称)?\s*[:：]")
NOTE_START = re.compile(r"^[-–—\s]*(?:注|备注|说明)\s*\d*\s*[:：.、]|^注\s*\d")
# a note that says the table is empty ("本表为空表", "本单位无政府性基金预算")
EMPTY_NOTE = re.compile(r"空表|无数据|没有.*(收入|支出|经费|预算|安排)|无.*(安排|收入|支出)的?预算|本表无")
PAGE_NUMBER = re.compile(r"^(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3})$")
TOC = re.compile(r"^目\s*录$")
# a table of contents entry: dot leaders and a page number ("一、主要职能……………3"), no sentence of the text
TOC_ENTRY = re.compile(r"[…\.·．]{4,}\s*\d+\s*$")

# headings and enumerators, outermost first
PART_HEADING = re.compile(rf"^第[{CN_NUM}]+部分")
CN_ENUM = re.compile(rf"^[{CN_NUM}]+[、.．]")
CN_PAREN_ENUM = re.compile(rf"^[（(][{CN_NUM}]+[）)]")
AR_ENUM = re.compile(r"^\d{1,2}\s*[、.．](?!\d)|^[（(]\d{1,2}[）)]")
ENUMERATOR = re.compile(
    rf"^(?:[{CN_NUM}]+[、.．]|[（(][{CN_NUM}]+[)）]|\d{{1,2}}\s*[、．](?!\d)|\d{{1,2}}\.(?!\d)|[（(]\d{{1,2}}[)）]|其中\s*[:：])\s*"
)

# national classification codes: 功能分类 类/款/项 = 3/5/7 digits, 经济分类 类/款 = 3/5 digits
CODE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")
TOTAL_LABEL = re.compile(r"(合计|总计|小计)$")
GRAND_TOTAL = re.compile(r"(合计|总计)$")  # a table's total row (小计 closes only a part)
FINAL_TOTAL = re.compile(r"总计$")
# header of a column that numbers rows or columns; its numbers are positions, never amounts
ROW_NUMBER_HEADER = re.compile(r"^(?:行次|栏次|序号|行号|编号)$")
# the “三公” total sums only its three items (会议费/培训费 printed beside it are not part of it)
SANGONG_TOTAL = re.compile(r"三公")
SANGONG_ITEM = re.compile(r"因公出国|公务用车|公务接待")
ROW_NUMBER_LABEL = re.compile(r"^(?:栏次|行次)$")


# a year printed in Chinese numerals on a cover ("二〇二六年", "二O二六年", "二零二六年")
_CN_YEAR = re.compile(r"二[〇○零OＯ][〇○零OＯ一二三四五六七八九]{2}(?=\s*年)")
_CN_DIGIT = str.maketrans("〇○零OＯ一二三四五六七八九", "00000123456789")


def arabic_years(text: str) -> str:
    """'二〇二六年部门预算' -> '2026年部门预算' (the metadata readers look for digits)."""
    return _CN_YEAR.sub(lambda m: m.group(0).translate(_CN_DIGIT), text)


def compact(text: str) -> str:
    return "".join(text.split())


def clean_title(text: str) -> str:
    """'5．2026年 部门收支预算总表（续表）' -> '部门收支预算总表'; '表1 2025年收支总表' -> '收支总表'."""
    words = text.split()
    numbered = next((k for k in (2, 1) if len(words) > k and is_table_number("".join(words[:k]))), 0)
    title = compact("".join(words[numbered:]))
    title = re.sub(r"^\d{1,2}\s*[.．、]\s*", "", title)  # "5．…" in a contents list
    title = YEAR_PREFIX.sub("", NAME_BEFORE_YEAR.sub("", title))
    return CONTINUED.sub("", title) if title.endswith(("续表）", "续）", "续表)", "续)")) else title


def is_table_number(text: str) -> bool:
    return bool(TABLE_NUMBER.match(compact(text)))


def is_meta_line(text: str) -> bool:
    """'编制单位：…', '部门：…', '单位：万元': what stands between a title and its table."""
    t = compact(text)
    return bool(ENTITY_LINE.match(t) or UNIT.match(t)) or t.startswith("编制")


_META_START = re.compile(r"(?=(?:编制|预算|决算|主管)?(?:单位|部门)(?:名称)?\s*[:：]|金额单位\s*[:：])")


def split_meta(text: str) -> list[str]:
    """'…预算总表编制单位：某中心单位：元' (title and meta lines in one drawn box) -> its lines."""
    return [piece for piece in _META_START.split(compact(text)) if piece]


def is_title(text: str) -> bool:
    """A line that names a table: ends in 表, short, not a table number, heading or note."""
    t = compact(text)
    return (bool(TITLE_END.search(t)) and 3 <= len(t) <= 60 and not is_table_number(t)
            and not PART_HEADING.match(t) and not NOTE_START.match(t) and not t.startswith("注")
            and not any(p in t for p in "。；"))


def strip_enumerator(text: str) -> str:
    return ENUMERATOR.sub("", text.strip())
