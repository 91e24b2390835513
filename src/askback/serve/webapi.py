"""The JSON API beside the chat: ``POST /api/ask``, ``GET /api/info``, ``GET /api/articles`` and
``GET /api/articles/{id}``.

Stateless: a follow-up sends its earlier questions in ``history``. Quotes carry their article's
``id``; ``GET /api/articles/{id}`` returns the article's file text, so a client can check that
``text[start:end]`` is the quote (the local path of the document it was read from blanked). A
request askback cannot answer is HTTP 400 (413 when too big) with ``{"error": "..."}`` saying what
to send instead, never a 500. An answer that passes its time limit is a 503 saying so; one whose
client has left is stopped at its next search.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
import threading
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from askback.api import Index
from askback.config import ANSWER_SECONDS
from askback.errors import AnswerTimeoutError, QuestionError
from askback.records import Answer, Article, Part, Passage, safe_markdown, web_address
from askback.serve.questionlog import QuestionLog

__all__ = ["MAX_BODY_BYTES", "answer_json", "article_json", "router"]

MAX_BODY_BYTES = 256_000  # a 4,000-character question and a long history fit many times over
_SHAPE = 'send JSON like {"question": "your question", "history": ["earlier question", ...]}'


def article_json(article: Article) -> dict[str, Any]:
    """What a client needs to name and find an article: its fields, never the server's file path,
    and its address only when it is a web address (a ``javascript:`` one would run in a client)."""
    fields = {name: value for name, value in dataclasses.asdict(article).items() if name != "path"}
    return {**fields, "url": web_address(article.url)}


def _passage_json(passage: Passage) -> dict[str, Any]:
    return {
        "text": passage.text,
        "start": passage.start,
        "end": passage.end,
        "heading": passage.heading,
        "score": round(passage.score, 4),
        "article": article_json(passage.article),
    }


def _part_json(part: Part) -> dict[str, Any]:
    return {
        "question": part.question,
        "abstained": part.abstained,
        "missing": part.missing,
        "red_flags": list(part.red_flags),
        "quotes": [_passage_json(p) for p in part.quotes],
        "more": [_passage_json(p) for p in part.more],
        "confidence": round(part.confidence, 4),
        "unsure": part.unsure,
    }


def answer_json(answer: Answer) -> dict[str, Any]:
    """An ``Answer`` as plain JSON: quotes and offered passages (``more``) verbatim, never escaped
    for markdown; ``confidence`` and ``unsure`` as in the Python API."""
    return {
        "abstained": answer.abstained,
        "quotes": [_passage_json(p) for p in answer.quotes],
        "more": [_passage_json(p) for p in answer.more],
        "confidence": round(answer.confidence, 4),
        "unsure": answer.unsure,
        "markdown": safe_markdown(answer.markdown),
        "suggestions": list(answer.suggestions),
        "parts": [_part_json(p) for p in answer.parts],
    }


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _read_request(body: bytes) -> tuple[str, list[str]]:
    """The question and history of a request body, or a QuestionError saying what to send."""
    try:
        data = json.loads(body)
    except UnicodeDecodeError as exc:  # before ValueError, which it is
        where = f"byte {exc.start + 1}"
        raise QuestionError(f"the body holds a character that is not valid UTF-8 text ({where}); {_SHAPE}") from None
    except ValueError:
        raise QuestionError(f"the body is not JSON; {_SHAPE}") from None
    except RecursionError:  # [[[[... nested deeper than Python's parser goes
        raise QuestionError(f"the body is nested too deeply; {_SHAPE}") from None
    if not isinstance(data, dict):
        raise QuestionError(f"the body is JSON but not an object; {_SHAPE}")
    unknown = sorted(set(data) - {"question", "history"})
    if unknown:
        raise QuestionError(f"unknown field {unknown[0]!r}; {_SHAPE}")
    if "question" not in data:
        raise QuestionError(f"the question is missing; {_SHAPE}")
    if not isinstance(data["question"], str):
        raise QuestionError(f"question must be text, not {_json_kind(data['question'])}; {_SHAPE}")
    history = data.get("history")
    history = [] if history is None else history  # absent or null: no conversation; {} and false are errors
    if not isinstance(history, list) or not all(isinstance(turn, str) for turn in history):
        raise QuestionError(f"history must be a list of earlier questions (strings); {_SHAPE}")
    return data["question"], history


def _json_kind(value: object) -> str:
    """What a JSON value is, in JSON's words: "null", "a number", "a list", "an object"."""
    if value is None or isinstance(value, bool):
        return json.dumps(value)  # null, true, false
    if isinstance(value, (int, float)):
        return "a number"
    return "a list" if isinstance(value, list) else "an object"


