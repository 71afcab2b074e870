"""Document metadata from the content of a budget disclosure (shared by text and PDF parsers).

    detect_metadata(head_text, source_name) -> {"entity", "aliases", "year", "kind", "level", "region"}

`head_text` is the document text (or at least its first pages: the cover, the table of
contents and the first part).  Everything is read from the content; `source_name` (the
file name, which we chose ourselves) is used only when the content yields nothing.
"""
from __future__ import annotations

import re
from collections import Counter

from budgetqa.model import standard
from budgetqa.model.text import bigrams
from budgetqa.parse import vocabulary

# Prefecture-level cities (and leagues / prefectures) by province, so that a unit named
# "泉州市…" gets the region "福建省泉州市".  General knowledge, not tied to any unit.
_PROVINCE_CITIES = {
    "河北省": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西省": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古自治区": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布",
    "辽宁省": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林省": "长春 吉林 四平 辽源 通化 白山 松原 白城",
    "黑龙江省": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化",
    "江苏省": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江省": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽省": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建省": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西省": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东省": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南省": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源",
    "湖北省": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 仙桃 潜江 天门",
    "湖南省": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底",
    "广东省": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西壮族自治区": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南省": "海口 三亚 三沙 儋州",
    "四川省": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳",
    "贵州省": "贵阳 六盘水 遵义 安顺 毕节 铜仁",
    "云南省": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧",
    "西藏自治区": "拉萨 日喀则 昌都 林芝 山南 那曲",
    "陕西省": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃省": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南",
    "青海省": "西宁 海东",
    "宁夏回族自治区": "银川 石嘴山 吴忠 固原 中卫",
    "新疆维吾尔自治区": "乌鲁木齐 克拉玛依 吐鲁番 哈密",
}
CITY_PROVINCE = {city: prov for prov, cities in _PROVINCE_CITIES.items() for city in cities.split()}
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")

_CJK = "\u4e00-\u9fff"
_YEAR_KIND = re.compile(r"(20\d{2})\s*年\s*度?\s*(部门|单位)?\s*(预算|决算)")
_COVER_KIND = re.compile(r"(部门|单位)?(预算|决算)(?:公开)?$")
# a unit name: optional province, city, county prefix, then a body ending in an organisation suffix
_ORG_SUFFIX = "中心|委员会|办公室|管理局|事务局|服务局|局|厅|委|院|所|站|队|馆|处|社|学校|学院|大学|医院|公司|协会|联合会|办|部"
_REGION = (
    r"(?:北京市|天津市|上海市|重庆市|[%s]{2,3}省|[%s]{2,6}自治区)?"
    # (a city's name holds no county's end: "甲县城市管理局" is 甲县's, no city 甲县城)
    r"(?:(?:(?![区县旗])[%s]){2,5}?(?:市|自治州|州|盟|地区))?"
    r"(?:[%s]{1,5}?(?:区|县|旗))?"
) % (_CJK, _CJK, _CJK, _CJK)
_UNIT_NAME = re.compile(
    r"((?:北京市|天津市|上海市|重庆市|[%s]{2,3}省|[%s]{2,6}自治区|[%s]{2,5}?(?:市|自治州|州|盟|地区))"
    r"[%s0-9“”\"「」（）()]{2,30}?(?:%s))" % (_CJK, _CJK, _CJK, _CJK, _ORG_SUFFIX)
)
_QUOTES = "“”\"「」'‘’"
_TOC = re.compile(r"^目\s*录$")
_HEADING_START = re.compile(r"^\s*(第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、)")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _strip_markup(line: str) -> str:
    return line.replace("**", "").replace("__", "").strip()


def canonical_name(name: str) -> str:
    """Unit name without spaces and quotes: '固原市“12345”便民服务中心' -> '固原市12345便民服务中心'."""
    name = _squash(name)
    return "".join(ch for ch in name if ch not in _QUOTES)


_SCOPE_MARK = re.compile(r"[(（](本级|汇总|本部|机关本级)[)）]$")
_PLACEHOLDER = re.compile(r"XX|ＸＸ|××|\*\*|＊＊")


