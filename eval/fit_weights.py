"""Fit the ranking weights (budgetqa/data/ranking_weights.toml) by coordinate search on the tuning
questions only — eval/questions.jsonl, putuo_, analyst_, heldout_, newsroom_, hard_, desk_, everyday_
and compare_questions.jsonl (seeds + Putuo).
The validation set (eval/validation_questions.jsonl) is never read here: score it afterwards with
`python app.py eval`.

    PYTHONPATH=. .venv/bin/python eval/fit_weights.py [--index-dir DIR] [--minutes 25] [--write]

Each weight in turn is tried ×0.5, ×1.5, +1 and −1; a change is kept only when the number of right
answers rises and the number of silent wrong figures (answered, but wrong) does not. Passes over all
weights repeat until one keeps no change. One index and
one Engine serve every trial: only `engine.finder.weights` changes. A trial first asks the
questions the current weights get wrong (none righted: rejected), then the others until the losses
cancel the gains. The search stops when the time budget is spent; `--write` writes the fitted values
into the weights file (only if they improved).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from budgetqa.answer.weights import THRESHOLDS, WEIGHTS, RankingWeights, write_weights
from budgetqa.engine import Engine
from budgetqa.evaluation import qa
from budgetqa.evaluation.run import CORPUS, QUESTION_FILES, VALIDATION_FILE

assert VALIDATION_FILE not in QUESTION_FILES  # the validation set stays unseen by the fit


@dataclass(frozen=True)
class Outcome:
    """How one question was answered: right, or a silent wrong figure (answered, but wrong)."""
    right: bool
    silent_wrong: bool


def outcome(engine: Engine, q: dict) -> Outcome:
    """Ask one tuning question and judge the answer as the eval does."""
    try:
        answer = engine.ask(q["question"]).to_json()
    except Exception:  # noqa: BLE001 — a crash is a wrong answer, as in the eval
        answer = {"status": "error", "citations": []}
    row = qa.judge(q, answer)
    return Outcome(bool(row["correct"]), row.get("status") == "answered" and not row["correct"])


def summary(outcomes: list[Outcome]) -> str:
    right = sum(o.right for o in outcomes)
    return f"{right}/{len(outcomes)} right, {sum(o.silent_wrong for o in outcomes)} silent wrong"


def try_weights(engine: Engine, questions: list[dict], weights: RankingWeights,
                best: list[Outcome]) -> list[Outcome] | None:
    """The outcomes with these weights when they beat `best` (more right, no more silent wrong),
    else None. The questions `best` gets wrong go first: a change that rights none of them cannot
    raise accuracy, and the rest stop as soon as the losses cancel the gains."""
    engine.finder.weights = weights
    wrong = [i for i, o in enumerate(best) if not o.right]
    found = {i: outcome(engine, questions[i]) for i in wrong}
    gains = sum(found[i].right for i in wrong)
    if not gains:
        return None
    losses = 0
    for i in (i for i, o in enumerate(best) if o.right):
        found[i] = outcome(engine, questions[i])
        losses += not found[i].right
        if losses >= gains:
            return None
    outcomes = [found[i] for i in range(len(questions))]
    return outcomes if sum(o.silent_wrong for o in outcomes) <= sum(o.silent_wrong for o in best) else None


def trials(weights: RankingWeights, name: str) -> list[float]:
    """The values tried for one weight: half, one and a half, one more and one less (a share stays
    a share; a weight stays non-negative)."""
    value = getattr(weights, name)
    tried = [value * 0.5, value * 1.5]
    if not name.endswith("_share"):
        tried += [value + 1.0, value - 1.0]
    return [t for t in dict.fromkeys(tried) if t >= 0 and t != value]


def fit(engine: Engine, questions: list[dict], start: RankingWeights, seconds: float, log) -> tuple[RankingWeights, list[dict]]:
    deadline = time.monotonic() + seconds
    engine.finder.weights = start
    best, outcomes = start, [outcome(engine, q) for q in questions]
    log(f"fit: start: {summary(outcomes)}")
    history = [{"weight": None, "value": None, "result": summary(outcomes), "kept": True}]
    improved = True
    while improved:  # passes over all weights until one keeps no change
        improved = False
        for name in [n for n in start.names() if n not in THRESHOLDS]:
            for value in trials(best, name):
                if time.monotonic() > deadline:
                    log("fit: time budget spent")
                    engine.finder.weights = best
                    return best, history
                candidate = best.replace(**{name: value})
                better = try_weights(engine, questions, candidate, outcomes)
                history.append({"weight": name, "value": value, "kept": better is not None,
                                "result": summary(better) if better else "not better"})
                log(f"fit: {name} {getattr(best, name)} -> {value}: {history[-1]['result']}")
                if better is not None:
                    best, outcomes, improved = candidate, better, True
                    break  # the next weight, from the improved point
    engine.finder.weights = best
    return best, history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", default="/tmp/budgetqa-fit-index",
                        help="index of corpus/ to reuse (built there when empty)")
    parser.add_argument("--minutes", type=float, default=25.0, help="time budget of the search")
    parser.add_argument("--limit", type=int, default=0, help="only the first N tuning questions (a smoke run)")
    parser.add_argument("--log", default="", help="write every trial as JSON lines to this file")
    parser.add_argument("--write", action="store_true", help="write the fitted weights into the weights file")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    questions = qa.load_questions(QUESTION_FILES, log=log)
    if args.limit:
        questions = questions[:args.limit]
    engine = Engine(args.index_dir)
    if engine.ensure_index([CORPUS]) is not None:
        log(f"fit: built the index of {CORPUS} in {args.index_dir}")
    started = time.monotonic()
    fitted, history = fit(engine, questions, WEIGHTS, args.minutes * 60, log)
    log(f"fit: {len(history) - 1} trials in {time.monotonic() - started:.0f} s")
    if args.log:
        Path(args.log).write_text("".join(json.dumps(h, ensure_ascii=False) + "\n" for h in history), encoding="utf-8")
    changed = {n: (getattr(WEIGHTS, n), getattr(fitted, n)) for n in fitted.names() if getattr(fitted, n) != getattr(WEIGHTS, n)}
    for name, (old, new) in changed.items():
        print(f"{name}: {old} -> {new}")
    if not changed:
        print("no change improved the tuning questions")
    elif args.write:
        write_weights(fitted)
        print("written to budgetqa/data/ranking_weights.toml")
    return 0


if __name__ == "__main__":
    sys.exit(main())
