"""Scale benchmark (not a test): N synthetic documents made at run time from the bundled text
disclosures — each a copy with a renamed unit and every amount scaled by its own factor, clearly
marked 合成 (synthetic) and written to a temporary folder, never to corpus/ — ingested into the
embedded store and into a Chroma server, then asked.

Reports per N and store: ingest seconds, index size, cold ask (a new `app.py ask` process),
warm ask p50/p95 (one engine), peak RSS of the asking process; writes bench/scale_results.json,
bench/scale.md and a plot bench/scale.png.

    .venv/bin/python bench/scale.py [--sizes 10 100 1000] [--stores embedded server]
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from budgetqa.store.catalog import Catalog  # noqa: E402

SEEDS = sorted((ROOT / "corpus" / "seeds").glob("*.txt"))
_AMOUNT = re.compile(r"(?<![0-9.])([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)\.([0-9]{2})(?![0-9])")
_SYLLABLES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥东南西北金木水火土山川河湖海松柏桃李梅兰竹菊"
QUESTIONS = ["{unit}{year}年三公经费预算是多少？", "{unit}{year}年基本支出是多少？", "{unit}{year}年住房公积金是多少？",
             "{unit}{year}年项目支出是多少？", "{unit}{year}年一般公共预算拨款收入是多少？",
             "{unit}{year}年机关运行经费是多少？"]


def synthetic_places(count: int) -> list[str]:
    """'合成甲乙丙' … : a made-up place per copy (3 syllables: 64,000 combinations)."""
    triples = itertools.product(_SYLLABLES, repeat=3)
    return [f"合成{''.join(t)}" for t, _ in zip(triples, range(count))]


def make_corpus(folder: Path, count: int) -> None:
    """Write `count` synthetic documents. The seed's place (三明市,
    福建省 …) is replaced everywhere by the copy's made-up place, so the unit is renamed."""
    rng = random.Random(count)
    texts = {seed: seed.read_text(encoding="utf-8") for seed in SEEDS}
    for i, place in enumerate(synthetic_places(count)):
        seed = SEEDS[i % len(SEEDS)]
        old_place = re.match(r".+?[省市]", seed.name).group()
        new_place = place + old_place[-1]
        factor = Decimal(rng.randint(50, 150)) / 100
        text = _AMOUNT.sub(lambda m: _scaled(m, factor), texts[seed].replace(old_place, new_place))
        name = seed.name.replace(old_place, new_place).replace(".txt", "（合成）.txt")
        (folder / name).write_text(text + "\n（合成数据：基准测试用，非真实公开文件）\n", encoding="utf-8")


def _scaled(match: re.Match, factor: Decimal) -> str:
    value = (Decimal(match[1].replace(",", "") + "." + match[2]) * factor).quantize(Decimal("0.01"))
    return f"{value:,.2f}" if "," in match[1] else f"{value:.2f}"


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run(args: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=7200)


class ChromaServer:
    def __init__(self, path: Path):
        self.path = path
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        chroma = Path(sys.executable).parent / "chroma"
        self.process = subprocess.Popen([str(chroma), "run", "--path", str(path), "--port", str(self.port),
                                         "--host", "127.0.0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("chroma server did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(size: int, store: str, work: Path) -> dict:
    corpus, index = work / "corpus", work / f"index-{store}"
    server = ChromaServer(work / "server") if store == "server" else None
    url = ["--chroma-url", server.url] if server else []
    try:
        start = time.perf_counter()
        ingest = run(["app.py", "ingest", str(corpus), "--index-dir", str(index), *url])
        ingest_seconds = time.perf_counter() - start
        if ingest.returncode != 0:
            raise RuntimeError(ingest.stderr[-2000:])
        size_bytes = du(index) + (du(work / "server") if server else 0)
        units = [(m.entity, m.year) for m in Catalog(index).metas().values()]  # as the index names them
        rng = random.Random(size)
        picks = [rng.choice(units) for _ in range(60)]
        questions = [rng.choice(QUESTIONS).format(unit=u, year=y) for u, y in picks]
        cold = []
        for question in questions[:5]:
            start = time.perf_counter()
            asked = run(["app.py", "ask", question, "--json", "--index-dir", str(index), *url])
            cold.append(time.perf_counter() - start)
            if asked.returncode != 0:
                raise RuntimeError(asked.stderr[-2000:])
        warm = json.loads(run(["bench/warm_ask.py", str(index), json.dumps(questions), *(url[1:] or [""])]).stdout)
        return {"documents": size, "store": store, "ingest_seconds": round(ingest_seconds, 1),
                "index_mb": round(size_bytes / 2**20, 1), "kb_per_document": round(size_bytes / 1024 / size, 1),
                "cold_ask_s": round(statistics.median(cold), 2), **warm}
    finally:
        if server:
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--stores", nargs="+", default=["embedded", "server"], choices=["embedded", "server"])
    parser.add_argument("--out", default=str(ROOT / "bench" / "scale_results.json"))
    args = parser.parse_args()
    # cold starts as of an installed package: its bytecode compiled once, as pip does at install,
    # even where PYTHONDONTWRITEBYTECODE keeps each new process compiling the sources again
    run(["-m", "compileall", "-q", "budgetqa"])
    rows = []
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="budgetqa-scale-") as tmp:
            work = Path(tmp)
            (work / "corpus").mkdir()
            make_corpus(work / "corpus", size)
            for store in args.stores:
                row = measure(size, store, work)
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
                shutil.rmtree(work / "server", ignore_errors=True)
    Path(args.out).write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    write_table(rows, Path(args.out).with_name("scale.md"))
    plot(rows, Path(args.out).with_name("scale.png"))


def write_table(rows: list[dict], path: Path) -> None:
    head = ["documents", "store", "ingest_seconds", "index_mb", "kb_per_document", "cold_ask_s", "warm_p50_ms",
            "warm_p95_ms", "peak_rss_mb"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(r[h]) for h in head) + " |" for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    for store in sorted({r["store"] for r in rows}):
        mine = [r for r in rows if r["store"] == store]
        sizes = [r["documents"] for r in mine]
        for axis, key, title in zip(axes, ("cold_ask_s", "warm_p95_ms", "index_mb"),
                                    ("cold ask (s)", "warm ask p95 (ms)", "index size (MB)")):
            axis.plot(sizes, [r[key] for r in mine], marker="o", label=store)
            axis.set_xscale("log")
            axis.set_title(title)
            axis.set_xlabel("documents")
    axes[0].legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
