"""QA accuracy, retrieval@k and latency over the question sets (format in docs/CONTRACTS.md)."""
from __future__ import annotations

import json
import statistics
import time
from collections import defaultdict
from pathlib import Path

from budgetqa.evaluation.matching import (
    all_sources_cited,
    answer_value,
    any_citation_matches,
    cites_same_figure,
    is_narrative_source,
    judge_value,
    same_doc,
    states_text,
)
from budgetqa.model.document import as_decimal

CATEGORIES = ("lookup", "paraphrase", "narrative", "computation", "cross_document", "ambiguous", "not_found")
RETRIEVAL_KS = (1, 3, 5, 10)


def load_questions(paths: list[Path], log=print) -> list[dict]:
    questions, seen = [], set()
    for path in paths:
        if not path.exists():
            log(f"questions: {path} not found (skipped)")
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as error:
                log(f"questions: {path.name}:{number}: bad JSON ({error.msg}), skipped")
                continue
            if not item.get("question"):
                continue
            qid = str(item.get("id") or f"{path.stem}:{number}")
            if (path.name, qid) in seen:
                qid = f"{qid}#{number}"
            seen.add((path.name, qid))
            item["id"] = qid
            item["_file"] = path.name
            item.setdefault("category", "lookup")
            item.setdefault("status", "answered")
            item["sources"] = [s for s in item.get("sources") or [] if isinstance(s, dict)]
            questions.append(item)
    return questions


def subset(questions: list[dict], fast: bool) -> list[dict]:
    """--fast: every third question (per file, so each set stays represented)."""
    if not fast:
        return questions
    by_file = defaultdict(list)
    for q in questions:
        by_file[q["_file"]].append(q)
    return [q for items in by_file.values() for q in items[::3]]


def single_source(q: dict) -> dict | None:
    sources = q.get("sources") or []
    return sources[0] if q.get("status") == "answered" and len(sources) == 1 else None


def judge(q: dict, answer: dict) -> dict:
    """Everything we measure about one answer."""
    gold_status = q.get("status", "answered")
    status = answer.get("status")
    row = {"id": q["id"], "file": q["_file"], "category": q.get("category", "lookup"),
           "question": q["question"], "gold_status": gold_status, "status": status,
           "status_right": status == gold_status,
           "gold_value": q.get("value"), "gold_unit": q.get("unit"),
           "value": answer.get("value_text", answer.get("value")), "unit": answer.get("unit")}
    citations = answer.get("citations") or []
    if gold_status == "answered":
        verdict = judge_value(answer_value(answer), answer.get("unit"), str(q.get("value")), q.get("unit") or "")
        if status != "answered":
            verdict = {k: False for k in verdict}
        row.update(verdict)
        sources = q.get("sources") or []
        row["citation_right"] = bool(sources) and any_citation_matches(citations, sources)
        row["citation_all"] = all_sources_cited(citations, sources)
        row["citation_same_figure"] = row["citation_right"] or any(
            cites_same_figure(c, s, str(q.get("value")), q.get("unit") or "") for c in citations for s in sources)
        # a why / what-for question has no figure to check: right when the answer quotes the
        # document's sentence that says it (before, such a question could never be right)
        if q.get("value") is not None and as_decimal(q.get("value")) is None:  # a printed text ("公益二类事业单位", "≥120个")
            row["value_converted"] = states_text(answer.get("answer") or "", str(q["value"]))
        row["correct"] = row["status_right"] and (row["value_converted"] if q.get("value") is not None
                                                  else row["citation_right"])
    elif gold_status == "ambiguous":
        wanted = [c.get("doc") if isinstance(c, dict) else c for c in q.get("candidates") or []]
        offered = [c.get("doc") for c in (answer.get("candidates") or []) if isinstance(c, dict)]
        offered += [c.get("doc") for c in citations]
        row["candidates_covered"] = all(any(same_doc(o, w) for o in offered) for w in wanted if w)
        row["correct"] = row["status_right"]
    else:
        row["correct"] = row["status_right"]
    return row


