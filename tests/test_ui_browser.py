"""End-to-end test of the chat UI in a real headless browser (Debian chromium via playwright).

Starts `python -m budgetqa.ui` on a free localhost port with a fresh index built from
corpus/seeds, then: asks a question and checks the figure and its citation, opens the source
view (cited cell highlighted), browses the documents tab, checks a journalist's claim (核查),
audits the Putuo 司法局 PDF for self-contradictions and downloads the report (审查), uploads a
small fictitious budget table (and a bad file), and asks about the uploaded unit. Screenshots go
to test-artifacts/.

Needs /usr/bin/chromium and fonts-noto-cjk: `bash scripts/install_browser.sh`. A missing browser
is a FAILURE, not a skip: the UI is part of the product.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "corpus" / "seeds"
# one real PDF, for the page image in the sources panel
PDF = ROOT / "corpus" / "putuo" / "上海市普陀区司法局单位26年预算.pdf"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
BUILD_TIMEOUT_S = 600  # building the index of the seeds, on a slow CI machine
ANSWER_TIMEOUT_MS = 60_000

FICTITIOUS_UNIT = "云岭市12345政务服务便民热线中心"
FICTITIOUS_FILE = "云岭市12345政务服务便民热线中心_2025年度单位预算.txt"
FICTITIOUS_QUESTION = "云岭市12345热线中心2025年住房公积金是多少？"
FICTITIOUS_FIGURE = "37.61"
# Same layout as the tab-separated seeds (e.g. 福建省…_2024年度单位预算.txt); figures are made up.
FICTITIOUS_TEXT = """

2025 年度

云岭市 12345 政务服务便

民热线中心

单位预算

目 录

第一部分 单位概况\t1
一、单位主要职责.....\t2
第二部分 2025 年度单位预算表\t3
一、支出预算总表.....\t3
二、一般公共预算基本支出经济分类情况表.....\t4

第一部分

单位概况

一、单位主要职责

云岭市 12345 政务服务便民热线中心的主要职责是：受理群众通过 12345 热线反映的诉求并转办、督办。

第二部分

2025年度单位预算表

一、支出预算总表

2025 年度支出预算总表

单位：万元

科目编码\t科目名称\t合计\t基本支出\t项目支出\t事业单位经营支出\t上缴上级支出\t对附属单位补助支出
\t合计\t512.34\t312.34\t200\t0\t0\t0
201\t一般公共服务支出\t474.73\t274.73\t200\t0\t0\t0
20103\t政府办公厅(室)及相关机构事务\t474.73\t274.73\t200\t0\t0\t0
2010350\t事业运行\t274.73\t274.73\t\t0\t0\t0
2010399\t其他政府办公厅（室）及相关机构事务支出\t200\t\t200\t0\t0\t0
221\t住房保障支出\t37.61\t37.61\t\t0\t0\t0
22102\t住房改革支出\t37.61\t37.61\t\t0\t0\t0
2210201\t住房公积金\t37.61\t37.61\t\t0\t0\t0

二、一般公共预算基本支出经济分类情况表

2025 年度一般公共预算基本支出经济分类情况表

单位：万元

