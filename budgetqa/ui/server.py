"""What the UI's web server adds to Gradio: a JSON API for scripts and a Chinese-only interface.

    POST /api/ask    {"question": "…", "context": null}  -> the `ask --json` object (docs/CONTRACTS.md)
    POST /api/check  {"claim": "…"}                       -> the `check --json` object
    GET  /api/status                                       -> {"ready": bool, "documents": n, "message": "…"}

A script talks to one running server instead of paying the engine's start-up per question.
While the index is being built, /api/ask and /api/check answer 503 with a Retry-After header;
a request without its text answers 400. Errors are `{"error": "…"}` in Chinese; an internal error
(500) adds the exception as "detail".
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi import Body, FastAPI
from fastapi.responses import JSONResponse

if TYPE_CHECKING:
    from budgetqa.ui.app import BudgetUI

RETRY_AFTER_S = 5

# Gradio chooses the language of its own strings ("Drop File Here", "Submit"…) from the browser's
# language; the product is Chinese only, so the page tells Gradio the browser speaks zh-CN.
LOCALE_SCRIPT = (b'<script>Object.defineProperty(navigator,"language",{get:()=>"zh-CN"});'
                 b'Object.defineProperty(navigator,"languages",{get:()=>["zh-CN","zh"]});</script>')


class ChineseLocale:
    """ASGI middleware: puts LOCALE_SCRIPT at the top of the app's HTML page, before Gradio's code runs."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET" or scope.get("path") != "/":
            await self.app(scope, receive, send)
            return
        start: dict = {}
        chunks: list[bytes] = []

        async def patched_send(message: dict) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
                return
            if message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            if b"<head>" in body:
                body = body.replace(b'lang="en"', b'lang="zh-CN"', 1).replace(b"<head>", b"<head>" + LOCALE_SCRIPT, 1)
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            await send({**start, "headers": headers + [(b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, patched_send)


def _error(status: int, message: str) -> JSONResponse:
    headers = {"Retry-After": str(RETRY_AFTER_S)} if status == 503 else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def add_api_routes(fastapi_app: FastAPI, ui: "BudgetUI") -> None:
    """Register /api/ask, /api/check and /api/status on the running app (sync handlers: a thread each)."""

    @fastapi_app.get("/api/status")
    def status() -> dict:
        ready = ui.builder.ready and ui.engine is not None
        if ready:
            message = "索引已就绪"
        else:
            message = ui.builder.status_text() if ui.builder.state == "error" else ui.builder.progress_text()
        return {"ready": ready, "documents": len(ui.documents()) if ready else 0, "message": message}

    @fastapi_app.post("/api/ask")
    def ask(question: str = Body("", embed=True), context: Any = Body(None, embed=True)) -> Any:
        if not question.strip():
            return _error(400, "缺少问题：请求体应为 {\"question\": \"…\"}")
        result = ui.ask(question, context)
        if result.get("status") == "not_ready":
            return _error(503, result.get("answer") or "")
        if result.get("status") == "error":
            return JSONResponse({"error": result.get("answer"), "detail": result.get("detail")}, status_code=500)
        return result

    @fastapi_app.post("/api/check")
    def check(claim: str = Body("", embed=True)) -> Any:
        if not claim.strip():
            return _error(400, "缺少要核查的话：请求体应为 {\"claim\": \"…\"}")
        result = ui.check_claim(claim.strip())
        if result is None:
            return _error(503, "索引还在建立中，请稍候再核查。")
        return result
