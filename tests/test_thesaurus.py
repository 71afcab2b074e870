"""The budget-terms thesaurus: code tables, colloquial terms, expansion of questions."""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from budgetqa.query import lexicon
from budgetqa.query import thesaurus as th

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "budgetqa" / "data"
SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
PDFS = sorted((ROOT / "corpus" / "putuo").glob("*.pdf"))

# names the seed documents print that differ from the official name (document errors we keep visible)
PRINTED_VARIANTS = {
    ("2101102", "事业单位医疗保险"),  # 固原 2024: official 事业单位医疗
    ("2010399", "其他政府办公厅（室）支出"),  # 固原 2024: official 其他政府办公厅（室）及相关机构事务支出
}
# a code at the start of a cell / after "（" etc., then its printed name ("2010350-事业运行", "301\t工资福利支出")
CODE_CELL = re.compile(r"(?:^|(?<=[\t （(、，：:]))([23]\d{2}(?:\d{2}){0,2})[\t \-]*(?:[一二三四五六七八九十]+、)?([\u4e00-\u9fff（）()]+)")
SPLIT_CODE_LINE = re.compile(r"^(2[0-3]\d|3[01]\d|399) (\d{1,2})(?: (\d{2}))?(?![\d.,])")


def rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ------------------------------------------------------------------ the code tables


def test_function_codes_table_is_consistent():
    table = rows("function_codes.csv")
    assert list(table[0]) == ["code", "name", "level"]
    codes = [r["code"] for r in table]
    assert len(codes) == len(set(codes))
    for r in table:
        assert {"类": 3, "款": 5, "项": 7}[r["level"]] == len(r["code"]), r
        assert r["code"].isdigit() and r["code"].startswith("2") and r["name"].strip() == r["name"] != ""
        for parent in th.code_parents(r["code"]):
            assert parent in codes, (r["code"], parent)
    lei = {r["code"]: r["name"] for r in table if r["level"] == "类"}
    assert lei["201"] == "一般公共服务支出" and lei["233"] == "债务发行费用支出"
    assert {"204", "205", "206", "207", "208", "210", "212", "221", "224", "229"} <= set(lei)
    assert len(table) > 300


def test_economic_codes_table_is_consistent():
    table = rows("economic_codes.csv")
    assert list(table[0]) == ["code", "name", "level"]
    codes = [r["code"] for r in table]
    assert len(codes) == len(set(codes))
    for r in table:
        # 部门预算支出经济分类 (3xx) and 政府预算支出经济分类 (5xx)
        assert {"类": 3, "款": 5}[r["level"]] == len(r["code"]) and r["code"][0] in "35", r
        for parent in th.code_parents(r["code"]):
            assert parent in codes
    lei = [c for c in codes if len(c) == 3]
    assert lei == ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399",
                   "501", "502", "503", "505", "506", "507", "509", "599"]
    expected = {"30101": "基本工资", "30102": "津贴补贴", "30103": "奖金", "30106": "伙食补助费", "30107": "绩效工资",
                "30108": "机关事业单位基本养老保险缴费", "30109": "职业年金缴费", "30110": "职工基本医疗保险缴费",
                "30113": "住房公积金", "30201": "办公费", "30217": "公务接待费", "30226": "劳务费",
                "30227": "委托业务费", "30228": "工会经费", "30229": "福利费", "30231": "公务用车运行维护费",
                "30239": "其他交通费用", "30299": "其他商品和服务支出", "31013": "公务用车购置"}
    for code, name in expected.items():
        assert th.code_name(code) == name