def clean_entity(name: str) -> tuple[str, str]:
    """'2026年度无锡市交通运输局（本级）' -> ('无锡市交通运输局', '本级'): no year, no leading
    punctuation; a printed 本级/汇总 mark becomes the scope."""
    name, scope = _undecorated(name)
    return canonical_name(name), scope


def _undecorated(name: str) -> tuple[str, str]:
    """The name as printed minus year prefix, leading punctuation and 本级/汇总 mark, and the mark."""
    name = _squash(name).lstrip(".．。，,、:：;；-—·")
    name = vocabulary.YEAR_PREFIX.sub("", name)
    m = _SCOPE_MARK.search(name)
    if not m:
        return name, ""
    return name[: m.start()], "汇总" if m.group(1) == "汇总" else "本级"


def is_placeholder(name: str) -> bool:
    """A template's stand-in name ('上海市XX局')."""
    return bool(_PLACEHOLDER.search(name))


def cover_lines(text: str, limit: int = 15) -> list[str]:
    """Non-blank lines before the table of contents (or before the first heading) when
    they come within the first `limit` non-blank lines; [] when there is no cover."""
    out: list[str] = []
    for raw in text.splitlines():
        line = _strip_markup(raw)
        if not line:
            continue
        if _TOC.match(_squash(line)) or _HEADING_START.match(line):
            return out
        out.append(line)
        if len(out) >= limit:
            return []
    return []


def region_prefix(entity: str) -> str:
    """Administrative prefix of a unit name as printed ("甲市乙区" of 甲市乙区民政局)."""
    m = re.match(_REGION, entity)
    return m.group(0) if m else ""


def region_of(entity: str) -> str:
    """Administrative prefix of a unit name, completed with its province when known."""
    prefix = region_prefix(entity)
    if not prefix:
        return ""
    if prefix.startswith(MUNICIPALITIES) or re.match(r"^[%s]{2,6}(省|自治区)" % _CJK, prefix):
        return prefix
    city = re.match(r"^([%s]{2,5}?)(?:市|自治州|州|盟|地区)" % _CJK, prefix)
    if city and city.group(1) in CITY_PROVINCE:
        return CITY_PROVINCE[city.group(1)] + prefix
    return prefix


def _known_region_start(name: str) -> bool:
    if name.startswith(MUNICIPALITIES) or re.match(r"^[%s]{2,3}省|^[%s]{2,6}自治区" % (_CJK, _CJK), name):
        return True
    city = re.match(r"^([%s]{2,5}?)(?:市|自治州|州|盟|地区)" % _CJK, name)
    return bool(city and city.group(1) in CITY_PROVINCE)


def _trim_name(name: str) -> str:
    """'要职责三明市…中心' -> '三明市…中心': start at a known province / city when one is inside."""
    for k in range(len(name) - 3):
        rest = name[k:]
        if _known_region_start(rest) and _UNIT_NAME.fullmatch(rest):
            return rest
    return name


def _unit_names(line: str) -> list[str]:
    return [_trim_name(m.group(1)) for m in _UNIT_NAME.finditer(line)]


def _name_candidates(text: str) -> Counter:
    counts: Counter = Counter()
    for raw in text.splitlines():
        for name in _unit_names(_squash(_strip_markup(raw))):
            counts[name] += 1
    return counts


def _similar(a: str, b: str) -> bool:
    a, b = canonical_name(a), canonical_name(b)
    if a == b:
        return True
    digits_a, digits_b = re.findall(r"\d{3,}", a), re.findall(r"\d{3,}", b)
    if digits_a and digits_a == digits_b:
        return True
    sa, sb = set(a), set(b)
    return len(sa & sb) / max(1, len(sa | sb)) >= 0.7


