"""A small Telegram Bot API emulator for offline tests.

An aiohttp server on 127.0.0.1 (random port) answering
``/bot<token>/<method>`` with Telegram-shaped JSON. Point a real
``telegram.Bot`` or ``Application`` at it with ``base_url``::

    async with BotAPI() as api:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        api.push_update(api.private_message("xin chào"))
        params = await api.wait_for("sendMessage")

It is strict where Telegram is strict and our code could go wrong: HTML
parse mode is parsed as Telegram does (unknown tags, unescaped ``<`` or
``&``, unbalanced tags → 400 "can't parse entities"), visible text longer
than 4096 UTF-16 units → 400 "message is too long", ``callback_data`` over
64 bytes → 400, inline answers over 50 results → 400.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import socket
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

DEFAULT_TOKEN = "123456789:AAEmulatorTokenForTestsOnly_abcdefghij"
BOT_ID = 123456789
BOT_USERNAME = "vankien_test_bot"

# Parameters PTB sends as raw strings (everything else is JSON-encoded).
STRING_PARAMS = {
    "text",
    "caption",
    "parse_mode",
    "query",
    "callback_query_id",
    "inline_query_id",
    "inline_message_id",
    "next_offset",
    "url",
    "secret_token",
    "ip_address",
    "action",
    "language_code",
    "description",
    "short_description",
    "name",
    "business_connection_id",
    "message_effect_id",
    "switch_pm_text",
    "switch_pm_parameter",
}

ALLOWED_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*(/?)>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")


class TelegramHTMLError(ValueError):
    """The text would be refused by Telegram's HTML parser."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _unescape(fragment: str) -> str:
    out = []
    pos = 0
    while True:
        amp = fragment.find("&", pos)
        if amp < 0:
            out.append(fragment[pos:])
            return "".join(out)
        out.append(fragment[pos:amp])
        m = _ENTITY.match(fragment, amp)
        if not m:
            raise TelegramHTMLError(f"Can't parse entities: unescaped '&' at byte offset {amp}")
        name = m.group(1)
        if name.startswith("#x"):
            out.append(chr(int(name[2:], 16)))
        elif name.startswith("#"):
            out.append(chr(int(name[1:])))
        elif name in NAMED_ENTITIES:
            out.append(NAMED_ENTITIES[name])
        else:
            raise TelegramHTMLError(f"Can't parse entities: unsupported entity &{name};")
        pos = m.end()


