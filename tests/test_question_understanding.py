"""Questions the corpus cannot answer must say so, never borrow a neighbouring figure."""
from __future__ import annotations

from decimal import Decimal

import pytest

from budgetqa.query.asking import ask_of, asked_count, printed_words
from budgetqa.query.operation import parse_operation


@pytest.mark.parametrize("question, named", [
    ("火星市12345热线中心2024年公积金多少", "火星市"),      # a place no document names
    ("杭州市12345中心2024年预算", "杭州市"),
    ("普陀区教育局2025年部门预算总额是多少？", "教育局"),  # a unit of a known district that we do not have
    # 泉州 has only its 12345 center and 司法局 is 普陀's: 泉州市司法局 is neither
    ("泉州市司法局2026年的普法宣传支出是多少？", "泉州市司法局"),
    ("固原市商务委员会2025年部门预算是多少？", "固原市商务委员会"),
    # a subordinate office named right after a unit we have: no document gives its own figures
    ("普陀区司法局司法所2026年的支出预算是多少？", "司法所"),
])
def test_unknown_units_are_not_found(engine, question, named):
    result = engine.ask(question)
    assert result.status == "not_found" and named in result.text
    assert result.value is None


def test_a_unit_shortened_by_leaving_out_a_middle_word(engine):
    """"海洋预报中心" for 上海市海洋监测预报中心 (p.7 of its budget: 一般公共预算 178,830,483 元)."""
    result = engine.ask("海洋预报中心2026年一般公共预算收入是多少")
    assert result.status == "answered" and result.value == Decimal("178830483") and result.unit == "元"


def test_a_level_as_a_multiple_of_the_base_a_stated_change_leaves(engine):
    """商务委 2025 部门预算 p.7: "支出预算37,151.47万元……比2024年预算增加24,491.71万元": 37151.47 ÷ 12659.76."""
    result = engine.ask("商务委2025年部门预算支出是2024年预算的几倍？")
    assert result.status == "answered" and result.unit == "倍"
    assert abs(result.value - Decimal("2.93")) < Decimal("0.005")


def test_the_whole_a_question_states_never_answers_its_part(engine):
    """商务委 2025 prints 2169999 其他商业服务业等支出 31,364,000 元 whole (its 说明: "主要用于标准化菜场
    及副食品行业管理"), no 标准化菜场 line of its own."""
    result = engine.ask("商务委其他商业服务业等支出那3136.4万元里，标准化菜场具体分到多少？")
    assert result.status == "not_found" and result.value is None


def test_a_hotline_number_without_a_place_fits_every_centre_it_names(engine):
    """2024: 固原市12345便民服务中心 (差旅费 1.00 万元, line 223) and 福建省12345政务服务便民热线中心
    (2 万元): "12345热线中心" names both, so which is asked."""
    result = engine.ask("2024年12345热线中心的差旅费预算是多少？")
    assert result.status == "ambiguous"
    assert {"固原", "福建"} <= {name for name in ("固原", "福建") if name in result.text}


def test_a_stated_change_never_answers_a_level(engine):
    # 泉州 2026 says "本单位增加2名在职人员" (line 273) but never states its staff count
    result = engine.ask("泉州热线中心有多少在职人员？")
    assert result.status == "not_found"


def test_a_share_of_a_part_named_within_its_whole(engine):
    # 司法局 2026 p21: "政府采购预算1484.2万元，其中：…政府采购服务预算1446.32万元" — 97.45 %, not the 1446.32 万元
    result = engine.ask("司法局2026年政府采购预算里服务类占多大比重？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("97.45"), "%")
    assert sorted(c.fact.printed for c in result.citations) == ["1446.32", "1484.2"]


@pytest.mark.parametrize("question, value, printed", [
    # 区政府办公室 2025 p19, 基本支出经济分类表 合计 row: 24,606,775.35 | 人员经费 22,473,997.81 |
    # 公用经费 2,132,777.54 — 2,132,777.54 ÷ 24,606,775.35 = 8.67 %
    ("区政府办公室2025年一般公共预算基本支出中，公用经费占几成？", "8.67", ["2,132,777.54", "24,606,775.35"]),
    ("区政府办公室2025年一般公共预算基本支出里，人员经费占几成（百分比）？", "91.33", ["22,473,997.81", "24,606,775.35"]),
])
def test_a_breakdowns_share_of_the_whole_it_breaks_down(engine, question, value, printed):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), "%")
    assert sorted(c.fact.printed for c in result.citations) == printed


def test_an_item_the_document_lacks_is_not_its_total(engine):
    result = engine.ask("泉州12345中心2026年购买火星探测器花了多少钱？")
    assert result.status == "not_found"  # not the 1182.04 万元 total


def test_a_sentence_on_the_total_does_not_answer_an_item_it_never_names(engine):
    # 司法局 2026 names 法律援助 only among its duties (p3) and prints no figure for it; p6's
    # "支出预算8695.94万元" is the whole budget
    result = engine.ask("普陀区司法局2026年法律援助的支出预算有多少？")
    assert result.status == "not_found" and result.value is None


