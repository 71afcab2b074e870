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

from budgetqa.answer.compose import Answer, Citation
from budgetqa.model.document import convert_unit, parse_number

_FIGURE = re.compile(
    r"(?P<qual>超过|逾|多于|高于|不到|少于|低于|不足|大约|约|近|将近|接近)?\s*"
    r"(?P<num>[0-9][0-9,，]*(?:\.[0-9]+)?)\s*(?P<many>多)?\s*(?P<unit>亿元|万元|元|%|％|人|名|辆)"
    r"(?P<after>左右|以上|以下)?")
_YEARISH = re.compile(r"^(19|20)\d\d$")
# shares and changes said in words, rewritten as the percentages they mean before figures are read:
# "约九成" -> "约90%", "八成以上" -> "80%以上", "一半" -> "50%", "翻番" -> "增长100%"
_TENTHS = re.compile(r"(?P<n>[一二三四五六七八九])成")
_HALF = re.compile(r"一半")
_DOUBLINGS = [(re.compile(r"翻了?两番"), "增长300%"), (re.compile(r"翻了?一?番"), "增长100%")]
_CN_DIGIT = {c: i + 1 for i, c in enumerate("一二三四五六七八九")}
_SUBJECT = re.compile(r".*?(?:19|20)\d{2}\s*年度?")
_NO_ITEM = re.compile(r"^\s*(?:比|较|同比|与|增长|增加|下降|减少|降低|占|达|共计|合计)")
QUAL_ABOUT = ("约", "大约")
QUAL_NEAR = ("近", "将近", "接近")
QUAL_OVER = ("超过", "逾", "多于", "高于")
QUAL_UNDER = ("不到", "少于", "低于", "不足")
ABOUT = Decimal("0.05")


def _fmt(value: Decimal) -> str:
    value = value.quantize(Decimal("0.01")) if value != value.to_integral() else value
    return format(value.normalize(), "f")


def in_figures(text: str) -> str:
    """The claim with shares and changes said in words written as percentages."""
    text = _TENTHS.sub(lambda m: f"{_CN_DIGIT[m['n']] * 10}%", text)
    text = _HALF.sub("50%", text)
    for pattern, replacement in _DOUBLINGS:
        text = pattern.sub(replacement, text)
    return text


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
    if target == head:
        return target
    if _NO_ITEM.match(target):  # "比上年增长4.58%" speaks of the opening's item: keep it, not its figure
        return f"{_FIGURE.sub('', head)}{target}"
    # a clause with its own item ("奖金4.4万元") takes only the opening's subject (unit and year)
    subject = _SUBJECT.match(head)
    return f"{subject.group(0)}{target}" if subject else f"{head}，{target}"


def _same_doc_conflicts(engine, citation: dict, fig: dict, claim: str, found: Decimal) -> list[dict]:
    """Other places of the same document that print the claimed figure for an item the claim names
    (`claim` is the figure's own question, so another figure's item never stands in for it)."""
    from budgetqa.checks.audit import normalize_label

    doc_id = citation.get("doc_id")
    if not doc_id:
        return []
    text = re.sub(r"\s+", "", claim)
    out = []
    for fact in engine.finder.facts_of([doc_id]):
        if fact.id == citation.get("fact_id"):
            continue
        value = convert_unit(fact.value, fact.unit, fig["unit"])
        if value is None or value == found:
            continue
        name = normalize_label(fact.item if fact.kind == "narrative" else fact.row_label)
        if len(name) < 3 or name not in text:
            continue
        if _allowed(fig)[1](value) and abs(value - fig["value"]) <= abs(found - fig["value"]):
            out.append(Citation(fact).to_json())
    return out[:3]


def _each_alike(result: dict, docs: list[str], answer) -> dict:
    """The verdict of a figure that several documents print alike (a unit's 部门 and 单位 budget), stated
    for each of them with its own citation."""
    result["per_document"] = [
        {"doc": doc, "label": doc, "verdict": result["verdict"], "found": result["found"],
         "explanation": result["explanation"],
         "citations": [c.to_json() for c in answer.citations if c.fact.source == doc][:2]} for doc in docs]
    return result


