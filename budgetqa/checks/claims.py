"""Claim check: is a journalist's sentence backed by the documents?

    check_claim(engine, "三明市12345热线中心2023年花了400多万元") ->
    {"claim", "verdict", "explanation", "checks": [{"text", "stated", "unit", "found", "found_unit",
                                                    "verdict", "citations", ...}]}

Each checkable figure (amounts in 元/万元/亿元, percentages, counts in 人/辆) is turned into a
question (the figure replaced by "多少<unit>") and asked of the engine. The found value is compared
with what the claim's wording allows: "402.64" must round to the stated digits; "400多万" means
400 ≤ x < 500; "约/大约/左右" within 5 %; "近/将近" at most the figure and within 5 % below it;
"超过/逾/多于" greater; "不到/少于/低于" smaller. When the engine cannot answer (not_found /
ambiguous) the figure is unverifiable and the answer says what the documents contain. When the
same document prints the claimed figure somewhere else and a different one where the engine
looked (固原: narrative 4.24 vs table 4.25), the check says so: the document contradicts itself.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetqa.model import convert_unit, parse_number

_FIGURE = re.compile(
    r"(?P<qual>超过|逾|多于|高于|不到|少于|低于|不足|大约|约|近|将近|接近)?\s*"
    r"(?P<num>[0-9][0-9,，]*(?:\.[0-9]+)?)\s*(?P<many>多)?\s*(?P<unit>亿元|万元|元|%|％|人|名|辆)"
    r"(?P<after>左右|以上|以下)?")
_YEARISH = re.compile(r"^(19|20)\d\d$")
QUAL_ABOUT = ("约", "大约")
QUAL_NEAR = ("近", "将近", "接近")
QUAL_OVER = ("超过", "逾", "多于", "高于")
QUAL_UNDER = ("不到", "少于", "低于", "不足")
ABOUT = Decimal("0.05")


def _fmt(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01")) if value != value.to_integral() else value
    return format(value.normalize(), "f")


def figures(text: str) -> list[dict]:
    """Checkable figures of a claim, in order."""
    out = []
    for m in _FIGURE.finditer(text):
        if _YEARISH.match(m["num"]) and m["unit"] not in ("元", "万元", "亿元"):
            continue
        value = parse_number(m["num"].replace("，", ","))
        if value is None:
            continue
        unit = {"％": "%", "名": "人"}.get(m["unit"], m["unit"])
        qual = m["qual"] or ""
        if m["after"] == "左右":
            qual = qual or "约"
        elif m["after"] == "以上":
            qual = qual or "超过"
        elif m["after"] == "以下":
            qual = qual or "不到"
        out.append({"text": m.group(0).strip(), "start": m.start(), "end": m.end(), "value": value,
                    "printed": m["num"], "unit": unit, "qualifier": qual, "many": bool(m["many"])})
    return out


def _allowed(fig: dict) -> tuple[str, object]:
    """What the claim's wording allows, as a test description and a predicate."""
    value, qual, printed = fig["value"], fig["qualifier"], fig["printed"]
    if fig["many"]:
        digits = printed.split(".")[0].replace(",", "")
        zeros = len(digits) - len(digits.rstrip("0"))
        step = Decimal(10) ** zeros if zeros else Decimal(1)
        return f"{printed}多：{_fmt(value)} ≤ x < {_fmt(value + step)}", lambda x: value <= x < value + step
    if qual in QUAL_OVER:
        return f"超过 {printed}：x > {printed}", lambda x: x > value
    if qual in QUAL_UNDER:
        return f"不到 {printed}：x < {printed}", lambda x: x < value
    if qual in QUAL_ABOUT:
        return f"约 {printed}：相差不超过 5%", lambda x: abs(x - value) <= abs(value) * ABOUT
    if qual in QUAL_NEAR:
        return f"近 {printed}：{_fmt(value * (1 - ABOUT))} ≤ x ≤ {printed}", \
            lambda x: value * (1 - ABOUT) <= x <= value
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    half = Decimal(5) / Decimal(10) ** (decimals + 1)
    return f"{printed}：按所写精度四舍五入后相等", lambda x: abs(x - value) <= half


def _question(claim: str, fig: dict) -> str:
    unit = fig["unit"]
    asked = f"多少{unit}" if unit != "%" else "多少%"
    question = claim[:fig["start"]] + asked + claim[fig["end"]:]
    # keep only the clause the figure stands in, plus the claim's opening (unit, year)
    clauses = re.split(r"[，,；;。]", question)
    target = next((c for c in clauses if asked in c), question)
    head = clauses[0]
    return target if target == head else f"{head}，{target}"


