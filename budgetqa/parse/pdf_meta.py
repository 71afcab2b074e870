"""Document metadata for PDFs: entity, year, kind (预算/决算), level (部门/单位), region.

Read from the cover and from the labelled lines budget disclosures print ("预算主管部门：",
"预算单位：", "编制部门：", "编制单位："), then from table titles. Structure only: no unit
or file names are known here.
"""
from __future__ import annotations

import re
from collections import Counter

from budgetqa.parse.vocabulary import arabic_years

_NAME = r"([^\s:：]{2,60}?)(?=(?:金额)?单位[:：]|$)"  # the name ends where "（金额）单位：万元" begins
LABELLED = [
    # (regex on whitespace-free text, level)
    (re.compile(r"预算主管部门[:：]" + _NAME), "部门"),
    (re.compile(r"(?<!主管)预算单位[:：]" + _NAME), "单位"),
    (re.compile(r"编制部门[:：]" + _NAME), "部门"),
    (re.compile(r"编制单位[:：]" + _NAME), "单位"),
]
COVER_KIND = re.compile(r"(?:(\d{4})\s*年度?)?\s*(?:区级|市级|省级|县级)?\s*(部门|单位)\s*(预算|决算)")
YEAR = re.compile(r"(20\d{2})\s*年")
REGION = re.compile(
    r"^(?:中共|中国共产党)?((?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{1,7}?(?:市|自治州|州|盟))?"
    r"(?:[\u4e00-\u9fff]{1,5}?(?:区|县|旗))?)"
)


def _compact(text: str) -> str:
    return "".join(text.split())


def region_of(name: str) -> str:
    m = REGION.match(name)
    if not m:
        return ""
    region = m.group(1)
    # the unit itself must not be swallowed ("上海市普陀区司法局" -> "上海市普陀区")
    return region if len(region) < len(name) else ""


def detect_pdf_metadata(pages_lines: list[list[str]], titles: list[str]) -> dict:
    """pages_lines: text lines per page (page 1 first). Returns entity/aliases/year/kind/level/region
    and 'evidence' (which line decided each field)."""
    cover = [_compact(arabic_years(t)) for t in (pages_lines[0] if pages_lines else [])]
    cover_text = "".join(cover)
    head = [_compact(arabic_years(t)) for lines in pages_lines[:40] for t in lines]
    names: Counter = Counter()
    level_votes: Counter = Counter()
    first_name = ""
    for line in cover + head:
        for rx, level in LABELLED:
            m = rx.search(line)
            if m:
                name = m.group(1).strip("，,。")
                names[name] += 1
                level_votes[level] += 1
                first_name = first_name or name
    meta = {"entity": "", "aliases": [], "year": None, "kind": "", "level": "", "region": "", "evidence": {}}
    kind_m = COVER_KIND.search(cover_text)
    if kind_m:
        meta["kind"] = kind_m.group(3)
        meta["level"] = kind_m.group(2)
        meta["evidence"]["level"] = cover_text
    years = [int(y) for y in re.findall(r"(20\d{2})", cover_text)]
    if years:
        meta["year"] = years[0]
    # entity: a labelled name (cover first), else the cover text before "XXXX年度部门决算"
    if first_name:
        meta["entity"] = first_name
    elif cover_text:
        m = re.match(r"^(.*?)(?:20\d{2}\s*年度?)?(?:区级|市级|省级|县级)?(?:部门|单位)(?:预算|决算)", cover_text)
        if m and m.group(1):
            meta["entity"] = re.sub(r"^20\d{2}年度?|20\d{2}年度?$", "", m.group(1))  # the year above or after
    if not meta["entity"]:
        for line in head:
            m = re.match(r"^第[一二三四五六七八九十]+部分(.+?)(?:20\d{2})?年度(?:部门|单位)(?:决算|预算)", line)
            if m:
                meta["entity"] = m.group(1)
                break
    if not meta["level"] and level_votes:
        meta["level"] = level_votes.most_common(1)[0][0]
    if not meta["level"] or not meta["kind"]:
        for t in titles:
            if not meta["kind"]:
                if "决算" in t:
                    meta["kind"] = "决算"
                elif "预算" in t:
                    meta["kind"] = "预算"
            if not meta["level"]:
                if t.startswith("预算单位") or t.startswith("单位"):
                    meta["level"] = "单位"
                elif t.startswith("部门"):
                    meta["level"] = "部门"
    if meta["year"] is None:
        counts = Counter(int(y) for line in head for y in YEAR.findall(line))
        if counts:
            meta["year"] = counts.most_common(1)[0][0]
    aliases = [n for n in names if n != meta["entity"]]
    meta["aliases"] = aliases
    region = region_of(meta["entity"])
    if not region:
        m = re.match(r"^((?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?[\u4e00-\u9fff]{1,7}?市(?:[\u4e00-\u9fff]{1,5}?(?:区|县))?)20\d{2}",
                     cover_text)
        if m:
            region = m.group(1)
    meta["region"] = region
    return meta