def test_a_count_of_one_kind_of_staff_is_not_another_kinds(engine):
    # 固原 2024 L47: "全额预算编制6名 … 实有6人"; its 外聘 staff (28) are only named inside a
    # performance indicator's text (L303), so the 6 on staff must not answer for them
    result = engine.ask("固原12345便民服务中心外聘了多少人？")
    assert not (result.status == "answered" and result.value == Decimal("6"))
    # the kinds the document does state still answer: 编制 6 名 (L47)
    staffed = engine.ask("固原12345便民服务中心有几个编制？")
    assert staffed.status == "answered" and (staffed.value, staffed.unit) == (Decimal("6"), "人")


def test_punctuation_only(engine):
    assert engine.ask("？？？").status == "not_found"


def test_a_year_given_for_one_of_several_units(engine):
    # 三明 has 2023 决算 and 2025 预算; the year qualifies 三明 only, 福建/泉州/固原 have one document each
    result = engine.ask("福建省、固原、泉州、三明（2025年）这四家12345中心的支出预算，哪家最高？")
    assert (result.value, result.unit) == (Decimal("1182.04"), "万元")  # 泉州 2026 支出合计 (line 107)
    assert len(result.citations) == 4


def test_a_question_is_parsed_once_into_the_model_terms(engine):
    from budgetqa.query.question import parse_query

    query = parse_query("普陀区司法局2026年基本支出中的人员经费是多少万元？", engine.entities)
    assert [m.entity for m in query.match.docs] == ["上海市普陀区司法局"]
    assert query.match.years == [2026] and query.unit == "万元"
    assert query.measures == {"人员经费"} and not query.follow_up  # the part named inside 基本支出
    first = engine.ask("三明热线2025年住房公积金多少？")
    follow = parse_query("那2023年呢？", engine.entities, first.context)
    assert follow.follow_up and "住房公积金" in follow.item_text and follow.match.years == [2023]


def test_a_question_naming_only_a_measure_gets_that_columns_total(engine):
    # 司法局 2026 p19, 基本支出 economic table: 合计 22,118,861.34 | 人员经费 20,272,981.00 | 公用经费 1,845,880.34
    result = engine.ask("普陀区司法局2026年人员经费多少？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("20272981"), "元")
    cited = result.citations[0].fact
    assert (cited.printed, cited.measure, cited.page) == ("20,272,981.00", "人员经费", 19)


@pytest.mark.parametrize("named, measure, table_kind, doc_kind, fits", [
    ("人员经费", "人员经费", "一般公共预算基本支出表", "预算", True),
    ("人员经费", "公用经费", "一般公共预算基本支出表", "预算", False),
    ("决算数", "合计", "支出总表", "决算", True),       # a 决算 document's own 合计 column
    ("决算数", "本年预算", "三公经费表", "决算", False),  # the 预算数 beside it
    ("基本支出", "本年预算", "一般公共预算基本支出表", "预算", True),
    ("年初预算", "本年预算", "收支总表", "决算", False),
])
def test_which_cells_hold_a_named_measure(named, measure, table_kind, doc_kind, fits):
    from budgetqa.model import standard

    assert standard.answers_measure(named, measure, table_kind, doc_kind) is fits


def test_department_named_anywhere_picks_the_department_document(engine):
    # "部门收入预算": 部门 names the 部门预算 (商务委员会25年预算.pdf, p9 收入总计 371,514,655.00 元), not the 单位预算
    result = engine.ask("商务委2025年部门收入预算是多少？")
    assert result.status == "answered"
    assert {c.fact.source for c in result.citations} == {"上海市普陀区商务委员会25年预算.pdf"}
    assert result.citations[0].fact.printed == "371,514,655.00"


@pytest.mark.parametrize("question, value, unit, where", [
    # 固原 2024 budget, line 104: 2101103 公务员医疗补助 | 2023年执行数(决算数) 0.76 — no 2023 document needed
    ("固原12345中心公务员医疗补助（2101103）2023年执行数是多少万元？", "0.76", "万元", ("line", 104)),
    # 司法局 2026, page 6: "2025年当年预算执行数为3269.3万元"
    ("司法局“其他司法支出”2025年当年预算执行数是多少万元？", "3269.3", "万元", ("page", 6)),
    # 社会工作部 2024 决算, page 19: "全年预算为 9.00 万元，支出决算为 6.18 万元" (not the 决算 6.18)
    ("社会工作部2024年机关事业单位基本养老保险缴费的全年预算是多少万元？", "9.00", "万元", ("page", 19)),
    # 商务委 2025 部门预算, page 26: "进博会推进专项153.00万" (万 without 元); the 单位预算 lacks it
    ("商务委2025年贸易高质量发展专项里给进博会推进专项安排了多少钱？", "153.00", "万元", ("page", 26)),
    # 固原 2024, line 106: 购房补贴 | 3.17 | 5.00 … | 增减额 1.83 — the 增减 column, not the level 5.00
    ("固原12345中心2024年部门预算购房补贴增减是多少？", "1.83", "万元", ("line", 106)),
    # 三明 2023 决算, line 271: "30103 奖金 15.57" in the 人员经费 column — not 人员经费合计 146.44
    ("三明热线2023年决算里奖金这一项的人员经费是多少？", "15.57", "万元", ("line", 271)),
    # 万里街道 2024 p30: "303 02 退休费 254,940" — an economic item, not the function row 事业单位离退休
    ("万里街道2024年退休费的基本支出是多少元？", "254940", "元", ("page", 30)),
    # 社会工作部 2024 决算: "开支" is 支出 — p8 支出决算表 合计 · 项目支出 202.24, not 本年支出合计 307.82
    ("中共普陀区委社会工作部2024年的项目开支决算是多少？", "202.24", "万元", ("page", 8)),
])
def test_the_column_or_sentence_the_question_names(engine, question, value, unit, where):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), unit)
    assert getattr(result.citations[0].fact, where[0]) == where[1]