def detect_metadata(head_text: str, source_name: str = "") -> dict:
    head_text = vocabulary.arabic_years(head_text)
    cover = cover_lines(head_text)
    cover_text = _squash("".join(cover))
    squashed_text = _squash(_strip_markup(head_text))

    # year, kind, level: the cover first, then the most frequent "2025年度单位预算" phrase
    year = kind = level = None
    m = re.match(r"^(20\d{2})年度?", cover_text)
    if m:
        year = int(m.group(1))
    mk = _COVER_KIND.search(cover_text)
    if mk:
        level, kind = mk.group(1), mk.group(2)
    phrases = Counter((int(y), lv or "", k) for y, lv, k in _YEAR_KIND.findall(squashed_text))
    if phrases:
        if year is None:
            year = Counter(y for (y, _, _), n in phrases.items() for _ in range(n)).most_common(1)[0][0]
        same_year = Counter()
        for (y, lv, k), n in phrases.items():
            if y == year:
                same_year[(lv, k)] += n
        if kind is None:
            kinds = Counter()
            for (lv, k), n in same_year.items():
                kinds[k] += n
            if kinds:
                kind = kinds.most_common(1)[0][0]
        if not level:
            levels = Counter()
            for (lv, k), n in same_year.items():
                if lv and (kind is None or k == kind):
                    levels[lv] += n
            if levels:
                level = levels.most_common(1)[0][0]

    # entity: the name on the cover, else the most frequent unit name in the text
    candidates = _name_candidates(head_text)
    entity_printed = ""
    if cover_text:
        body = re.sub(r"^(20\d{2})年度?", "", cover_text)
        body = _COVER_KIND.sub("", body)
        body = re.sub(r"(20\d{2})年度?$", "", body)
        names = _unit_names(body)
        if names and body.endswith(names[-1]):
            entity_printed = body[body.index(names[0]):] if len(names) > 1 else names[-1]
        elif body:
            entity_printed = body
    if not entity_printed and candidates:
        # prefer names stated as the unit ("X的主要职责", "X主要任务") over frequent mentions
        for pat in (r"([^，。：:；]{4,40}?)(?:单位)?的主要职责", r"([^，。：:；]{4,40}?)(?:单位)?主要任务"):
            for raw in head_text.splitlines():
                mm = re.search(pat, _squash(_strip_markup(raw)))
                names = _unit_names(mm.group(1)) if mm else []
                if names:
                    entity_printed = names[-1]
                    break
            if entity_printed:
                break
        if not entity_printed:
            entity_printed = candidates.most_common(1)[0][0]
    if not entity_printed and source_name:
        stem = re.sub(r"\.[A-Za-z0-9]+$", "", source_name)
        entity_printed = re.split(r"[_\s]", stem)[0]
    entity = canonical_name(entity_printed)
    if year is None and source_name:
        ms = re.search(r"(20\d{2})", source_name)
        year = int(ms.group(1)) if ms else None

    aliases: list[str] = []
    if entity_printed and _squash(entity_printed) != entity:
        aliases.append(_squash(entity_printed))
    region = region_of(entity)
    prefix = region_prefix(entity)
    for name, _count in candidates.most_common():
        if name in aliases or name == entity:
            continue
        if canonical_name(name) == entity:
            aliases.append(name)
            continue
        if prefix and not name.startswith(prefix):
            continue
        if name.endswith(entity[-2:]) and _similar(name, entity):
            aliases.append(name)
    return {
        "entity": entity,
        "aliases": aliases,
        "year": year,
        "kind": kind or "",
        "level": level or "",
        "region": region,
    }


def settle(meta, tables: list, sections: list) -> str | None:
    """Clean the detected metadata in place (entity without year or 本级 mark, scope) and say
    why the document is not a budget disclosure, or None when it is one."""
    meta.entity, scope = clean_entity(meta.entity)
    meta.aliases = [a for a in (_undecorated(a)[0] for a in meta.aliases) if a and a != meta.entity]
    meta.aliases += [name for name in signs(meta.entity, sections) if name not in meta.aliases and name != meta.entity]
    meta.scope = scope or {"单位": "本级", "部门": "汇总"}.get(meta.level, "")
    if is_placeholder(meta.entity):
        return f"是模板，不是公开文件（单位名称为占位符：{meta.entity}），未导入"
    meta.members = members(meta.entity, tables)
    kinds = {t.kind for t in tables if t.kind in standard.BUDGET_ONLY_TABLES} or _titles_in_text(sections)
    if not kinds or not (meta.entity and meta.year):
        head = next((t.title for t in tables if t.title), "")
        head = head or next((s.heading[-1] if s.heading else s.text.split("\n")[0]
                             for s in sections if s.text.strip()), "")
        what = f"；文件内容为“{_squash(head)[:40]}”" if head else ""
        return f"不是预算或决算公开文件：没有标准预算表（收支总表、支出总表、三公经费表等）{what}，未导入"
    return None


