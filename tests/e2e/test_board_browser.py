"""The web board in headless Chromium against a real demo hub on loopback.

Debian's ``chromium`` (``/usr/bin/chromium``) is driven by Playwright; Playwright never downloads
a browser of its own here. Sound: Chromium plays the WAVs to its audio sink in real time (with no
sound card it still runs the clock of the stream), so ``ended`` arrives after the call's length.
"""

from __future__ import annotations

import itertools
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from counter_app.client.hub_client import HubClient
from counter_app.config.basedir import Basedir
from counter_app.config.settings import Settings
from counter_app.devices.voice_clips import ClipLibrary, clip_folder
from counter_app.domain.announcement import Announcement, call_clips
from counter_app.hub.server import HubOptions, HubServer
from counter_app.services.display import BoardVoice
from tests.conftest import DEMO_PASSWORDS

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")  # Debian's package; the Makefile installs it
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-default-apps",
    "--autoplay-policy=no-user-gesture-required",
]
TV = {"width": 1920, "height": 1080}
WAIT_MS = 30_000
REPEAT = 2
GAP_MS = 500  # the page's pause between two plays


@contextmanager
def chromium(args: list[str]) -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian package chromium is not installed"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=args, timeout=WAIT_MS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser() -> Iterator[Browser]:
    with chromium(CHROMIUM_ARGS) as browser:
        yield browser


class Hubs:
    """Demo hubs on one basedir, started and stopped by the test; all stopped at the end."""

    def __init__(self, basedir: Basedir) -> None:
        self.basedir = basedir
        self.running: list[HubServer] = []

    def start(self, port: int = 0) -> HubServer:
        server = HubServer(self.basedir, Settings(None), HubOptions(host="127.0.0.1", port=port))
        server.start()
        self.running.append(server)
        return server

    def stop(self, server: HubServer) -> None:
        server.stop()
        self.running.remove(server)


@pytest.fixture
def hubs(demo_basedir: Basedir) -> Iterator[Hubs]:
    hubs = Hubs(demo_basedir)
    yield hubs
    for server in list(hubs.running):
        hubs.stop(server)


def login(url: str, username: str) -> HubClient:
    client = HubClient(url, f"{username}-desk")
    client.login(username, DEMO_PASSWORDS[username])
    return client


def board_state(page: Page) -> dict[str, Any]:
    state = page.evaluate("window.boardState")
    assert isinstance(state, dict)
    return state


def play_ms(library: ClipLibrary, number: str, window: int, chime: bool) -> float:
    return library.duration_ms(call_clips(Announcement(number, window, ""), chime=chime))


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


# Every text box on the board whose content is wider or taller than the box, or that reaches
# outside the screen: what a viewer would see cut off.
CLIPPED = """() => {
  const boxes = document.querySelectorAll(
    "#branch, #time, #date, #current-number, #current-window, #current-text, " +
    "#recent li span, #waiting .name, #waiting .count, .title");
  const out = [];
  for (const el of boxes) {
    const r = el.getBoundingClientRect();
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1 ||
        r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) {
      out.push(el.id || el.className || el.tagName);
    }
  }
  return out;
}"""