def test_a_breakdown_printed_as_a_row_holds_its_measure(engine):
    # 财政局 2024 决算 p17 prints 人员经费/公用经费 as rows of the 基本支出决算表:
    # "人员经费合计 2,152.26 公用经费合计 184.65" — 2152.26 − 184.65 = 1967.61
    result = engine.ask("财政局2024年决算的公用经费合计比人员经费合计少多少万元？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("1967.61"), "万元")
    assert {c.fact.page for c in result.citations} == {17}


@pytest.mark.parametrize("question, value, lines", [
    # 泉州 2026: one 绩效目标表 per project, titled by it; "资金总额: 175.09" (line 353), "57.00" (line 339)
    ("泉州12345中心2026年给话务场地租赁安排了多少万元？", "175.09", {353}),  # the total, not "财政拨款:"
    ("泉州热线2026年话务场地租赁和96196电梯应急处置平台这两个项目一共多少万元？", "232.09", {339, 353}),
])
def test_a_project_named_by_its_tables_title(engine, question, value, lines):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), "万元")
    assert {c.fact.line for c in result.citations} == lines


def test_a_project_named_in_its_forms_name_row(engine):
    # 三明 2023 决算 L533: "专项名称 | 2022 年三明市 12345 平台热线外包服务运营费"; L538 年度资金总额 ·
    # 全年执行数 31.23 (the same form's other projects: 2.29, 19.35, 196.49)
    result = engine.ask("三明热线2023年决算里，2022年平台热线外包服务运营费这个专项全年执行数是多少万元？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("31.23"), "万元")
    assert [c.fact.line for c in result.citations] == [538]
    assert "外包服务运营费" in result.text.splitlines()[0]  # the answer names the project


def test_projects_named_alike_are_a_choice_not_a_pick(engine):
    # 三明 2023 决算 prints one 绩效自评表 per project; "2023 年度热线外包服务运营经费" (L560, 全年执行数
    # 19.35 at L566) and "2023 年度三明市 12345 …热线外包服务运营经费" (L590, 196.49 at L596) both fit
    result = engine.ask("三明热线2023年决算里外包服务运营经费的全年执行数是多少？")
    assert result.status == "ambiguous" and result.value is None
    assert {566, 596} <= {c.fact.line for c in result.citations}


@pytest.mark.parametrize("question, value, page", [
    # 万里街道 2024 p30, 基本支出经济分类表 合计: 99,706,020 | 人员经费 88,537,451 | 公用经费 11,168,569
    ("万里街道2024年的办公经费（公用经费）安排了多少元？", "11168569", 30),
    # 司法局 2026 p19, same table: 合计 22,118,861.34 | 人员经费 20,272,981.00 | 公用经费 1,845,880.34
    ("司法局2026年的工资开销（人员经费）安排了多少元？", "20272981.00", 19),
])
def test_a_term_glossed_in_brackets_is_what_is_asked(engine, question, value, page):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), "元")
    assert [c.fact.page for c in result.citations] == [page]


@pytest.mark.parametrize("question, value", [
    # 社会工作部 2024 决算 p19: "全年预算为9.00万元，支出决算为6.18万元" — 6.18 ÷ 9.00 = 68.67 %
    ("社会工作部2024年机关事业单位基本养老保险缴费的决算完成了全年预算的百分之几？", "68.67"),
    # 财政局 2024 决算 p22 (行政运行): "年初预算为1560.05万元，支出决算为1511.89万元" — 96.91 %
    ("财政局2024年行政运行决算完成了年初预算的百分之多少？", "96.91"),
])
def test_the_share_of_its_budget_a_final_figure_completes(engine, question, value):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), "%")
    assert len(result.citations) == 2


def test_headers_naming_an_earlier_year_are_last_years_figures():
    from budgetqa.model import standard

    assert standard.measure(("2023年执行数(决算数)",), "预算", 2024) == "上年执行数"
    assert standard.measure(("2024年预算数", "合计"), "预算", 2024) == "合计"
    assert standard.measure(("2023年执行数(决算数)",), "预算") == "执行数"  # the document's year unknown
    assert standard.named_measures("2024年机关事业单位基本养老保险缴费的全年预算") == {"调整预算"}


