"""PDF parsing on the Putuo corpus.

Expected cells were read by hand from the page images (pdftoppm) / page text, not taken
from the parser's output.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.parse import NotABudget, ParseError, parse_file

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "putuo"
WANLI = "上海市普陀区人民政府万里街道办事处24年预算.pdf"
OFFICE = "上海市普陀区人民政府办公室25年预算.pdf"
JUSTICE = "上海市普陀区司法局单位26年预算.pdf"
COMMERCE = "上海市普陀区商务委员会25年预算.pdf"
COMMERCE_UNIT = "上海市普陀区商务委员会单位25年预算.pdf"
FINANCE = "上海市普陀区财政局2024年度部门决算.pdf"
SOCIAL = "中共上海市普陀区委社会工作部_2024_年度部门决算.pdf"
TEMPLATE = "附件2：部门决算模板.pdf"
ALL = [WANLI, OFFICE, JUSTICE, COMMERCE, COMMERCE_UNIT, FINANCE, SOCIAL]
NOT_BUDGETS = Path(__file__).resolve().parent / "fixtures" / "not_budgets"

_cache: dict = {}


def doc(name):
    if name not in _cache:
        _cache[name] = parse_file(CORPUS / name)
    return _cache[name]


def table(d, title, part=""):
    found = [t for t in d.tables if t.title == title and t.part == part]
    assert found, f"no table {title!r} part {part!r}; have {[(t.title, t.part) for t in d.tables]}"
    return found[0]


def row(t, key):
    found = [r for r in t.rows if r.code == key or r.label == key]
    assert found, f"no row {key!r} in {t.title}"
    return found[0]


def printed(t, key, column):
    """The printed cell of row `key` in the column whose header path ends with `column`."""
    r = row(t, key)
    cols = [i for i in range(len(t.columns)) if t.column_name(i) == column or t.column_name(i).endswith(" / " + column)]
    assert len(cols) == 1, f"column {column!r} ambiguous/missing in {[t.column_name(i) for i in range(len(t.columns))]}"
    c = r.cell(cols[0])
    return c.printed if c is not None else ""


@pytest.mark.parametrize("name", ALL)
def test_all_parse(name):
    d = doc(name)
    assert d.meta.pages and d.meta.pages > 15
    assert d.meta.doc_id and len(d.meta.doc_id) == 16
    assert len(d.tables) >= 11
    assert [t.id for t in d.tables] == [f"t{i:02d}" for i in range(1, len(d.tables) + 1)]
    assert d.sections, "narrative sections expected"
    assert all(s.page for s in d.sections)


BUDGET_TITLES_DEPT = [
    "部门财务收支预算总表", "部门收入预算总表", "部门支出预算总表", "部门财政拨款收支预算总表",
    "部门一般公共预算支出功能分类预算表", "部门政府性基金预算支出功能分类预算表",
    "部门国有资本经营预算支出功能分类预算表", "部门一般公共预算基本支出部门预算经济分类预算表",
    "部门“三公”经费和机关运行经费预算表",
]
BUDGET_TITLES_UNIT = [
    "预算单位财务收支预算总表", "预算单位收入预算总表", "预算单位支出预算总表", "预算单位财政拨款收支预算总表",
    "预算单位一般公共预算支出功能分类预算表", "预算单位政府性基金预算支出功能分类预算表",
    "预算单位国有资本经营预算支出功能分类预算表", "预算单位一般公共预算基本支出部门预算经济分类预算表",
    "单位“三公”经费和机关运行经费预算表",
]
FINAL_TITLES = [
    "收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表", "一般公共预算财政拨款支出决算表",
    "一般公共预算财政拨款基本支出决算表", "财政拨款“三公”经费支出决算表", "政府性基金预算财政拨款收入支出决算表",
    "国有资本经营预算财政拨款收入支出决算表",
]


def _distinct_titles(d):
    out = []
    for t in d.tables:
        if t.title not in out:
            out.append(t.title)
    return out


@pytest.mark.parametrize("name,titles", [
    (WANLI, BUDGET_TITLES_DEPT), (OFFICE, BUDGET_TITLES_DEPT), (COMMERCE, BUDGET_TITLES_DEPT),
    (JUSTICE, BUDGET_TITLES_UNIT), (COMMERCE_UNIT, BUDGET_TITLES_UNIT),
    (FINANCE, FINAL_TITLES), (SOCIAL, FINAL_TITLES),
])
def test_table_titles(name, titles):
    assert _distinct_titles(doc(name)) == titles


def test_table_counts_side_by_side_parts():
    # 财务收支总表 and 财政拨款收支总表 (预算) / 收入支出决算总表 and 财政拨款收入支出决算总表 (决算)
    # are printed 收入 | 支出 side by side: two Table objects each
    for name in ALL:
        d = doc(name)
        assert len(d.tables) == 11, name
        parts = [(t.title, t.part) for t in d.tables if t.part]
        assert len(parts) == 4, name
        assert {p for _, p in parts} == {"收入", "支出"}


# ------------------------------------------------------------------ hand-checked cells

def test_cells_commerce_dept_sparse_rows():
    t = table(doc(COMMERCE), "部门支出预算总表")
    assert t.unit == "元"
    # p12: 一般行政管理事务 has only 合计 and 项目支出 printed; 基本支出 blank
    assert printed(t, "2011302", "合计") == "4,545,000.00"
    assert printed(t, "2011302", "项目支出") == "4,545,000.00"
    assert printed(t, "2011302", "基本支出") == ""
    assert printed(t, "2011301", "基本支出") == "9,389,913.00"
    assert printed(t, "2011301", "项目支出") == ""
    assert printed(t, "合计", "项目支出") == "351,684,000.00"  # p13
    assert row(t, "合计").page == 13


def test_cells_commerce_unit_nested_header():
    d = doc(COMMERCE_UNIT)
    t = table(d, "预算单位财务收支预算总表", "支出")
    assert t.columns == [("本年支出", "预算数", "合计"), ("本年支出", "预算数", "基本支出", "人员经费"),
                         ("本年支出", "预算数", "基本支出", "公用经费"), ("本年支出", "预算数", "项目支出")]
    assert printed(t, "二、科学技术支出", "合计") == "17,200,000.00"
    assert printed(t, "二、科学技术支出", "项目支出") == "17,200,000.00"
    assert printed(t, "二、科学技术支出", "人员经费") == ""
    assert printed(t, "三、社会保障和就业支出", "人员经费") == "3,565,865.00"
    assert printed(t, "三、社会保障和就业支出", "公用经费") == "242,220.00"
    inc = table(d, "预算单位财务收支预算总表", "收入")
    assert printed(inc, "收入总计", "预算数") == "371,514,655.00"


def test_cells_justice():
    d = doc(JUSTICE)
    t = table(d, "预算单位收入预算总表")
    assert printed(t, "2040601", "合计") == "14,348,853.34"
    assert printed(t, "2080505", "财政拨款收入") == "1,572,307.00"
    t = table(d, "预算单位支出预算总表")
    # the row the reviewers flagged: 项目支出 64,840,547.00 printed on 行政运行 (p11)
    assert printed(t, "2040601", "项目支出") == "64,840,547.00"
    assert printed(t, "合计", "基本支出") == "22,118,861"
    t = table(d, "预算单位一般公共预算基本支出部门预算经济分类预算表")
    assert printed(t, "30228", "公用经费") == "227,810.34"  # p19
    assert printed(t, "合计", "合计") == "22,118,861.34"


def test_cells_wanli_and_continuation_page_with_only_total():
    t = table(doc(WANLI), "部门支出预算总表")
    assert t.pages == [16, 17, 18, 19, 20]
    total = row(t, "合计")
    assert total.page == 20  # p20 holds nothing but the 合计 row
    assert printed(t, "合计", "合计") == "156,211,123"
    assert printed(t, "合计", "基本支出") == "99,706,020"
    assert printed(t, "合计", "项目支出") == "56,505,103"
    t = table(doc(WANLI), "部门收入预算总表")
    assert printed(t, "2010507", "合计") == "257,700"


def test_split_codes():
    t = table(doc(JUSTICE), "预算单位收入预算总表")
    codes = [r.code for r in t.rows]
    # 类 only, 类+款, 类+款+项 from three columns
    assert codes[:3] == ["204", "20406", "2040601"]
    assert row(t, "204").label == "公共安全支出"
    assert row(t, "20406").label == "司法"
    e = table(doc(OFFICE), "部门一般公共预算基本支出部门预算经济分类预算表")
    assert row(e, "301").label == "工资福利支出"
    assert row(e, "30101").label == "基本工资"
    # 决算: codes already joined in one column
    s = table(doc(SOCIAL), "一般公共预算财政拨款支出决算表")
    assert printed(s, "2013999", "项目支出") == "202.24"
    assert row(s, "2080505").label == "机关事业单位基本养老保险缴费支出"  # label over 3 lines


def test_code_printed_without_leading_zero_is_warned():
    d = doc(WANLI)
    t = table(d, "部门一般公共预算基本支出部门预算经济分类预算表")
    assert row(t, "30102").label == "津贴补贴"  # printed "301 | 2"
    assert any("code part '2'" in w and w.startswith("page 29") for w in d.warnings)


def test_multipage_continuation_without_repeated_header():
    d = doc(FINANCE)
    t = table(d, "财政拨款收入支出决算总表", "支出")
    assert t.pages == [12, 13]
    assert printed(t, "十九、住房保障支出", "合计") == "445.69"
    assert row(t, "十九、住房保障支出").page == 13
    assert printed(t, "总计", "合计") == "2,961.68"
    # 收入支出决算总表 continues on p7 with its 结转结余 and 总计 rows
    inc = table(d, "收入支出决算总表", "收入")
    assert printed(inc, "年初结转和结余", "决算数") == "49.14"
    assert row(inc, "总计").page == 7
    exp = table(d, "收入支出决算总表", "支出")
    assert printed(exp, "年末结转和结余", "决算数") == "55.34"


def test_multipage_with_repeated_header():
    t = table(doc(JUSTICE), "预算单位一般公共预算支出功能分类预算表")
    assert t.pages == [14, 15]
    assert [r.code for r in t.rows].count("210") == 1  # header of p15 not taken as rows
    assert printed(t, "2101101", "合计") == "982,692.00"
    assert row(t, "2101101").page == 15


def test_side_by_side():
    d = doc(FINANCE)
    inc = table(d, "收入支出决算总表", "收入")
    exp = table(d, "收入支出决算总表", "支出")
    assert inc.columns == [("收入", "决算数")]
    assert printed(inc, "八、其他收入", "决算数") == "6.20"
    assert printed(exp, "十九、住房保障支出", "决算数") == "445.69"
    s = doc(SOCIAL)
    inc = table(s, "收入支出决算总表", "收入")
    assert printed(inc, "一、一般公共预算财政拨款收入", "决算数") == "307.82"
    f = table(doc(OFFICE), "部门财政拨款收支预算总表", "支出")
    assert printed(f, "一、一般公共服务支出", "一般公共预算") == "82,096,797.42"


def test_values_below_labels_finance():
    # extract_text puts these values on a line below their labels: placed by position
    t = table(doc(FINANCE), "支出决算表")
    assert printed(t, "2010601", "本年支出合计") == "1,511.89"
    assert printed(t, "2010601", "基本支出") == "1,503.52"
    assert printed(t, "2010601", "项目支出") == "8.37"
    assert printed(t, "合计", "基本支出") == "2,336.91"
    e = table(doc(FINANCE), "一般公共预算财政拨款基本支出决算表")
    assert printed(e, "30102", "决算数") == "1,238.58"
    assert printed(e, "30202", "决算数") == "7.61"
    assert printed(e, "30211", "决算数") == "1.20"
    assert e.unit == "万元"


def test_sangong_x_placement():
    t = table(doc(OFFICE), "部门“三公”经费和机关运行经费预算表")
    assert t.unit == "万元"
    r = t.rows[0]
    by_name = {t.column_name(c.column): c.printed for c in r.cells}
    assert by_name == {
        "“三公”经费预算数 / 合计": "867.50",
        "“三公”经费预算数 / 因公出国(境)费": "839.00",
        "“三公”经费预算数 / 公务接待费": "28.50",
        "机关运行经费预算数": "213.28",
    }
    t = table(doc(JUSTICE), "单位“三公”经费和机关运行经费预算表")
    assert printed(t, "", "公务用车购置及运行费 / 运行费") == "9.98"
    assert printed(t, "", "机关运行经费预算数") == "184.59"
    assert t.rows[0].cells[0].value == Decimal("10.71")


def test_sangong_final_accounts_pairs():
    t = table(doc(FINANCE), "财政拨款“三公”经费支出决算表")
    names = [t.column_name(i) for i in range(len(t.columns))]
    assert names[0] == "财政拨款“三公”经费 / 合计 / 预算数"
    assert names[1] == "财政拨款“三公”经费 / 合计 / 决算数"
    assert printed(t, "", "公务接待费 / 预算数") == "0.95"
    assert printed(t, "", "合计 / 决算数") == ""


def test_empty_tables():
    d = doc(JUSTICE)
    t = table(d, "预算单位政府性基金预算支出功能分类预算表")
    assert t.empty
    assert any("空表" in n for n in t.notes)
    assert not any(c.value is not None for r in t.rows for c in r.cells)
    s = table(doc(SOCIAL), "财政拨款“三公”经费支出决算表")
    assert s.empty and any("无数据" in n for n in s.notes)
    # a table whose note says 空表 but which prints values is not empty, and is reported
    w = doc(WANLI)
    t = table(w, "部门“三公”经费和机关运行经费预算表")
    assert not t.empty
    assert printed(t, "", "公务用车购置及运行费 / 购置费") == "25"
    assert any(x.startswith("page 31") and "marked empty" in x for x in w.warnings)


def test_template_is_not_a_budget():
    # a blank 部门决算 template (unit "上海市XX局") is refused, never indexed as a budget
    with pytest.raises(NotABudget, match="模板.*上海市XX局"):
        parse_file(NOT_BUDGETS / TEMPLATE)


def test_toc_and_cover_are_not_tables():
    d = doc(WANLI)  # its contents page is drawn with boxes
    assert all(t.page >= 10 for t in d.tables)
    assert any(s.heading == ["目录"] for s in d.sections)
    assert any(s.heading == ["封面"] and s.page == 1 for s in d.sections)


def test_metadata_dept_vs_unit():
    dept, unit = doc(COMMERCE).meta, doc(COMMERCE_UNIT).meta
    assert dept.entity == unit.entity == "上海市普陀区商务委员会"
    assert (dept.year, dept.kind, dept.level) == (2025, "预算", "部门")
    assert (unit.year, unit.kind, unit.level) == (2025, "预算", "单位")
    assert dept.doc_id != unit.doc_id
    j = doc(JUSTICE).meta
    assert (j.entity, j.year, j.kind, j.level, j.region) == ("上海市普陀区司法局", 2026, "预算", "单位", "上海市普陀区")
    f = doc(FINANCE).meta
    assert (f.entity, f.year, f.kind, f.level, f.region) == ("上海市普陀区财政局", 2024, "决算", "部门", "上海市普陀区")
    s = doc(SOCIAL).meta
    assert (s.entity, s.year, s.kind, s.level) == ("中共上海市普陀区委社会工作部", 2024, "决算", "部门")
    w = doc(WANLI).meta
    assert (w.entity, w.year, w.level, w.region) == ("上海市普陀区人民政府万里街道办事处", 2024, "部门", "上海市普陀区")
    assert doc(OFFICE).meta.pages == 22


def test_other_signs_are_aliases():
    """A unit that "加挂…牌子" (p.3: 加挂上海市普陀区经济委员会、上海市普陀区粮食和物资储备局牌子) answers to those names."""
    for name in (COMMERCE, COMMERCE_UNIT):
        aliases = doc(name).meta.aliases
        assert "上海市普陀区经济委员会" in aliases and "上海市普陀区粮食和物资储备局" in aliases
    assert {"上海市普陀区人民政府研究室", "上海市普陀区人民政府外事办公室",
            "上海市普陀区人民政府合作交流办公室"} <= set(doc(OFFICE).meta.aliases)
    assert not any("经济委员会" in a for a in doc(JUSTICE).meta.aliases)


def test_narrative_sections_have_pages():
    d = doc(JUSTICE)
    item = [s for s in d.sections if s.text.startswith("1、公共安全支出（204类）")]
    assert item and item[0].page == 6
    assert "1434.89万元" in item[0].text
    assert any("2026年单位预算编制说明" in h for h in item[0].heading)
    item13 = [s for s in d.sections if s.text.startswith("13、住房保障支出")]
    assert item13 and item13[0].page == 7


# ------------------------------------------------------------------ broken inputs

def test_corrupt_pdf(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf body\n%%EOF")
    with pytest.raises(ParseError) as info:
        parse_file(bad)
    assert "\n" not in str(info.value)
    trunc = tmp_path / "truncated.pdf"
    trunc.write_bytes((CORPUS / OFFICE).read_bytes()[:5000])
    with pytest.raises(ParseError):
        parse_file(trunc)
    notpdf = tmp_path / "fake.pdf"
    notpdf.write_bytes(b"hello, I am text")
    with pytest.raises(ParseError, match="not a PDF"):
        parse_file(notpdf)


def test_encrypted_pdf(tmp_path):
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    path = tmp_path / "locked.pdf"
    enc = pdfencrypt.StandardEncryption("secret-user", ownerPassword="secret-owner", strength=128)
    c = canvas.Canvas(str(path), encrypt=enc)
    c.drawString(100, 700, "budget 2025")
    c.save()
    with pytest.raises(ParseError, match="encrypted"):
        parse_file(path)


def _budget_page(path):
    """A reportlab page (CJK font built in) with a 部门支出预算总表 title, its 编制部门 and unit lines;
    the caller draws the table and saves."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=(842, 595))
    c.setFont("STSong-Light", 16)
    c.drawString(300, 540, "2030年部门支出预算总表")
    c.setFont("STSong-Light", 10)
    c.drawString(60, 515, "编制部门：某某市某某区测试局")
    c.drawString(700, 515, "单位：元")
    return c