def test_board_shows_and_speaks_calls_in_order_and_catches_up_after_a_restart(
    hubs: Hubs, browser: Browser, tmp_path: Path
) -> None:
    hub = hubs.start()
    port = int(hub.url.rsplit(":", 1)[1])
    guide, clerk, manager, collector = (
        login(hub.url, u) for u in ("guide", "clerk", "manager", "collector")
    )
    page = browser.new_page(viewport=TV)
    page.set_default_timeout(WAIT_MS)
    page_errors: list[str] = []
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    try:
        key = guide.create_board_key("大厅电视")
        page.goto(f"{hub.url}{key.url_path}&repeat={REPEAT}")
        page.wait_for_function("window.boardState && window.boardState.connected")

        # Three tickets called at three windows in quick succession.
        guide.issue_ticket("A")
        guide.issue_ticket("A")
        guide.issue_ticket("B")
        calls = [clerk.call_next(1), manager.call_next(2), collector.call_next(3)]
        expected = [(t.number, t.window) for t in calls if t is not None]
        assert expected == [("A001", 1), ("A002", 2), ("B001", 3)]

        page.wait_for_function(
            "(numbers) => numbers.every(n => document.body.innerText.includes(n))",
            arg=[n for n, _ in expected],
        )
        assert page.inner_text("#current-number") == "B001"
        assert page.inner_text("#current-window") == "3号窗口"
        assert page.inner_text("#current-text") == "请 B001 号到 3 号窗口办理"
        recent = page.inner_text("#recent")
        assert "A002" in recent
        assert "2号窗口" in recent
        assert "A001" in recent
        assert "1号窗口" in recent

        page.wait_for_function(
            "window.boardState.announced.length >= 3 && "
            "window.boardState.announced.every(a => a.ended_at !== null)",
            timeout=3 * 15_000,
        )
        library = ClipLibrary.load(clip_folder())
        announced = board_state(page)["announced"]
        assert [(a["number"], a["window"]) for a in announced] == expected
        for before, after in itertools.pairwise(announced):
            assert after["started_at"] >= before["ended_at"], (before, after)  # never cut off
        for entry in announced:
            plays = entry["plays"]
            assert [p["chime"] for p in plays] == [True] + [False] * (REPEAT - 1)
            assert [p["how"] for p in plays] == ["ended"] * REPEAT, plays
            for play, later in itertools.pairwise(plays):
                assert later["started_at"] >= play["ended_at"] + GAP_MS - 50
            for play in plays:
                # Played in full: as long as the joined clips (the clock of the audio stream).
                length = play_ms(library, entry["number"], entry["window"], play["chime"])
                assert play["ended_at"] - play["started_at"] >= 0.9 * length, (play, length)

        shot = tmp_path / "board-1920x1080.png"
        page.screenshot(path=str(shot))
        assert png_size(shot) == (1920, 1080)
        assert page.evaluate(CLIPPED) == []
        assert page.is_hidden("#banner")

        # The hub goes down: the page says so and keeps trying.
        hubs.stop(hub)
        page.wait_for_function("!window.boardState.connected")
        assert page.is_visible("#banner")
        assert page.inner_text("#banner") == "连接中断，正在重连…"

        # Meanwhile a ticket is called (a hub on another port, which the page does not know).
        elsewhere = hubs.start()
        late_guide, late_clerk = login(elsewhere.url, "guide"), login(elsewhere.url, "clerk")
        try:
            late_guide.issue_ticket("A")
            missed = late_clerk.call_next(1)
        finally:
            late_guide.close()
            late_clerk.close()
        hubs.stop(elsewhere)
        assert missed is not None
        assert missed.number == "A003"
        assert not board_state(page)["connected"]

        # Back on its address: the page reconnects by itself and catches up from its cursor.
        hubs.start(port)
        page.wait_for_function("window.boardState.connected", timeout=WAIT_MS)
        page.wait_for_function(
            "document.querySelector('#current-number').innerText === 'A003'", timeout=WAIT_MS
        )
        assert page.inner_text("#current-window") == "1号窗口"
        page.wait_for_function(
            "window.boardState.announced.some(a => a.number === 'A003' && a.ended_at !== null)",
            timeout=WAIT_MS,
        )
        state = board_state(page)
        assert [a["number"] for a in state["announced"]] == ["A001", "A002", "B001", "A003"]
        assert state["reconnects"] >= 1
        assert page.is_hidden("#banner")
        assert page_errors == []
    finally:
        page.close()
        for client in (guide, clerk, manager, collector):
            client.close()


# What a TV's browser does until someone presses a key: it refuses to start sound by itself.
# (Headless Chromium allows it whatever --autoplay-policy says, so the refusal is staged.)
REFUSE_SOUND = """
HTMLMediaElement.prototype.play = function () {
  return Promise.reject(new DOMException("play() needs a user gesture", "NotAllowedError"));
};
"""


def test_without_sound_the_board_still_moves_on_in_order(
    hubs: Hubs, browser: Browser, tmp_path: Path
) -> None:
    """Sound refused (no click yet) or missing (no clips): each call still takes its turn, and
    the page says how it ended instead of pretending it was heard."""
    hub = hubs.start()
    assert hub.context is not None
    guide, clerk = login(hub.url, "guide"), login(hub.url, "clerk")
    page = browser.new_page(viewport=TV)
    page.add_init_script(REFUSE_SOUND)
    page.set_default_timeout(WAIT_MS)
    try:
        key = guide.create_board_key("没有声音的电视")
        page.goto(f"{hub.url}{key.url_path}&repeat=1")
        page.wait_for_function("window.boardState.connected")
        guide.issue_ticket("A")
        guide.issue_ticket("A")
        first = clerk.call_next(1)
        page.wait_for_function(
            "window.boardState.announced.length === 1 && "
            "window.boardState.announced[0].ended_at !== null"
        )
        # Then the hub loses its clips before the second call.
        hub.context.voice = BoardVoice(tmp_path / "no-clips")
        second = clerk.call_next(1)
        assert first is not None
        assert second is not None
        page.wait_for_function(
            "window.boardState.announced.length === 2 && "
            "window.boardState.announced.every(a => a.ended_at !== null)"
        )
        state = board_state(page)
        announced = state["announced"]
        assert [a["number"] for a in announced] == [first.number, second.number]
        assert [a["plays"][0]["how"] for a in announced] == ["timer", "error"]
        assert announced[1]["started_at"] >= announced[0]["ended_at"]
        # The refused sound was waited out for its real length, not skipped.
        length = play_ms(ClipLibrary.load(clip_folder()), first.number, 1, chime=True)
        assert announced[0]["ended_at"] - announced[0]["started_at"] >= 0.95 * length
        assert state["sound_blocked"] is True
        assert page.is_visible("#sound")
        assert page.inner_text("#current-number") == second.number
    finally:
        page.close()
        guide.close()
        clerk.close()