@pytest.mark.parametrize("question, value, page, larger", [
    # 财政局 2024 决算 p22: "信息化建设（项）。年初预算为135.90万元，支出决算为135.25万元。"
    ("财政局2024年信息化建设决算比年初预算少花了多少万元？", "0.65", 22, "年初预算"),
    # 司法局 2026 p6: "信息化建设（13项）…2025年当年预算执行数为60.41万元，2026年预算安排227.88万元"
    ("普陀司法局2026年信息化建设预算比2025年执行数多了多少万元？", "167.47", 6, "2026年预算安排"),
    # 万里街道 2024 p8: "公益性岗位补贴（项）”…2023年当年预算执行数为389.59万元，2024年预算安排421.23万元"
    ("万里街道公益性岗位补贴2024年预算比2023年执行数增加了多少万元？", "31.64", 8, "2024年预算安排"),
])
def test_a_change_between_two_figures_one_sentence_states(engine, question, value, page, larger):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), "万元")
    assert {c.fact.page for c in result.citations} == {page} and len(result.citations) == 2
    assert f"{larger}多 {value} 万元" in result.text  # the larger named, both values given


@pytest.mark.parametrize("question, value, unit, documents", [
    # 万里街道 2024 p31 机关运行经费 443.18 万元 vs 区政府办公室 2025 p20 213.28 万元
    ("万里街道2024年和区政府办公室2025年，谁的机关运行经费预算更高？是多少？", "443.18", "万元", 2),
    # 司法局 2026 p21 政府采购预算 1484.2 万元 − 商务委 2025 部门 p22 38.20 万元 (部门 qualifies 商务委 only)
    ("司法局2026年的政府采购预算比商务委2025年（部门）多多少万元？", "1446", "万元", 2),
    # 商务委 2025: 部门 p9 and 单位 p9 both print 支出总计 371,514,655.00 元
    ("普陀商务委2025年的部门预算和单位预算，支出总计相差多少元？", "0", "元", 2),
    # 三明 2025 预算 三公 1.50 万元 (line 665) vs 2023 决算 0.10 万元 ("预算" qualifies 2025 only)
    ("三明12345中心2025年“三公”经费预算比2023年实际花的多多少？", "1.4", "万元", 2),
    # asked in 元: 司法局 p19 公务接待费 7,315.00 元 + 商务委单位 p20 10,000.00 元, not the 三公
    # tables' 0.73 + 1.00 万元 (p21, p22) converted to a false 17,300 元
    ("司法局2026年和商务委2025年单位预算的公务接待费加起来是多少元？", "17315", "元", 2),
])
def test_comparisons_across_documents(engine, question, value, unit, documents):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), unit)
    assert len({c.fact.doc_id for c in result.citations}) == documents


def test_a_figure_stated_unchanged_is_a_change_of_zero(engine):
    # 区政府办公室 2025 p21: "（三）公务接待费28.50万元，与2024年预算持平。" — not the level 28.50
    result = engine.ask("区政府办公室2025年公务接待费比上年增加了多少万元？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("0"), "万元")
    assert [c.fact.page for c in result.citations] == [21]


def test_which_is_larger_and_by_how_much_names_the_larger(engine):
    # 公务接待费: 商务委单位 p20 10,000.00 元, 司法局 p19 7,315.00 元 — the question names 司法局 first
    result = engine.ask("司法局2026年和商务委2025年单位预算相比，谁的公务接待费更多？多多少元？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("2685"), "元")
    assert result.text.splitlines()[0].startswith("上海市普陀区商务委员会 2025年 单位预算 比 上海市普陀区司法局")


@pytest.mark.parametrize("question, value, unit, larger", [
    # 司法局 2026 p11 支出预算总表: 普法宣传 1,242,900.00, 信息化建设 2,278,800.00 元 (p6: 124.29 / 227.88 万元)
    ("司法局2026年普法宣传和信息化建设哪个多？多多少万元？", "103.59", "万元", "信息化建设"),
    # 区政府办公室 2025 p19 合计: 人员经费 22,473,997.81, 公用经费 2,132,777.54 元
    ("区政府办公室2025年人员经费和公用经费哪个高？", "20341220.27", "元", "人员经费"),
    # "分别是多少" in one document: each figure, never one of them alone — 司法局 2026 p12 合计 row:
    # 基本支出 22,118,861, 项目支出 64,840,547.00 元; p12 221 住房保障支出 3,861,459.00 (a 和 in 社会保障和就业 splits nothing)
    ("司法局2026年基本支出和项目支出分别是多少？", "42721686", "元", "项目支出"),
])
def test_which_of_two_items_is_larger(engine, question, value, unit, larger):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), unit)
    assert f"；{larger}多" in result.text.splitlines()[0] and len(result.citations) == 2