def retrieval_hits(q: dict, records: list[dict]) -> dict:
    source = single_source(q)
    hits = {}
    for k in RETRIEVAL_KS:
        hits[k] = any_citation_matches(records[:k], [source])
    rank = next((i + 1 for i, r in enumerate(records) if any_citation_matches([r], [source])), None)
    return {"hits": hits, "rank": rank}


def run_qa(engine, questions: list[dict], log=print, retrieve_k: int = 10) -> list[dict]:
    rows = []
    for number, q in enumerate(questions, 1):
        started = time.perf_counter()
        try:
            answer = engine.ask(q["question"]).to_json()  # judged as `ask --json` prints it
            error = ""
        except Exception as exc:  # noqa: BLE001 — a crash is a wrong answer, not an aborted eval
            answer, error = {"status": "error", "citations": []}, f"{type(exc).__name__}: {exc}"
        elapsed = time.perf_counter() - started
        row = judge(q, answer)
        row["latency_ms"] = elapsed * 1000
        row["error"] = error
        row["answer"] = answer.get("answer", "")
        row["citations"] = [{k: c.get(k) for k in ("doc", "table", "row", "column", "printed", "unit", "page", "line")}
                            for c in (answer.get("citations") or [])[:3]]
        source = single_source(q)
        if source is not None:
            try:
                records = engine.retrieve(q["question"], k=retrieve_k)
            except Exception as exc:  # noqa: BLE001
                records, row["error"] = [], row["error"] or f"retrieve: {type(exc).__name__}: {exc}"
            row["retrieval_kind"] = "narrative" if is_narrative_source(source) else "cell"
            row.update(retrieval_hits(q, records))
            row["retrieved"] = records[:retrieve_k]
        rows.append(row)
        if number % 25 == 0:
            log(f"qa: {number}/{len(questions)}")
    return rows


def silent_wrong(rows: list[dict]) -> float | None:
    """Share of questions answered with a figure that is wrong: the worst outcome (a wrong figure
    said with confidence), where ambiguous / not_found at least warn the reader."""
    if not rows:
        return None
    return sum(1 for r in rows if r.get("status") == "answered" and not r["correct"]) / len(rows)


def rate(rows: list[dict], key: str) -> float | None:
    values = [bool(r.get(key)) for r in rows if key in r]
    return sum(values) / len(values) if values else None


def summarize(rows: list[dict]) -> dict:
    """Per-category and overall rates."""
    def block(items: list[dict]) -> dict:
        answered = [r for r in items if r["gold_status"] == "answered"]
        return {"n": len(items), "n_answered_gold": len(answered),
                "accuracy": rate(items, "correct"), "status": rate(items, "status_right"),
                "value_strict": rate(answered, "value_strict"), "value": rate(answered, "value_converted"),
                "unit_strict": rate(answered, "unit_strict"), "unit": rate(answered, "unit_converted"),
                "citation": rate(answered, "citation_right"), "citation_all": rate(answered, "citation_all"),
                "citation_same_figure": rate(answered, "citation_same_figure")}

    categories = {}
    order = list(CATEGORIES) + sorted({r["category"] for r in rows} - set(CATEGORIES))
    for category in order:
        items = [r for r in rows if r["category"] == category]
        if items:
            categories[category] = block(items)
    return {"categories": categories, "overall": block(rows)}


def summarize_retrieval(rows: list[dict]) -> dict:
    out = {}
    for kind in ("cell", "narrative", "all"):
        items = [r for r in rows if "hits" in r and (kind == "all" or r["retrieval_kind"] == kind)]
        out[kind] = {"n": len(items),
                     **{f"at_{k}": (sum(r["hits"][k] for r in items) / len(items) if items else None)
                        for k in RETRIEVAL_KS}}
    return out


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarize_latency(rows: list[dict]) -> dict:
    values = [r["latency_ms"] for r in rows if "latency_ms" in r]
    return {"n": len(values), "p50_ms": percentile(values, 0.5), "p95_ms": percentile(values, 0.95),
            "max_ms": max(values) if values else None,
            "mean_ms": statistics.fmean(values) if values else None}
