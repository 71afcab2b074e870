"""The eval report: Markdown + PNG charts + JSON under the report directory, a summary on stdout."""
from __future__ import annotations

import json
from pathlib import Path


def pct(value) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def ms(value) -> str:
    return "n/a" if value is None else f"{value:.0f} ms"


def _table(headers: list[str], rows: list[list]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in row) + " |")
    return "\n".join(lines)


QA_HEADERS = ["category", "n", "accuracy", "status", "value (strict)", "value (converted)",
              "unit (strict)", "unit (converted)", "citation", "citation (same row, figure)", "all sources cited"]


def qa_rows(summary: dict) -> list[list]:
    rows = []
    for name, b in list(summary["categories"].items()) + [("**overall**", summary["overall"])]:
        rows.append([name, b["n"], pct(b["accuracy"]), pct(b["status"]), pct(b["value_strict"]), pct(b["value"]),
                     pct(b["unit_strict"]), pct(b["unit"]), pct(b["citation"]), pct(b["citation_same_figure"]),
                     pct(b["citation_all"])])
    return rows


def write_charts(out: Path, results: dict) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    qa = results.get("qa")
    if qa and qa["summary"]["categories"]:
        cats = list(qa["summary"]["categories"]) + ["overall"]
        blocks = [qa["summary"]["categories"][c] for c in cats[:-1]] + [qa["summary"]["overall"]]
        fig, ax = plt.subplots(figsize=(9, 4.5))
        width = 0.27
        xs = range(len(cats))
        for offset, key, label in ((-width, "accuracy", "accuracy (status + value)"),
                                   (0, "status", "status right"), (width, "citation", "citation right")):
            values = [100 * (b[key] or 0) for b in blocks]
            ax.bar([x + offset for x in xs], values, width, label=label)
        ax.set_xticks(list(xs), [f"{c}\n(n={b['n']})" for c, b in zip(cats, blocks)], fontsize=8)
        ax.set_ylim(0, 105)
        ax.set_ylabel("%")
        ax.set_title("QA accuracy per category")
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, frameon=False)
        fig.tight_layout()
        fig.savefig(out / "qa_by_category.png", dpi=110)
        plt.close(fig)
        written.append("qa_by_category.png")
    side = results.get("baseline")
    if side and side.get("n"):
        ks = side["ks"]
        fig, ax = plt.subplots(figsize=(7, 4))
        width = 0.38
        ax.bar([i - width / 2 for i in range(len(ks))], [100 * (side["baseline"][str(k)] or 0) for k in ks], width,
               label="naive chunks + BM25: gold figure in top-k")
        ax.bar([i + width / 2 for i in range(len(ks))], [100 * (side["ours"][str(k)] or 0) for k in ks], width,
               label="ours: gold fact in top-k")
        if side.get("ours_value") is not None:
            ax.axhline(100 * side["ours_value"], color="black", linestyle="--", linewidth=1,
                       label=f"ours: answer value right ({pct(side['ours_value'])})")
        ax.set_xticks(range(len(ks)), [f"k={k}" for k in ks])
        ax.set_ylim(0, 105)
        ax.set_ylabel(f"% of {side['n']} answerable single-source questions")
        ax.set_title("Ours vs a naive 'chat with your PDF' retriever")
        ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
        fig.tight_layout()
        fig.savefig(out / "ours_vs_baseline.png", dpi=110)
        plt.close(fig)
        written.append("ours_vs_baseline.png")
    extraction = results.get("extraction")
    if extraction and extraction["documents"]:
        docs = extraction["documents"]
        fig, ax = plt.subplots(figsize=(9, 0.6 * len(docs) + 1.5))
        names = [f"doc {i + 1}" for i in range(len(docs))]
        ys = range(len(docs))
        ax.barh([y - 0.2 for y in ys], [100 * (d["precision"] or 0) for d in docs], 0.4, label="precision")
        ax.barh([y + 0.2 for y in ys], [100 * (d["recall"] or 0) for d in docs], 0.4, label="recall")
        ax.set_yticks(list(ys), names)
        ax.invert_yaxis()
        ax.set_xlim(0, 105)
        ax.set_title("Extraction precision / recall per document (names in report.md)")
        ax.legend(fontsize=8, loc="lower right")
        fig.tight_layout()
        fig.savefig(out / "extraction.png", dpi=110)
        plt.close(fig)
        written.append("extraction.png")
    return written