def test_last_years_level_from_a_stated_change(engine):
    # 泉州 2026 line 273: "单位收入预算为1182.04万元，比上年增加51.77万元" and no 上年 column: 1182.04 − 51.77
    result = engine.ask("泉州热线2026年的上年（2025年）收入预算是多少？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("1130.27"), "万元")
    assert {c.fact.line for c in result.citations} == {273}


def test_a_measure_compared_across_documents_is_each_ones_total(engine):
    # 司法局 2026 p19 人员经费 20,272,981.00 元; 商务委 2025 (部门 p20 and 单位 p20 print the same) 18,120,593.00 元
    result = engine.ask("司法局2026年人员经费比商务委2025年多多少元？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("2152388"), "元")


@pytest.mark.parametrize("question", [
    "固原12345中心2023年人员经费是多少？",       # 固原 has only its 2024 budget: its 人员支出 245.73 is 2024's
    "泉州热线2025年项目支出执行数是多少？",      # 泉州 2026 prints no 2025 项目支出: not its 2026 1011.95
])
def test_the_year_before_is_never_answered_with_this_years_figure(engine, question):
    assert engine.ask(question).status == "not_found"


def test_a_change_between_unnamed_units_is_not_computed(engine):
    result = engine.ask("2025年预算比2024年增长了百分之几？")  # no unit named: nothing to compare
    assert result.status != "answered"


@pytest.mark.parametrize("question, value, unit, row", [
    # an item word the unit's name shares: 社工部 2024 决算, 支出决算表 p8, 20139 社会工作事务 基本支出 62.63
    ("普陀区委社会工作部2024年决算中社会工作事务的基本支出是多少？", "62.63", "万元", "社会工作事务"),
    # 司法局 2026, 预算单位支出预算总表 p11, 20406 司法 基本支出 14,348,853.34
    ("普陀区司法局2026年单位预算司法基本支出是多少？", "14348853.34", "元", "司法"),
])
def test_an_item_named_like_the_unit_is_still_the_item(engine, question, value, unit, row):
    result = engine.ask(question)
    assert (result.status, result.value, result.unit) == ("answered", Decimal(value), unit)
    assert result.citations[0].fact.row_label == row


@pytest.mark.parametrize("question, value", [
    # 万里街道 2024, 部门收入预算总表 p12: 20499 其他公共安全支出 1,333,000 (its class 204 公共安全支出 1,633,000)
    ("万里街道2024年部门预算其他公共安全支出是多少？", "1333000"),
    # p14 of the same table: 21205 城乡社区环境卫生 5,993,300 (its class 212 城乡社区支出 119,385,303)
    ("万里街道2024年城乡社区环境卫生预算是多少元？", "5993300"),
])
def test_a_row_named_in_full_is_not_its_parent(engine, question, value):
    result = engine.ask(question)
    assert (result.status, result.value, result.unit) == ("answered", Decimal(value), "元")


def test_an_economic_item_of_basic_spending_is_found_below_the_spending_totals(engine):
    # 司法局 2026, 基本支出经济分类预算表 p19: 30226 劳务费 30,000.00 (the whole table is 基本支出)
    result = engine.ask("普陀区司法局2026年劳务费基本支出是多少元？")
    assert (result.status, result.value, result.unit) == ("answered", Decimal("30000.00"), "元")


def test_words_of_one_units_mention_do_not_name_another(engine):
    # "固原便民中心": 便民中心 also ends 福建省12345政务服务便民中心 (an alias of 福建's centre), but here it
    # continues 固原's name; 固原 2024 line 117: 301 一、工资福利支出 245.73 (万元)
    result = engine.ask("固原便民中心2024年工资福利支出是多少？")
    assert (result.status, result.value, result.unit) == ("answered", Decimal("245.73"), "万元")
    assert {c.fact.entity for c in result.citations} == {"固原市12345便民服务中心"}


def test_a_topic_table_answers_only_its_topic(engine):
    # 三明 2023 决算: 一般公共预算拨款支出 402.64 万元 (line 220, 财政拨款收入支出决算总表 本年支出合计); the
    # 一般公共预算财政拨款“三公”经费支出决算表 (line 315) has 合计 0.10, which answers only a 三公 question
    result = engine.ask("三明热线2023年决算一般公共预算拨款支出是多少？")
    assert (result.status, result.value, result.unit) == ("answered", Decimal("402.64"), "万元")
    sangong = engine.ask("三明热线2023年决算三公经费合计是多少？")
    assert (sangong.status, sangong.value, sangong.unit) == ("answered", Decimal("0.10"), "万元")


@pytest.mark.parametrize("question, value, unit", [
    # across documents: 泉州 2026 收入合计 1182.04 (line 107) ÷ 福建 2024 收入合计 267.58 (line 105) = 441.75 %
    ("泉州热线2026年的收入合计是福建省热线中心2024年的百分之几？", "441.75", "%"),
    # one document: 福建 2024 支出合计 267.58 (line 105) ÷ 221 住房保障支出 20.68 (line 133) = 12.94 倍
    ("福建省热线中心2024年支出合计是住房保障支出的几倍？", "12.94", "倍"),
])
def test_a_ratio_is_a_quotient_not_a_change(engine, question, value, unit):
    result = engine.ask(question)
    assert (result.status, result.value, result.unit) == ("answered", Decimal(value), unit)


def test_each_unit_keeps_the_year_named_with_it(engine):
    # 办公室 2025 部门支出预算总表 p11: 208 社会保障和就业支出 4,213,779.28 元; 三明 has 2023 决算 and 2025
    # 预算, and the 2023 one is named: line 144, 208 社会保障和就业支出 24.67 万元 -> 3,967,079.28 元 more
    result = engine.ask("普陀区办公室2025年的社会保障和就业支出比三明热线2023年多多少元？")
    assert (result.status, result.value, result.unit) == ("answered", Decimal("3967079.28"), "元")
    assert {c.fact.year for c in result.citations} == {2025, 2023}


def test_a_unit_named_right_after_a_document_kind_is_named(engine):
    # "部门预算和泉州…": 商务委 2025 部门 p11, 2101102 事业单位医疗 249,862.00 元 + 泉州 2026 line 130,
    # 2101102 事业单位医疗 4.85 万元 = 298,362.00 元
    result = engine.ask("普陀区商务委员会2025年部门预算和泉州12345政务服务便民热线中心2026年的事业单位医疗加起来一共多少元？")
    assert (result.status, result.value, result.unit) == ("answered", Decimal("298362.00"), "元")


@pytest.mark.parametrize("question, value, unit, table", [
    # 司法局 2026: 公务接待费 is printed twice — 7,315.00 元 in the 基本支出经济分类预算表 (p19, 30217) and
    # 0.73 万元 in the “三公”经费和机关运行经费预算表 (p20); the table the question names decides
    ("普陀区司法局2026年经济分类表里公务接待费是多少？", "7315.00", "元", "预算单位一般公共预算基本支出部门预算经济分类预算表"),
    ("普陀区司法局2026年三公经费表中公务接待费是多少？", "0.73", "万元", "单位“三公”经费和机关运行经费预算表"),
])
def test_the_table_a_question_names_is_the_one_cited(engine, question, value, unit, table):
    result = engine.ask(question)
    assert (result.status, result.value, result.unit) == ("answered", Decimal(value), unit)
    assert result.citations[0].fact.table == table


def test_a_sum_keeps_a_classification_name_with_and_whole(engine):
    # 三明 2025 一般公共预算支出经济分类情况表: 301 工资福利支出 139.99 (line 415) + 302 商品和服务支出 7.88
    # (line 417) = 147.87 万元; "商品和服务支出" is one item, not 商品 + 服务支出
    result = engine.ask("三明热线2025年工资福利支出和商品和服务支出合计多少万元？")
    assert (result.status, result.value, result.unit) == ("answered", Decimal("147.87"), "万元")
    assert {c.fact.row_code for c in result.citations} == {"301", "302"}


def test_a_part_of_the_year_is_answered_only_by_a_figure_for_it(engine):
    # 商务委 2025: the 商业创新专项 is stated for the year (1410 万元 …), never for a quarter
    result = engine.ask("商务委2025年商业创新专项第一季度的资金是多少？")
    assert result.status == "not_found" and result.value is None


def test_how_much_money_a_part_takes_is_an_amount_not_a_share(engine):
    # 司法局 2026 p21: "…其中：…政府采购服务预算1446.32万元"
    result = engine.ask("司法局2026年政府采购预算里服务类占多少钱？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("1446.32"), "万元")


@pytest.mark.parametrize("text, printed", [
    ("一年总共进账多少钱", "一年总共收入多少钱"),
    ("应急救援这块原本打算花多少钱", "应急救援这块预算多少钱"),
    ("财政拨款实际花掉的钱,比年初定下的预算多出多少", "财政拨款实际花掉的钱,比年初预算多出多少"),
    ("自己开展业务挣了多少钱", "自己开展业务收入多少钱"),
    ("实际花了多少", "实际花了多少"),  # what was spent stays spending
    # the units a department comprises: the templates' 单位构成 / "纳入…编制范围的单位", said once
    ("部门预算包括哪些单位", "部门预算包括哪些单位（单位构成，纳入范围）"),
    ("部门预算由几家单位组成", "部门预算由几家单位（单位构成，纳入范围）"),
    ("部门预算包括哪些单位（单位构成，纳入范围）", "部门预算包括哪些单位（单位构成，纳入范围）"),
])
def test_everyday_words_put_as_the_documents_print_them(text, printed):
    assert printed_words(text) == printed


@pytest.mark.parametrize("text, change", [
    ("机关运行经费比2023年度少了多少", True),  # a change said in everyday words
    ("比上年多了多少", True),
    ("机关运行经费少了多少钱", False),  # no base compared with: no change asked
])
def test_a_change_said_as_less_or_more_than(text, change):
    assert ask_of(text).change is change


@pytest.mark.parametrize("question, counted", [
    ("有多少已经离退休的人员？", "人"), ("手里一共有几辆车？", "辆"), ("国内公务接待共有多少批次？", "批次"),
    ("人员经费有多少？", ""), ("有多少人员经费？", ""),  # money of people, no count
])
def test_the_count_a_question_asks(question, counted):
    assert asked_count(question) == counted


def test_a_stock_counted_at_a_date_and_the_unit_counted_name_no_item():
    assert ask_of("到2024年底,手里一共有几辆车?").specific == ()
    assert ask_of("一年来馆借书的读者有多少人次?").specific == ("来馆", "借书", "读者")


@pytest.mark.parametrize("item_text, item, completion", [
    # the units' names taken out, as parse_query passes the text
    ("一般公共预算支出比上年的增减率,(2026年比2025年)比(2025年比2024年)高几个百分点?", "一般公共预算支出", False),
    ("(2026年比2025年)与(2025年比2024年)的一般公共预算支出合计增减率相差几个百分点?", "一般公共预算支出合计", False),
    ("三公经费财政拨款支出决算的预算完成率,2025年度比2024年度高几个百分点?", "三公经费财政拨款支出决算", True),
])
def test_two_units_rates_compared_are_a_gap_of_their_own_rates(item_text, item, completion):
    operation = parse_operation(item_text, item_text, True, "")
    assert (operation.kind, operation.items, operation.completion, operation.as_rate) == ("rate_gap", (item,), completion, not completion)


def test_a_name_several_units_share_beside_one_named_is_a_choice(engine):
    # the corpus has three 无锡 units (交通运输局, 统计局, 人社局): which one is compared with 福州市民政局
    # is the reader's to say, never a figure of one of them picked (nor the comparison dropped)
    result = engine.ask("无锡的“三公”经费比福州市民政局2026年多多少？")
    assert result.status == "ambiguous" and result.value is None
    assert all(name in result.text for name in ("无锡市交通运输局", "无锡市统计局", "无锡市人力资源和社会保障局"))
    assert {c.label.split(" ")[0] for c in result.candidates} == {
        "无锡市交通运输局", "无锡市统计局", "无锡市人力资源和社会保障局"}


@pytest.mark.parametrize("question, value, row", [
    # 福建省 2024 prints 住房公积金 twice: 30113 in its 经济分类 table (line 239, 11.99) and 2210201 in
    # its 支出预算总表 (line 135, 20.68, all funds); named, the classification decides (unnamed: both offered)
    ("按经济分类，福建省12345热线中心2024年住房公积金预算是多少？", "11.99", "30113 住房公积金"),
    ("按功能分类，福建省12345热线中心2024年住房公积金预算是多少？", "20.68", "2210201 住房公积金"),
])
def test_the_classification_named_decides_between_namesakes(engine, question, value, row):
    result = engine.ask(question)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), "万元")
    assert result.citations[0].fact.row == row


@pytest.mark.parametrize("question, named", [
    # 财政局 has only its 2024 决算: compared "2026年…预算", it has nothing to compare
    ("普陀区财政局和普陀区司法局2026年的三公经费预算相差多少？", "上海市普陀区财政局"),
    # a year after units joined by 和 is each one's: 司法局 has no 2025 document
    ("普陀区司法局和普陀区商务委员会2025年的三公经费预算哪个多？", "上海市普陀区司法局"),
])
def test_units_compared_each_need_the_document_asked(engine, question, named):
    result = engine.ask(question)
    assert result.status == "not_found" and named in result.text and result.value is None


@pytest.mark.parametrize("traditional, value, unit", [
    # 司法局 2026 p20: "三公"经费预算数 合计 10.71 万元; 财政局 2024 决算 p7: 支出 总计 2,995.39 万元
    ("普陀區司法局2026年三公經費是多少", "10.71", "万元"),
    ("普陀區財政局2024年決算支出總計", "2995.39", "万元"),
    ("普陀區司法局2026年三公经费是多少", "10.71", "万元"),  # one traditional character among simplified ones
])
def test_a_question_typed_in_traditional_characters(engine, traditional, value, unit):
    result = engine.ask(traditional)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal(value), unit)