def test_code_helpers():
    assert th.code_parents("2080505") == ["208", "20805"]
    assert th.code_parents("2010350") == ["201", "20103"]
    assert th.code_parents("30101") == ["301"]
    assert th.code_parents("201") == []
    assert th.code_parents("204 06 01") == ["204", "20406"]
    assert th.code_name("2010350") == "事业运行"
    assert th.code_name("204 06 01") == "行政运行"
    assert th.code_name("2080506") == "机关事业单位职业年金缴费支出"
    assert th.code_name("9999999") is None
    assert th.code_level("20805") == "款" and th.code_level("301") == "类"
    assert th.code_children("22102") == ["2210201", "2210202", "2210203"]
    assert th.code_for_name("住房公积金") == ["2210201", "30113", "50103"]
    assert th.code_name("50206") == "公务接待费" and th.code_parents("50206") == ["502"]
    assert th.code_for_name("维修(护)费") == ["30213", "50209"]  # half-width parentheses as some tables print them
    assert th.code_for_name("事业运行支出") == th.code_for_name("事业运行")  # "2010350-事业运行支出" in a narrative
    assert "2010350" in th.code_for_name("事业运行")
    assert th.code_for_name("其他政府办公厅（室）及相关机构事务支出支出") == ["2010399"]
    assert th.code_for_name("机关事业单位基本养老保险缴费") == ["30108"]
    assert th.code_for_name("不存在的科目") == []


# ------------------------------------------------------------------ against the corpus


@pytest.mark.skipif(not SEEDS, reason="corpus/seeds not present")
def test_every_code_in_the_seeds_has_its_name():
    seen = 0
    for path in SEEDS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for match in CODE_CELL.finditer(line):
                code, printed = match.groups()
                if printed[0] in "万元年人个名":  # an amount or a year, not a code
                    continue
                seen += 1
                official = th.code_name(code)
                assert official, f"{path.name}:{number}: code {code} ({printed}) missing from the CSVs"
                ok = (
                    code in th.code_for_name(printed)
                    or th.normalize(official).startswith(th.normalize(printed))  # name cut by a cell break
                    or (code, printed) in PRINTED_VARIANTS
                )
                assert ok, f"{path.name}:{number}: {code} printed as {printed!r}, official {official!r}"
    assert seen > 300


@pytest.mark.skipif(not PDFS, reason="corpus/putuo not present")
def test_every_split_code_in_the_putuo_pdfs_is_known():
    pdfplumber = pytest.importorskip("pdfplumber")
    found = set()
    for path in PDFS:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                for line in (page.extract_text() or "").splitlines():
                    match = SPLIT_CODE_LINE.match(line)
                    if match:
                        lei, kuan, xiang = match.groups()
                        found.add(lei + kuan.zfill(2) + (xiang or ""))  # "301 2 津贴补贴" drops the zero
                    found.update(m for m in re.findall(r"(?<![\d.,])(2[0-3]\d{5}|2[0-3]\d{3})(?![\d.,])", line))
    assert len(found) > 60
    missing = sorted(c for c in found if th.code_name(c) is None)
    assert not missing


# ------------------------------------------------------------------ terms


def test_terms_file_is_well_formed():
    data = json.loads((DATA / "terms.json").read_text(encoding="utf-8"))
    names = {e["term"] for e in data["terms"]}
    assert len(names) == len(data["terms"])
    for entry in data["terms"]:
        for key in ("term", "kind", "synonyms", "codes", "labels", "parts", "note"):
            assert key in entry, (entry["term"], key)
        assert entry["synonyms"] and entry["labels"]
        assert all(len(th.normalize(s)) >= 2 for s in entry["synonyms"])
        for code in entry["codes"]:
            assert th.code_name(code), (entry["term"], code)
        for part in entry["parts"]:  # every part is itself a term or an official code name
            assert th.term(part) or th.code_for_name(part), (entry["term"], part)
        if entry["kind"] == "table":
            assert entry["tables"]


def one(question, term):
    found = [e for e in th.expand(question) if e.term == term]
    assert len(found) == 1, (question, term, th.expand(question))
    return found[0]


def test_sangong_expands_to_its_three_parts():
    for question in ("三明2023年三公经费决算数是多少", "“三公”经费预算", "三公花了多少"):
        e = one(question, "“三公”经费")
        assert e.kind == "item"
        assert e.parts == ("因公出国（境）费", "公务用车购置及运行费", "公务接待费")
        assert {"30212", "30217", "30231", "31013"} <= set(e.codes)
        assert "三公" in e.tables
    car = th.term("公务用车购置及运行费")
    assert car.parts == ("公务用车购置费", "公务用车运行费")
    assert th.term("公车") is car