def test_small_reportlab_table(tmp_path):
    """A PDF made here: ruled table, CJK font, sparse row, split codes."""
    path = tmp_path / "mini.pdf"
    c = _budget_page(path)
    xs = [60, 100, 140, 180, 400, 520, 640, 760]
    rows = [
        ["类", "款", "项", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "", "", "一般公共服务支出", "300.00", "100.00", "200.00"],
        ["201", "03", "", "政府办公厅事务", "300.00", "100.00", "200.00"],
        ["201", "03", "01", "行政运行", "100.00", "100.00", ""],
        ["201", "03", "02", "一般行政管理事务", "200.00", "", "200.00"],
        ["", "", "", "合计", "300.00", "100.00", "200.00"],
    ]
    top = 500
    h = 20
    for i in range(len(rows) + 1):
        c.line(xs[0], top - i * h, xs[-1], top - i * h)
    for x in xs:
        c.line(x, top, x, top - len(rows) * h)
    for i, r in enumerate(rows):
        for j, text in enumerate(r):
            if text:
                c.drawString(xs[j] + 4, top - (i + 1) * h + 6, text)
    c.showPage()
    c.save()
    d = parse_file(path)
    assert d.meta.year == 2030 and d.meta.level == "部门"
    t = d.tables[0]
    assert t.title == "部门支出预算总表" and t.unit == "元"
    assert [r.code for r in t.rows] == ["201", "20103", "2010301", "2010302", ""]
    assert printed(t, "2010302", "项目支出") == "200.00"
    assert printed(t, "2010302", "基本支出") == ""
    from budgetqa.checks import closure_checks

    checks = closure_checks(d)
    assert checks and all(c.closes for c in checks)