def test_a_character_the_names_print_is_kept_as_typed():
    from budgetqa.query.question import in_simplified
    assert in_simplified("乾县财政局2026年预算", known="乾县财政局") == "乾县财政局2026年预算"  # a county's own name
    assert in_simplified("乾縣財政局2026年預算", known="乾县财政局") == "乾县财政局2026年预算"  # typed traditional
    assert in_simplified("普陀區司法局", known="普陀区司法局") == "普陀区司法局"  # one traditional character


@pytest.mark.parametrize("question", [
    # 司法局 2026 p21: "（三）公务接待费0.73万元。与2025年预算数持平，主要原因是业务量无变化。" — the next sentence says it
    "普陀司法局2026年公务接待费比2025年少了多少",
    # p21: "2026年“三公”经费预算数为10.71万元，与2025年预算数持平。" — a rate asked of it is 0 too
    "普陀司法局2026年三公经费比上年增长多少",
    "普陀司法局2026年三公经费较上年变化",
])
def test_a_figure_said_unchanged_changed_by_nothing(engine, question):
    result = engine.ask(question)
    assert result.status == "answered" and result.value == 0
    assert any("持平" in c.fact.quote for c in result.citations)


def test_income_asked_is_never_read_on_the_spending_side(engine):
    # 财政局 2024 决算 p13 财政拨款收入支出决算总表: 收入 本年收入合计 2,940.05 (its 支出 side prints the same sum)
    result = engine.ask("普陀财政局2024年财政拨款收入有多少")
    assert result.status == "answered" and result.value == Decimal("2940.05")
    assert all(c.fact.part != "支出" for c in result.citations)


