"""The eval's matching rules on small hand-made inputs (no corpus, no index needed)."""
from decimal import Decimal
from pathlib import Path

import pytest

from budgetqa.evaluation import matching as m
from budgetqa.evaluation import qa
from budgetqa.evaluation.extraction import (
    GTCell,
    ParsedCell,
    compare,
    load_ground_truth,
)
from budgetqa.evaluation.run import check, load_thresholds


# -- value rounding tolerance ------------------------------------------------------------------
@pytest.mark.parametrize("printed, expected", [
    ("1011.95", Decimal("0.005")), ("9", Decimal("0.5")), ("2170.3947", Decimal("0.00005")),
    ("21,703,947.00", Decimal("0.005")), ("4.5", Decimal("0.05")),
])
def test_tolerance_is_half_the_last_printed_place(printed, expected):
    assert m.tolerance(printed) == expected


def test_value_within_rounding_of_gold():
    assert m.judge_value(1011.954, "万元", "1011.95", "万元")["value_strict"]
    assert m.judge_value(1011.9451, "万元", "1011.95", "万元")["value_strict"]
    assert not m.judge_value(1011.9449, "万元", "1011.95", "万元")["value_strict"]
    assert not m.judge_value(1011.956, "万元", "1011.95", "万元")["value_converted"]
    assert not m.judge_value(1011.94, "万元", "1011.95", "万元")["value_converted"]
    assert m.judge_value(9, "人", "9", "人")["value_strict"]
    assert not m.judge_value(10, "人", "9", "人")["value_strict"]


def test_persons_counted_as_ming_or_ren_are_one_unit():
    # "部门编制人数90名": the answer may say 人, the page 名; another count is not the same unit
    assert m.judge_value(90, "人", "90", "名")["value_strict"]
    assert not m.judge_value(90, "辆", "90", "名")["value_converted"]
    # "通用设备2台（套）": the count's unit as printed, or the 台 it starts with
    assert m.judge_value(2, "台", "2", "台（套）")["value_strict"]
    # a column headed 国内公务接待人次（人） / 批次（个）: 116 人次 is the 116 人 the header counts in
    assert m.judge_value(116, "人次", "116", "人")["value_strict"]
    assert m.judge_value(3, "批次", "3", "个")["value_strict"]
    assert not m.judge_value(3, "批次", "3", "辆")["value_converted"]


def test_a_gold_sentence_under_its_paragraphs_heading_is_judged_by_the_quote():
    # a colleague's gold names the paragraph (一、收支预算总体情况) as its row and no column: the sentence is cited
    source = {"doc": "a.pdf", "row": "一、收支预算总体情况", "column": None,
              "sentence": "2025年收支预算总计21,239,500.00元，比上年预算减少1,274,370.00元，主要原因是项目减少。"}
    quote = "2025年收支预算总计21,239,500.00元，比上年预算减少1,274,370.00元，主要原因是项目减少。"
    assert m.citation_matches({"doc": "a.pdf", "row": None, "kind": "narrative", "quote": quote}, source)
    assert not m.citation_matches({"doc": "a.pdf", "row": None, "kind": "narrative", "quote": "公务接待费17,000.00元。"}, source)
    # a cell's source with a note beside it stays a cell's
    cell = {"doc": "a.pdf", "row": "合计", "column": "合计", "sentence": "本表为空表。"}
    assert not m.is_narrative_source(cell)


def test_a_printed_text_is_judged_by_the_answers_words():
    # a 绩效目标表 target "≥120个" (Chromium prints ⩾), a unit's kind: right when the answer says it
    assert m.states_text("原文：“…法律服务站点|指标值：⩾120个。”", "≥120个")
    assert m.states_text("“2|西陵市体育运动学校|公益二类事业单位”", "公益二类事业单位")
    assert not m.states_text("“2|西陵市体育运动学校|公益一类事业单位”", "公益二类事业单位")
    assert not m.states_text("120 个", "≥120个")


def test_value_text_is_preferred_over_the_float():
    assert m.answer_value({"value": 2170.39, "value_text": "2170.3947"}) == Decimal("2170.3947")
    assert m.answer_value({"value": 147.87}) == Decimal("147.87")
    assert m.answer_value({"value": None}) is None


