"""Rendering of the 核查 (claim check) and 审查 (audit) tabs: pure functions, no browser, no index.

The browser test (tests/test_ui_browser.py) drives the same tabs end to end."""
from __future__ import annotations

from budgetqa.ui import render

CELL = {"doc": "固原市12345便民服务中心_2024年部门预算.txt", "entity": "固原市12345便民服务中心", "year": 2024,
        "doc_kind": "预算", "line": 69, "table": "财政拨款收支预算总表", "row": "（九）卫生健康支出",
        "column": "预算数 / 小计", "value": 4.25, "printed": "4.25", "unit": "万元", "kind": "cell"}
SENTENCE = {"doc": CELL["doc"], "entity": CELL["entity"], "year": 2024, "doc_kind": "预算", "line": 213,
            "table": None, "value": 4.24, "printed": "4.24", "unit": "万元", "kind": "narrative",
            "quote": "财政拨款支出预算 269.41 万元，包括：……卫生健康支出 4.24 万元、住房保障支出 12.70 万元。"}


def _check(verdict, **extra):
    return {"text": "4.24万元", "test": "4.24：按所写精度四舍五入后相等", "found": 4.25, "found_unit": "万元",
            "verdict": verdict, "explanation": "说明。", "citations": [CELL], **extra}


def test_overall_verdict_labels():
    for verdict, label in (("supported", "属实"), ("contradicted", "不实"), ("partly", "部分属实"),
                           ("unverifiable", "无法核实")):
        html = render.claim_html({"claim": "某句", "verdict": verdict, "checks": [_check(verdict)]})
        head = html.split('<div class="bqa-check">')[0]
        assert f"bqa-v-{verdict}\">{label}<" in head


def test_figure_shows_stated_found_and_full_citation():
    html = render.claim_html({"claim": "某句", "verdict": "contradicted", "checks": [_check("contradicted")]})
    for text in ("4.24万元", "4.25 万元", "说明。", "固原市12345便民服务中心_2024年部门预算.txt", "2024年", "预算",
                 "第69行", "财政拨款收支预算总表", "（九）卫生健康支出", "预算数 / 小计"):
        assert text in html, text
    assert "bqa-conflict" not in html


def test_document_conflict_is_said_with_both_citations():
    html = render.claim_html({"claim": "某句", "verdict": "supported",
                              "checks": [_check("supported", document_conflict=True, citations=[CELL, SENTENCE])]})
    assert "文件自相矛盾" in html and "bqa-conflict" in html
    assert "第69行" in html and "第213行" in html and "卫生健康支出 4.24 万元" in html
    assert "同一文件的另一处" in html


def test_claim_without_figures_and_unverifiable_figure():
    html = render.claim_html({"claim": "没有数字", "verdict": "unverifiable", "checks": [],
                              "explanation": "句中没有可核对的数字。"})
    assert "无法核实" in html and "句中没有可核对的数字" in html
    html = render.claim_html({"claim": "x", "verdict": "unverifiable",
                              "checks": [_check("unverifiable", found=None, found_unit=None, citations=[])]})
    assert "文档中没有可直接对应的数字" in html


def test_audit_counts_findings_high_first_with_printed_evidence():
    quote = {"quote": "2026年预算安排57.8万元，比2025年预算执行数减少2.27%。", "page": 6}
    report = [{"doc": "a.pdf", "counts": {"high": 1, "medium": 0, "low": 1},
               "closure": {"checks": 10, "closing": 9, "share": 0.9},
               "findings": [
                   {"severity": "low", "kind": "cross-foot", "page": 8, "line": None, "message": "差 0.34 元",
                    "evidence": []},
                   {"severity": "high", "kind": "cross-foot", "page": 11, "line": None, "message": "相差 -64840547 元",
                    "evidence": [{"table": "预算单位支出预算总表", "row": "20406 司法", "column": "支出预算 / 项目支出",
                                  "printed": "64,840,547.00", "unit": "元", "page": 11}]},
                   {"severity": "high", "kind": "stated-change", "page": 6, "line": None, "message": "增减率不符",
                    "evidence": [quote, quote, quote]}]},
              {"doc": "b.txt", "counts": {"high": 0, "medium": 0, "low": 0}, "findings": []}]
    html = render.audit_html(report)
    assert "高 1" in html and "中 0" in html and "低 1" in html and "勾稽 9/10 闭合（90.0%）" in html
    rows = html.split("<tr class=")[1:]
    assert [r.split('"')[1] for r in rows] == ["bqa-f-high", "bqa-f-high", "bqa-f-low"]
    assert "第6页" in rows[0] and "第11页" in rows[1]  # high first, then by page
    assert "64,840,547.00 元 第11页" in html
    assert rows[0].count("减少2.27%") == 1  # the same sentence once
    assert "b.txt" in html and "未发现不一致" in html


