"""Parser checks on the five seed documents.

Expected values are read by eye from corpus/seeds/*.txt (line numbers refer to those files),
not copied from parser output.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.parse import parse_file
from budgetqa.parse.metadata import detect_metadata

SEEDS = Path(__file__).resolve().parents[1] / "corpus" / "seeds"
FUJIAN = "福建省12345政务服务便民热线中心_2024年度单位预算.txt"
GUYUAN = "固原市12345便民服务中心_2024年部门预算.txt"
QUANZHOU = "泉州市12345政务服务便民热线中心_2026年度单位预算.txt"
SANMING25 = "三明市12345政务服务便民热线中心_2025年度单位预算.txt"
SANMING23 = "三明市12345政务服务便民热线中心_2023年度部门决算.txt"

_cache: dict = {}


def doc(name):
    if name not in _cache:
        _cache[name] = parse_file(SEEDS / name)
    return _cache[name]


# (title, part, rows, empty) in document order
TABLES = {
    FUJIAN: [
        ("", "", 1, False),  # untitled unit list (heading 预算单位构成): no printed title
        ("收支预算总表", "收入", 11, False),
        ("收支预算总表", "支出", 27, False),
        ("收入预算总表", "", 7, False),
        ("支出预算总表", "", 7, False),
        ("财政拨款收支预算总表", "收入", 4, False),
        ("财政拨款收支预算总表", "支出", 27, False),
        ("一般公共预算拨款支出预算表", "", 7, False),
        ("政府性基金预算拨款支出预算表", "", 1, True),
        ("国有资本经营预算拨款支出预算表", "", 1, True),
        ("一般公共预算支出经济分类情况表", "", 3, False),
        ("一般公共预算基本支出经济分类情况表", "", 15, False),
        ("一般公共预算“三公”经费支出预算表", "", 6, True),
        ("单位专项资金管理清单目录", "", 0, True),
        ("部门整体绩效目标表", "", 15, False),
    ],
    QUANZHOU: [
        ("", "", 1, False),
        ("收支预算总表", "收入", 12, False),
        ("收支预算总表", "支出", 29, False),
        ("收入预算总表", "", 2, False),
        ("支出预算总表", "", 8, False),
        ("财政拨款收支预算总表", "收入", 4, False),
        ("财政拨款收支预算总表", "支出", 27, False),
        ("一般公共预算拨款支出预算表", "", 8, False),
        ("政府性基金预算拨款支出预算表", "", 1, True),
        ("国有资本经营预算拨款支出预算表", "", 1, True),
        ("一般公共预算支出经济分类情况表", "", 11, False),
        ("一般公共预算基本支出经济分类情况表", "", 14, False),
        ("一般公共预算“三公”经费支出预算表", "", 6, False),
        ("96196电梯应急处置服务平台项目绩效目标表", "", 10, False),
        ("话务场地租赁费用项目绩效目标表", "", 10, False),
    ],
    SANMING25: [
        ("收支预算总表", "收入", 11, False),
        ("收支预算总表", "支出", 27, False),
        ("收入预算总表", "", 5, False),
        ("支出预算总表", "", 5, False),
        ("财政拨款收支预算总表", "收入", 4, False),
        ("财政拨款收支预算总表", "支出", 27, False),
        ("一般公共预算拨款支出预算表", "", 5, False),
        ("政府性基金预算拨款支出预算表", "", 1, True),
        ("国有资本经营预算拨款支出预算表", "", 1, True),
        ("一般公共预算支出经济分类情况表", "", 11, False),
        ("一般公共预算基本支出经济分类情况表", "", 110, False),
        ("一般公共预算“三公”经费支出预算表", "", 6, False),
    ],
    GUYUAN: [
        ("财政拨款收支预算总表", "收入", 7, False),
        ("财政拨款收支预算总表", "支出", 26, False),
        ("一般公共预算财政拨款支出表", "", 9, False),
        ("一般公共预算财政拨款基本支出表", "", 19, False),
        ("政府性基金预算财政拨款支出表", "", 1, True),
        ("部门收支预算总表", "收入", 31, False),
        ("部门收支预算总表", "支出", 29, False),
        ("部门支出总表", "", 9, False),
        ("固原市人民政府办公室项目支出预算绩效目标表", "", 16, False),
        ("固原市人民政府办公室项目支出预算绩效目标表", "", 16, False),
    ],
    SANMING23: [
        ("", "", 1, False),
        ("收入支出决算总表", "收入", 12, False),
        ("收入支出决算总表", "支出", 30, False),
        ("收入决算表", "", 12, False),
        ("支出决算表", "", 12, False),
        ("财政拨款收入支出决算总表", "收入", 9, False),
        ("财政拨款收入支出决算总表", "支出", 29, False),
        ("一般公共预算财政拨款支出决算表", "", 12, False),
        # 人员经费 | 公用经费 are column groups (three code/name/amount groups), not 收入/支出 parts
        ("一般公共预算财政拨款基本支出决算表", "", 91, False),
        ("一般公共预算财政拨款“三公”经费支出决算表", "", 6, False),
        ("政府性基金预算财政拨款收入支出决算表", "", 1, True),
        ("国有资本经营预算财政拨款支出决算表", "", 1, True),
        ("专项资金绩效自评表", "", 20, False),
        ("专项资金绩效自评表", "", None, False),
        ("专项资金绩效自评表", "", None, False),
        ("专项资金绩效自评表", "", None, False),
        ("专项资金绩效自评表", "", None, False),
    ],
}

# (title, part, code, label, column " / "-joined, printed)
CELLS = {
    FUJIAN: [
        ("", "", "", "福建省12345政务服务便民中心", "在职人数", "9"),
        ("收支预算总表", "收入", "", "九、其他收入", "预算数", "24.04"),
        ("收支预算总表", "收入", "", "收入合计", "预算数", "267.58"),
        ("收支预算总表", "支出", "", "十九、住房保障支出", "预算数", "20.68"),
        ("收支预算总表", "支出", "", "一、一般公共服务支出", "预算数", "246.9"),
        ("收入预算总表", "", "2010350", "事业运行", "其他收入", "15.35"),
        ("收入预算总表", "", "20103", "政府办公厅(室)及相关机构事务", "一般公共预算拨款收入", "231.55"),
        ("支出预算总表", "", "", "合计", "基本支出", "267.58"),
        ("支出预算总表", "", "2210201", "住房公积金", "对附属单位补助支出", "0"),
        ("财政拨款收支预算总表", "收入", "", "一、一般公共预算拨款收入", "预算数", "243.54"),
        ("财政拨款收支预算总表", "支出", "", "十九、住房保障支出", "预算数", "11.99"),
        ("一般公共预算拨款支出预算表", "", "2010350", "事业运行", "基本支出", "231.55"),
        ("一般公共预算拨款支出预算表", "", "22102", "住房改革支出", "合计", "11.99"),
        ("一般公共预算支出经济分类情况表", "", "301", "工资福利支出", "预算数", "229.34"),
        ("一般公共预算支出经济分类情况表", "", "302", "商品和服务支出", "预算数", "14.2"),
        ("一般公共预算基本支出经济分类情况表", "", "30199", "其他工资福利支出", "预算数", "135.81"),
        ("一般公共预算基本支出经济分类情况表", "", "30228", "工会经费", "预算数", "3.14"),
        ("部门整体绩效目标表", "", "", "资金总额", "年度预算安排(万元)", "267.58"),  # L343
        ("部门整体绩效目标表", "", "", "其他支出", "年度预算安排(万元)", "0.00"),  # L346
    ],
    QUANZHOU: [
        ("", "", "", "1", "单位名称", "泉州市 12345 政务服务便民热线中心"),
        ("收支预算总表", "收入", "", "本年收入合计", "预算数", "1182.04"),
        ("收支预算总表", "收入", "", "上年结转结余", "预算数", "0.00"),
        ("收支预算总表", "支出", "", "九、卫生健康支出", "预算数", "4.85"),
        ("收支预算总表", "支出", "", "结转下年支出", "预算数", "0.00"),
        ("收入预算总表", "", "", "泉州市12345政务服务便民热线中心", "一般公共预算拨款收入", "1182.04"),
        ("收入预算总表", "", "", "合计", "上年结转结余", "0.00"),
        ("支出预算总表", "", "2010399", "其他政府办公厅（室）及相关机构事务支出", "项目支出", "1011.95"),
        ("支出预算总表", "", "", "合计", "基本支出", "170.09"),
        ("财政拨款收支预算总表", "收入", "", "收入合计", "预算数", "1182.04"),
        ("财政拨款收支预算总表", "支出", "", "十九、住房保障支出", "预算数", "19.33"),
        ("一般公共预算拨款支出预算表", "", "2210202", "提租补贴", "小计", "4.88"),
        ("一般公共预算拨款支出预算表", "", "2010350", "事业运行", "项目支出", "0.00"),
        ("一般公共预算支出经济分类情况表", "", "302", "商品和服务支出", "预算数", "1031.54"),
        ("一般公共预算支出经济分类情况表", "", "399", "其他支出", "预算数", "0.00"),
        ("一般公共预算基本支出经济分类情况表", "", "30103", "奖金", "预算数", "51.53"),
        ("一般公共预算基本支出经济分类情况表", "", "30217", "公务接待费", "预算数", "1.00"),
        ("一般公共预算“三公”经费支出预算表", "", "", "2、公务接待费", "预算数", "1.00"),
        ("一般公共预算“三公”经费支出预算表", "", "", "其中：（1）公务用车购置费", "预算数", "0.00"),
        ("96196电梯应急处置服务平台项目绩效目标表", "", "", "资金总额:", "专项资金情况(万元)", "57.00"),
        ("话务场地租赁费用项目绩效目标表", "", "", "财政拨款:", "专项资金情况(万元)", "175.09"),
    ],
    SANMING25: [
        ("收支预算总表", "收入", "", "一、一般公共预算拨款收入", "预算数", "147.87"),
        ("收支预算总表", "收入", "", "十、上年结转结余", "预算数", "0.00"),
        ("收支预算总表", "支出", "", "八、社会保障和就业支出", "预算数", "21.00"),
        ("收支预算总表", "支出", "", "十一、城乡社区支出", "预算数", "0.00"),
        ("收支预算总表", "支出", "", "支出合计", "预算数", "147.87"),
        ("收入预算总表", "", "2080505", "机关事业单位基本养老保险缴费支出", "总计", "14.00"),
        ("收入预算总表", "", "2101102", "事业单位医疗", "一般公共预算拨款收入", "4.43"),
        ("收入预算总表", "", "", "合计", "上年结转结余", "0.00"),
        ("收入预算总表", "", "2010350", "事业运行", "财政专户管理资金收入", "0.00"),
        ("支出预算总表", "", "2080506", "机关事业单位职业年金缴费支出", "基本支出", "7.00"),
        ("支出预算总表", "", "", "合计", "对附属单位补助支出", "0.00"),
        ("财政拨款收支预算总表", "收入", "", "三、国有资本经营预算拨款收入", "预算数", "0.00"),
        ("财政拨款收支预算总表", "支出", "", "九、卫生健康支出", "预算数", "4.43"),
        ("一般公共预算拨款支出预算表", "", "2010350", "事业运行", "基本支出", "122.44"),
        ("一般公共预算拨款支出预算表", "", "2101102", "事业单位医疗", "项目支出", "0.00"),
        ("一般公共预算支出经济分类情况表", "", "301", "工资福利支出", "预算数", "139.99"),
        ("一般公共预算支出经济分类情况表", "", "309", "资本性支出（基本建设）", "预算数", "0.00"),
        ("一般公共预算基本支出经济分类情况表", "", "30216", "培训费", "预算数", "0.50"),
        ("一般公共预算基本支出经济分类情况表", "", "30229", "福利费", "预算数", "0.00"),
        ("一般公共预算基本支出经济分类情况表", "", "39999", "其他支出", "预算数", "0.00"),
        ("一般公共预算“三公”经费支出预算表", "", "", "2、公务接待费", "预算数", "1.50"),
        ("一般公共预算“三公”经费支出预算表", "", "", "合计", "预算数", "1.50"),
    ],
    GUYUAN: [
        ("财政拨款收支预算总表", "收入", "", "二、上年结转结余", "预算数", "6.00"),
        ("财政拨款收支预算总表", "收入", "", "（一）一般公共预算财政拨款收入", "预算数", "263.41"),
        ("财政拨款收支预算总表", "支出", "", "（九）卫生健康支出", "预算数 / 小计", "4.25"),
        ("财政拨款收支预算总表", "支出", "", "(十八)住房保障支出", "预算数 / 一般公共预算财政拨款支出", "12.69"),
        ("一般公共预算财政拨款支出表", "", "2010399", "其他政府办公厅(室)及相关机构事务", "2024年预算数 / 项目支出", "18.50"),
        ("一般公共预算财政拨款支出表", "", "2080506", "机关事业单位职业年金缴费支出", "2024年预算数与2023年执行数(决算数) / 增减%", "-34.75%"),
        ("一般公共预算财政拨款支出表", "", "", "合计", "2023年执行数(决算数)", "264.99"),
        ("一般公共预算财政拨款基本支出表", "", "", "总计", "基本支出预算 / 日常公用支出", "4.31"),
        ("一般公共预算财政拨款基本支出表", "", "30199", "其他工资福利支出", "基本支出预算 / 人员支出", "143.85"),
        ("一般公共预算财政拨款基本支出表", "", "302", "二、商品和服务支出", "基本支出预算 / 合计", "5.18"),
        ("部门收支预算总表", "收入", "", "十、上年结转", "预算数", "6.00"),
        ("部门收支预算总表", "收入", "", "(1)一般公共预算财政拨款收入", "预算数", "263.41"),
        ("部门收支预算总表", "支出", "", "二、事业支出", "预算数", "269.41"),
        ("部门收支预算总表", "支出", "", "支出总计", "预算数", "269.41"),
        ("部门支出总表", "", "2010399", "其他政府办公厅（室）支出", "事业支出", "220.03"),
        ("部门支出总表", "", "", "合计", "事业支出", "250.91"),
    ],
    SANMING23: [
        ("", "", "", "三明市12345政务服务便民热线中心", "在职人数", "10"),
        ("收入支出决算总表", "收入", "", "一、一般公共预算财政拨款收入", "决算数", "402.64"),
        ("收入支出决算总表", "收入", "", "使用非财政拨款结余（含专用结余）", "决算数", "0.00"),
        ("收入支出决算总表", "支出", "", "八、社会保障和就业支出", "决算数", "24.67"),
        ("收入支出决算总表", "支出", "", "结余分配", "决算数", "0.00"),
        ("收入决算表", "", "2010399", "其他政府办公厅（室）及相关机构事务支出", "财政拨款收入", "292.60"),
        ("收入决算表", "", "2080506", "机关事业单位职业年金缴费支出", "本年收入合计", "8.66"),
        ("支出决算表", "", "2010399", "其他政府办公厅（室）及相关机构事务支出", "基本支出", "43.26"),
        ("支出决算表", "", "", "合计", "项目支出", "249.35"),
        ("财政拨款收入支出决算总表", "收入", "", "年初财政拨款结转和结余", "金额", "0.00"),
        ("财政拨款收入支出决算总表", "支出", "", "一、一般公共服务支出", "一般公共预算财政拨款", "372.75"),
        ("财政拨款收入支出决算总表", "支出", "", "总计", "合计", "402.64"),
        ("一般公共预算财政拨款支出决算表", "", "2010350", "事业运行", "本年支出 / 基本支出", "80.14"),
        ("一般公共预算财政拨款支出决算表", "", "", "合计", "本年支出 / 小计", "402.64"),
        ("一般公共预算财政拨款基本支出决算表", "", "30107", "绩效工资", "人员经费 / 金额", "17.94"),
        ("一般公共预算财政拨款基本支出决算表", "", "", "人员经费合计", "人员经费 / 金额", "146.44"),
        ("一般公共预算财政拨款基本支出决算表", "", "30228", "工会经费", "公用经费 / 金额", "3.17"),
        ("一般公共预算财政拨款基本支出决算表", "", "31022", "无形资产购置", "公用经费 / 金额", "0.00"),
        ("一般公共预算财政拨款基本支出决算表", "", "30703", "国内债务发行费用", "公用经费 / 金额", "0.00"),  # L268 3rd group
        ("一般公共预算财政拨款基本支出决算表", "", "", "公用经费合计", "公用经费 / 金额", "6.85"),
        ("一般公共预算财政拨款“三公”经费支出决算表", "", "", "3.公务接待费", "决算数", "0.10"),
        ("一般公共预算财政拨款“三公”经费支出决算表", "", "", "合计", "决算数", "0.10"),
        ("专项资金绩效自评表", "", "", "年度资金总额", "全年执行数", "2.29"),  # L510
        ("专项资金绩效自评表", "", "", "年度资金总额", "执行率(%)", "100.00"),
        ("专项资金绩效自评表", "", "", "热线外包服务费", "实际完成值", "100"),  # L517
        ("专项资金绩效自评表", "", "", "诉求件转办率准确率", "自评得分", "10"),  # L519
    ],
}

META = {
    FUJIAN: ("福建省12345政务服务便民热线中心", 2024, "预算", "单位", "福建省", ["福建省12345政务服务便民中心"]),
    GUYUAN: ("固原市12345便民服务中心", 2024, "预算", "部门", "宁夏回族自治区固原市", ["固原市“12345”便民服务中心"]),
    QUANZHOU: ("泉州市12345政务服务便民热线中心", 2026, "预算", "单位", "福建省泉州市", []),
    SANMING25: ("三明市12345政务服务便民热线中心", 2025, "预算", "单位", "福建省三明市", []),
    SANMING23: ("三明市12345政务服务便民热线中心", 2023, "决算", "部门", "福建省三明市", []),
}

LINE_COUNTS = {FUJIAN: 407, GUYUAN: 330, QUANZHOU: 416, SANMING25: 932, SANMING23: 649}


@pytest.mark.parametrize("name", list(TABLES))
def test_tables_enumerated(name):
    d = doc(name)
    got = [(t.title, t.part, len(t.rows), t.empty) for t in d.tables]
    want = TABLES[name]
    assert [g[:2] for g in got] == [w[:2] for w in want]
    for g, w in zip(got, want):
        if w[2] is not None:
            assert g[2] == w[2], (g, w)
        assert g[3] == w[3], (g, w)
    assert [t.id for t in d.tables] == [f"t{i:02d}" for i in range(1, len(d.tables) + 1)]
    for t in d.tables:
        assert t.line and t.line > 0
        for r in t.rows:
            assert r.line and r.line >= t.line


def _find(d, title, part, code, label, column, printed):
    for t in d.tables:
        if t.title != title or t.part != part:
            continue
        for r in t.rows:
            if r.code == code and r.label == label:
                for c in r.cells:
                    if c.printed == printed and (column is None or t.column_name(c.column) == column):
                        return t, r, c
    return None


@pytest.mark.parametrize("name", list(CELLS))
def test_cells(name):
    d = doc(name)
    for spec in CELLS[name]:
        found = _find(d, *spec)
        assert found is not None, spec
        _t, _r, c = found
        printed = spec[-1]
        from budgetqa.model.document import parse_number

        assert c.value == parse_number(printed)


@pytest.mark.parametrize("name", list(META))
def test_metadata(name):
    d = doc(name)
    entity, year, kind, level, region, aliases = META[name]
    assert d.meta.entity == entity
    assert d.meta.year == year
    assert d.meta.kind == kind
    assert d.meta.level == level
    assert d.meta.region == region
    for a in aliases:
        assert a in d.meta.aliases
    assert entity not in d.meta.aliases
    assert d.meta.source == name
    assert d.meta.lines in (LINE_COUNTS[name], LINE_COUNTS[name] + 1)


def test_metadata_not_from_file_name():
    text = (SEEDS / SANMING25).read_text(encoding="utf-8")
    meta = detect_metadata(text, "whatever.txt")
    assert meta["entity"] == "三明市12345政务服务便民热线中心"
    assert (meta["year"], meta["kind"], meta["level"]) == (2025, "预算", "单位")


def test_units_and_values():
    d = doc(FUJIAN)
    for t in d.tables[1:14]:
        assert t.unit == "万元"
    t = d.tables[1]
    assert t.rows[0].cells[0].value == Decimal("243.54")


def test_empty_table_notes():
    d = doc(FUJIAN)
    sangong = [t for t in d.tables if "三公" in t.title][0]
    assert sangong.empty and any("没有" in n for n in sangong.notes)
    assert all(not r.cells for r in sangong.rows)
    d = doc(GUYUAN)
    fund = [t for t in d.tables if t.title == "政府性基金预算财政拨款支出表"][0]
    assert fund.empty and any("无政府性基金" in n for n in fund.notes)


def test_multilevel_and_rebuilt_headers():
    cols = [t.columns for t in doc(GUYUAN).tables if t.title == "政府性基金预算财政拨款支出表"][0]
    assert ("2024年预算数", "基本支出", "人员经费") in cols
    cols = [t for t in doc(SANMING25).tables if t.title == "收入预算总表"][0].columns
    assert cols == [
        ("总计",), ("一般公共预算拨款收入",), ("政府性基金预算拨款收入",), ("国有资本经营预算拨款收入",),
        ("财政专户管理资金收入",), ("事业收入",), ("事业单位经营收入",), ("上级补助收入",),
        ("附属单位上缴收入",), ("其他收入",), ("上年结转结余",),
    ]


def test_rows_have_source_lines():
    d = doc(SANMING25)
    t = [t for t in d.tables if t.title == "收入预算总表"][0]
    row = [r for r in t.rows if r.code == "2080505"][0]
    assert row.line == 267  # label broken over lines 267/269, values on 271
    t = [t for t in d.tables if t.title == "支出预算总表"][0]
    assert t.line == 278
    d = doc(FUJIAN)
    t = [t for t in d.tables if t.title == "支出预算总表"][0]
    assert t.line == 124 and [r for r in t.rows if r.code == "2210201"][0].line == 135


def test_warnings_report_unplaced_cells():
    w = doc(SANMING23).warnings
    assert any(x.startswith("line 300:") and "6.85" in x for x in w)
    assert any(x.startswith("line 166:") for x in w)
    assert any(x.startswith("line 196:") for x in doc(GUYUAN).warnings)


def test_sections():
    d = doc(QUANZHOU)
    s = [s for s in d.sections if "比上年增加51.77万元" in s.text and s.line == 273]
    assert s and s[0].heading[-1] == "一、预算收支总体情况" and s[0].heading[0].startswith("第三部分")
    # the table of contents is neither a table nor narrative
    assert all(sec.line > 38 for sec in d.sections)
    assert all(t.line > 38 for t in d.tables)
    d = doc(SANMING25)
    s = [s for s in d.sections if s.line == 681]
    assert s and "比上年增加 0.42 万元" in s[0].text and "其他收入0.00万元" in s[0].text
    assert s[0].heading == ["第三部分 2025 年度单位预算情况说明", "一、预算收支总体情况"]
    d = doc(FUJIAN)
    s = [s for s in d.sections if s.line == 288]
    assert s and s[0].text.startswith("（一）2010350-事业运行231.55万元") and s[0].text.endswith("公用经费等支出。")


def _row(t, label, code=""):
    return next(r for r in t.rows if r.label == label and r.code == code)


def _cells(t, row):
    return {t.column_name(c.column): c.printed for c in row.cells}


def test_row_number_columns_are_not_amounts():
    # 三明 2023 L314-320: 项目 | 行次 | 决算数; the 行次 1..6 are positions, not values
    t = [t for t in doc(SANMING23).tables if "三公" in t.title][0]
    assert t.columns == [("决算数",)]
    assert _cells(t, _row(t, "合计")) == {"决算数": "0.10"}  # L315: 合计 1 0.10
    assert _cells(t, _row(t, "3.公务接待费")) == {"决算数": "0.10"}  # L320: … 6 0.10
    # 泉州 L52-53: 序号 | 单位名称 — the 序号 "1" stays the row's label, never a value
    unit_list = doc(QUANZHOU).tables[0]
    assert all(c.value is None for r in unit_list.rows for c in r.cells)


def test_side_by_side_column_groups_stay_one_table():
    # 三明 2023 L266-300: 人员经费 | 公用经费 over three 科目编码/科目名称/金额 groups
    t = [t for t in doc(SANMING23).tables if t.title == "一般公共预算财政拨款基本支出决算表"]
    assert len(t) == 1 and t[0].part == ""
    t = t[0]
    assert t.columns == [("人员经费", "金额"), ("公用经费", "金额")]
    assert _cells(t, _row(t, "工资福利支出", "301")) == {"人员经费 / 金额": "146.44"}  # L268 group 1
    assert _cells(t, _row(t, "商品和服务支出", "302")) == {"公用经费 / 金额": "6.85"}  # L268 group 2
    assert _cells(t, _row(t, "其他支出", "39999")) == {"公用经费 / 金额": "0.00"}  # L299 group 3
    assert _cells(t, _row(t, "其他商品和服务支出", "30299")) == {"公用经费 / 金额": "0.07"}  # L296
    # income / expenditure halves are still parts
    parts = [t.part for t in doc(SANMING23).tables if t.title == "收入支出决算总表"]
    assert parts == ["收入", "支出"]


def test_untitled_tables_have_empty_title():
    d = doc(SANMING23)
    assert d.tables[0].title == "" and d.tables[0].line == 61  # L61-62, under 二、单位决算单位基本情况
    assert any(w.startswith("line 61:") and "without a title" in w for w in d.warnings)


def test_form_rows_take_innermost_label_and_group_column():
    # 福建 L342-346: 年度预算安排(万元) spans 资金总额 / 项目支出 / 基本支出 / 其他支出
    t = [t for t in doc(FUJIAN).tables if t.title == "部门整体绩效目标表"][0]
    assert _cells(t, _row(t, "基本支出")) == {"年度预算安排(万元)": "267.58"}
    # 部门预算编码 103603 is an identifier: kept as printed, not an amount
    ident = _row(t, "部门预算编码")
    assert [c.printed for c in ident.cells] == ["103603"] and ident.cells[0].value is None
    # 单位构成 (福建 L58-59): the 单位名称 column labels the row, not 单位性质
    units = doc(FUJIAN).tables[0]
    assert _cells(units, _row(units, "福建省12345政务服务便民中心")).get("在职人数") == "9"
    # 固原 L302-303: the 100% sits one tab right of 指标值, under a blank header cell
    t = [t for t in doc(GUYUAN).tables if t.title.endswith("绩效目标表")][0]
    assert _cells(t, _row(t, "事业编制6人,外聘28人")) == {"指标值": "100%"}


def test_indicator_rows_printed_out_of_line_are_realigned():
    d = doc(SANMING23)
    evals = [t for t in d.tables if t.title == "专项资金绩效自评表"]
    # L551: 质量指标 | | 热线外包服务满意率 | ≥98% | 94.4 | 10 | 9.63 | 发票报送不及时 (one tab left)
    row = _row(evals[1], "热线外包服务满意率")
    got = _cells(evals[1], row)
    assert (got["年度指标值"], got["实际完成值"], got["指标分值"], got["自评得分"]) == ("≥98%", "94.4", "10", "9.63")
    # L643: 时效指标 | 投入时效 | ≥250% | 250 | 10 | 10 | 无偏差 (two tabs left)
    got = _cells(evals[4], _row(evals[4], "投入时效"))
    assert (got["年度指标值"], got["实际完成值"], got["指标分值"], got["自评得分"]) == ("≥250%", "250", "10", "10")
    # L519, aligned: |||诉求件转办率准确率 | ≥95% | 97.57 | 10 | 10
    got = _cells(evals[0], _row(evals[0], "诉求件转办率准确率"))
    assert (got["实际完成值"], got["自评得分"]) == ("97.57", "10")
    assert any(w.startswith("line 551:") and "realigned" in w for w in d.warnings)


def test_a_projects_form_names_its_project_and_its_money():
    from budgetqa.model.facts import table_facts
    # 三明 2023 L533-538: "专项名称 | 2022 年三明市 12345 平台热线外包服务运营费", then under the
    # header "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | …" the row
    # "年度资金总额 | 31.23 | 31.23 | 31.23 | 10 | 100.00 | 10": amounts in 万元, points without a unit
    row = {f.column: f for f in table_facts(doc(SANMING23)) if f.line == 538}
    assert row["全年执行数"].item == "2022 年三明市 12345 平台热线外包服务运营费"
    assert (row["全年执行数"].printed, row["全年执行数"].unit) == ("31.23", "万元")
    assert row["分值"].unit == "" and row["执行率(%)"].unit == "%"
    # 固原 L315-318: "项目名称 | “12345”语音服务费", and the amount is stated inside a text cell:
    # "年度资金总额(含本级) 8.00 万元"
    stated = [f for f in table_facts(doc(GUYUAN)) if f.line == 318]
    assert {(f.item, f.row_label, f.printed, f.unit) for f in stated} == {
        ("“12345”语音服务费", "年度资金总额(含本级和市县)", "8.00", "万元"),
        ("“12345”语音服务费", "年度资金总额(含本级)", "8.00", "万元")}