# -- unit conversion ---------------------------------------------------------------------------
def test_answer_in_yuan_converts_to_gold_in_wanyuan():
    verdict = m.judge_value("21703947.00", "元", "2170.3947", "万元")
    assert verdict["value_converted"] and verdict["unit_converted"]
    assert not verdict["value_strict"] and not verdict["unit_strict"]


def test_conversion_keeps_the_gold_precision():
    # 2170.39 万元 is 21,703,900 元: off by 47 元 against a gold printed to the fen
    assert not m.judge_value("2170.39", "万元", "21703947.00", "元")["value_converted"]
    assert m.judge_value("2170.3947", "万元", "21703947.00", "元")["value_converted"]
    assert m.judge_value("0.1011", "亿元", "1011", "万元")["value_converted"]


def test_no_conversion_between_money_and_other_units():
    verdict = m.judge_value("4.58", "万元", "4.58", "%")
    assert not verdict["value_converted"] and not verdict["unit_converted"]
    assert m.convert(Decimal(3), "辆", "人") is None


def test_right_number_wrong_magnitude_is_wrong():
    # the figure printed in 元 but labelled 万元 is 10,000 times off
    assert not m.judge_value("21703947.00", "万元", "2170.3947", "万元")["value_converted"]


# -- citation matching -------------------------------------------------------------------------
GOLD = {"doc": "泉州市12345政务服务便民热线中心_2026年度单位预算.txt", "table": "支出预算总表",
        "row": "2010399 其他政府办公厅（室）及相关机构事务支出", "column": "项目支出"}


def cite(**changes):
    base = {"doc": "泉州市12345政务服务便民热线中心_2026年度单位预算.txt", "table": "支出预算总表",
            "row": "2010399 其他政府办公厅(室)及相关机构事务支出", "column": "项目支出",
            "printed": "1011.95", "unit": "万元", "kind": "cell", "quote": ""}
    return base | changes


def test_citation_matches_on_doc_code_and_column():
    assert m.citation_matches(cite(), GOLD)
    assert m.citation_matches(cite(row="2010399 其它"), GOLD)  # code decides when both have one


def test_citation_wrong_doc_row_or_column_fails():
    assert not m.citation_matches(cite(doc="福建省12345政务服务便民热线中心_2024年度单位预算.txt"), GOLD)
    assert not m.citation_matches(cite(row="2010350 事业运行"), GOLD)
    assert not m.citation_matches(cite(column="基本支出"), GOLD)
    assert not m.citation_matches(cite(column=None), GOLD)
    assert not m.any_citation_matches([], [GOLD])


def test_a_code_printed_with_its_levels_apart_is_the_same_code():
    # the Putuo tables print "302 02 印刷费" and "221 02 01 住房公积金"; the product cites the code run together
    gold = {"doc": "a.pdf", "row": "302 02 印刷费", "column": "一般公共预算基本支出 / 合计"}
    assert m.citation_matches({"doc": "a.pdf", "row": "30202 印刷费", "column": "一般公共预算基本支出 / 合计"}, gold)
    assert not m.citation_matches({"doc": "a.pdf", "row": "30201 办公费", "column": "一般公共预算基本支出 / 合计"}, gold)
    assert m.split_row("221 02 01 住房公积金") == ("2210201", "住房公积金")


def test_citation_label_containment_without_codes():
    gold = {"doc": "a.pdf", "row": "一、一般公共服务支出", "column": "本年支出 / 预算数 / 合计"}
    assert m.citation_matches({"doc": "a.pdf", "row": "一般公共服务支出", "column": "本年支出 / 预算数 / 合计"}, gold)
    assert m.citation_matches({"doc": "a.pdf", "row": "201 一般公共服务支出", "column": "预算数 / 合计"}, gold)
    assert not m.citation_matches({"doc": "a.pdf", "row": "二、外交支出", "column": "本年支出 / 预算数 / 合计"}, gold)
    # a label far shorter than the gold's is not the same row
    assert not m.citation_matches({"doc": "a.pdf", "row": "支出", "column": "本年支出 / 预算数 / 合计"}, gold)


def test_column_paths_with_qizhong_level():
    assert m.columns_match("基本支出", "其中： / 基本支出")
    assert m.columns_match("收入 / 预算数", "收入 / 预算数")
    assert not m.columns_match("支出 / 预算数", "收入 / 预算数")


