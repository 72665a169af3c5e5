"""Protocol sessions: a real browser's websocket traffic, replayed without a browser's rendering.

Why: on one 2-core machine, 50 Chromium pages spend more CPU drawing than the server spends answering them
(benchmark run 5: 241 ms of Chromium CPU per move against 33 ms of server CPU), so their latency measures the
load generator as much as the server; even the one-slider floor app reaches 2.08x there. In a deployment each
user's browser draws on that user's own machine, and only the server is shared. A :class:`WireSession` stands
in for such a remote browser: it opens the same websocket as the page (``/_stcore/stream``, subprotocol
``streamlit``, the page's ``Origin``), sends the very bytes a real Chromium page sent for its first run and
for a slider move one step up and one step back (recorded by :func:`record_backmsgs`: the same widget states,
query string and client context, so the server does the same work as for a browser), and reads every
``ForwardMsg`` the server sends until ``script_finished``.

Its latency is the time from sending the move to receiving ``script_finished`` [ms]: the server's share of a
move, with no drawing.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, WebSocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect

from benchmarks import browser

STREAM_PATH = "/_stcore/stream"


@dataclass(frozen=True)
class Recording:
    """The BackMsgs a Chromium page sent: on opening, and for one move up and one move back; and how many
    messages the page received for each of those moves (a replay should receive as many)."""

    open_frame: bytes
    move_frames: tuple[bytes, bytes]
    page_messages: tuple[int, int]


def _rerun_frame(payload: str | bytes) -> bytes:
    """``payload`` as bytes, checked to be a ``BackMsg`` asking for a script rerun."""
    data = payload if isinstance(payload, bytes) else payload.encode()
    kind = BackMsg.FromString(data).WhichOneof("type")
    if kind != "rerun_script":
        raise RuntimeError(f"the page sent a {kind!r} BackMsg where a rerun_script was expected")
    return data


def _messages_to_finish(frames: list[bytes]) -> int:
    """How many of ``frames`` arrived up to and including the first ``script_finished``."""
    for i, frame in enumerate(frames):
        if ForwardMsg.FromString(frame).HasField("script_finished"):
            return i + 1
    raise RuntimeError("the page settled without a script_finished message")


async def record_backmsgs(ctx: BrowserContext, url: str, label: str | None) -> tuple[Recording, browser.Session]:
    """Open ``url`` in a Chromium page, make two slider moves, and return what the page sent, and the page.

    Each move must send exactly one frame (the rerun with the new widget states), so that a replay is one
    browser move, not more or fewer.
    """
    sent: list[bytes] = []
    received: list[bytes] = []

    def on_websocket(ws: WebSocket) -> None:
        if urlsplit(ws.url).path == STREAM_PATH:
            ws.on("framesent", lambda payload: sent.append(_rerun_frame(payload)))
            ws.on("framereceived", lambda payload: received.append(payload if isinstance(payload, bytes) else b""))

    def on_page(page) -> None:
        page.on("websocket", on_websocket)

    ctx.on("page", on_page)
    try:
        session, _ = await browser.open_session(ctx, url, label)
    finally:
        ctx.remove_listener("page", on_page)
    if len(sent) != 1:
        raise RuntimeError(f"opening the page sent {len(sent)} frames, expected 1")
    moves: list[bytes] = []
    messages: list[int] = []
    for _ in range(2):
        before, before_received = len(sent), len(received)
        await session.move()
        if len(sent) != before + 1:
            raise RuntimeError(f"a slider move sent {len(sent) - before} frames, expected 1")
        moves.append(sent[-1])
        messages.append(_messages_to_finish(received[before_received:]))
    if moves[0] == moves[1]:
        raise RuntimeError("the two recorded moves sent the same widget states")
    return Recording(sent[0], (moves[0], moves[1]), (messages[0], messages[1])), session


@dataclass
class WireSession:
    """One server session driven over the websocket by replaying a :class:`Recording`."""

    recording: Recording
    timeout_s: float = browser.MOVE_TIMEOUT_MS / 1000
    moves: int = 0
    errors: list[str] = field(default_factory=list)
    #: Messages received for each rerun, from sending its frame to ``script_finished`` (the opening included).
    messages: list[int] = field(default_factory=list)
    _received: int = 0
    _ws: ClientConnection | None = None
    _reader: asyncio.Task | None = None
    _sock: socket.socket | None = None
    _finished: asyncio.Queue = field(default_factory=asyncio.Queue)

    async def open(self, url: str) -> float:
        """Connect, send the opening frame, and wait for the first run's ``script_finished`` [ms]."""
        parts = urlsplit(url)
        self._ws = await connect(
            f"ws://{parts.netloc}{STREAM_PATH}",
            origin=f"{parts.scheme}://{parts.netloc}",
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=self.timeout_s,
        )
        self._sock = self._ws.transport.get_extra_info("socket")
        self._quick_ack()
        self._reader = asyncio.create_task(self._read())
        return await self._rerun(self.recording.open_frame)

    async def move(self) -> float:
        """One replayed slider move (up, then back on the next call): ms until ``script_finished``."""
        frame = self.recording.move_frames[self.moves % 2]
        self.moves += 1
        return await self._rerun(frame)

    async def close(self) -> None:
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            with contextlib.suppress(BaseException):
                await self._reader

    async def _rerun(self, frame: bytes) -> float:
        if self._ws is None:
            raise RuntimeError("the session is not open")
        while not self._finished.empty():  # a late answer to an earlier, timed-out move
            self._finished.get_nowait()
        self._received = 0
        t0 = time.perf_counter()
        await self._ws.send(frame)
        try:
            t1, received = await asyncio.wait_for(self._finished.get(), self.timeout_s)
        except TimeoutError:
            raise RuntimeError(f"no script_finished within {self.timeout_s:.0f} s") from None
        self.messages.append(received)
        return (t1 - t0) * 1000

    def _quick_ack(self) -> None:
        """Acknowledge the server's next segments at once (Linux ``TCP_QUICKACK``, which the kernel resets).

        Streamlit 1.67's server sockets are created with protocol 0, so asyncio does not set ``TCP_NODELAY`` on
        the connections it accepts: the server's small frames then wait for the acknowledgement of the previous
        one, and a client that delays its acknowledgements (40 ms on Linux, as this request-response client
        does) stalls every rerun by 40 ms. Chromium does not stall so (measured: Chromium's time to
        ``script_finished`` did not change when the server set ``TCP_NODELAY``), so the stand-in must not either.
        """
        with contextlib.suppress(OSError, AttributeError):
            self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)

    async def _read(self) -> None:
        assert self._ws is not None
        try:
            async for data in self._ws:
                t = time.perf_counter()
                self._quick_ack()
                self._received += 1
                msg = ForwardMsg.FromString(data if isinstance(data, bytes) else data.encode())
                if msg.HasField("delta") and msg.delta.new_element.HasField("exception"):
                    self.errors.append(f"exception shown: {msg.delta.new_element.exception.message[:200]}")
                if msg.HasField("script_finished"):
                    if msg.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                        self.errors.append(f"script_finished status {msg.script_finished}")
                    self._finished.put_nowait((t, self._received))
        except Exception as exc:  # a dropped connection is an error of the run, not a crash of the benchmark
            self.errors.append(f"websocket: {str(exc)[:200]}")
