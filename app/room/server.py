"""The room's web server: the join page and its small JSON API, served from a background thread.

Starlette (routing, requests, responses) served by uvicorn (the HTTP parsing) on an asyncio loop
of its own thread, beside Qt's event loop. It answers only what the round needs: the page and
its two static files from resources/room/, and the API under /api/<join code>/. Nothing else of
the workshop is reachable. Reads come from the thread-safe `Room`; writes go to the room's
ledger (models/room/ledger.py) and are answered once they are on disk. docs/workshop-mode.md has
the threat model.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import threading
from importlib import resources

import uvicorn
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, Router
from uvicorn.protocols.http.h11_impl import H11Protocol

from cutline.models.room.ledger import Buy, Join, Rate, RoomLedger
from cutline.models.room.state import Room, RoomRefused

#: Largest request body: a phone sends one rating, or a list of purchases, at a time.
BODY_LIMIT = 8 * 1024
#: How long a request waits for the window to write it before it is answered "busy".
WRITE_TIMEOUT = 10.0
#: Connections open at once, and from one address (a browser opens about six); a connection over
#: either is closed as soon as it is accepted, before anything is read from it.
CONNECTION_LIMIT = 200
ADDRESS_CONNECTIONS = 32
#: Seconds a connection has to send a request's headers (once open, or once answered), and a
#: request its body: a client that trickles bytes (slowloris) is cut off, not waited for.
HEADER_TIMEOUT = 10.0
BODY_TIMEOUT = 10.0
#: Largest request line and headers together (uvicorn's httptools parser has no limit of its own).
HEAD_LIMIT = 8 * 1024
STATIC = {"room.css": "text/css; charset=utf-8", "room.js": "text/javascript; charset=utf-8"}
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
                               "connect-src 'self'; img-src 'self'; base-uri 'none'; "
                               "form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",  # the join code is in the address: never pass it on
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


def _read_resource(name: str) -> bytes:
    return resources.files("cutline.resources").joinpath("room", name).read_bytes()


class _Refusal(Response):
    """A JSON answer in words for the page: {"error": "..."}. After a body too large or too slow
    the connection is closed: what is left of the body is never read."""

    def __init__(self, status: int, message: str):
        headers = {"Connection": "close"} if status in (408, 413) else None
        super().__init__(json.dumps({"error": message}), status, headers=headers,
                         media_type="application/json")


def address_key(host: str) -> str:
    """The key an address is counted under: itself, or its /64 network for IPv6, where one device
    may use any of 2**64 addresses."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host
    if ip.version == 6 and not ip.is_loopback:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


class _Limits:
    """What uvicorn's HTTP protocols lack for a room on a shared network: a cap on connections in
    all and per address, applied when a connection is accepted (uvicorn would keep it open and
    answer 503 to everyone else), and a deadline for each request's headers."""

    peer: str | None = None
    _deadline = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        peer = address_key(self.client[0]) if self.client else "?"
        counts = self._counts()
        if len(self.connections) > CONNECTION_LIMIT or counts.get(peer, 0) >= ADDRESS_CONNECTIONS:
            self.connections.discard(self)
            transport.abort()
            return
        self.peer = peer
        counts[peer] = counts.get(peer, 0) + 1
        self._arm()

    def _counts(self) -> dict[str, int]:
        """Connections open per address, kept with the server's state (one dict per server)."""
        counts = getattr(self.server_state, "room_connections", None)
        if counts is None:
            counts = self.server_state.room_connections = {}
        return counts

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._deadline = self.loop.call_later(HEADER_TIMEOUT, self._too_slow)

    def _too_slow(self) -> None:
        self._deadline = None
        waiting = self.cycle is None or self.cycle.response_complete  # no request being answered
        if waiting and not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        if self.peer is not None:
            counts = self._counts()
            counts[self.peer] -= 1
            if counts[self.peer] <= 0:
                del counts[self.peer]
            self.peer = None
        super().connection_lost(exc)


class _H11Room(_Limits, H11Protocol):
    """h11 limits a request's head arriving in pieces (`h11_max_incomplete_event_size`); one
    arriving whole is refused by `RoomApp`."""