def check_figure(engine, claim: str, fig: dict) -> dict:
    """The figure's verdict; when several documents fit (a 部门预算 and a 单位预算 of one unit), one
    verdict per document, and the figure holds when it holds of one and no other contradicts it."""
    question = _question(claim, fig)
    answer = engine.ask(question)
    candidates = [c for c in answer.candidates if c.doc]
    cited = list(dict.fromkeys(c.fact.source for c in answer.citations))
    if answer.status == "answered" and len(cited) > 1:  # several documents print the one figure
        return _each_alike(_judge(engine, fig, question, answer), cited, answer)
    if answer.status != "ambiguous" or not candidates:
        return _judge(engine, fig, question, answer)
    per_document = []
    for candidate in candidates:
        asked = _for_document(question, candidate.label)
        judged = _judge(engine, fig, asked, engine.ask(asked))
        per_document.append({"doc": candidate.doc, "label": candidate.label, "verdict": judged["verdict"],
                             "found": judged["found"], "explanation": judged["explanation"],
                             "citations": judged["citations"][:2]})
    result = _judge(engine, fig, question, answer)
    result["verdict"] = combine([d["verdict"] for d in per_document], per_document=True)
    result["per_document"] = per_document
    result["explanation"] = " ".join(f"【{d['label']}】{d['explanation']}" for d in per_document)
    result["citations"] = [c for d in per_document for c in d["citations"]]
    return result


def _for_document(question: str, label: str) -> str:
    """The question narrowed to one document by its kind words: '…2025年…' -> '…2025年部门预算…'."""
    kind = label.split()[-1]
    narrowed, n = re.subn(r"((?:19|20)\d{2}\s*年度?)", lambda m: m.group(1) + kind, question, count=1)
    return narrowed if n else f"{label}{question}"


def _judge(engine, fig: dict, question: str, answer: Answer) -> dict:
    test, holds = _allowed(fig)
    result = {"text": fig["text"], "stated": float(fig["value"]), "stated_text": fig["printed"], "unit": fig["unit"],
              "qualifier": fig["qualifier"] + ("多" if fig["many"] else ""), "test": test, "question": question,
              "found": None, "found_unit": None, "verdict": "unverifiable",
              "citations": [c.to_json() for c in answer.citations],
              "explanation": ""}
    if answer.status != "answered" or answer.value is None:
        what = answer.text.strip()
        result["explanation"] = (f"无法核实“{fig['text']}”：文档中没有能直接对应的数据。"
                                 f"查询“{question}”的结果：{what}")
        return result
    found = convert_unit(Decimal(answer.value_text), answer.unit or "", fig["unit"])
    if found is None:
        result["explanation"] = (f"无法核实“{fig['text']}”：文档给出的是 {float(answer.value)} {answer.unit}，"
                                 f"与所述单位 {fig['unit']} 不可比。")
        return result
    result["found"], result["found_unit"] = float(found), fig["unit"]
    source = result["citations"][0] if result["citations"] else {}
    where = _where(source)
    if holds(found):
        result["verdict"] = "supported"
        result["explanation"] = f"属实：文档为 {_fmt(found)} {fig['unit']}（{where}），符合“{fig['text']}”（{test}）。"
        conflicts = _same_doc_conflicts(engine, source, fig, question, found) if fig["qualifier"] == "" and not fig["many"] \
            else []
        conflicts = [c for c in conflicts if Decimal(str(c["value"])) != found]
    else:
        conflicts = _same_doc_conflicts(engine, source, fig, question, found)
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


def combine(verdicts: list[str], per_document: bool = False) -> str:
    """One verdict from several: of a claim's figures, or of one figure in several documents (where a
    figure true of one document and absent from another holds)."""
    found = set(verdicts)
    if per_document and found & {"supported", "contradicted"}:
        found.discard("unverifiable")
    if found == {"supported"}:
        return "supported"
    if found == {"unverifiable"} or not found:
        return "unverifiable"
    if "supported" in found:
        return "partly"
    return "contradicted"


def _per_document(checks: list[dict]) -> list[dict]:
    """Each document's verdict on the whole claim, when some figure was judged per document."""
    docs: dict[str, dict] = {}
    for check in checks:
        for d in check.get("per_document", []):
            docs.setdefault(d["doc"], {"doc": d["doc"], "label": d["label"], "verdicts": []})["verdicts"].append(
                d["verdict"])
    return [{"doc": d["doc"], "label": d["label"], "verdict": combine(d["verdicts"])} for d in docs.values()]


def check_claim(engine, text: str) -> dict:
    claim = text.strip()
    worded = in_figures(claim)
    figs = figures(worded)
    if not figs:
        return {"claim": claim, "verdict": "unverifiable", "checks": [], "per_document": [],
                "explanation": "句中没有可核对的数字（金额、百分比、人数或车辆数）。"}
    checks = [check_figure(engine, worded, fig) for fig in figs]
    verdict = combine([c["verdict"] for c in checks])
    label = {"supported": "属实", "contradicted": "不符", "partly": "部分属实", "unverifiable": "无法核实"}[verdict]
    read_as = f"（按百分比核对：“{worded}”）" if worded != claim else ""
    explanation = f"结论：{label}。{read_as}" + " ".join(c["explanation"] for c in checks)
    return {"claim": claim, "verdict": verdict, "explanation": explanation, "checks": checks,
            "per_document": _per_document(checks)}