科目编码\t科目名称\t预算数
\t合计\t312.34
301\t工资福利支出\t290.12
30101\t基本工资\t101.5
30113\t住房公积金\t37.61
30199\t其他工资福利支出\t151.01
302\t商品和服务支出\t22.22
30201\t办公费\t22.22
"""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser test needs Debian chromium. "
                    "Install it with `bash scripts/install_browser.sh` "
                    "(apt packages: chromium chromium-driver fonts-noto-cjk).", pytrace=False)
    base = tmp_path_factory.mktemp("ui")
    index_dir = base / "index"
    port = _free_port()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", DO_NOT_TRACK="1",
               PYTHONUNBUFFERED="1", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    log_path = base / "server.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "budgetqa.ui", "--index-dir", str(index_dir), "--corpus", str(SEEDS), str(PDF),
         "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the UI exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}", pytrace=False)
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline:
                pytest.fail(f"the UI did not answer on {url} within 90 s:\n{log_path.read_text()[-4000:]}",
                            pytrace=False)
            time.sleep(0.3)
        yield {"url": url, "base": base, "index_dir": index_dir, "log": log_path, "proc": proc}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        ARTIFACTS.mkdir(exist_ok=True)
        shutil.copyfile(log_path, ARTIFACTS / "ui-server.log")


@pytest.fixture(scope="module")
def browser(server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM,
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def early_page(server, browser):
    """The page as a user sees it right after the server starts: the index is still being built."""
    outside: list[str] = []
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(ANSWER_TIMEOUT_MS)
    pg.on("request", lambda r: outside.append(r.url)
          if not r.url.startswith((server["url"], "data:", "blob:")) else None)
    pg.goto(server["url"], wait_until="domcontentloaded")
    pg.wait_for_selector("#index-status")
    yield pg
    _shot(pg, "ui-final.png")
    context.close()
    assert not outside, f"the page made requests off localhost (must work offline): {outside[:10]}"


@pytest.fixture(scope="module")
def page(early_page, server):
    # the index of the seeds is built in the background with visible progress
    early_page.wait_for_function(
        "() => { const s = document.querySelector('#index-status');"
        " return s && (s.innerText.includes('索引已就绪') || s.innerText.includes('建立索引失败')); }",
        timeout=BUILD_TIMEOUT_S * 1000)
    status = early_page.inner_text("#index-status")
    assert "索引已就绪" in status, f"building the index failed: {status}\n{server['log'].read_text()[-3000:]}"
    return early_page


def _api(server, path: str, body: dict | None = None) -> tuple[int, dict, Any]:
    """(HTTP status, JSON body, headers) of a GET (body None) or a JSON POST to the running app."""
    data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(server["url"].rstrip("/") + path, data=data,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=ANSWER_TIMEOUT_MS / 1000) as response:
            return response.status, json.loads(response.read()), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers


def _placeholder(page) -> str:
    return page.locator("#question textarea").get_attribute("placeholder") or ""


def _progress_until(page, done_js: str) -> list[list[str]]:
    """Sample which components show a progress indicator until done_js is true."""
    seen: list[list[str]] = []
    deadline = time.time() + ANSWER_TIMEOUT_MS / 1000
    while not page.evaluate(done_js):
        assert time.time() < deadline, f"not done within {ANSWER_TIMEOUT_MS} ms: {done_js}"
        seen.append(_progress_owners(page))
        time.sleep(0.1)
    return seen


def _progress_owners(page) -> list[str]:
    """The elem_ids of the components that show a progress indicator right now."""
    return page.evaluate(
        "() => [...new Set(Array.from(document.querySelectorAll('.progress-text, .progress-bar, .eta-bar, .generating'))"
        ".filter(e => e.offsetParent !== null).map(e => (e.closest('[id]') || {}).id || '?'))]")


def _bot_count(page) -> int:
    return page.locator('#chat [data-testid="bot"]').count()


def _ask(page, question: str) -> str:
    """Type a question, submit, return the text of the new answer."""
    before = _bot_count(page)
    page.get_by_role("tab", name="问答", exact=True).click()
    page.fill("#question textarea", question)
    page.click("#ask-btn")
    return _wait_answer(page, before)


def _wait_answer(page, before: int) -> str:
    page.wait_for_function(
        "n => document.querySelectorAll('#chat [data-testid=\"bot\"]').length > n", arg=before)
    return page.locator('#chat [data-testid="bot"]').last.inner_text()


def _wait_upload_result(page, name: str) -> None:
    """Wait for the final upload message about `name` (not the progress bar that precedes it)."""
    page.wait_for_function(
        "name => { const s = document.querySelector('#upload-status'); if (!s) return false;"
        " const t = s.innerText; return t.includes(name) && !t.includes('正在导入') && !/steps|%/.test(t)"
        " && /已加入索引|导入失败|未导入|跳过|注意/.test(t); }",
        arg=name)


def test_question_asked_while_indexing_is_answered_when_ready(early_page, server):
    """First thing a user does: ask before the index exists. The question waits, with progress."""
    pg = early_page
    pg.wait_for_function("() => document.querySelector('#index-status').innerText.includes('正在建立索引')",
                         timeout=15_000)
    pg.wait_for_function("() => (document.querySelector('#question textarea').placeholder || '').includes('索引正在建立')")
    _shot(pg, "ui-00-building-index.png")
    # scripts are told to come back later, not given a half-built answer
    code, body, headers = _api(server, "/api/ask", {"question": "泉州12345中心2026年话务外包费用是多少？"})
    assert code == 503 and "建立" in body["error"] and headers.get("Retry-After"), (code, body)
    assert _api(server, "/api/status")[1]["ready"] is False

    pg.fill("#question textarea", "泉州12345中心2026年话务外包费用是多少？")
    pg.click("#ask-btn")
    pg.wait_for_function("() => document.querySelectorAll('#chat [data-testid=\"bot\"]').length === 1")
    waiting = pg.locator('#chat [data-testid="bot"]').last.inner_text()
    assert "问题已记下" in waiting and "正在建立索引" in waiting, waiting
    # only the chat shows that the question is pending; the status bar and the input may flash
    # while a status refresh lands (under load it takes a moment), but no indicator stays on them
    pg.wait_for_function(
        "() => Array.from(document.querySelectorAll('.progress-text, .progress-bar, .eta-bar, .generating'))"
        ".filter(e => e.offsetParent !== null).every(e => (e.closest('[id]') || {}).id === 'chat')",
        timeout=15_000)
    _shot(pg, "ui-00-queued-question.png")
    # answered in place as soon as the index is ready: one answer, no second click
    pg.wait_for_function(
        "() => { const b = document.querySelectorAll('#chat [data-testid=\"bot\"]');"
        " return b.length === 1 && b[0].innerText.includes('1011.95'); }", timeout=BUILD_TIMEOUT_S * 1000)
    answer = pg.locator('#chat [data-testid="bot"]').last.inner_text()
    assert "问题已记下" not in answer and "万元" in answer and "泉州市12345政务服务便民热线中心" in answer, answer
    pg.wait_for_function("() => document.querySelector('#index-status').innerText.includes('索引已就绪')")
    assert "索引正在建立" not in _placeholder(pg)
    pg.click("#clear-btn")
    pg.wait_for_function("() => document.querySelectorAll('#chat [data-testid=\"bot\"]').length === 0")


def test_first_load_offers_examples(page):
    # the chat has no label of its own that would overlap its first line
    assert page.locator('#chat [data-testid="block-label"]').count() == 0
    examples = page.locator("#examples").inner_text()
    assert "泉州12345中心2026年话务外包费用是多少" in examples
    assert "三明热线2025年三公经费预算多少" in examples
    _shot(page, "ui-01-first-load.png")


def test_answer_shows_figure_and_citation(page):
    answer = _ask(page, "泉州12345中心2026年话务外包费用是多少？")
    assert "1011.95" in answer, answer
    assert "万元" in answer, answer
    # the citation names the document, its year and kind, and where the number stands
    assert "泉州市12345政务服务便民热线中心" in answer, answer
    assert "2026" in answer and "预算" in answer, answer
    assert "来源" in answer, answer
    _shot(page, "ui-02-answer.png")


def test_source_view_shows_cited_table_and_location(page):
    # the sources panel renders the cited table / sentence for the last answer
    page.wait_for_selector("#citation-choice")
    view = page.locator("#source-view")
    view.wait_for()
    text = view.inner_text()
    assert "泉州市12345政务服务便民热线中心" in text, text
    assert "1011.95" in text, text
    assert ("第" in text and ("行" in text or "页" in text)), text  # page or line
    if page.locator("#source-view table.bqa-table").count():
        highlighted = page.locator("#source-view td.hl")
        assert highlighted.count() == 1
        assert "1011.95" in highlighted.inner_text()
    else:  # a narrative fact: the quoted sentence with its line
        assert page.locator("#source-view .bqa-quote, #source-view .hl-line").count() >= 1
    page.locator("#source-view").scroll_into_view_if_needed()
    _shot(page, "ui-03-source.png")


def test_example_click_asks_it(page):
    before = _bot_count(page)
    page.locator("#examples button", has_text="福建省12345中心2024年住房公积金是多少").click()
    answer = _wait_answer(page, before)
    # 支出预算总表 line 135: 2210201 住房公积金 合计 20.68 万元 (11.99 of it 一般公共预算, line 120)
    assert "福建省12345" in answer and "20.68" in answer, answer


def test_not_found_is_said_plainly_with_clickable_candidates(page):
    answer = _ask(page, "火星市12345热线中心2024年话务外包费用是多少？")  # no such unit
    assert "未找到" in answer, answer
    # candidates (when the engine offers any) are clickable and ask their question
    if page.locator("#followups button").count():
        before = _bot_count(page)
        label = page.locator("#followups button").first.inner_text()
        page.locator("#followups button").first.click()
        follow = _wait_answer(page, before)
        assert follow.strip(), label
    _shot(page, "ui-04-not-found.png")


def test_follow_up_reuses_context(page):
    first = _ask(page, "福建省12345中心2024年基本工资是多少？")
    assert "40.2" in first, first
    follow = _ask(page, "那津贴补贴呢？")
    # the follow-up names no unit or year: they come from the context of the previous answer
    assert "福建省12345政务服务便民热线中心" in follow, follow


HEADLINE_POSITION = """() => {
  const bots = document.querySelectorAll('#chat [data-testid="bot"]');
  const bot = bots[bots.length - 1], head = bot.querySelector('h3');
  let box = bot.parentElement;
  while (box && box.scrollHeight <= box.clientHeight + 2) box = box.parentElement;
  const b = box.getBoundingClientRect(), h = head.getBoundingClientRect();
  return {top: h.top - b.top, bottom: b.bottom - h.bottom, answer: bot.getBoundingClientRect().height,
          view: box.clientHeight, scrolled: box.scrollTop};
}"""


def test_long_answer_keeps_its_headline_in_view(page):
    # 1011.95 万元 (line 283) ÷ 支出合计 1182.04 万元 (line 107) = 85.61 %: an answer taller than the chat
    answer = _ask(page, "泉州12345中心2026年话务外包费用占支出合计的比例是多少？")
    lines = [line for line in answer.splitlines() if line.strip()]
    assert lines[0] == "85.61%", lines[:3]
    assert lines[1].startswith("出处") and "2 处原文数字" in lines[1], lines[:3]
    page.wait_for_timeout(300)  # the scroll follows the render
    where = page.evaluate(HEADLINE_POSITION)
    assert where["answer"] > where["view"], where  # else the bottom and the top would both be in view
    assert where["scrolled"] > 0 and where["top"] >= 0 and where["bottom"] > 0, where
    _shot(page, "ui-02b-long-answer.png")


def test_figure_is_shown_as_printed_with_its_unit(page):
    # 泉州…单位预算.txt line 262: "2、公务接待费\t1.00" in the 三公 table (单位：万元)
    answer = _ask(page, "泉州12345中心2026年公务接待费是多少？")
    head = page.locator('#chat [data-testid="bot"]').last.locator("h3").inner_text().strip()
    assert head == "1.00 万元", head
    assert "为 1.00 万元" in answer and "数值：1.00 万元" in answer, answer
    assert not re.search(r"(?<![\d.,])1 万元", answer), answer


def test_cell_without_a_row_label_is_named_by_its_header_and_table(page):
    # 司法局单位26年预算.pdf page 20: the 三公 table is one unlabeled row; 合计 under “三公”经费预算数 = 10.71 (万元)
    answer = _ask(page, "上海市普陀区司法局2026年三公经费预算是多少？")
    assert answer.splitlines()[0].strip() == "10.71 万元", answer
    assert "“”" not in answer, answer
    cited = [line for line in answer.splitlines() if "行：" in line]
    assert cited and all("行：（无行名）“三公”经费预算数 / 合计" in line and "第20页" in line for line in cited), cited
    source = page.locator("#source-view").inner_text()
    assert "（无行名）“三公”经费预算数 / 合计 《单位“三公”经费和机关运行经费预算表》" in source, source


def test_documents_tab_lists_seeds_and_tables(page):
    page.get_by_role("tab", name="文档", exact=True).click()
    page.wait_for_selector("#docs-table")
    page.wait_for_function("() => document.querySelector('#docs-table').innerText.includes('泉州市12345')")
    docs = page.locator("#docs-table").inner_text()
    for entity in ("泉州市12345政务服务便民热线中心", "三明市12345政务服务便民热线中心", "固原市12345便民服务中心"):
        assert entity in docs, docs
    page.locator("#doc-select input").click()
    page.get_by_role("option", name="泉州市12345", exact=False).first.click()
    page.wait_for_selector("#doc-table-view table.bqa-table")
    assert "表格 " in page.locator("#doc-info").inner_text()
    # pick another table of the same document
    page.locator("#table-select input").click()
    page.get_by_role("option", name="支出预算总表", exact=False).first.click()
    page.wait_for_function("() => document.querySelector('#doc-table-view').innerText.includes('支出预算总表')")
    view = page.locator("#doc-table-view").inner_text()
    assert "单位：万元" in view and "1011.95" in view, view
    _shot(page, "ui-05-documents.png")


def test_pdf_answer_shows_page_image(page):
    answer = _ask(page, "上海市普陀区司法局2026年行政运行的基本支出是多少？")
    assert "14,348,853.34" in answer and "元" in answer, answer
    assert "第11页" in answer, answer  # 预算单位支出预算总表, page 11
    lines = [line for line in answer.splitlines() if line.strip()]
    assert lines[0] == "14,348,853.34 元" and lines[1].startswith("出处") and "第11页" in lines[1], lines[:3]
    # the document contradicts itself on that row; the warning quotes figures as printed (page 11)
    assert "表中印的是 64,840,547.00 元" in answer and "2040601 行政运行" in answer, answer
    page.wait_for_selector("#page-image img")
    assert page.locator("#source-view td.hl").inner_text().strip() == "14,348,853.34"
    page.locator("#page-image").scroll_into_view_if_needed()
    _shot(page, "ui-06-pdf-page.png")
    # sharp: rendered well above screen resolution (an A4 side at 200 dpi is 1654 px) and lossless
    image = page.evaluate("() => { const i = document.querySelector('#page-image img');"
                          " return {natural: i.naturalWidth, shown: i.clientWidth}; }")
    assert image["natural"] >= 1600 and image["natural"] > 2 * image["shown"], image
    # a click zooms in around the clicked spot, scrollable; a second click zooms out
    page.locator("#page-image img").click()
    zoomed = page.evaluate("() => { const i = document.querySelector('#page-image img'), c = i.closest('.image-container');"
                           " return {shown: i.clientWidth, view: c.clientWidth, scroll: c.scrollWidth}; }")
    assert zoomed["shown"] >= 2 * image["shown"] and zoomed["scroll"] > zoomed["view"], zoomed
    _shot(page, "ui-06b-pdf-page-zoomed.png")
    page.locator("#page-image img").click()
    assert page.evaluate("() => document.querySelector('#page-image img').clientWidth") == image["shown"]


def test_claim_check_shows_verdict_and_citation(page):
    page.get_by_role("tab", name="核查", exact=True).click()
    page.wait_for_selector("#claim-text textarea")
    page.fill("#claim-text textarea", "三明市12345热线中心2023年花了400多万元")
    page.click("#claim-btn")
    page.wait_for_selector("#claim-result .bqa-claim-head .bqa-verdict")
    assert page.locator("#claim-result .bqa-claim-head .bqa-verdict").inner_text().strip() == "属实"
    result = page.locator("#claim-result").inner_text()
    assert "402.64" in result and "万元" in result, result
    # the citation: document, year, 决算, line, table
    assert "三明市12345政务服务便民热线中心_2023年度部门决算.txt" in result, result
    # 402.64 is printed in 收入支出决算总表 (line 118) and 支出决算表 (line 166): either cell is the source
    assert "决算" in result and "支出决算" in result and re.search(r"第(118|166)行", result), result
    _shot(page, "ui-10-claim-check.png")


def test_claim_check_flags_document_self_contradiction(page):
    page.get_by_role("tab", name="核查", exact=True).click()
    page.fill("#claim-text textarea", "固原市12345便民服务中心2024年卫生健康支出4.24万元")
    page.click("#claim-btn")
    page.wait_for_function("() => document.querySelector('#claim-result').innerText.includes('固原')")
    result = page.locator("#claim-result").inner_text()
    assert page.locator("#claim-result .bqa-conflict").count() == 1, result
    assert "4.24" in result and "4.25" in result, result  # both citations
    assert "第69行" in result and "第213行" in result, result
    _shot(page, "ui-11-claim-conflict.png")


def test_audit_of_putuo_pdf_lists_findings_and_exports(page):
    page.get_by_role("tab", name="审查", exact=True).click()
    page.wait_for_selector("#audit-select")
    page.locator("#audit-select input").click()
    page.get_by_role("option", name="上海市普陀区司法局单位26年预算.pdf", exact=False).first.click()
    page.click("#audit-btn")
    seen = _progress_until(page, "() => !!document.querySelector('#audit-result table.bqa-findings')")
    assert all(owners == ["audit-result"] for owners in seen if owners), seen  # one indicator, on the result
    result = page.locator("#audit-result").inner_text()
    assert "上海市普陀区司法局单位26年预算.pdf" in result, result
    assert "64,840,547" in result, result
    assert "三明市" not in result  # only the chosen document
    # high first
    severities = page.locator("#audit-result table.bqa-findings tr td:first-child").all_inner_texts()
    order = {"高": 0, "中": 1, "低": 2}
    ranks = [order[s.strip()] for s in severities]
    assert ranks and ranks == sorted(ranks) and ranks[0] == 0, severities
    _shot(page, "ui-12-audit.png")
    # the exports download
    for button, suffix in (("#audit-csv", ".csv"), ("#audit-md", ".md")):
        page.wait_for_selector(button)
        with page.expect_download() as info:
            page.click(button)
        download = info.value
        assert download.suggested_filename.endswith(suffix), download.suggested_filename
        text = Path(download.path()).read_text(encoding="utf-8-sig")
        assert "64,840,547" in text, text[:500]


def test_bad_upload_is_rejected_and_index_unchanged(page, server):
    bad = server["base"] / "损坏的文件.pdf"
    bad.write_bytes(b"%PDF-1.4\nthis is not really a pdf\n")
    page.get_by_role("tab", name="上传文档", exact=True).click()
    page.wait_for_selector("#upload-file")
    before_docs = page.locator("#index-status").inner_text()
    page.locator("#upload-file input[type=file]").set_input_files(str(bad))
    page.wait_for_function("() => document.querySelector('#upload-file').innerText.includes('损坏的文件')")
    page.click("#upload-btn")
    _wait_upload_result(page, "损坏的文件")
    message = page.locator("#upload-status").inner_text()
    assert "失败" in message or "未导入" in message, message
    assert "索引未改变" in message, message
    assert page.locator("#index-status").inner_text() == before_docs
    _shot(page, "ui-07-bad-upload.png")


def test_upload_of_a_file_that_is_no_budget_says_so(page, server):
    notice = Path(__file__).resolve().parent / "fixtures" / "not_budgets" / "宁波_卫生健康委员会_2026年部门预算.pdf"
    page.get_by_role("tab", name="上传文档", exact=True).click()
    page.wait_for_selector("#upload-file")
    before_docs = page.locator("#index-status").inner_text()
    page.locator("#upload-file input[type=file]").set_input_files(str(notice))
    page.wait_for_function("() => document.querySelector('#upload-file').innerText.includes('宁波')")
    page.click("#upload-btn")
    _wait_upload_result(page, "宁波")
    message = page.locator("#upload-status").inner_text()
    assert "不是预算或决算公开文件" in message and "索引未改变" in message, message
    assert page.locator("#index-status").inner_text() == before_docs


def test_upload_then_ask_about_it(page, server):
    doc = server["base"] / FICTITIOUS_FILE
    doc.write_text(FICTITIOUS_TEXT, encoding="utf-8")
    page.get_by_role("tab", name="上传文档", exact=True).click()
    page.wait_for_selector("#upload-file")
    page.locator("#upload-file input[type=file]").set_input_files(str(doc))
    page.wait_for_function("() => document.querySelector('#upload-file').innerText.includes('云岭市')")
    page.click("#upload-btn")
    _wait_upload_result(page, "云岭市")
    message = page.locator("#upload-status").inner_text()
    assert "已加入索引" in message, message
    _shot(page, "ui-08-upload.png")

    answer = _ask(page, FICTITIOUS_QUESTION)
    assert FICTITIOUS_FIGURE in answer, answer
    assert FICTITIOUS_UNIT in answer, answer
    source = page.locator("#source-view").inner_text()
    assert FICTITIOUS_FILE in source, source
    _shot(page, "ui-09-uploaded-answer.png")


def test_document_data_and_answer_rows_download(page):
    page.get_by_role("tab", name="文档", exact=True).click()
    page.locator("#doc-select input").click()
    page.get_by_role("option", name="泉州市12345", exact=False).first.click()
    page.wait_for_selector("#doc-data-csv")
    _shot(page, "ui-13-document-data.png")
    files = {}
    for button, suffix in (("#doc-data-csv", ".csv"), ("#doc-data-xlsx", ".xlsx")):
        with page.expect_download() as info:
            page.click(button)
        assert info.value.suggested_filename.endswith(suffix), info.value.suggested_filename
        files[suffix] = Path(info.value.path())
    # 支出预算总表, line 128 of the text: "2010399 其他政府办公厅（室）及相关机构事务支出 1011.95 0.00 1011.95 …" (万元)
    rows = files[".csv"].read_text(encoding="utf-8-sig")
    assert "项目支出,1011.95,万元" in rows and ",128," in rows, rows[:500]
    _ask(page, "泉州12345中心2026年话务外包费用是多少？")
    page.wait_for_selector("#answer-data-csv")
    for _ in range(20):  # the button is filled just after the answer shows; an earlier answer's file before
        with page.expect_download() as info:
            page.click("#answer-data-csv")
        rows = Path(info.value.path()).read_text(encoding="utf-8-sig")
        if "1011.95" in rows:
            break
        time.sleep(0.5)
    assert "fact_id" in rows and "1011.95,万元" in rows, rows[:500]
    _shot(page, "ui-14-answer-data.png")


def test_json_api_answers_like_ask_json(page, server):
    question = "泉州12345中心2026年话务外包费用是多少？"
    code, answer, _ = _api(server, "/api/ask", {"question": question})
    assert code == 200, answer
    assert answer["status"] == "answered" and answer["value"] == 1011.95 and answer["unit"] == "万元", answer
    assert answer["question"] == question and "1011.95" in answer["answer"]
    cite = answer["citations"][0]
    assert cite["doc"] == "泉州市12345政务服务便民热线中心_2026年度单位预算.txt" and cite["year"] == 2026, cite
    assert {"entity", "doc_kind", "page", "table", "row", "column", "value", "unit", "quote"} <= set(cite), cite
    # the same object as `python app.py ask --json` on the same index
    cli = subprocess.run([sys.executable, "app.py", "ask", question, "--json", "--index-dir", str(server["index_dir"])],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert json.loads(cli.stdout) == answer
    # a follow-up carries the context the previous answer returned
    code, follow, _ = _api(server, "/api/ask", {"question": "那公务接待费呢？", "context": answer["context"]})
    assert code == 200 and follow["value"] == 1.0 and follow["printed"] == "1.00", follow  # line 262
    assert follow["citations"][0]["doc"] == cite["doc"], follow
    code, error, _ = _api(server, "/api/ask", {"question": " "})
    assert code == 400 and "缺少问题" in error["error"], error
    # claims: 402.64 万元 in 三明's 2023 决算 (收入支出决算总表 line 118)
    code, checked, _ = _api(server, "/api/check", {"claim": "三明市12345热线中心2023年花了400多万元"})
    assert code == 200 and checked["verdict"] == "supported", checked
    assert _api(server, "/api/status")[1]["ready"] is True


def test_gradio_strings_are_chinese_even_in_an_english_browser(server, browser, page):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="en-US")
    english = context.new_page()
    try:
        english.set_default_timeout(ANSWER_TIMEOUT_MS)
        english.goto(server["url"], wait_until="domcontentloaded")
        english.wait_for_function("() => document.querySelector('#index-status')?.innerText.includes('索引已就绪')")
        english.get_by_role("tab", name="上传文档", exact=True).click()
        english.wait_for_selector("#upload-file")
        upload = english.locator("#upload-file").inner_text()
        assert "拖放" in upload and "点击上传" in upload, upload
        text = english.locator("body").inner_text()
        for phrase in ("Drop File Here", "Click to Upload", "Use via API", "Built with Gradio", "Settings"):
            assert phrase not in text, phrase
        assert english.locator("footer").count() == 0
        _shot(english, "ui-13-english-browser.png")
    finally:
        context.close()


def test_parser_warnings_only_in_a_details_view(page):
    page.get_by_role("tab", name="文档", exact=True).click()
    page.locator("#doc-select input").click()
    page.get_by_role("option", name="泉州市12345", exact=False).first.click()
    page.wait_for_function("() => document.querySelector('#doc-info').innerText.includes('解析报告')")
    details = page.locator("#doc-info details")
    assert details.count() == 1 and details.get_attribute("open") is None
    visible = page.locator("#doc-info").inner_text()
    assert "警告" in visible and not re.search(r"[A-Za-z]{3,} [a-z]{3,} [a-z]{2,}", visible), visible
    assert re.search(r"[a-z]{3,} [a-z]{3,}", details.text_content()), details.text_content()  # kept for developers
    details.locator("summary").click()
    assert re.search(r"[a-z]{3,} [a-z]{3,}", page.locator("#doc-info").inner_text())


def test_upload_shows_one_progress_indicator(page, server):
    pdf = ROOT / "corpus" / "putuo" / "上海市普陀区商务委员会单位25年预算.pdf"  # not in this index yet
    page.get_by_role("tab", name="上传文档", exact=True).click()
    page.locator("#upload-file input[type=file]").set_input_files(str(pdf))
    page.wait_for_function("() => document.querySelector('#upload-file').innerText.includes('商务委员会')")
    deadline = time.time() + 60
    while "upload-file" in _progress_owners(page):  # the browser's own transfer of the file, before the task
        assert time.time() < deadline, "the file did not finish uploading"
        time.sleep(0.1)
    page.click("#upload-btn")
    seen = _progress_until(page, "() => { const t = document.querySelector('#upload-status').innerText;"
                                 " return t.includes('商务委员会') && /已加入索引|失败/.test(t); }")
    busy = [owners for owners in seen if owners]
    assert busy and all(owners == ["upload-status"] for owners in busy), seen
    assert "已加入索引" in page.locator("#upload-status").inner_text()


def test_template_is_refused_and_never_offered(page, server):
    template = Path(__file__).resolve().parent / "fixtures" / "not_budgets" / "附件2：部门决算模板.pdf"
    page.get_by_role("tab", name="上传文档", exact=True).click()
    before_docs = page.locator("#index-status").inner_text()
    page.locator("#upload-file input[type=file]").set_input_files(str(template))
    page.wait_for_function("() => document.querySelector('#upload-file').innerText.includes('模板')")
    page.click("#upload-btn")
    _wait_upload_result(page, "模板")
    message = page.locator("#upload-status").inner_text()
    assert "是模板" in message and "未导入" in message and "索引未改变" in message, message
    assert page.locator("#index-status").inner_text() == before_docs
    # nowhere offered: documents, the audit's choices, the examples, a question's candidates
    page.get_by_role("tab", name="文档", exact=True).click()
    page.click("#docs-refresh")
    page.wait_for_function("() => document.querySelector('#docs-table').innerText.includes('泉州市12345')")
    assert "XX" not in page.locator("#docs-table").inner_text() and "模板" not in page.locator("#docs-table").inner_text()
    page.get_by_role("tab", name="审查", exact=True).click()
    page.locator("#audit-select input").click()
    options = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    assert options and not any("XX" in o or "模板" in o for o in options), options
    answer = _ask(page, "上海市XX局2024年决算的支出合计是多少？")
    assert "XX" not in answer.replace("上海市XX局", ""), answer
    assert "XX" not in page.locator("#examples").inner_text()
    if page.locator("#followups").is_visible():
        assert "XX" not in page.locator("#followups").inner_text()