def test_gold_without_column_accepts_any_column():
    gold = {"doc": "a.txt", "row": "合计", "column": None}
    assert m.citation_matches({"doc": "a.txt", "row": "合计", "column": "决算数"}, gold)


def test_narrative_citation_overlaps_gold_sentence():
    sentence = "2026年度一般公共预算拨款支出1182.04万元，比上年增加51.77万元，增长4.58%，主要原因是：本单位增加2名在职人员。"
    gold = {"doc": "q.txt", "table": None, "row": None, "column": None, "sentence": sentence}
    assert m.citation_matches({"doc": "q.txt", "quote": sentence, "kind": "narrative"}, gold)
    assert m.citation_matches({"doc": "q.txt", "quote": "一般公共预算拨款支出1182.04万元，比上年增加51.77万元，增长4.58%",
                               "kind": "narrative"}, gold)
    assert not m.citation_matches({"doc": "q.txt", "quote": "本单位无政府性基金预算拨款安排的支出。",
                                   "kind": "narrative"}, gold)
    assert not m.citation_matches({"doc": "other.txt", "quote": sentence, "kind": "narrative"}, gold)


def test_same_figure_in_another_table_is_the_lenient_citation():
    other_table = cite(table="一般公共预算拨款支出预算表", column="项目支出 / 合计")
    other_table["column"] = "合计"
    assert not m.citation_matches(other_table, GOLD)
    assert m.cites_same_figure(other_table, GOLD, "1011.95", "万元")
    assert not m.cites_same_figure(other_table | {"printed": "170.09"}, GOLD, "1011.95", "万元")
    assert m.cites_same_figure(other_table | {"printed": "10,119,500.00", "unit": "元"}, GOLD, "1011.95", "万元")


def test_judge_answered_question():
    q = {"id": "x", "_file": "t", "category": "lookup", "question": "?", "status": "answered",
         "value": "1011.95", "unit": "万元", "sources": [GOLD]}
    good = {"status": "answered", "value": 10119500.0, "unit": "元", "citations": [cite()]}
    row = qa.judge(q, good)
    assert row["correct"] and row["citation_right"] and row["value_converted"] and not row["unit_strict"]
    bad = {"status": "not_found", "value": 1011.95, "unit": "万元", "citations": [cite()]}
    row = qa.judge(q, bad)
    assert not row["correct"] and not row["value_converted"]


def test_judge_a_question_whose_gold_has_no_figure_by_the_sentence_quoted():
    sentence = "(二) 2010399-其他政府办公厅（室）及相关机构事务支出 1011.95 万元。主要用于话务外包费用支出。"
    gold = {"doc": "q.txt", "table": None, "row": None, "column": None, "sentence": sentence}
    q = {"id": "w", "_file": "t", "category": "narrative", "question": "2010399科目的钱主要用于什么？",
         "status": "answered", "value": None, "unit": None, "sources": [gold]}
    quoted = {"status": "answered", "value": 1011.95, "unit": "万元",
              "citations": [{"doc": "q.txt", "quote": sentence, "kind": "narrative"}]}
    assert qa.judge(q, quoted)["correct"]
    elsewhere = {"status": "answered", "value": 170.09, "unit": "万元",
                 "citations": [{"doc": "q.txt", "quote": "本单位无政府性基金预算拨款安排的支出。", "kind": "narrative"}]}
    assert not qa.judge(q, elsewhere)["correct"]
    assert not qa.judge(q, {"status": "not_found"})["correct"]


def test_judge_ambiguous_candidates():
    q = {"id": "y", "_file": "t", "category": "ambiguous", "question": "?", "status": "ambiguous",
         "candidates": ["a.txt", "b.txt"], "sources": []}
    row = qa.judge(q, {"status": "ambiguous", "candidates": [{"doc": "a.txt"}, {"doc": "b.txt"}]})
    assert row["correct"] and row["candidates_covered"]
    row = qa.judge(q, {"status": "ambiguous", "candidates": [{"doc": "a.txt"}]})
    assert row["correct"] and not row["candidates_covered"]
    assert not qa.judge(q, {"status": "answered", "value": 1, "unit": "万元"})["correct"]