def _same_doc_conflicts(engine, citation: dict, fig: dict, claim: str, found: Decimal) -> list[dict]:
    """Other places of the same document that print the claimed figure for an item the claim names."""
    from budgetqa.answer import citation as cite
    from budgetqa.checks.audit import normalize_label

    doc_id = citation.get("doc_id")
    if not doc_id:
        return []
    meta = engine.metas.get(doc_id)
    text = re.sub(r"\s+", "", claim)
    out = []
    for fact in engine.facts_of([doc_id]):
        if fact.id == citation.get("fact_id"):
            continue
        value = convert_unit(fact.value, fact.unit, fig["unit"])
        if value is None or value == found:
            continue
        name = normalize_label(fact.item if fact.kind == "narrative" else fact.row_label)
        if len(name) < 3 or name not in text:
            continue
        if _allowed(fig)[1](value) and abs(value - fig["value"]) <= abs(found - fig["value"]):
            out.append(cite(fact, meta))
    return out[:3]


def check_figure(engine, claim: str, fig: dict) -> dict:
    question = _question(claim, fig)
    answer = engine.ask(question)
    test, holds = _allowed(fig)
    result = {"text": fig["text"], "stated": float(fig["value"]), "stated_text": fig["printed"], "unit": fig["unit"],
              "qualifier": fig["qualifier"] + ("多" if fig["many"] else ""), "test": test, "question": question,
              "found": None, "found_unit": None, "verdict": "unverifiable", "citations": answer.get("citations", []),
              "explanation": ""}
    if answer.get("status") != "answered" or answer.get("value") is None:
        what = answer.get("answer", "").strip()
        result["explanation"] = (f"无法核实“{fig['text']}”：文档中没有能直接对应的数据。"
                                 f"查询“{question}”的结果：{what}")
        return result
    found = convert_unit(Decimal(str(answer.get("value_text") or answer["value"])), answer.get("unit") or "", fig["unit"])
    if found is None:
        result["explanation"] = (f"无法核实“{fig['text']}”：文档给出的是 {answer.get('value')} {answer.get('unit')}，"
                                 f"与所述单位 {fig['unit']} 不可比。")
        return result
    result["found"], result["found_unit"] = float(found), fig["unit"]
    source = answer["citations"][0] if answer.get("citations") else {}
    where = _where(source)
    if holds(found):
        result["verdict"] = "supported"
        result["explanation"] = f"属实：文档为 {_fmt(found)} {fig['unit']}（{where}），符合“{fig['text']}”（{test}）。"
        conflicts = _same_doc_conflicts(engine, source, fig, claim, found) if fig["qualifier"] == "" and not fig["many"] \
            else []
        conflicts = [c for c in conflicts if Decimal(str(c["value"])) != found]
    else:
        conflicts = _same_doc_conflicts(engine, source, fig, claim, found)
        if conflicts:
            result["verdict"] = "supported"
            other = conflicts[0]
            result["explanation"] = (f"文件自相矛盾：{_where(other)} 写 {other['printed']} {other['unit']}，"
                                     f"与“{fig['text']}”相符；但 {where} 写 {_fmt(found)} {fig['unit']}。"
                                     f"两个数字都出自同一份文件。")
        else:
            result["verdict"] = "contradicted"
            result["explanation"] = (f"不符：文档为 {_fmt(found)} {fig['unit']}（{where}），"
                                     f"与“{fig['text']}”不符（{test}）。")
        conflicts = conflicts if result["verdict"] == "supported" else []
    if conflicts and result["verdict"] == "supported" and "自相矛盾" not in result["explanation"]:
        other = conflicts[0]
        result["explanation"] += f" 注意：同一文件 {_where(other)} 另写 {other['printed']} {other['unit']}，文件自相矛盾。"
    if conflicts:
        result["document_conflict"] = True
        result["citations"] = result["citations"][:1] + conflicts
    return result


def _where(c: dict) -> str:
    if not c:
        return "文档"
    loc = f"第{c['page']}页" if c.get("page") else (f"第{c['line']}行" if c.get("line") else "")
    if c.get("kind") == "narrative" or not c.get("table"):
        return f"{c.get('doc', '')} {loc} 说明文字“{(c.get('quote') or '')[:60]}”"
    return f"{c.get('doc', '')} {loc}《{c['table']}》{c.get('row') or ''} · {c.get('column') or ''}"


def check_claim(engine, text: str) -> dict:
    claim = text.strip()
    figs = figures(claim)
    if not figs:
        return {"claim": claim, "verdict": "unverifiable", "checks": [],
                "explanation": "句中没有可核对的数字（金额、百分比、人数或车辆数）。"}
    checks = [check_figure(engine, claim, fig) for fig in figs]
    verdicts = {c["verdict"] for c in checks}
    if verdicts == {"supported"}:
        verdict = "supported"
    elif verdicts == {"contradicted"}:
        verdict = "contradicted"
    elif verdicts == {"unverifiable"}:
        verdict = "unverifiable"
    elif "supported" in verdicts:
        verdict = "partly"
    elif "contradicted" in verdicts:
        verdict = "contradicted"
    else:
        verdict = "unverifiable"
    label = {"supported": "属实", "contradicted": "不符", "partly": "部分属实", "unverifiable": "无法核实"}[verdict]
    explanation = f"结论：{label}。" + " ".join(c["explanation"] for c in checks)
    return {"claim": claim, "verdict": verdict, "explanation": explanation, "checks": checks}