def test_common_terms_map_to_codes_and_labels():
    cases = {
        "公积金": {"30113", "2210201"},
        "养老保险": {"30108", "2080505"},
        "职业年金": {"30109", "2080506"},
        "医保": {"30110", "2101101", "2101102"},
        "话务外包": {"30227"},
        "接待费": {"30217"},
        "办公费": {"30201"},
        "工资": {"301", "30101"},
    }
    for word, codes in cases.items():
        (e,) = [x for x in th.expand(f"2024年{word}是多少") if x.kind == "item"]
        assert set(e.codes) >= codes, (word, e.codes)
    staff = one("人员经费有多少", "人员经费")
    assert staff.parts == ("工资福利支出", "对个人和家庭的补助") and set(staff.codes) == {"301", "303", "501", "509"}
    assert "商品和服务支出" in one("日常公用经费", "公用经费").labels
    assert "项目支出" in one("项目经费多少", "项目支出").labels
    assert "基本支出" in one("日常运转花了多少", "基本支出").labels
    assert one("财政拨款收入", "财政拨款").parts[0] == "一般公共预算拨款"
    assert one("在职人数", "在职人数").unit == "人"
    assert one("外聘人员", "外聘人数").unit == "人"  # each kind of staff is a count of its own, not 在职
    assert "外包" in one("话务外包", "委托业务费").keywords


def test_expand_positions_longest_match_and_literal_codes():
    question = "泉州市 12345 中心 2026 年“话务外包”花了多少钱？"
    found = th.expand(question)
    assert [e.term for e in found] == ["委托业务费", "支出"]
    for e in found:
        assert question[e.start:e.end] == e.text
    # the longest surface wins: not 公务用车 (公务用车购置及运行费)
    assert [e.term for e in th.expand("公务用车运行维护费")] == ["公务用车运行费"]
    assert [e.term for e in th.expand("机关事业单位基本养老保险缴费支出")] == ["机关事业单位基本养老保险缴费支出"]
    # literal codes, joined or split into 类/款/项; the printed name beside a code is not repeated
    (code,) = th.expand("2010350 事业运行 是多少")
    assert code.codes == ("2010350",) and code.kind == "code"
    (split,) = th.expand("科目 204 06 01")
    assert split.codes == ("2040601",) and split.term == "行政运行"
    assert th.expand("1182.04万元") == [] and th.expand("2026年") == []
    # a code name without a code carries every code of that name
    assert "2010350" in one("事业运行", "事业运行").codes
    # one surface, two meanings
    assert {(e.kind, e.term) for e in th.expand("部门预算")} == {("level", "部门"), ("doc_kind", "预算")}
    # labels come as printed and normalised (NFKC), so normalised row labels compare equal
    assert {"因公出国（境）费", "因公出国(境)费"} <= set(one("因公出国(境)费", "因公出国（境）费").labels)


def test_table_title_synonyms():
    assert one("收入支出决算总表", "收支总表").kind == "table"
    assert one("财务收支预算总表", "收支总表")
    assert one("一般公共预算“三公”经费支出预算表", "三公经费表")
    assert one("一般公共预算财政拨款基本支出决算表", "一般公共预算基本支出表")
    assert one("决算数", "决算").kind == "doc_kind"


def test_jieba_keeps_budget_terms_whole():
    words = th.jieba_words()
    assert len(words) == len(set(words)) > 300
    for word in ("机关事业单位基本养老保险缴费支出", "三公经费", "委托业务费", "服务外包", "公务用车运行维护费"):
        assert word in words
    assert not [w for w in words if re.search(r"[（）()“”、\s]", w)]
    tokenizer = lexicon.tokenizer()
    assert "机关事业单位基本养老保险缴费支出" in tokenizer.lcut("2080505机关事业单位基本养老保险缴费支出是多少")
    assert "服务外包" in tokenizer.lcut("泉州服务外包花了多少钱")


def test_department_names_are_shortened_as_people_write_them():
    short = th.abbreviated({"中共上海市普陀区委社会工作部", "宁波市卫生健康委员会"})
    assert "中共上海市普陀区委社工部" in short
    assert {"宁波市卫健委", "宁波市卫生健康委"} <= short