def test_unruled_table_columns_from_text_positions(tmp_path):
    """The same table printed without any ruling line: amounts right-aligned in their columns,
    blanks left empty; columns come from the positions of the text."""
    path = tmp_path / "unruled.pdf"
    c = _budget_page(path)
    rows = [
        ["科目编码", "科目名称", "合计", "基本支出", "项目支出"],
        ["201", "一般公共服务支出", "1,300.00", "100.00", "1,200.00"],
        ["20103", "政府办公厅事务", "1,300.00", "100.00", "1,200.00"],
        ["2010301", "行政运行", "100.00", "100.00", ""],
        ["2010302", "一般行政管理事务", "1,200.00", "", "1,200.00"],
        ["", "合计", "1,300.00", "100.00", "1,200.00"],
    ]
    for i, r in enumerate(rows):
        y = 490 - i * 20
        for j, text in enumerate(r):
            if text == "1,200.00" and j == 4 and i == 4:  # a number broken by a space: "1,200 .00"
                c.drawRightString(720 - c.stringWidth(".00", "STSong-Light", 10) - 9, y, "1,200")
                c.drawRightString(720, y, ".00")
            elif text and i > 0 and j >= 2:
                c.drawRightString([480, 600, 720][j - 2], y, text)
            elif text:
                c.drawString([60, 130, 440, 560, 680][j], y, text)
    c.showPage()
    c.save()
    d = parse_file(path)
    t = d.tables[0]
    assert t.title == "部门支出预算总表" and t.unit == "元" and t.kind == "支出总表"
    assert t.columns == [("合计",), ("基本支出",), ("项目支出",)]
    assert [r.code for r in t.rows] == ["201", "20103", "2010301", "2010302", ""]
    assert printed(t, "2010302", "项目支出") == "1,200.00"  # printed "1,200 .00"
    assert printed(t, "2010302", "基本支出") == ""
    assert printed(t, "2010301", "项目支出") == ""
    assert any("without ruling lines" in w for w in d.warnings)


@pytest.mark.parametrize("name, figures", [
    # read from the page images (p6, 4. 一般公共预算“三公”经费支出表: one line of amounts, no label)
    ("北岭区司法局2026年单位预算.pdf", ["7.46", "0.00", "6.43", "0.00", "6.43", "1.03"]),
    ("红岩区人力资源和社会保障局2026年部门预算.pdf", ["6.21", "0.00", "5.03", "0.00", "5.03", "1.18"]),
])
def test_unruled_table_whose_items_are_columns(name, figures):
    """A 三公 table without vertical rules: one line of amounts under a two-level header whose
    parent (公务用车购置及运行费) spans 小计/购置费/运行费; every column is named, every amount read."""
    d = parse_file(Path("tests/fixtures/layouts") / name)
    t = next(t for t in d.tables if "三公" in t.title)
    assert t.columns == [("合计",), ("因公出国（境）费",), ("公务用车购置及运行费", "小计"),
                         ("公务用车购置及运行费", "公务用车购置费"), ("公务用车购置及运行费", "公务用车运行费"),
                         ("公务接待费",)]
    assert [[c.printed for c in r.cells] for r in t.rows] == [figures]
    assert not any("looks like a table" in w for w in d.warnings)
