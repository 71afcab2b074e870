"""Compare two offline OCR engines on the scanned Changsha fixture.

Engines:
  tesseract  Debian tesseract-ocr + tesseract-ocr-chi-sim, via the `tesseract` CLI
  rapidocr   rapidocr-onnxruntime==1.4.4 (PP-OCRv4 ONNX models shipped in the wheel)

For each (engine, dpi) every page is rendered with pdfplumber (render time is
reported separately), OCRed `--runs` times (wall clock per run), and scored:
a gold figure counts as found when its exact printed string occurs in the OCR
text of its page, whitespace ignored. A lenient score (NFKC, e.g. full-width
"％" == "%") and a check of a few Chinese label lines are printed as well.

Usage:  .venv/bin/python bench/ocr_compare.py [--engines tesseract rapidocr]
            [--dpi 150 200] [--runs 2] [--threads N] [--quantize] [--dump /tmp/ocr_out]
"""
from __future__ import annotations

import argparse
import csv
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from pathlib import Path

import pdfplumber

ROOT = Path(__file__).resolve().parent.parent
FIXDIR = ROOT / "tests" / "fixtures" / "not_budgets"
PDF = FIXDIR / "长沙_市场监督管理局_2026年部门预算.pdf"
GOLD = FIXDIR / "ocr_gold.csv"

# Chinese label lines (as printed, punctuation left out) used to judge how
# well each engine reads the characters, not only the digits.
LABELS = [
    (1, "市场监督专项及部门项目支出绩效评价结果"),
    (1, "二、项目预算资金安排、管理、使用情况"),
    (1, "基层市场监督管理所标准"),
    (2, "特种设备安全监察工作获省市场监管局优秀单位表彰通报"),
    (3, "食品安全追溯体系建设项目"),
    (3, "的子项目第三方检测经费预算执行率为"),
    (4, "用于放心肉智能监管平台服务数据项目支出"),
    (5, "长沙市食品药品检验所制定了"),
    (6, "综合评价得分"),
    (6, "评价等级为"),
]


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def lenient(s: str) -> str:
    return squash(unicodedata.normalize("NFKC", s))


def render(dpi: int, outdir: Path, quantize: bool = False) -> list[Path]:
    # pdfplumber's PageImage.save() quantizes to a 256-colour palette PNG by
    # default; rapidocr 1.4.4 reads a mode-"P" image as raw palette indices
    # (i.e. as garbage greyscale), so save plain RGB unless asked otherwise.
    paths = []
    with pdfplumber.open(PDF) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            p = outdir / f"p{i}.png"
            page.to_image(resolution=dpi).save(p, quantize=quantize)
            paths.append(p)
    return paths


class Tesseract:
    name = "tesseract"

    def __init__(self, threads: int = 0):
        # tesseract's OpenMP busy-waits; on a shared 2-core box 1 thread is far faster
        self.env = dict(os.environ, OMP_THREAD_LIMIT=str(threads)) if threads else None
        if not shutil.which("tesseract"):
            raise RuntimeError("tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)")
        self.version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.split("\n")[0]

    def __call__(self, png: Path) -> str:
        return subprocess.run(["tesseract", str(png), "-", "-l", "chi_sim"],
                              capture_output=True, text=True, check=True, env=self.env).stdout


class Rapid:
    name = "rapidocr"

    def __init__(self, threads: int = 0):
        from importlib.metadata import version
        from rapidocr_onnxruntime import RapidOCR
        self.version = "rapidocr-onnxruntime " + version("rapidocr-onnxruntime")
        opts = dict(intra_op_num_threads=threads, inter_op_num_threads=threads) if threads else {}
        self.engine = RapidOCR(**opts)

    def __call__(self, png: Path) -> str:
        result, _ = self.engine(str(png))
        return "\n".join(line[1] for line in (result or []))


ENGINES = {"tesseract": Tesseract, "rapidocr": Rapid}


def near(text: str, context: str, width: int = 14) -> str:
    """What the OCR text has right after the gold context (for error notes)."""
    t, context = lenient(text), lenient(context)
    for k in (len(context), 6, 4, 3, 2):
        key = context[-k:]
        j = t.find(key)
        if j >= 0:
            return t[j + len(key): j + len(key) + width]
    return "?"