async def _until_gone(request: Request, gone: threading.Event) -> None:
    """Set ``gone`` when the client disconnects (its body is read: nothing else arrives)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass
    gone.set()


def router(
    index: Index, answer_seconds: float | None = ANSWER_SECONDS, questions: QuestionLog | None = None
) -> APIRouter:
    """The API's routes over ``index`` (which follows rebuilds of its folder); an answer may take
    ``answer_seconds``."""
    routes = APIRouter(prefix="/api")

    @routes.post("/ask")
    async def ask(request: Request) -> JSONResponse:
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return _error(f"the request is {len(body):,} bytes; keep it under {MAX_BODY_BYTES:,}", 413)
        gone = threading.Event()
        watcher = asyncio.ensure_future(_until_gone(request, gone))
        try:
            question, history = _read_request(body)
            answer = await run_in_threadpool(index.ask, question, history, timeout=answer_seconds, cancelled=gone)
        except QuestionError as exc:
            return _error(str(exc))
        except AnswerTimeoutError as exc:
            return _error(str(exc), 503)
        finally:
            watcher.cancel()
        if questions:  # askback serve --log-questions; no vote refers to an API answer: no answer id
            questions.asked(question, answer)
        return JSONResponse(answer_json(answer))

    @routes.get("/ask")
    async def ask_with_get() -> JSONResponse:
        return _error(f"use POST for /api/ask; {_SHAPE}", 405)

    @routes.get("/info")
    async def info() -> JSONResponse:
        return JSONResponse(dataclasses.asdict(index.info))

    @routes.get("/articles")
    async def articles() -> JSONResponse:
        return JSONResponse({"articles": [article_json(a) for a in index.articles]})

    @routes.get("/articles/{article_id}")
    async def article(article_id: str) -> JSONResponse:
        found = next((a for a in index.articles if a.id == article_id), None)
        if found is None:
            return _error(f"no article {article_id!r}; GET /api/articles lists them", 404)
        try:
            text = await run_in_threadpool(index.article_text, found)
        except OSError:
            return _error(f"article {article_id!r} is missing from the corpus; rebuild the index", 404)
        return JSONResponse({**article_json(found), "text": _without_local_source(text)})

    # Last, so it answers only what no route above does: an API client gets the API's own error
    # shape and the list of what there is, not the framework's {"detail": "Not Found"}.
    @routes.api_route("/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unknown(request: Request, rest: str) -> JSONResponse:
        return _error(f"no {request.method} /api/{rest}; the API has {_ENDPOINTS}", 404)

    return routes


_ENDPOINTS = "POST /api/ask, GET /api/info, GET /api/articles and GET /api/articles/{id}"


_LOCAL_SOURCE = re.compile(r"\A(---\n(?:(?!---\n)[^\n]*\n)*?source:[ \t]*)([^\n]*)")


def _without_local_source(text: str) -> str:
    """The article's file text with the path of the document it was read from (its header's
    ``source``, recorded so that adding it again updates it) blanked: that path is the publisher's
    filesystem, not the article. Blanked with as many spaces, so every quote's offsets still hold;
    a web address stays, as the article shows it."""
    found = _LOCAL_SOURCE.match(text)
    if found is None or found.group(2).startswith(("http://", "https://")):
        return text
    return text[: found.start(2)] + " " * len(found.group(2)) + text[found.end(2) :]