def _protocol() -> type:
    """httptools' protocol when it is installed (as uvicorn's "auto" chooses), with a limit on
    the request's head, which httptools does not have; h11's otherwise."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:
        return _H11Room

    class _HttpToolsRoom(_Limits, HttpToolsProtocol):
        _head = 0

        def on_message_begin(self) -> None:
            self._head = 0
            super().on_message_begin()

        def _count(self, size: int) -> None:
            self._head += size
            if self._head > HEAD_LIMIT:
                raise ValueError("request head too large")  # httptools answers 400 and closes

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)
            super().on_header(name, value)

    return _HttpToolsRoom


class RoomApp:
    """The ASGI application of one room."""

    def __init__(self, room: Room, ledger: RoomLedger, host: str, port: int):
        self.room, self.ledger = room, ledger
        self.page = _read_resource("index.html")
        self.static = {name: _read_resource(name) for name in STATIC}
        self.hosts = _host_headers(host, port)
        routes = [
            Route("/", self.index), Route("/j/{code}", self.index),
            Route("/static/{name}", self.static_file),
            Route("/api/{code}/info", self.info),
            Route("/api/{code}/join", self.join, methods=["POST"]),
            Route("/api/{code}/me", self.me),
            Route("/api/{code}/rate", self.rate, methods=["POST"]),
            Route("/api/{code}/buy", self.buy, methods=["POST"]),
        ]
        self.app = Router(routes=routes)  # no middleware stack: every error is answered below

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return  # no websockets, and lifespan is off
        headers = scope.get("headers") or []
        if sum(len(k) + len(v) + 4 for k, v in headers) + len(scope.get("raw_path", b"")) > HEAD_LIMIT:
            # h11 limits only a head arriving in pieces: one sent whole may be as large as a read
            await Response("Request head too large", 431, headers=PAGE_HEADERS)(scope, receive, send)
            return
        host = dict(headers).get(b"host", b"").decode("latin-1").lower()
        if host not in self.hosts:  # a name some other site points at us (DNS rebinding)
            await Response("Unknown host", 421, headers=PAGE_HEADERS)(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode()) for k, v in PAGE_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    # -- pages ----------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        if not self._address_allowed(request):
            return _Refusal(429, "Too many requests; wait a moment.")
        return Response(self.page, media_type="text/html; charset=utf-8")

    async def static_file(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in STATIC:
            return Response("Not found", 404)
        return Response(self.static[name], media_type=STATIC[name])

    # -- the API --------------------------------------------------------------------------------
    async def info(self, request: Request) -> Response:
        return await self._answer(request, self._info, authenticated=False)

    async def join(self, request: Request) -> Response:
        return await self._answer(request, lambda _, body: self._join(request, body),
                                  authenticated=False, body=True)

    async def me(self, request: Request) -> Response:
        return await self._answer(request, lambda person, _: self.room.page_for(person))

    async def rate(self, request: Request) -> Response:
        return await self._answer(request, self._rate, body=True)

    async def buy(self, request: Request) -> Response:
        return await self._answer(request, self._buy, body=True)

    def _info(self, _, __) -> dict:
        return self.room.join_info()

    async def _join(self, request, body) -> dict:
        body = _object(body)
        address = self._peer(request)
        name, role = self.room.check_join(body.get("name"), body.get("role"), address)
        person = await self._written(Join(name, role, address))
        self.room.touch()
        return {"token": person.token, "name": person.name}

    async def _rate(self, person, body) -> dict:
        entries = self.room.check_ratings(person, _object(body).get("ratings"))
        self.room.touch()  # answers keep the room open; a page left open and polling does not
        return {"saved": await self._written(Rate(person, entries))}

    async def _buy(self, person, body) -> dict:
        ids = self.room.check_purchase(person, _object(body).get("ids"))
        self.room.touch()
        return {"saved": await self._written(Buy(person, ids))}

    async def _written(self, job):
        try:
            async with asyncio.timeout(WRITE_TIMEOUT):
                return await asyncio.wrap_future(self.ledger.submit(job))
        except TimeoutError:
            raise RoomRefused(503, "Not saved yet: the host's laptop is busy. Try again.") from None

    async def _answer(self, request: Request, handle, *, authenticated: bool = True,
                      body: bool = False) -> Response:
        """Check the code, the rate, the token and the body, then answer `handle(person, body)`."""
        try:
            if not self.room.code_matches(request.path_params["code"]):
                if not self._address_allowed(request):  # guesses count against the sender
                    raise RoomRefused(429, "Too many requests; wait a moment.")
                raise RoomRefused(404, "That is not the code of the open round. Check the code on the screen.")
            person = None
            if authenticated:
                header = request.headers.get("authorization", "")
                person = self.room.participant_for(header.removeprefix("Bearer ").strip())
                if not self.room.per_participant.allow(person.pid):
                    raise RoomRefused(429, "Too many requests; wait a moment.")
            elif not self._address_allowed(request):
                raise RoomRefused(429, "Too many requests; wait a moment.")
            if body and authenticated and not self.room.per_address_writes.allow(self._peer(request)):
                raise RoomRefused(429, "Too many requests; wait a moment.")  # many tokens, one device
            data = await _json_body(request) if body else None
            answer = handle(person, data)
            if asyncio.iscoroutine(answer):
                answer = await answer
            return JSONResponse(answer)
        except RoomRefused as refused:
            return _Refusal(refused.status, refused.message)

    @staticmethod
    def _peer(request: Request) -> str:
        return address_key(request.client.host) if request.client else "?"

    def _address_allowed(self, request: Request) -> bool:
        return self.room.per_address.allow(self._peer(request))


def _object(body) -> dict:
    if not isinstance(body, dict):
        raise RoomRefused(400, "The request is not what this page sends.")
    return body


async def _json_body(request: Request):
    """The request's JSON, at most BODY_LIMIT bytes, sent as application/json (never a form)."""
    if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
        raise RoomRefused(415, "The request is not what this page sends.")
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > BODY_LIMIT):
        raise RoomRefused(413, "The request is too large.")
    chunks, size = [], 0
    try:
        async with asyncio.timeout(BODY_TIMEOUT):
            async for chunk in request.stream():
                size += len(chunk)
                if size > BODY_LIMIT:
                    raise RoomRefused(413, "The request is too large.")
                chunks.append(chunk)
    except TimeoutError:
        raise RoomRefused(408, "The request took too long to arrive; try again.") from None
    except ClientDisconnect:
        raise RoomRefused(400, "The request was not sent whole.") from None  # nobody reads this
    try:
        return json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RoomRefused(400, "The request is not what this page sends.") from None