def test_retrieval_hits_at_k():
    q = {"status": "answered", "sources": [GOLD]}
    records = [cite(row="2010350 事业运行"), cite(column="基本支出"), cite()]
    result = qa.retrieval_hits(q, records)
    assert result["rank"] == 3
    assert not result["hits"][1] and result["hits"][3] and result["hits"][10]


# -- printed forms for the baseline ------------------------------------------------------------
def test_gold_printed_forms_and_containment():
    forms = m.gold_printed_forms("2170.3947", "万元")
    assert "21,703,947.00" in forms and "2170.39" in forms
    assert m.contains_figure("基层司法业务 21,703,947.00 21,703,947.00", forms)
    assert not m.contains_figure("合计 121,703,947.00", forms)  # part of a longer number
    assert not m.contains_figure("合计 21,703,947.001", m.gold_printed_forms("21703947.00", "元"))
    assert m.contains_figure("增加51.77万元", m.gold_printed_forms("51.77", "万元"))
    assert not m.contains_figure("增加51.78万元", m.gold_printed_forms("51.77", "万元"))


# -- extraction comparison ---------------------------------------------------------------------
def test_extraction_compare_counts_and_mismatches():
    def gt(row_code, label, column, printed, table="支出预算总表"):
        return GTCell("d.txt", table, "", row_code, label, column, printed, "万元")

    def parsed(row_code, label, column, printed, table="2026年支出预算总表"):
        return ParsedCell(table, "", row_code, label, column, printed, "万元", None, 10)

    truth = [gt("", "合计", "基本支出", "170.09"), gt("2010350", "事业运行", "基本支出", "130.78"),
             gt("2010399", "其他", "项目支出", "1,011.95")]
    cells = [parsed("", "合计", "基本支出", "170.09"), parsed("2010350", "事 业 运 行", "基本支出", "130.70"),
             parsed("2010399", "其他", "项目支出", "1011.950"), parsed("", "备注", "基本支出", "1"),
             parsed("", "合计", "基本支出", "5", table="另一张表")]
    counts, per_table, mismatches = compare(truth, cells)
    assert (counts.gt, counts.parsed, counts.matched) == (3, 4, 2)  # the other table is out of scope
    assert counts.recall == pytest.approx(2 / 3) and counts.precision == pytest.approx(2 / 4)
    kinds = sorted(x["kind"] for x in mismatches)
    assert kinds == ["extra", "wrong value"]


def test_ground_truth_csv_reader(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("doc,table,part,row_code,row_label,column,printed,unit\n"
                    'x.pdf,收入支出决算总表,收入,,本年收入合计,收入 / 决算数,"2,946.25",万元\n'
                    "x.pdf,收入支出决算总表,收入,,空,收入 / 决算数,,万元\n", encoding="utf-8")
    cells = load_ground_truth(path)
    assert len(cells) == 1 and cells[0].printed == "2,946.25" and cells[0].part == "收入"


# -- thresholds --------------------------------------------------------------------------------
def test_thresholds_fail_below_min_and_above_max(tmp_path: Path):
    path = tmp_path / "t.toml"
    path.write_text('[min]\n"qa.accuracy" = 0.8\n"qa.citation" = 0.5\n[max]\n"latency.p95_ms" = 100\n'
                    '[fast.min]\n"qa.accuracy" = 0.7\n', encoding="utf-8")
    measured = {"qa.accuracy": 0.75, "latency.p95_ms": 150.0}
    full = {c["metric"]: c["status"] for c in check(measured, load_thresholds(path, fast=False))}
    assert full == {"qa.accuracy": "FAIL", "qa.citation": "no data", "latency.p95_ms": "FAIL"}
    fast = {c["metric"]: c["status"] for c in check(measured, load_thresholds(path, fast=True))}
    assert fast["qa.accuracy"] == "ok"


def test_subset_takes_every_third_question_per_file():
    items = [{"_file": f, "id": str(i)} for f in ("a", "b") for i in range(7)]
    picked = qa.subset(items, fast=True)
    assert [x["id"] for x in picked if x["_file"] == "a"] == ["0", "3", "6"]
    assert qa.subset(items, fast=False) == items


def test_percentile():
    assert qa.percentile([10, 20, 30, 40], 0.5) == 25
    assert qa.percentile([], 0.5) is None