def score(texts: dict[int, str], gold: list[dict]) -> tuple[int, int, list[str]]:
    strict = loose = 0
    misses = []
    for g in gold:
        page, printed = int(g["page"]), g["printed"]
        text = texts.get(page, "")
        if squash(printed) in squash(text):
            strict += 1
            loose += 1
            continue
        if lenient(printed) in lenient(text):
            loose += 1
        misses.append(f"p{page} {printed!r} -> OCR after '{g['context'][-4:]}': {near(text, g['context'])!r}")
    return strict, loose, misses


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", nargs="+", default=["tesseract", "rapidocr"], choices=ENGINES)
    ap.add_argument("--dpi", nargs="+", type=int, default=[150, 200])
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0,
                    help="threads per engine (OMP_THREAD_LIMIT / onnxruntime intra+inter op); 0 = engine default")
    ap.add_argument("--quantize", action="store_true",
                    help="save pages as pdfplumber's default palette PNG (shows the rapidocr pitfall)")
    ap.add_argument("--dump", default=None, help="folder to write the OCR text of each page")
    args = ap.parse_args()

    with GOLD.open(encoding="utf-8") as f:
        gold = list(csv.DictReader(f))
    print(f"gold: {len(gold)} figures from {GOLD.relative_to(ROOT)}; cores: {os.cpu_count()}; "
          f"threads: {args.threads or 'engine default'}; load avg at start: {os.getloadavg()[0]:.2f}")

    engines = {}
    for name in args.engines:
        t0 = time.perf_counter()
        engines[name] = ENGINES[name](args.threads)
        print(f"{name}: {engines[name].version}; init {time.perf_counter() - t0:.2f}s")

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for dpi in args.dpi:
            d = Path(tmp) / str(dpi)
            d.mkdir()
            t0 = time.perf_counter()
            pngs = render(dpi, d, args.quantize)
            print(f"\nrender {len(pngs)} pages @ {dpi} dpi{' (palette PNG)' if args.quantize else ''}: "
                  f"{time.perf_counter() - t0:.2f}s")
            for name, engine in engines.items():
                secs = []
                for _ in range(args.runs):
                    t0 = time.perf_counter()
                    texts = {i: engine(p) for i, p in enumerate(pngs, 1)}
                    secs.append(time.perf_counter() - t0)
                strict, loose, misses = score(texts, gold)
                labels_ok = sum(lenient(lab) in lenient(texts[p]) for p, lab in LABELS)
                rows.append((name, dpi, len(pngs), secs, strict, loose, labels_ok))
                print(f"{name} @ {dpi}: runs {', '.join(f'{s:.1f}s' for s in secs)}; "
                      f"gold exact {strict}/{len(gold)}, NFKC {loose}/{len(gold)}; labels {labels_ok}/{len(LABELS)}")
                for m in misses:
                    print("   miss:", m)
                for p, lab in LABELS:
                    if lenient(lab) not in lenient(texts[p]):
                        print(f"   label miss p{p}: {lab!r} -> OCR: {near(texts[p], lab[:4], len(lab))!r}")
                if args.dump:
                    out = Path(args.dump) / f"{name}_{dpi}"
                    out.mkdir(parents=True, exist_ok=True)
                    for i, t in texts.items():
                        (out / f"p{i}.txt").write_text(t, encoding="utf-8")

    print("\n| engine | dpi | pages | seconds (run 1 / run 2) | pages/s (run 1 / run 2) "
          "| gold found exact | NFKC | labels |")
    print("|---|---|---|---|---|---|---|---|")
    for name, dpi, n, secs, strict, loose, lab in rows:
        print(f"| {name} | {dpi} | {n} | {' / '.join(f'{s:.1f}' for s in secs)} | "
              f"{' / '.join(f'{n / s:.2f}' for s in secs)} | {strict}/{len(gold)} | "
              f"{loose}/{len(gold)} | {lab}/{len(LABELS)} |")


if __name__ == "__main__":
    main()