def parse_telegram_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse HTML as Telegram does: (visible text, entities with UTF-16 offsets)."""
    plain: list[str] = []
    length = 0  # UTF-16 units so far
    stack: list[tuple[str, int, dict[str, str]]] = []
    entities: list[dict[str, Any]] = []
    pos = 0
    while pos < len(text):
        lt = text.find("<", pos)
        chunk = text[pos : lt if lt >= 0 else len(text)]
        if chunk:
            value = _unescape(chunk)
            plain.append(value)
            length += utf16_len(value)
        if lt < 0:
            break
        m = _TAG.match(text, lt)
        if not m:
            raise TelegramHTMLError(
                f"Can't parse entities: unsupported start tag at byte offset {lt}"
            )
        closing, tag, attr_text, _selfclose = m.groups()
        tag = tag.lower()
        if tag not in ALLOWED_TAGS:
            raise TelegramHTMLError(f'Can\'t parse entities: unsupported start tag "{tag}"')
        if closing:
            if not stack or stack[-1][0] != tag:
                raise TelegramHTMLError(f'Can\'t parse entities: unmatched end tag "{tag}"')
            name, start, attrs = stack.pop()
            if length > start:
                entity: dict[str, Any] = {
                    "type": ALLOWED_TAGS[name],
                    "offset": start,
                    "length": length - start,
                }
                if name == "a":
                    entity["url"] = attrs.get("href", "")
                    if not entity["url"]:
                        entity = {}
                if entity:
                    entities.append(entity)
        else:
            attrs = {}
            for am in _ATTR.finditer(attr_text or ""):
                raw = next((g for g in am.groups()[1:] if g is not None), "")
                attrs[am.group(1).lower()] = _unescape(raw)
            if tag == "a":
                href = attrs.get("href", "")
                if href and not re.match(r"(?i)(https?|tg)://", href):
                    raise TelegramHTMLError(f"Can't parse entities: unsupported URL {href!r}")
            stack.append((tag, length, attrs))
        pos = m.end()
    if stack:
        raise TelegramHTMLError(
            f"Can't parse entities: can't find end tag corresponding to start tag \"{stack[-1][0]}\""
        )
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(plain), entities


class _Failure:
    def __init__(self, status: int, description: str, retry_after: int | None) -> None:
        self.status = status
        self.description = description
        self.retry_after = retry_after


class BotAPI:
    """The emulator. Use as an async context manager or call start()/stop()."""

    def __init__(
        self, token: str = DEFAULT_TOKEN, username: str = BOT_USERNAME, port: int = 0
    ) -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "Văn kiện",
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
        }
        self.calls: list[tuple[str, dict[str, Any]]] = []  # every request, as parsed
        self.ok_calls: list[tuple[str, dict[str, Any], Any]] = []  # answered ok: + result
        self.ok_times: list[float] = []  # loop time of each ok call, parallel to ok_calls
        self.messages: dict[int, dict[int, dict[str, Any]]] = {}  # chat id -> id -> message
        self.commands: dict[str, list[dict[str, Any]]] = {}  # scope json -> commands
        self.webhook: dict[str, Any] = {}
        self.allowed_updates: list[str] | None = None
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self.chat_admins: dict[int, set[int]] = {}  # chat id -> user ids getChatMember calls admins
        self.blocked: set[int] = set()  # chats whose sends fail: bot blocked or chat deleted
        self.migrated: dict[int, int] = {}  # group id -> the supergroup id it became
        self._consumed: set[int] = set()
        self._changed = asyncio.Condition()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = port  # 0: any free port

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """For `ApplicationBuilder().base_url(...)` / `Bot(base_url=...)`: token is appended."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> BotAPI:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        self._closing = True
        async with self._changed:
            self._changed.notify_all()
        if self._runner:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ test helpers

    def push_update(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update = dict(update)
        update.setdefault("update_id", next(self._update_ids))
        for key in ("message", "edited_message", "callback_query", "inline_query"):
            chat = (update.get(key) or {}).get("chat")
            if chat:
                self._chats[chat["id"]] = chat
        self._updates.append(update)
        asyncio.get_running_loop().create_task(self._notify())
        return update["update_id"]

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def fail_next(
        self, method: str, status: int = 429, retry_after: int = 1, description: str | None = None
    ) -> None:
        """Answer the next call of `method` with an error (once)."""
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else "Bad Request: simulated failure"
            )
        self._failures.setdefault(method, []).append(
            _Failure(status, description, retry_after if status == 429 else None)
        )

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[dict[str, Any]], bool] | None = None,
        timeout: float = 5,
    ) -> dict[str, Any]:
        """Wait for a successful call of `method` not returned before; returns its params."""

        def find() -> dict[str, Any] | None:
            for i, (name, params, _result) in enumerate(self.ok_calls):
                if i in self._consumed or name != method:
                    continue
                if predicate is None or predicate(params):
                    self._consumed.add(i)
                    return params
            return None

        async def waiter() -> dict[str, Any]:
            async with self._changed:
                while True:
                    found = find()
                    if found is not None:
                        return found
                    await self._changed.wait()

        try:
            return await asyncio.wait_for(waiter(), timeout)
        except TimeoutError:
            seen = [(n, {k: v for k, v in p.items() if k != "results"}) for n, p in self.calls[-8:]]
            raise AssertionError(
                f"no {method} call matched within {timeout}s; last calls: {seen}"
            ) from None

    async def wait_for_request(self, method: str, timeout: float = 5) -> dict[str, Any]:
        """Wait until `method` has been requested at least once (answered or not)."""

        async def waiter() -> dict[str, Any]:
            async with self._changed:
                while True:
                    for name, params in self.calls:
                        if name == method:
                            return params
                    await self._changed.wait()

        return await asyncio.wait_for(waiter(), timeout)

    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent (successful sendMessage results), optionally for one chat."""
        return [
            result
            for name, params, result in self.ok_calls
            if name == "sendMessage" and (chat_id is None or params.get("chat_id") == chat_id)
        ]

    def count(self, method: str, *, ok_only: bool = True) -> int:
        if ok_only:
            return sum(1 for name, _p, _r in self.ok_calls if name == method)
        return sum(1 for name, _p in self.calls if name == method)

    # ------------------------------------------------------------------ factories

    def user(self, user_id: int, first_name: str = "Người dùng") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "vi"}

    def _entities(self, text: str) -> list[dict[str, Any]]:
        entities = []
        m = re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,32})?", text)
        if m:
            entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(m.group(0))})
        for m in re.finditer(r"(?<![\w/])@[A-Za-z0-9_]{5,32}", text):
            entities.append(
                {
                    "type": "mention",
                    "offset": utf16_len(text[: m.start()]),
                    "length": utf16_len(m.group(0)),
                }
            )
        return entities

    def _message(
        self,
        text: str,
        chat: dict[str, Any],
        user_id: int,
        entities: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id),
            "text": text,
        }
        ents = self._entities(text) if entities is None else entities
        if ents:
            msg["entities"] = ents
        msg.update({k: v for k, v in extra.items() if v is not None})
        return msg

    def private_message(self, text: str, user_id: int = 1001, **extra: Any) -> dict[str, Any]:
        chat = {"id": user_id, "type": "private", "first_name": "Người dùng"}
        return {"message": self._message(text, chat, user_id, **extra)}

    def group_message(
        self,
        text: str,
        chat_id: int = -100200300,
        user_id: int = 1001,
        reply_to_bot: bool = False,
        entities: list[dict[str, Any]] | None = None,
        thread_id: int | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": "supergroup", "title": "Nhóm học tập"}
        if thread_id is not None:
            chat["is_forum"] = True
        extra: dict[str, Any] = {}
        if thread_id is not None:
            extra["message_thread_id"] = thread_id
            extra["is_topic_message"] = True
        if reply_to is not None:
            extra["reply_to_message"] = reply_to
        elif reply_to_bot:
            earlier = self.sent(chat_id)
            extra["reply_to_message"] = (
                earlier[-1]
                if earlier
                else {
                    "message_id": next(self._message_ids),
                    "date": int(time.time()),
                    "chat": chat,
                    "from": self.bot_user,
                    "text": "Tin nhắn trước của bot",
                }
            )
        elif thread_id is not None:  # in a topic, Telegram replies to the topic's first message
            extra["reply_to_message"] = {
                "message_id": thread_id,
                "date": int(time.time()),
                "chat": chat,
                "from": self.user(user_id),
                "forum_topic_created": {"name": "Chủ đề", "icon_color": 7322096},
                "message_thread_id": thread_id,
                "is_topic_message": True,
            }
        return {"message": self._message(text, chat, user_id, entities, **extra)}

    def edited_message(self, text: str, chat_id: int = 1001, user_id: int = 1001) -> dict[str, Any]:
        chat = (
            {"id": chat_id, "type": "private", "first_name": "Người dùng"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "Nhóm học tập"}
        )
        msg = self._message(text, chat, user_id)
        msg["edit_date"] = int(time.time())
        return {"edited_message": msg}

    def callback_query(
        self, data: str, message: dict[str, Any], user_id: int = 1001
    ) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": str(next(self._ids)),
                "from": self.user(user_id),
                "chat_instance": "ci-1",
                "data": data,
                "message": message,
            }
        }

    def inline_query(self, query: str, offset: str = "", user_id: int = 1001) -> dict[str, Any]:
        return {
            "inline_query": {
                "id": str(next(self._ids)),
                "from": self.user(user_id),
                "query": query,
                "offset": offset,
                "chat_type": "sender",
            }
        }

    # ------------------------------------------------------------------ server

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            body = await request.read()
            return json.loads(body) if body else {}
        raw: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            form = await request.post()
            raw.update({k: v for k, v in form.items() if isinstance(v, str)})
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if key in STRING_PARAMS:
                params[key] = value
            else:
                try:
                    params[key] = json.loads(value)
                except ValueError:
                    params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        params = await self._params(request)
        async with self._changed:
            self.calls.append((method, params))
            self._changed.notify_all()
        failures = self._failures.get(method) or self._failures.get(method.lower())
        if failures:
            failure = failures.pop(0)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": failure.status,
                "description": failure.description,
            }
            if failure.retry_after is not None:
                body["parameters"] = {"retry_after": failure.retry_after}
            return web.json_response(body, status=failure.status)
        handler = getattr(self, "_m_" + method.lower(), None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
                status=404,
            )
        try:
            self._check_reachable(method, params)
            result = await handler(params)
        except _BadRequest as exc:
            return web.json_response(
                {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}, status=400
            )
        except _Refused as exc:
            return web.json_response(exc.body, status=exc.body["error_code"])
        async with self._changed:
            self.ok_calls.append((method, params, result))
            self.ok_times.append(asyncio.get_running_loop().time())
            self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    def _check_reachable(self, method: str, params: dict[str, Any]) -> None:
        """Blocked, deleted and migrated chats refuse sends, as Telegram does."""
        if not method.lower().startswith("send"):
            return
        chat_id = params.get("chat_id")
        if chat_id in self.blocked:
            raise _Refused(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.migrated:
            raise _Refused(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": self.migrated[chat_id]},
            )

    # ------------------------------------------------------------------ methods

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if "allowed_updates" in params:
            self.allowed_updates = list(params["allowed_updates"] or []) or None
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

        def pending() -> list[dict[str, Any]]:
            allowed = self.allowed_updates
            return [
                u
                for u in self._updates
                if u["update_id"] >= offset and (allowed is None or any(k in u for k in allowed))
            ][:limit]

        deadline = asyncio.get_running_loop().time() + timeout
        async with self._changed:
            while not pending() and not self._closing:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    break
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)
        return pending()

    def _chat(self, chat_id: Any) -> dict[str, Any]:
        if chat_id in self._chats:
            return self._chats[chat_id]
        if isinstance(chat_id, int) and chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "Người dùng"}
        return {"id": chat_id, "type": "supergroup", "title": "Nhóm"}

    @staticmethod
    def _check_markup(markup: Any) -> None:
        if not markup:
            return
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode("utf-8")) <= 64:
                    raise _BadRequest("BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise _BadRequest("text buttons are unallowed in the inline keyboard")

    def _parse_text(self, params: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
        text = params.get("text")
        if not isinstance(text, str):
            raise _BadRequest("message text is empty")
        if (params.get("parse_mode") or "").upper() == "HTML":
            try:
                visible, entities = parse_telegram_html(text)
            except TelegramHTMLError as exc:
                raise _BadRequest(str(exc)) from None
        else:
            visible, entities = text, list(params.get("entities") or [])
        stripped = visible.strip()
        if not stripped:
            raise _BadRequest("message text is empty")
        if utf16_len(stripped) > 4096:
            raise _BadRequest("message is too long")
        return visible, entities

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat_id = params.get("chat_id")
        visible, entities = self._parse_text(params)
        self._check_markup(params.get("reply_markup"))
        chat = self._chat(chat_id)
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.bot_user,
            "text": visible,
        }
        if entities:
            msg["entities"] = entities
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        if params.get("message_thread_id"):
            msg["message_thread_id"] = params["message_thread_id"]
            msg["is_topic_message"] = True
        reply = params.get("reply_parameters") or {}
        reply_id = reply.get("message_id") or params.get("reply_to_message_id")
        if reply_id:
            msg["reply_to_message"] = {"message_id": reply_id, "date": msg["date"], "chat": chat}
        self.messages.setdefault(chat["id"], {})[msg["message_id"]] = msg
        return msg

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        visible, entities = self._parse_text(params)
        self._check_markup(params.get("reply_markup"))
        if params.get("inline_message_id"):
            return True
        msg = self.messages.get(params.get("chat_id"), {}).get(params.get("message_id"))
        if msg is None:
            raise _BadRequest("message to edit not found")
        if msg.get("text") == visible and msg.get("entities", []) == entities:
            raise _BadRequest(
                "message is not modified: specified new message content and reply markup "
                "are exactly the same as a current content and reply markup of the message"
            )
        msg.update(text=visible, entities=entities, edit_date=int(time.time()))
        if params.get("reply_markup"):
            msg["reply_markup"] = params["reply_markup"]
        return msg

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        if len(params.get("text") or "") > 200:
            raise _BadRequest("MESSAGE_TOO_LONG")
        return True

    async def _m_answerinlinequery(self, params: dict[str, Any]) -> Any:
        results = params.get("results") or []
        if len(results) > 50:
            raise _BadRequest("RESULTS_TOO_MUCH")
        ids = [r.get("id", "") for r in results]
        if len(set(ids)) != len(ids) or any(not 1 <= len(i.encode()) <= 64 for i in ids):
            raise _BadRequest("RESULT_ID_DUPLICATE")
        if len((params.get("next_offset") or "").encode()) > 64:
            raise _BadRequest("NEXT_OFFSET_INVALID")
        for result in results:
            content = result.get("input_message_content") or {}
            if "message_text" in content:
                self._parse_text(
                    {"text": content["message_text"], "parse_mode": content.get("parse_mode")}
                )
            self._check_markup(result.get("reply_markup"))
        return True

    @staticmethod
    def _scope_key(params: dict[str, Any]) -> str:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(
            {"scope": scope, "lang": params.get("language_code") or ""}, sort_keys=True
        )

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands") or []
        if len(commands) > 100:
            raise _BadRequest("too many commands")
        for cmd in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", cmd.get("command", "")):
                raise _BadRequest("BOT_COMMAND_INVALID")
            if not 1 <= len(cmd.get("description", "")) <= 256:
                raise _BadRequest("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._scope_key(params)] = commands
        return True

    async def _m_deletemycommands(self, params: dict[str, Any]) -> Any:
        self.commands.pop(self._scope_key(params), None)
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> Any:
        return self.commands.get(self._scope_key(params), [])

    async def _m_sendchataction(self, params: dict[str, Any]) -> Any:
        if not params.get("action"):
            raise _BadRequest("action is empty")
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = {}
        return True

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _m_getchatmember(self, params: dict[str, Any]) -> Any:
        chat_id, user_id = params.get("chat_id"), params.get("user_id")
        if not isinstance(user_id, int):
            raise _BadRequest("invalid user_id specified")
        user = self.user(user_id)
        if user_id not in self.chat_admins.get(chat_id, set()):
            return {"status": "member", "user": user}
        rights = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
                  "can_manage_video_chats", "can_restrict_members", "can_promote_members",
                  "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
                  "can_delete_stories")  # fmt: skip
        return {"status": "administrator", "user": user, **dict.fromkeys(rights, False)}

    async def _m_sendpoll(self, params: dict[str, Any]) -> Any:
        question = params.get("question")
        options = params.get("options") or []
        if not isinstance(question, str) or not 1 <= len(question) <= 300:
            raise _BadRequest("POLL_QUESTION_INVALID")
        texts = [o["text"] if isinstance(o, dict) else o for o in options]
        if not 2 <= len(texts) <= 10 or any(not 1 <= len(t) <= 100 for t in texts):
            raise _BadRequest("POLL_OPTION_INVALID")
        if len(set(texts)) != len(texts):
            raise _BadRequest("POLL_OPTION_DUPLICATE")
        quiz = params.get("type") == "quiz"
        correct = params.get("correct_option_ids") or [params.get("correct_option_id")]
        if quiz and not (
            len(correct) == 1 and isinstance(correct[0], int) and 0 <= correct[0] < len(texts)
        ):
            raise _BadRequest("wrong correct option ID specified")
        if len(params.get("explanation") or "") > 200:
            raise _BadRequest("explanation is too long")
        chat = self._chat(params.get("chat_id"))
        poll = {
            "id": str(next(self._ids)),
            "question": question,
            "options": [
                {"text": t, "voter_count": 0, "persistent_id": str(i)} for i, t in enumerate(texts)
            ],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": params.get("is_anonymous", True),
            "type": "quiz" if quiz else "regular",
            "allows_multiple_answers": False,
            "allows_revoting": False,
            "members_only": False,
        }
        if quiz:
            poll["correct_option_ids"] = correct
        msg = {"message_id": next(self._message_ids), "date": int(time.time()), "chat": chat,
               "from": self.bot_user, "poll": poll}  # fmt: skip
        self.messages.setdefault(chat["id"], {})[msg["message_id"]] = msg
        return msg

    async def _m_close(self, params: dict[str, Any]) -> Any:
        return True

    async def _m_logout(self, params: dict[str, Any]) -> Any:
        return True


class _BadRequest(Exception):
    pass


class _Refused(Exception):
    """An error answer with a status other than 400 or with `parameters`."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None):
        super().__init__(description)
        self.body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
        if parameters:
            self.body["parameters"] = parameters