def test_a_sentences_item_after_the_units_own_name_and_year(engine):
    # 财政局 2024 决算 p24 "…2024年度政府采购金额（以合同签订为准）为251.25万元，其中：…服务采购金额246.47万元";
    # 社会工作部 p22 "…2024 年度政府采购金额（以合同签订为准）为 21.07 万元" — never a 中小企业 sentence's 采购金额
    result = engine.ask("2024年普陀区财政局和区委社会工作部的政府采购金额差多少？")
    assert result.status == "answered" and result.value == Decimal("230.18")


def test_a_row_said_in_pieces_skips_no_word_between_them(engine):
    # 万里街道 2024 p33: "第一季度用款计划158.05万元…" of 社区公共服务中心新建工程 — not 2100717 计划生育服务
    # (计划 and 服务 are said, 生育 between them is not)
    result = engine.ask("万里街道社区公共服务中心新建工程，2024年每个季度计划用款多少？")
    assert result.status == "answered" and result.value == Decimal("158.05")
    assert all("计划生育" not in c.fact.row_label for c in result.citations)


@pytest.mark.parametrize("typed", [
    "普陀司法局2026年公务接代费是多少",  # 接代 for 接待: a pinyin input method's slip
    "普陀司法局2026年公务接待废是多少",
])
def test_a_budget_word_typed_with_a_homophone(engine, typed):
    # 司法局 2026 p21: "（三）公务接待费0.73万元。"
    result = engine.ask(typed)
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("0.73"), "万元")


