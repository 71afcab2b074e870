"""CLI commands `check` (claim check) and `audit` (consistency audit); wired into budgetqa/cli.py."""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from budgetqa.checks.audit import audit_document
from budgetqa.checks.claims import check_claim
from budgetqa.checks.closure import closure_summary
from budgetqa.checks.findings import DOCUMENT, PARSER

CSV_FIELDS = ["doc", "kind", "severity", "size", "origin", "page", "line", "message", "difference", "unit",
              "evidence"]


def cmd_check(args, engine) -> int:
    if getattr(args, "jsonl", False):
        from budgetqa.cli import read_lines

        for number, claim, problem in read_lines(sys.stdin.buffer):
            result = check_claim(engine, claim) if not problem else {"claim": None, "verdict": "error", "error": problem}
            print(json.dumps({**result, "line": number}, ensure_ascii=False), flush=True)
        return 0
    if not getattr(args, "claim", None):
        print("usage error: check needs a CLAIM (or --jsonl)", file=sys.stderr)
        return 2
    result = check_claim(engine, args.claim)
    if getattr(args, "json", False):
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(result["explanation"])
    return 0


def select_documents(engine, wanted: list[str]) -> list[dict]:
    """The ingested documents that file names, doc ids or name fragments name (all when none)."""
    docs = engine.documents()
    if not wanted:
        return docs
    chosen = []
    for name in wanted:
        hits = [d for d in docs if name in (d["doc_id"], d["source"]) or name in d["source"]
                or Path(name).name == d["source"]]
        if not hits:
            raise SystemExit(f"error: no ingested document matches {name!r}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def run_audit(engine, wanted: list[str] | None = None) -> list[dict]:
    engine.load()
    out = []
    for d in select_documents(engine, wanted or []):
        doc = engine.parsed(d["doc_id"])
        facts = engine.finder.facts_of([d["doc_id"]])
        findings = audit_document(doc, facts)
        closure = closure_summary([doc])[0]
        out.append({"doc": d["source"], "doc_id": d["doc_id"],
                    "closure": {"checks": closure["checks"], "closing": closure["closing"],
                                "share": round(closure["share"], 4)},
                    # the document's own errors by severity; our doubts about reading it apart
                    "counts": {s: sum(1 for f in findings if f.severity == s and f.origin == DOCUMENT)
                               for s in ("high", "medium", "low")},
                    "parser_doubts": sum(1 for f in findings if f.origin == PARSER),
                    "findings": [f.to_dict() for f in findings]})
    return out


def _closure_text(doc: dict) -> str:
    closure = doc["closure"]
    return f"勾稽 {closure['closing']}/{closure['checks']} 闭合（{closure['share']:.1%}）"


def _doubt_text(doc: dict) -> str:
    return f" · 解析存疑 {doc['parser_doubts']}（非文件错误）" if doc.get("parser_doubts") else ""


def evidence_text(evidence: list[dict]) -> str:
    parts = []
    for e in evidence:
        loc = f"p{e['page']}" if e.get("page") else (f"l{e['line']}" if e.get("line") else "")
        if e.get("table"):
            parts.append(f"《{e['table']}》{e.get('row') or ''} [{e.get('column') or ''}] = {e.get('printed', '')} "
                         f"{e.get('unit', '')} {loc}".strip())
        else:
            parts.append(f"“{(e.get('quote') or '')[:80]}” {loc}".strip())
    return "; ".join(parts)


def to_markdown(report: list[dict]) -> str:
    lines = ["# 一致性审核报告", ""]
    for doc in report:
        c = doc["counts"]
        lines += [f"## {doc['doc']}", "", f"高 {c['high']} · 中 {c['medium']} · 低 {c['low']} · {_closure_text(doc)}"
                  + _doubt_text(doc), ""]
        if not doc["findings"]:
            lines += ["未发现不一致。", ""]
            continue
        lines += ["| 严重度 | 类型 | 位置 | 说明 | 依据 |", "|---|---|---|---|---|"]
        for f in doc["findings"]:
            loc = f"第{f['page']}页" if f.get("page") else (f"第{f['line']}行" if f.get("line") else "")
            cells = [f["severity"], f["kind"], loc, f["message"], evidence_text(f["evidence"])]
            lines.append("| " + " | ".join(str(x).replace("|", "\\|").replace("\n", " ") for x in cells) + " |")
        lines.append("")
    return "\n".join(lines)


def write_csv(report: list[dict], path: str | Path) -> None:
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for doc in report:
            for f in doc["findings"]:
                writer.writerow({"doc": doc["doc"], "kind": f["kind"], "severity": f["severity"], "size": f["size"],
                                 "origin": f["origin"], "page": f["page"], "line": f["line"], "message": f["message"],
                                 "difference": f["difference"], "unit": f["unit"],
                                 "evidence": evidence_text(f["evidence"])})


def cmd_audit(args, engine) -> int:
    report = run_audit(engine, list(getattr(args, "docs", None) or []))
    if getattr(args, "markdown", None):
        Path(args.markdown).write_text(to_markdown(report), encoding="utf-8")
    if getattr(args, "csv", None):
        write_csv(report, args.csv)
    if getattr(args, "json", False):
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for doc in report:
            c = doc["counts"]
            print(f"{doc['doc']}: 高 {c['high']} · 中 {c['medium']} · 低 {c['low']} · {_closure_text(doc)}"
                  + _doubt_text(doc))
            for f in doc["findings"]:
                loc = f"p{f['page']}" if f.get("page") else (f"l{f['line']}" if f.get("line") else "")
                print(f"  [{f['severity']}] {f['kind']} {loc}: {f['message']}")
    return 0