def write_markdown(out: Path, results: dict, charts: list[str], top_n: int = 30) -> Path:
    md = [f"# Budget Q&A eval — {results['started']}", ""]
    meta = results["meta"]
    md += [f"- mode: {'fast (subset)' if meta['fast'] else 'full'}; commit: `{meta.get('commit') or '?'}`",
           f"- index: {meta['index']}; build {meta.get('index_seconds', 0):.1f} s",
           f"- questions: {meta.get('questions', 0)} of {meta.get('questions_total', 0)} "
           f"({', '.join(meta.get('question_files', []))})",
           f"- total time: {meta.get('seconds', 0):.1f} s", ""]
    checks = results.get("checks", [])
    failed = [c for c in checks if c["status"] == "FAIL"]
    md += ["## Thresholds", "",
           f"**{'FAILED' if failed else 'passed'}** — {len(failed)} of {len(checks)} checks below threshold "
           "(eval/thresholds.toml)", ""]
    md.append(_table(["metric", "measured", "threshold", "status"],
                     [[c["metric"], c["shown"], c["threshold_shown"], c["status"]] for c in checks]))
    md.append("")
    for chart in charts:
        md += [f"![{chart}]({chart})", ""]

    validation = results.get("validation")
    if validation:
        md += ["## Validation set (national sample, never tuned on)", "",
               f"Silent-wrong rate (answered with a wrong figure): {pct(validation['silent_wrong'])}", "",
               _table(QA_HEADERS, qa_rows(validation["summary"])), ""]
    if results.get("closure"):
        md += ["## Closure (勾稽) per document", "", _table(
            ["document", "checks", "closing", "share", "high audit findings", "not closing"],
            [[r["doc"], r["checks"], r["closing"], pct(r["share"]), r.get("audit_high", ""),
              "; ".join(r["failures"][:4])]
             for r in results["closure"]]), ""]
    if results.get("metadata"):
        meta_gold = results["metadata"]
        md += ["## Metadata vs eval/metadata.csv", "",
               _table(["field", "right"], [[f, pct(v)] for f, v in meta_gold["fields"].items()]), ""]
        if meta_gold["wrong"]:
            md += [_table(["file", "field", "expected", "got"],
                          [[w["file"], w["field"], w["expected"], w["got"]] for w in meta_gold["wrong"]]), ""]
    qa = results.get("qa")
    if qa:
        md += ["## QA accuracy per category", "",
               "accuracy = status right and, for answerable questions, value right after unit conversion. "
               "value/unit/citation columns are over answerable (gold status answered) questions.", ""]
        md += [_table(QA_HEADERS, qa_rows(qa["summary"])), ""]
        r = qa["retrieval"]
        md += ["## Retrieval (Engine.retrieve, k=10)", "",
               "Share of answerable single-source questions whose gold fact is among the top-k records "
               "(same rule as citations).", ""]
        md.append(_table(["gold source", "n", "@1", "@3", "@5", "@10"],
                         [[kind, b["n"], pct(b["at_1"]), pct(b["at_3"]), pct(b["at_5"]), pct(b["at_10"])]
                          for kind, b in r.items()]))
        lat = qa["latency"]
        md += ["", "## Latency (Engine.ask, engine loaded)", "",
               _table(["n", "p50", "p95", "max", "mean"],
                      [[lat["n"], ms(lat["p50_ms"]), ms(lat["p95_ms"]), ms(lat["max_ms"]), ms(lat["mean_ms"])]]), ""]

    side = results.get("baseline")
    if side:
        md += ["## Ours vs naive baseline", "", side.get("description", ""), ""]
        if side.get("n"):
            rows = [["naive: gold figure in top-k chunks"] + [pct(side["baseline"][str(k)]) for k in side["ks"]],
                    ["ours: gold fact in top-k facts"] + [pct(side["ours"][str(k)]) for k in side["ks"]],
                    ["ours: answer value right"] + [pct(side["ours_value"])] * len(side["ks"])]
            md += [_table([f"n={side['n']}"] + [f"k={k}" for k in side["ks"]], rows), ""]
            md += [f"baseline corpus: {side['chunks']} chunks from {side['files']} files "
                   f"(built in {side['seconds']:.1f} s)", ""]
        else:
            md += ["(no eligible questions)", ""]

    extraction = results.get("extraction")
    if extraction:
        o = extraction["overall"]
        md += ["## Extraction accuracy (parsed cells vs eval/ground_truth)", "",
               f"overall: precision {pct(o['precision'])}, recall {pct(o['recall'])} "
               f"({o['matched']} of {o['gt_cells']} ground-truth cells; {o['parsed_cells']} parsed cells "
               "in the covered tables)", ""]
        md.append(_table(["#", "document", "GT cells", "parsed", "matched", "precision", "recall", "parse s",
                          "warnings", "error"],
                         [[i + 1, d["doc"], d["gt_cells"], d["parsed_cells"], d["matched"], pct(d["precision"]),
                           pct(d["recall"]), d["seconds"], d["parser_warnings"], d["error"]]
                          for i, d in enumerate(extraction["documents"])]))
        md += ["", "### Per table", ""]
        rows = []
        for d in extraction["documents"]:
            for t in d["tables"]:
                rows.append([d["doc"][:24], t["table"], t["part"], t["gt_cells"], t["parsed_cells"],
                             pct(t["precision"]), pct(t["recall"])])
        md += [_table(["document", "table", "part", "GT", "parsed", "precision", "recall"], rows), ""]
        mismatches = [dict(m, doc=d["doc"]) for d in extraction["documents"] for m in d["mismatches"]]
        if mismatches:
            mismatches = _spread(mismatches)
            md += [f"### Mismatches (top {min(top_n, len(mismatches))} of {len(mismatches)})", ""]
            md.append(_table(["kind", "document", "table", "part", "row", "column", "expected", "parsed", "where"],
                             [[m["kind"], m["doc"][:24], m["table"], m["part"], m["row"], m["column"],
                               m["expected"] or "", m["parsed"] or "", m["where"]] for m in mismatches[:top_n]]))
            md.append("")

    if qa:
        wrong = [r for r in qa["rows"] if not r.get("correct") or (r["gold_status"] == "answered"
                                                                   and not r.get("citation_right"))]
        if wrong:
            md += [f"## Wrong answers (top {min(top_n, len(wrong))} of {len(wrong)}; all in qa_rows.jsonl)", ""]
            md.append(_table(["id", "category", "question", "gold", "got", "citation ok", "first citation"],
                             [[r["id"], r["category"], r["question"],
                               f"{r['gold_status']} {r.get('gold_value') or ''} {r.get('gold_unit') or ''}".strip(),
                               f"{r['status']} {r.get('value') if r.get('value') is not None else ''} "
                               f"{r.get('unit') or ''}".strip() + (f" ({r['error']})" if r.get("error") else ""),
                               "" if "citation_right" not in r else ("yes" if r["citation_right"] else "no"),
                               _cite(r["citations"][0]) if r.get("citations") else ""]
                              for r in wrong[:top_n]]))
            md.append("")
    path = out / "report.md"
    path.write_text("\n".join(md), encoding="utf-8")
    return path