def _host_headers(host: str, port: int) -> set[str]:
    """The Host headers a browser sends for the address the room is bound to."""
    shown = f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    names = {f"{shown}:{port}".lower()}
    if ipaddress.ip_address(host).is_loopback:
        names.add(f"localhost:{port}")
    return names


def join_address(host: str, port: int, code: str = "") -> str:
    """The address participants open: http://192.168.1.20:8765/j/K7PQ4XMA."""
    shown = f"[{host}]" if ipaddress.ip_address(host).version == 6 else host
    return f"http://{shown}:{port}" + (f"/j/{code}" if code else "")


class RoomServer:
    """Serves one room on `host` (one of the machine's addresses) until `stop`."""

    def __init__(self, room: Room, ledger: RoomLedger, host: str, port: int = 0):
        ip = ipaddress.ip_address(host)  # a ValueError for anything but an address
        if ip.is_unspecified:
            raise ValueError("The room listens on one address the host chooses, never on all of them.")
        family = socket.AF_INET6 if ip.version == 6 else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind((host, port))
            self.sock.listen(128)
        except OSError:
            self.sock.close()
            raise
        self.host, self.port = host, self.sock.getsockname()[1]
        config = uvicorn.Config(
            RoomApp(room, ledger, host, self.port), log_config=None, log_level="warning",
            access_log=False, lifespan="off", proxy_headers=False, server_header=False,
            limit_concurrency=CONNECTION_LIMIT + 1, timeout_keep_alive=5, timeout_graceful_shutdown=2,
            h11_max_incomplete_event_size=HEAD_LIMIT, http=_protocol(), loop="asyncio", ws="none",
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self._serve, name="cutline-room", daemon=True)

    @property
    def address(self) -> str:
        return join_address(self.host, self.port)

    def start(self) -> None:
        self.thread.start()

    def _serve(self) -> None:
        self.server.run(sockets=[self.sock])

    def stop(self, timeout: float = 5.0) -> None:
        """Stop listening; requests in flight get a moment to finish."""
        self.server.should_exit = True
        if self.thread.is_alive():
            self.thread.join(timeout)
        self.sock.close()
