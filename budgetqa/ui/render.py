"""Pure rendering helpers for the chat UI: answers as Markdown, tables as HTML, source excerpts.

Nothing here talks to Gradio or to the engine; every function takes plain data (the answer
dict of DESIGN.md, `budgetqa.model.document` objects) and returns text, so it can be unit-tested.
"""
from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import Any

from budgetqa.model.document import ParsedDocument, Table, as_decimal

STATUS_LABEL = {"answered": "已找到", "not_found": "未找到", "ambiguous": "问题有歧义"}

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~$])")


def md_escape(text: Any) -> str:
    """Escape text so Markdown shows it literally (file names contain '_', rows contain '*')."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text))


def developer_details(text: Any) -> str:
    """Developer detail (an exception's text) folded under a Chinese summary: users see Chinese only."""
    return f"\n\n<details><summary>技术细节</summary>\n\n{esc(text)}\n\n</details>"


def _norm(text: Any) -> str:
    """Whitespace-free, bracket-normalised form for matching names across parser and engine."""
    s = "" if text is None else str(text)
    s = re.sub(r"\s+", "", s)
    return s.replace("(", "（").replace(")", "）").replace("“", "\"").replace("”", "\"")


def format_value(value: Any) -> str:
    """1011.95 -> '1011.95'; 21601733.0 -> '21,601,733'; '21,601,733.00' stays as printed."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    d = as_decimal(value)
    if d is None:
        return str(value)
    if isinstance(value, float) and d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    text = f"{d:,}" if abs(d) >= 10000 else f"{d}"
    return text


def figure_text(item: dict) -> str:
    """A figure as the document prints it, with its unit ('1.00 万元'); the float only as a fallback.
    Works for an answer (its principal figure) and for a citation."""
    printed = item.get("printed") or item.get("value_text")
    text = str(printed).strip() if printed not in (None, "") else format_value(item.get("value"))
    unit = item.get("unit") or ""
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}".rstrip()


def row_label(citation: dict) -> str:
    """The cited row's label; a row printed without one (a 三公 table of one row) is named by its
    column's header path and the table title instead."""
    if citation.get("row"):
        return str(citation["row"])
    table = f"《{citation['table']}》" if citation.get("table") else ""
    return "（无行名）" + " ".join(p for p in (citation.get("column") or "", table) if p)


def source_line(citation: dict) -> str:
    """One line naming where a figure stands: unit, year and kind, table, row, column, page or line."""
    parts = [" ".join(p for p in (citation.get("entity") or citation.get("doc") or "", doc_kind_label(citation)) if p)]
    if citation.get("table"):
        parts.append(f"《{citation['table']}》")
        parts.append(citation.get("row") or "（无行名）")
        if citation.get("column"):
            parts.append(str(citation["column"]))
    elif citation.get("quote"):
        parts.append("说明文字")
    parts.append(location_label(citation))
    return " · ".join(p for p in parts if p)


def doc_kind_label(citation: dict) -> str:
    year = citation.get("year")
    kind = citation.get("doc_kind") or citation.get("kind") or ""
    level = citation.get("level") or ""
    parts = []
    if year:
        parts.append(f"{year}年")
    if level or kind:
        parts.append(f"{level}{kind}")
    return " ".join(parts)


def location_label(citation: dict) -> str:
    page, line = citation.get("page"), citation.get("line")
    if page:
        return f"第{page}页"
    if line:
        return f"第{line}行"
    return ""


def citation_short(citation: dict, index: int) -> str:
    """One line for the citation chooser: '[1] 泉州… 2026年 单位预算 · 支出预算总表 · 第7页'."""
    parts = [citation.get("entity") or citation.get("doc") or "?", doc_kind_label(citation)]
    if citation.get("table"):
        parts.append(str(citation["table"]))
    elif citation.get("quote"):
        parts.append("说明文字")
    loc = location_label(citation)
    if loc:
        parts.append(loc)
    return f"[{index}] " + " · ".join(p for p in parts if p)


def citation_markdown(citation: dict, index: int) -> str:
    """A full citation: document, unit, year, 预算/决算, page or line, table, row, column or quote."""
    head = " ".join(p for p in [md_escape(citation.get("entity") or ""), md_escape(doc_kind_label(citation))] if p)
    bits = [f"**[{index}]** {head}".rstrip()]
    if citation.get("table"):
        bits.append(f"表：{md_escape(citation['table'])}")
        bits.append(f"行：{md_escape(row_label(citation))}")
    if citation.get("column"):
        bits.append(f"列：{md_escape(citation['column'])}")
    if citation.get("value") is not None and citation.get("value") != "":
        bits.append(f"数值：{md_escape(figure_text(citation))}")
    elif citation.get("unit"):
        bits.append(f"单位：{md_escape(citation['unit'])}")
    loc = location_label(citation)
    if loc:
        bits.append(loc)
    if citation.get("doc"):
        bits.append(f"文件：{md_escape(citation['doc'])}")
    text = " · ".join(bits)
    quote = citation.get("quote")
    if quote and not citation.get("table"):
        text += f"\n  > “{md_escape(quote)}”"
    return text


def work_step_text(step: Any) -> str:
    if isinstance(step, str):
        return step
    if isinstance(step, dict):
        for key in ("text", "description", "expression", "expr", "step", "formula"):
            if step.get(key):
                result = step.get("result")
                base = str(step[key])
                if result is not None and str(result) not in base:
                    base += f" = {format_value(result)}"
                return base
        return json.dumps(step, ensure_ascii=False, default=str)
    return str(step)


def answer_markdown(result: dict) -> str:
    """The assistant message for one engine answer."""
    status = result.get("status") or "answered"
    lines: list[str] = []
    value = result.get("value")
    citations = result.get("citations") or []
    work = result.get("work") or []
    if status == "answered" and value is not None and value != "":
        lines.append(f"### {md_escape(figure_text(result))}")
        if len(citations) > 1 and work:
            lines.append(f"**出处**：由下列 {len(citations)} 处原文数字计算")
        elif citations:  # the source right under the figure, before any explanation
            more = f"（另 {len(citations) - 1} 处见下）" if len(citations) > 1 else ""
            lines.append(f"**出处**：{md_escape(source_line(citations[0]))}{more}")
    elif status == "not_found":
        lines.append("### 未找到")
    elif status == "ambiguous":
        lines.append("### 问题有歧义")
    answer = (result.get("answer") or "").strip()
    if answer:
        lines.append(md_escape(answer).replace("\n", "  \n"))
    elif status == "not_found":
        lines.append("公开文件中没有找到这个数字。")
    elif status == "ambiguous":
        lines.append("这个问题可以对应多份文件，请选择下面的一个。")
    if result.get("detail"):
        lines.append(developer_details(result["detail"]).strip())
    if work:
        lines.append("**计算过程**")
        lines.extend(f"{i}. {md_escape(work_step_text(s))}" for i, s in enumerate(work, 1))
    if citations:
        lines.append("**来源**")
        lines.extend("- " + citation_markdown(c, i) for i, c in enumerate(citations, 1))
    candidates = result.get("candidates") or []
    if candidates and status != "answered":
        lines.append("可以点下方的候选问题继续追问。")
    return "\n\n".join(lines)


def waiting_markdown(progress: str) -> str:
    """The assistant message for a question asked while the index builds (replaced by the answer)."""
    return f"### 问题已记下\n\n索引建好后自动回答。{progress}"


def candidate_label(candidate: Any) -> tuple[str, str]:
    """(display text, question to ask) for one candidate."""
    if isinstance(candidate, str):
        return candidate, candidate
    if isinstance(candidate, dict):
        question = str(candidate.get("question") or candidate.get("label") or "").strip()
        label = str(candidate.get("label") or "").strip()
        if label and label not in question:
            return f"【{label}】{question}", question
        return question, question
    return str(candidate), str(candidate)


# --------------------------------------------------------------------------- tables

def locate_cell(doc: ParsedDocument, citation: dict) -> tuple[Table | None, int | None, int | None]:
    """Find the table, row index and column index a citation points at (best match, or Nones)."""
    tables = doc.tables
    if not tables:
        return None, None, None
    want_table = _norm(citation.get("table"))
    want_table_id = citation.get("table_id")
    want_row = _norm(citation.get("row"))
    want_col = _norm(citation.get("column"))
    want_value = as_decimal(citation.get("value"))
    want_page = citation.get("page")
    want_line = citation.get("line")
    want_part = citation.get("part") or ""

    best: tuple[float, Table | None, int | None, int | None] = (0.0, None, None, None)
    for table in tables:
        t_score = 0.0
        if want_table_id and table.id == want_table_id:
            t_score += 10
        title = _norm(table.title)
        if want_table:
            if title == want_table:
                t_score += 6
            elif want_table in title or title in want_table:
                t_score += 3
            elif not want_table_id:
                continue
        if want_part and table.part == want_part:
            t_score += 1
        if want_page and (want_page == table.page or want_page in (table.pages or [])):
            t_score += 1
        if t_score <= 0 and (want_table or want_table_id):
            continue
        if best[1] is None or t_score > best[0]:
            best = (t_score, table, None, None)
        for r_i, row in enumerate(table.rows):
            r_score = 0.0
            if want_row:
                full = _norm(f"{row.code}{row.label}")
                if want_row in (full, _norm(row.label)):
                    r_score += 4
                elif row.code and want_row == _norm(row.code):
                    r_score += 3
                elif _norm(row.label) and (_norm(row.label) in want_row or want_row in full):
                    r_score += 1.5
                else:
                    continue
            if want_line and row.line == want_line:
                r_score += 2
            if want_page and row.page == want_page:
                r_score += 0.5
            for cell in row.cells:
                c_score = 0.0
                if want_col:
                    if not (0 <= cell.column < len(table.columns)):
                        continue
                    name = _norm(table.column_name(cell.column))
                    last = _norm(table.columns[cell.column][-1]) if table.columns[cell.column] else ""
                    if want_col == name:
                        c_score += 4
                    elif want_col == last:
                        c_score += 3
                    elif want_col in name or (name and name in want_col):
                        c_score += 1.5
                    else:
                        continue
                if want_value is not None and cell.value is not None and cell.value == want_value:
                    c_score += 2
                total = t_score + r_score + c_score
                if total > best[0]:
                    best = (total, table, r_i, cell.column)
    return best[1], best[2], best[3]


def _header_rows(table: Table) -> list[list[tuple[str, int]]]:
    """Header levels as rows of (text, colspan), merging adjacent equal prefixes."""
    depth = max((len(c) for c in table.columns), default=1) or 1
    padded = [tuple(c) + ("",) * (depth - len(c)) for c in table.columns]
    rows: list[list[tuple[str, int]]] = []
    for level in range(depth):
        row: list[tuple[str, int]] = []
        for i, path in enumerate(padded):
            key = path[: level + 1]
            if i and padded[i - 1][: level + 1] == key and row:
                text, span = row[-1]
                row[-1] = (text, span + 1)
            else:
                row.append((path[level], 1))
        rows.append(row)
    return rows


def table_html(table: Table, row_index: int | None = None, column: int | None = None,
               doc_label: str = "") -> str:
    """The table as HTML with the cited cell highlighted (class 'hl')."""
    out = ['<div class="bqa-table-wrap">']
    caption = esc(table.title)
    if table.part:
        caption += f"（{esc(table.part)}）"
    where = []
    if table.pages:
        where.append("第" + "、".join(str(p) for p in table.pages) + "页")
    elif table.page:
        where.append(f"第{table.page}页")
    if table.line:
        where.append(f"自第{table.line}行")
    meta = esc(doc_label)
    facts = ([f"单位：{esc(table.unit)}"] if table.unit else []) + [esc(w) for w in where]
    out.append(f'<div class="bqa-table-title"><b>{caption}</b> <span class="bqa-muted">{" · ".join(facts)}</span>'
               f'{"<div class=bqa-muted>" + meta + "</div>" if meta else ""}</div>')
    if table.empty:
        out.append('<div class="bqa-note">本表为空表。</div>')
    out.append('<table class="bqa-table">')
    headers = _header_rows(table)
    n_head = len(headers)
    for level, hrow in enumerate(headers):
        out.append("<tr>")
        if level == 0:
            out.append(f'<th rowspan="{n_head}">科目编码</th><th rowspan="{n_head}">科目名称 / 项目</th>')
        for text, span in hrow:
            out.append(f'<th colspan="{span}">{esc(text)}</th>' if span > 1 else f"<th>{esc(text)}</th>")
        out.append("</tr>")
    for r_i, row in enumerate(table.rows):
        row_cls = ' class="hl-row"' if r_i == row_index else ""
        loc = f"第{row.page}页" if row.page else (f"第{row.line}行" if row.line else "")
        out.append(f'<tr{row_cls} title="{esc(loc)}">')
        out.append(f"<td class=\"code\">{esc(row.code)}</td><td class=\"label\">{esc(row.label)}</td>")
        cells = {c.column: c for c in row.cells}
        for c_i in range(len(table.columns)):
            cell = cells.get(c_i)
            text = esc(cell.printed) if cell else ""
            if r_i == row_index and c_i == column:
                out.append(f'<td class="num hl" id="bqa-hl-cell">{text}</td>')
            else:
                out.append(f'<td class="num">{text}</td>')
        out.append("</tr>")
    out.append("</table>")
    for note in table.notes:
        out.append(f'<div class="bqa-note">{esc(note)}</div>')
    out.append("</div>")
    return "".join(out)


def citation_header_html(citation: dict, located: tuple[Table | None, int | None, int | None]) -> str:
    """The facts of a citation as a small definition list above the table."""
    table, r_i, c_i = located
    items = [
        ("文件", citation.get("doc")),
        ("单位", citation.get("entity")),
        ("年度", f"{citation['year']}年" if citation.get("year") else None),
        ("类型", citation.get("doc_kind")),
        ("位置", location_label(citation) or None),
        ("表", citation.get("table")),
        ("行", row_label(citation) if citation.get("table") else None),
        ("列", citation.get("column")),
        ("数值", figure_text(citation) if citation.get("value") not in (None, "") else None),
    ]
    if table is not None and r_i is not None and c_i is not None:
        row = table.rows[r_i]
        cell = row.cell(c_i)
        if cell is not None:
            items.append(("原文打印", cell.printed))
        if row.page or row.line:
            items.append(("单元格位置", f"第{row.page}页" if row.page else f"第{row.line}行"))
    parts = ['<dl class="bqa-cite">']
    for key, val in items:
        if val:
            parts.append(f"<dt>{esc(key)}</dt><dd>{esc(val)}</dd>")
    parts.append("</dl>")
    if citation.get("quote"):
        parts.append(f'<blockquote class="bqa-quote">“{esc(citation["quote"])}”</blockquote>')
    return "".join(parts)


def text_excerpt_html(lines: list[str], line: int, printed: str | None = None, radius: int = 5) -> str:
    """Lines around a 1-based line number of a text extraction, the cited line highlighted."""
    if not line or line < 1 or line > len(lines):
        return ""
    lo, hi = max(1, line - radius), min(len(lines), line + radius)
    out = ['<div class="bqa-excerpt-title">原文（文本提取）第{}–{}行</div><pre class="bqa-excerpt">'.format(lo, hi)]
    for n in range(lo, hi + 1):
        text = esc(lines[n - 1].rstrip("\n").replace("\t", "  ⇥ "))
        if n == line:
            if printed:
                p = esc(printed)
                text = text.replace(p, f'<mark>{p}</mark>')
            out.append(f'<span class="hl-line">{n:>5} │ {text}</span>\n')
        else:
            out.append(f"{n:>5} │ {text}\n")
    out.append("</pre>")
    return "".join(out)


# --------------------------------------------------------------------------- claim check (核查)

VERDICT_LABEL = {"supported": "属实", "contradicted": "不实", "partly": "部分属实", "unverifiable": "无法核实"}


def verdict_badge(verdict: str | None) -> str:
    verdict = verdict if verdict in VERDICT_LABEL else "unverifiable"
    return f'<span class="bqa-verdict bqa-v-{verdict}">{VERDICT_LABEL[verdict]}</span>'


def claim_check_html(check: dict, index: int) -> str:
    """One checked figure: stated vs. document figure, verdict, explanation, citations."""
    found = check.get("found")
    found_text = (f"{format_value(found)} {check.get('found_unit') or ''}".strip() if found is not None
                  else "—（文档中没有可直接对应的数字）")
    items = [("所述数字", check.get("text")), ("核对标准", check.get("test")), ("文档数字", found_text)]
    out = [f'<div class="bqa-check"><div class="bqa-check-head">数字 {index}：<b>{esc(check.get("text"))}</b> '
           f'{verdict_badge(check.get("verdict"))}</div><dl class="bqa-cite">']
    out += [f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items if v]
    out.append("</dl>")
    out.append(f'<div class="bqa-explain">{esc(check.get("explanation"))}</div>')
    conflict = bool(check.get("document_conflict"))
    if conflict:
        out.append('<div class="bqa-conflict">⚠ 文件自相矛盾：同一份文件在不同位置印了不同的数字，两处出处都列在下面。</div>')
    for i, citation in enumerate(check.get("citations") or [], 1):
        title = f"出处 {i}"
        if conflict:
            title += "（查询命中的位置）" if i == 1 else "（同一文件的另一处）"
        out.append(f'<div class="bqa-excerpt-title">{esc(title)}</div>')
        out.append(citation_header_html(citation, (None, None, None)))
    out.append("</div>")
    return "".join(out)


def claim_html(result: dict) -> str:
    """The result of `check_claim`: overall verdict first, then each figure."""
    out = ['<div class="bqa-claim">',
           f'<div class="bqa-claim-head">结论：{verdict_badge(result.get("verdict"))}</div>']
    if result.get("claim"):
        out.append(f'<blockquote class="bqa-quote">{esc(result["claim"])}</blockquote>')
    checks = result.get("checks") or []
    if not checks:
        out.append(f'<div class="bqa-explain">{esc(result.get("explanation"))}</div>')
    out += [claim_check_html(c, i) for i, c in enumerate(checks, 1)]
    out.append("</div>")
    return "".join(out)


# --------------------------------------------------------------------------- consistency audit (审查)

SEVERITY_LABEL = {"high": "高", "medium": "中", "low": "低"}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
KIND_LABEL = {"cross-foot": "表内勾稽不闭合", "table-vs-table": "表与表不一致", "narrative-vs-table": "说明与表格不一致",
              "stated-change": "增减率与数字不符", "table-set": "标准表缺失或空表未注明",
              "placeholder": "占位符或模板残留", "year": "年份不符", "wording": "措辞与数字矛盾",
              "code-name": "科目编码与名称不符", "mixed-units": "金额单位混用", "narrative-total": "说明总额与表不符",
              "parser-doubt": "解析存疑（非文件错误）"}


def evidence_lines(evidence: list[dict]) -> list[str]:
    """Each cell or sentence a finding rests on, with the figure as printed and where it stands."""
    lines = []
    for e in evidence or []:
        loc = location_label(e)
        if e.get("table"):
            lines.append(f"《{e['table']}》{e.get('row') or ''} [{e.get('column') or ''}] = "
                         f"{e.get('printed', '')} {e.get('unit') or ''} {loc}".strip())
        else:
            lines.append(f"“{(e.get('quote') or '')[:80]}” {loc}".strip())
    return list(dict.fromkeys(lines))  # one sentence backs several figures: show it once


def audit_html(report: list[dict]) -> str:
    """`run_audit` output: per document the high/medium/low counts and a findings table, high first."""
    if not report:
        return "<div class='bqa-muted'>没有可审查的文档。</div>"
    out = []
    for doc in report:
        counts = doc.get("counts") or {}
        out.append(f'<div class="bqa-audit-doc"><h3>{esc(doc.get("doc"))}</h3><div class="bqa-audit-counts">'
                   + " ".join(f'<span class="bqa-sev bqa-sev-{s}">{SEVERITY_LABEL[s]} {counts.get(s, 0)}</span>'
                              for s in ("high", "medium", "low")))
        if doc.get("parser_doubts"):
            out.append(f' <span class="bqa-muted">解析存疑 {doc["parser_doubts"]}（非文件错误）</span>')
        closure = doc.get("closure")
        if closure and closure.get("checks"):
            out.append(f' <span class="bqa-muted">勾稽 {closure["closing"]}/{closure["checks"]} 闭合'
                       f'（{closure["share"]:.1%}）</span>')
        out.append("</div>")
        findings = sorted(doc.get("findings") or [],
                          key=lambda f: (SEVERITY_RANK.get(f.get("severity"), 3), f.get("page") or 0, f.get("line") or 0))
        if not findings:
            out.append("<div>未发现不一致。</div></div>")
            continue
        out.append('<div class="bqa-table-wrap"><table class="bqa-table bqa-findings"><tr><th>严重度</th><th>类型</th>'
                   '<th>位置</th><th>说明</th><th>依据（原文数字）</th></tr>')
        for f in findings:
            sev = f.get("severity") or ""
            evidence = "<br>".join(esc(x) for x in evidence_lines(f.get("evidence") or []))
            out.append(f'<tr class="bqa-f-{esc(sev)}"><td><span class="bqa-sev bqa-sev-{esc(sev)}">'
                       f'{esc(SEVERITY_LABEL.get(sev, sev))}</span></td>'
                       f'<td>{esc(KIND_LABEL.get(f.get("kind"), f.get("kind")))}</td><td>{esc(location_label(f))}</td>'
                       f'<td class="label">{esc(f.get("message"))}</td><td class="label bqa-evidence">{evidence}</td></tr>')
        out.append("</table></div></div>")
    return "".join(out)
