"""Claim-check evaluation: `eval/claims.jsonl` (gold verdicts read from the documents by hand) against
`check_claim`, scored overall and by category.

    PYTHONPATH=. .venv/bin/python -m budgetqa.evaluation.claims [--index-dir DIR] [--json]

A claim with `per_doc` gold (the same figure true of one document and absent from another) counts as
right only when the check gives each named document its gold verdict too.
"""
from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from budgetqa.checks.claims import check_claim

ROOT = Path(__file__).resolve().parents[2]
CLAIMS = ROOT / "eval" / "claims.jsonl"


def load_claims(path: Path = CLAIMS) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def judge(gold: dict, result: dict) -> bool:
    if result["verdict"] != gold["verdict"]:
        return False
    wanted = gold.get("per_doc") or {}
    got = {d["doc"]: d["verdict"] for d in result.get("per_document", [])}
    return all(got.get(doc) == verdict for doc, verdict in wanted.items())


def evaluate(engine, claims: list[dict]) -> dict:
    rows = []
    for gold in claims:
        result = check_claim(engine, gold["claim"])
        rows.append({"id": gold["id"], "category": gold["category"], "claim": gold["claim"], "gold": gold["verdict"],
                     "got": result["verdict"], "right": judge(gold, result),
                     "per_document": result.get("per_document", [])})
    by_category: dict[str, list[bool]] = defaultdict(list)
    for row in rows:
        by_category[row["category"]].append(row["right"])
    return {"total": len(rows), "right": sum(r["right"] for r in rows),
            "accuracy": round(sum(r["right"] for r in rows) / len(rows), 4) if rows else None,
            "by_category": {c: f"{sum(v)}/{len(v)}" for c, v in by_category.items()},
            "wrong": [r for r in rows if not r["right"]]}


def main(argv: list[str] | None = None) -> int:
    from budgetqa.engine import Engine

    parser = argparse.ArgumentParser(description="claim-check evaluation")
    parser.add_argument("--index-dir", default=str(ROOT / "index"))
    parser.add_argument("--claims", default=str(CLAIMS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    engine = Engine(args.index_dir)
    engine.ensure_index([str(ROOT / "corpus")])
    summary = evaluate(engine, load_claims(Path(args.claims)))
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(f"claims: {summary['right']}/{summary['total']} right ({summary['accuracy']:.1%})")
        for category, score in summary["by_category"].items():
            print(f"  {category}: {score}")
        for row in summary["wrong"]:
            print(f"  ✗ {row['id']} [{row['category']}] gold {row['gold']}, got {row['got']}: {row['claim']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