def test_words_that_are_no_slip_stay_as_typed():
    from budgetqa.query.spelling import respelled
    for text in ("普陀区司法局2026年信息化建设预算多少万元", "给员工发工资花了多少", "福建省12345中心2024年一般公共预算基本支出"):
        assert respelled(text) == text


@pytest.mark.parametrize("question, value", [
    # 泉州 2026 支出预算总表 line 128: 2010399 其他政府办公厅（室）及相关机构事务支出 小计 1011.95 万元 — a code
    # typed before the unit and year, or alone with its year (only this document prints it)
    ("2010399 泉州12345 2026", "1011.95"),
    ("2010399 2026", "1011.95"),
])
def test_a_code_typed_with_or_without_its_unit(engine, question, value):
    result = engine.ask(question)
    assert result.status == "answered" and result.value == Decimal(value)


def test_one_units_share_of_two_units_sum(engine):
    # 社工部 2024 决算: 机关运行经费支出10.23万元; 财政局 2024 决算 p24: 机关运行经费支出184.65万元 -> 5.25 %
    result = engine.ask("2024年社工部的机关运行经费占社工部加财政局两家合计的百分之几？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("5.25"), "%")


def test_a_ranking_said_first_place(engine):
    # 商务委 2025 部门支出预算总表 合计 项目支出 351,684,000 元, the largest of the four units named
    result = engine.ask("普陀区府办、商务委、司法局、万里街道，项目支出预算谁排第一？是多少万元？")
    assert result.status == "answered" and (result.value, result.unit) == (Decimal("35168.4"), "万元")


def test_one_units_years_are_not_summed_unless_asked(engine):
    # 三明 2023 决算 and 2025 预算 both print 一般公共预算 spending: no year said is a choice, not a sum
    assert engine.ask("三明市12345热线中心一般公共预算支出一共多少钱？").status == "ambiguous"


def test_one_persons_pay_is_never_disclosed(engine):
    """Disclosures print a unit's 工资福利支出, never one official's pay: no row's total stands in for it."""
    result = engine.ask("普陀区司法局局长一年工资多少钱？")
    assert result.status == "not_found" and result.value is None and "个人" in result.text


def test_a_unit_asked_by_another_name_it_works_under(engine):
    """商务委 2025 p.3 "加挂上海市普陀区经济委员会、上海市普陀区粮食和物资储备局牌子"; p.22 "政府采购服务预算30.40万"."""
    result = engine.ask("普陀区经委2025年部门预算里，政府采购服务预算是多少万元？")
    assert result.status == "answered" and result.value == Decimal("30.40") and result.unit == "万元"


def test_a_second_question_about_the_figures_just_asked(engine):
    """"两者一样吗": 商务委 2025 部门 and 单位 budgets both print 基本支出 19,830,655.00 元 (合计 rows)."""
    result = engine.ask("商务委的部门预算和单位预算里，2025年基本支出分别是多少？两者一样吗？")
    assert result.status == "answered" and result.value == Decimal("19830655.00")


def test_buying_a_car_is_its_purchase_not_purchase_and_running(engine):
    """万里街道 2024 p.31 三公 table: 公务用车购置及运行费 46.56 = 购置费 25 + 运行费 21.56 (万元)."""
    result = engine.ask("万里街道2024年准备花多少钱买新公务车？")
    assert result.status == "answered" and result.value == Decimal("25") and result.unit == "万元"
    whole = engine.ask("万里街道2024年公务用车购置及运行费")
    assert whole.status == "answered" and whole.value == Decimal("46.56")
