"""The speed benchmark's protocol sessions (``benchmarks/wire.py``) make the server do what a real page makes it do.

Issue 5's concurrency target is judged with protocol sessions standing in for browsers on other machines, so
the stand-in must be faithful: it replays the frames a Chromium page sent, and every replayed move must make
the server rerun the script and send as many messages as it sent the page for the same move.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math

import pytest
from playwright.async_api import async_playwright
from streamlit.proto.BackMsg_pb2 import BackMsg

from benchmarks import browser, wire

pytestmark = pytest.mark.browser


def _pue(frame: bytes) -> float:
    """The PUE slider's value in a recorded ``rerun_script`` frame."""
    states = BackMsg.FromString(frame).rerun_script.widget_states.widgets
    (state,) = [w for w in states if w.id.endswith("-pue")]
    return state.double_array_value.data[0]


async def _record_and_replay(url: str) -> tuple[wire.Recording, float, list[float], wire.WireSession]:
    async with async_playwright() as pw:
        chromium = await browser.launch(pw)
        try:
            recording, _ = await wire.record_backmsgs(
                await browser.new_context(chromium), url, browser.APP_SLIDER_LABEL
            )
        finally:
            await chromium.close()
    session = wire.WireSession(recording)
    try:
        opened_ms = await session.open(url)
        moves_ms = [await session.move() for _ in range(4)]
    finally:
        await session.close()
    return recording, opened_ms, moves_ms, session


def test_a_protocol_session_replays_a_pages_moves(app_url: str) -> None:
    # Its own thread and event loop: the other browser tests hold Playwright's sync API in this one.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        recording, opened_ms, moves_ms, session = pool.submit(asyncio.run, _record_and_replay(app_url)).result(120)

    up, back = (_pue(frame) for frame in recording.move_frames)
    assert up == pytest.approx(back + 0.01), "the page's two moves: PUE one step up, then back"
    assert session.errors == []
    assert math.isfinite(opened_ms) and opened_ms > 0
    assert all(math.isfinite(ms) and 0 < ms < 30_000 for ms in moves_ms)
    # Every replayed move is a full rerun that sends what the page received for the same move.
    assert session.messages[1:] == [*recording.page_messages, *recording.page_messages]
    assert min(recording.page_messages) > 20, "a move redraws the whole page, not a few elements"
