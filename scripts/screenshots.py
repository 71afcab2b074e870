"""Regenerate the README's screenshots from the real app in headless Chromium.

    .venv/bin/python scripts/screenshots.py [--out docs]

Starts the UI on a fresh index of corpus/seeds and one Putuo PDF (as tests/test_ui_browser.py does),
asks a question while the index is being built (docs/screenshot-building.png), then, once it is
answered, shows a PDF answer with its source (docs/screenshot.png). Needs /usr/bin/chromium and
fonts-noto-cjk (scripts/install_browser.sh).
"""
from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = [ROOT / "corpus" / "seeds", ROOT / "corpus" / "putuo" / "上海市普陀区司法局单位26年预算.pdf"]
QUEUED_QUESTION = "泉州12345中心2026年话务外包费用是多少？"
PDF_QUESTION = "上海市普陀区司法局2026年行政运行的基本支出是多少？"
BOT = '#chat [data-testid="bot"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_http(url: str, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the UI did not answer on {url}")


def shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
        page.set_default_timeout(300_000)
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_function("() => document.querySelector('#index-status')?.innerText.includes('正在建立索引')")
        page.fill("#question textarea", QUEUED_QUESTION)
        page.click("#ask-btn")
        page.wait_for_function(f"() => document.querySelector('{BOT}')?.innerText.includes('问题已记下')")
        page.screenshot(path=str(out / "screenshot-building.png"))
        page.wait_for_function(f"() => document.querySelector('{BOT}')?.innerText.includes('1011.95')")
        page.wait_for_timeout(1000)  # let the answer's event finish before a new one
        page.click("#clear-btn")
        page.wait_for_function(f"() => !document.querySelector('{BOT}')")
        page.fill("#question textarea", PDF_QUESTION)
        page.click("#ask-btn")
        page.wait_for_selector("#page-image img")
        page.wait_for_timeout(500)
        page.screenshot(path=str(out / "screenshot.png"), full_page=True)
        browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs"))
    args = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen([sys.executable, "-m", "budgetqa.ui", "--index-dir", str(Path(tmp) / "index"),
                                   "--corpus", *map(str, CORPUS), "--port", str(port)],
                                  cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            url = f"http://127.0.0.1:{port}/"
            wait_for_http(url)
            shoot(url, Path(args.out))
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"screenshots written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