def _spread(mismatches: list[dict]) -> list[dict]:
    """Wrong values first, then round-robin over (document, table, kind) so the top N shows many tables."""
    order = {"wrong value": 0, "missing": 1, "extra": 2}
    groups: dict[tuple, list[dict]] = {}
    for m in mismatches:
        groups.setdefault((order.get(m["kind"], 3), m["doc"], m["table"], m["part"]), []).append(m)
    out, level = [], 0
    keys = sorted(groups, key=lambda k: k[0])
    while len(out) < len(mismatches):
        for key in keys:
            if level < len(groups[key]):
                out.append(groups[key][level])
        level += 1
    return sorted(out, key=lambda m: order.get(m["kind"], 3) if m["kind"] == "wrong value" else 1)


def _cite(c: dict) -> str:
    return " · ".join(str(x) for x in (c.get("table"), c.get("row"), c.get("column"), c.get("printed")) if x)


def write_json(out: Path, results: dict) -> None:
    qa = results.get("qa")
    slim = {k: v for k, v in results.items() if k != "qa"}
    if qa:
        slim["qa"] = {k: v for k, v in qa.items() if k != "rows"}
        with open(out / "qa_rows.jsonl", "w", encoding="utf-8") as handle:
            for row in qa["rows"]:
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
    (out / "results.json").write_text(json.dumps(slim, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def print_summary(results: dict, report_path: Path) -> None:
    try:
        from rich.console import Console
        from rich.table import Table
    except ImportError:  # pragma: no cover - rich is pinned in requirements.txt
        print(report_path.read_text(encoding="utf-8"))
        return
    console = Console(width=140)
    qa = results.get("qa")
    if qa:
        table = Table(title="QA accuracy per category")
        for h in ["category", "n", "accuracy", "status", "value", "value strict", "unit", "citation",
                  "cit. same figure"]:
            table.add_column(h, justify="right" if h != "category" else "left")
        for name, b in list(qa["summary"]["categories"].items()) + [("overall", qa["summary"]["overall"])]:
            table.add_row(name, str(b["n"]), pct(b["accuracy"]), pct(b["status"]), pct(b["value"]),
                          pct(b["value_strict"]), pct(b["unit"]), pct(b["citation"]), pct(b["citation_same_figure"]))
        console.print(table)
        side = results.get("baseline") or {}
        t2 = Table(title="Retrieval and baseline (answerable single-source questions)")
        t2.add_column("measure")
        for k in (1, 3, 5, 10):
            t2.add_column(f"@{k}", justify="right")
        r = qa["retrieval"]
        for kind in ("cell", "all"):
            t2.add_row(f"ours retrieve ({kind}, n={r[kind]['n']})", *[pct(r[kind][f"at_{k}"]) for k in (1, 3, 5, 10)])
        if side.get("n"):
            t2.add_row(f"naive baseline (n={side['n']})", "",
                       *[pct(side["baseline"].get(str(k))) for k in (3, 5, 10)])
        console.print(t2)
        lat = qa["latency"]
        console.print(f"latency: p50 {ms(lat['p50_ms'])}, p95 {ms(lat['p95_ms'])} (n={lat['n']})")
    extraction = results.get("extraction")
    if extraction:
        t3 = Table(title="Extraction vs ground truth")
        for h in ["document", "GT", "matched", "precision", "recall"]:
            t3.add_column(h, justify="right" if h != "document" else "left")
        for d in extraction["documents"]:
            t3.add_row(d["doc"] + (f" [red]{d['error'][:40]}[/red]" if d["error"] else ""), str(d["gt_cells"]),
                       str(d["matched"]), pct(d["precision"]), pct(d["recall"]))
        o = extraction["overall"]
        t3.add_row("overall", str(o["gt_cells"]), str(o["matched"]), pct(o["precision"]), pct(o["recall"]))
        console.print(t3)
    checks = results.get("checks", [])
    failed = [c for c in checks if c["status"] == "FAIL"]
    for c in failed:
        console.print(f"[red]FAIL[/red] {c['metric']}: {c['shown']} (threshold {c['threshold_shown']})")
    for c in checks:
        if c["status"] == "no data":
            console.print(f"[yellow]no data[/yellow] {c['metric']} (threshold {c['threshold_shown']})")
    console.print(f"{'FAILED' if failed else 'passed'}: {len(checks) - len(failed)}/{len(checks)} threshold checks; "
                  f"report: {report_path}")
