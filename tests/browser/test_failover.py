"""Failover (issue 17, item 4): two replicas behind HAProxy (deploy/serve.py's Topology, on free loopback
ports), a shared link opened through the balancer in Chromium, and the replica serving it killed by its PID.

What a visitor sees. Streamlit's front end notices the lost websocket at once: the status widget in the top
right says "Connecting" (the app root's ``data-test-connection-state`` goes ``PINGING_SERVER``) while it pings
``/_stcore/health`` with a growing back-off; HAProxy, finding the replica named in the page's ``REPLICA``
cookie down, sends the ping and the new websocket to the other replica (``option redispatch``) and sets the
cookie to it. The new replica has no session for the page, so it starts one and runs the script with the page's
URL, which carries the whole scenario (explorer/state.py keeps it in sync with every widget): the same figures
come back, including an input moved after the link was opened. Measured on this 2-core machine: "Connecting"
for about 2 s (1.9-2.6 s in five runs), then the headline again.

The three tests share one topology (started once, ~10-20 s) and revive a killed replica before going on. Every
wait is bounded (the topology's start 60 s, a page 60 s, noticing the loss 15 s, coming back 60 s); the whole
module takes about 1-2 minutes here. Every process started (2 replicas, HAProxy, a replacement replica) is
stopped by its own PID, its process group included, also on failure.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_kit import REPO_ROOT, headline_total
from playwright.sync_api import Page

from deploy.serve import Topology, consecutive_free_ports
from harness.server import http_get
from harness.settle import wait_settled

pytestmark = pytest.mark.browser

LINK = "/?preset=llama-3.1-405b"
COOKIE = "REPLICA"
NOTICE_TIMEOUT_MS = 15_000  # the page notices the lost server
BACK_TIMEOUT_MS = 60_000  # ... and is connected to the other replica
PAGE_TIMEOUT_MS = 60_000
STATE_TIMEOUT_S = 20.0  # HAProxy sees a replica go down or up (checks every 1 s, 2 in a row)
CONNECTION_STATE_JS = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app ? app.getAttribute('data-test-connection-state') : null;
}"""
#: What would be left on screen after a failover that went wrong.
LEFT_OVER = '[data-testid="stException"], [data-testid="stAlert"], [data-testid="stStatusWidget"], [role="dialog"]'


@pytest.fixture(scope="module")
def topology() -> Iterator[Topology]:
    os.environ.pop("CARBON_CORE_DATA_DIR", None)  # the replicas read the bundled data (the corrupt one: its own)
    topo = Topology(replicas=2, port=consecutive_free_ports(3))
    try:
        topo.start()
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield topo
    finally:
        topo.stop()


def wait_states(topo: Topology, wanted: dict[str, str]) -> None:
    """Wait until HAProxy reports each replica in ``wanted`` in that state (``UP``/``DOWN``)."""
    deadline = time.monotonic() + STATE_TIMEOUT_S
    while not all(topo.server_states().get(n, "").startswith(s) for n, s in wanted.items()):
        assert time.monotonic() < deadline, f"HAProxy: {topo.server_states()}, expected {wanted}"
        time.sleep(0.2)


@pytest.fixture
def both_up(topology: Topology) -> Topology:
    """Both replicas running and in rotation (a test before may have killed one)."""
    for name in topology.names:
        if topology.processes[name].poll() is not None:
            topology.start_replica(name)
    topology.wait_until(lambda: all(topology.replica_ok(n) for n in topology.names), 60, "both replicas answer")
    wait_states(topology, dict.fromkeys(topology.names, "UP"))
    return topology


def kill(topo: Topology, name: str) -> None:
    """Kill replica ``name`` as a crash would (SIGKILL to its process group), and reap it."""
    process = topo.processes[name]
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def replica_of(page: Page) -> str:
    """The replica HAProxy pinned the page's browser context to (its sticky cookie)."""
    names = [c["value"] for c in page.context.cookies() if c["name"] == COOKIE]
    assert len(names) == 1, f"cookies: {page.context.cookies()}"
    return names[0]


def active_sessions(topo: Topology, name: str) -> int:
    text = http_get(f"{topo.replica_url(name)}/_stcore/metrics?families=active_sessions") or ""
    match = re.search(r"^active_sessions (\d+)", text, re.MULTILINE)
    assert match, f"{name}'s /_stcore/metrics: {text[:200]!r}"
    return int(match.group(1))