# --------------------------------------------------------------------------- chat answers

# 泉州…_2026年度单位预算.txt line 262: "2、公务接待费\t1.00" (单位：万元)
RECEPTION = {"doc": "泉州市12345政务服务便民热线中心_2026年度单位预算.txt", "entity": "泉州市12345政务服务便民热线中心",
             "year": 2026, "doc_kind": "预算", "level": "单位", "line": 262, "table": "一般公共预算“三公”经费支出预算表",
             "row": "2、公务接待费", "column": "预算数", "value": 1.0, "printed": "1.00", "unit": "万元", "kind": "cell"}
# 上海市普陀区司法局单位26年预算.pdf page 20: the 三公 table prints one row without a label
UNLABELED = {"doc": "上海市普陀区司法局单位26年预算.pdf", "entity": "上海市普陀区司法局", "year": 2026, "doc_kind": "预算",
             "page": 20, "table": "单位“三公”经费和机关运行经费预算表", "row": None,
             "column": "“三公”经费预算数 / 合计", "value": 10.71, "printed": "10.71", "unit": "万元", "kind": "cell"}


def test_answer_leads_with_the_printed_figure_and_its_source():
    text = render.answer_markdown({"status": "answered", "value": 1.0, "value_text": "1", "printed": "1.00",
                                   "unit": "万元", "answer": "…为 1.00 万元。", "citations": [RECEPTION]})
    lines = text.split("\n\n")
    assert lines[0] == "### 1.00 万元"
    assert lines[1].startswith("**出处**") and "2、公务接待费 · 预算数 · 第262行" in lines[1], lines[1]
    assert "数值：1.00 万元" in text and "1 万元" not in text.replace("1.00 万元", "")


def test_unlabeled_row_is_named_by_header_path_and_table():
    assert render.row_label(UNLABELED) == "（无行名）“三公”经费预算数 / 合计 《单位“三公”经费和机关运行经费预算表》"
    assert "行：（无行名）" in render.citation_markdown(UNLABELED, 1)
    assert "“”" not in render.answer_markdown({"status": "answered", "value": 10.71, "printed": "10.71",
                                                "unit": "万元", "citations": [UNLABELED]})


def test_computed_answer_names_its_operands_under_the_figure():
    # 泉州…_2026年度单位预算.txt: 1011.95 万元 (sentence, line 283) ÷ 支出合计 1182.04 万元 (line 107)
    outsourcing = {**RECEPTION, "line": 283, "table": None, "row": None, "column": None, "value": 1011.95,
                   "printed": "1011.95", "kind": "narrative", "quote": "(二) 2010399-其他政府办公厅（室）及相关机构事务支出 1011.95 万元。"}
    total = {**RECEPTION, "line": 107, "table": "收支预算总表", "row": "支出合计", "value": 1182.04, "printed": "1182.04"}
    share = {"status": "answered", "value": 85.61, "value_text": "85.61", "unit": "%",
             "work": ["1011.95 万元 ÷ 1182.04 万元 × 100%"], "citations": [outsourcing, total]}
    lines = render.answer_markdown(share).split("\n\n")
    assert lines[:2] == ["### 85.61%", "**出处**：由下列 2 处原文数字计算"]


def test_internal_error_is_said_in_chinese_with_the_detail_folded():
    text = render.answer_markdown({"status": "error", "answer": "内部错误，请换个问法或联系维护者。",
                                   "detail": "KeyError: 'table_kind'"})
    before, folded = text.split("<details>")
    assert "内部错误" in before and "KeyError" not in before
    assert folded.startswith("<summary>技术细节</summary>") and "KeyError: &#x27;table_kind&#x27;" in folded


def test_not_found_without_text_says_so():
    assert render.answer_markdown({"status": "not_found"}).split("\n\n") == ["### 未找到", "公开文件中没有找到这个数字。"]
    text = render.answer_markdown({"status": "not_found", "answer": "未找到：文件中没有这一项。"})
    assert "公开文件中没有找到这个数字" not in text