# "…加挂上海市甲区经济委员会、区粮食和物资储备局牌子": the other names a unit works under (one office, several signs)
_SIGNS = re.compile(r"加挂([^。；;]{2,80}?)的?牌子")
_SIGN_SPLIT = re.compile(r"[、，,]|(?<=局|委|办|室|厅|院|会|心|站|所)(?:和|及)")
_LEVEL_ALONE = re.compile(r"^[省市区县](?=[%s])" % _CJK)


def signs(entity: str, sections: list) -> list[str]:
    """The names a unit's text says it also works under (加挂…牌子), each with the unit's place when the
    text gives a level alone ("区经济委员会" of a 甲区 unit is 甲区经济委员会)."""
    prefix = m.group(0) if entity and (m := re.match(_REGION, entity)) else ""
    names: list[str] = []
    for section in sections:
        for said in _SIGNS.findall(_squash(section.text)):
            for name in _SIGN_SPLIT.split(re.sub(f"[{_QUOTES}]", "", said)):
                if not re.search(f"(?:{_ORG_SUFFIX}|室)$", name) or len(name) < 4:  # (研究室)
                    continue
                if prefix and not region_of(name):
                    name = prefix + _LEVEL_ALONE.sub("", name) if prefix.endswith(name[0]) else prefix + name
                if name not in names:
                    names.append(name)
    return names


# a unit's name printed as a row of a department's tables ("甲市公路事业发展中心", "某局（本级）")
_UNIT_ROW = re.compile(r"^[\u4e00-\u9fff0-9()]{4,40}?(?P<kind>局|中心|所|站|队|院|委员会|办公室|馆|处|学校|医院|厅|机关|\(本级\))$")
OWN_BODY = ("(本级)", "机关")
_FUNCTION_CODE = re.compile(r"2[0-9]{2}(?:[0-9]{2}){0,2}")  # 类/款/项 of spending by function (a unit's code has six digits)  # the department's own part ("某局（本级）", "某局机关"), not the department


def members(entity: str, tables: list) -> list[str]:
    """The units a document's tables print as rows or as the owner of rows (its 单位名称 column); a
    classification's row (2100202 中医（民族）医院) names an item, no unit."""
    found: list[str] = []
    for table in tables:
        for row in table.rows:
            for name in (row.owner, "" if _FUNCTION_CODE.fullmatch(row.code) else row.label):
                name = _squash(name).replace("（", "(").replace("）", ")")
                if _UNIT_ROW.match(name) and name not in found and not _same_unit(name, entity):
                    found.append(name)
    return found


def _same_unit(name: str, entity: str) -> bool:
    """The unit itself under a variant of its name (某市政务服务中心 for 某市政务服务管理中心);
    its 本级 is one of its parts."""
    if name.endswith(OWN_BODY):
        return False
    kinds = [found["kind"] if found else "" for found in (_UNIT_ROW.match(name), _UNIT_ROW.match(entity))]
    if all(kinds) and kinds[0] != kinds[1]:
        return False  # 某市人力资源和社会保障综合服务中心 is a unit of 某市人力资源和社会保障局
    mine, its = bigrams(name), bigrams(entity)
    return len(mine & its) >= 0.6 * len(mine | its)


def _titles_in_text(sections: list) -> set[str]:
    """Standard budget tables named by title lines of the text (tables we could not read as tables,
    e.g. printed without ruling lines, still make a disclosure)."""
    lines = (line for section in sections for line in section.text.split("\n"))
    kinds = {standard.table_type(vocabulary.clean_title(line)) for line in lines if vocabulary.is_title(line)}
    named = kinds & set(standard.BUDGET_ONLY_TABLES)
    return named if len(named) >= 2 else set()