def open_on(page: Page, topo: Topology, replica: str | None = None) -> str:
    """Open the shared link through the balancer (pinned to ``replica`` if given); the headline total."""
    if replica is not None:
        page.context.add_cookies([{"name": COOKIE, "value": replica, "url": topo.url}])
    page.goto(topo.url + LINK)
    wait_settled(page, timeout_ms=PAGE_TIMEOUT_MS)
    return headline_total(page)


def comes_back(page: Page) -> float:
    """Wait for the page to notice the lost server, then to be connected and settled again; seconds taken."""
    t0 = time.monotonic()
    page.wait_for_function(f"() => ({CONNECTION_STATE_JS})() !== 'CONNECTED'", timeout=NOTICE_TIMEOUT_MS)
    page.wait_for_function(f"() => ({CONNECTION_STATE_JS})() === 'CONNECTED'", timeout=BACK_TIMEOUT_MS)
    wait_settled(page, timeout_ms=PAGE_TIMEOUT_MS)
    return time.monotonic() - t0


def nothing_left_on_screen(page: Page) -> None:
    left = page.locator(LEFT_OVER).all_inner_texts()
    assert not left, f"left on screen after the failover: {left}"
    assert page.evaluate(CONNECTION_STATE_JS) == "CONNECTED"


def test_page_moves_to_the_other_replica_with_its_scenario(both_up: Topology, new_page: Callable[..., Page]) -> None:
    topo, page = both_up, new_page()
    open_on(page, topo)
    thumb = page.locator('[data-testid="stSlider"]').filter(has_text="PUE [-]").get_by_role("slider")
    thumb.focus()
    page.keyboard.press("ArrowRight")  # an input moved after opening the link must survive the failover
    page.wait_for_function("() => new URLSearchParams(location.search).get('pue') === '1.11'", timeout=15_000)
    wait_settled(page, timeout_ms=PAGE_TIMEOUT_MS)
    total, url, serving = headline_total(page), page.url, replica_of(page)
    assert active_sessions(topo, serving) >= 1
    other = next(n for n in topo.names if n != serving)

    kill(topo, serving)
    took = comes_back(page)

    assert replica_of(page) == other, "HAProxy did not move the page to the other replica"
    assert active_sessions(topo, other) >= 1
    assert page.url == url and parse_qs(urlsplit(page.url).query)["pue"] == ["1.11"]
    assert headline_total(page) == total
    nothing_left_on_screen(page)
    print(f"\nfailover: {serving} killed, the page was back on {other} after {took:.1f} s")


def test_two_pages_one_per_replica_survive_either_replica(both_up: Topology, new_page: Callable[..., Page]) -> None:
    """Two browser contexts, one per replica; each replica killed in turn (and revived before the next)."""
    topo = both_up
    pages = {name: new_page() for name in topo.names}
    totals = {name: open_on(page, topo, replica=name) for name, page in pages.items()}
    assert len(set(totals.values())) == 1, totals
    for victim in topo.names:
        survivor = next(n for n in topo.names if n != victim)
        for name, page in pages.items():
            if replica_of(page) != name:  # pinned again after the previous round moved it
                page.context.clear_cookies()
                open_on(page, topo, replica=name)
            assert replica_of(page) == name
        kill(topo, victim)
        comes_back(pages[victim])  # the victim's page moves; the survivor's page keeps its session
        for page in pages.values():
            assert replica_of(page) == survivor
            assert headline_total(page) == totals[victim]
            nothing_left_on_screen(page)
        topo.start_replica(victim)
        wait_states(topo, {victim: "UP"})


def test_replica_with_corrupt_data_is_kept_out_of_rotation(
    both_up: Topology, new_page: Callable[..., Page], tmp_path: Path
) -> None:
    topo = both_up
    corrupt = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", corrupt)
    grid = corrupt / "grid_intensity.csv"
    grid.write_text(grid.read_text(encoding="utf-8").replace("FRA", "FRX", 1), encoding="utf-8")
    bad, good = topo.names[1], topo.names[0]

    kill(topo, bad)
    replacement = topo.start_replica(bad, env={"CARBON_CORE_DATA_DIR": str(corrupt)})
    assert replacement.wait(timeout=60) == 2, topo.log(bad)
    assert "refuses to start" in topo.log(bad)
    wait_states(topo, {bad: "DOWN", good: "UP"})
    time.sleep(2.5)  # more than two health checks later, still out
    assert topo.server_states()[bad].startswith("DOWN")

    for pinned in (None, bad):  # a new visitor, and one whose cookie names the bad replica
        page = new_page()
        open_on(page, topo, replica=pinned)
        assert replica_of(page) == good
        nothing_left_on_screen(page)
