"""Head office sync in the status bar: each state's words, colour and tooltip; the hub polled."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient, HubError
from counter_app.hub.schemas import SyncStatusOut
from counter_app.ui.main_window import MainWindow
from counter_app.ui.sync_indicator import SyncIndicator, local_time
from counter_app.ui.workspaces import Session
from tests.ui.support import OFFSCREEN_NOISE, main_window_for, session_for
from tests.ui.test_pseudo_locale import SHOTS, clipped_texts

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)

SENT_AT = datetime(2026, 3, 2, 2, 31, tzinfo=UTC)


def status(state: str, **changes: Any) -> SyncStatusOut:
    values: dict[str, Any] = {
        "enrolled": state != "not_enrolled",
        "branch_code": "SH01",
        "state": state,
        "waiting": 0,
        "last_success": SENT_AT,
        "last_error": "",
        "last_error_code": "",
        "batches_sent": 12,
        "retry_in_seconds": 0.0,
    }
    return SyncStatusOut(**(values | changes))


OFFLINE = status(
    "offline",
    waiting=7,
    last_error="connection to server at 10.1.0.5 port 5432 failed: Connection refused",
    last_error_code="sync.unreachable",
    retry_in_seconds=30.0,
)
REFUSED = status(
    "refused",
    waiting=3,
    last_error='permission denied for table "ticket"',
    last_error_code="sync.refused",
    retry_in_seconds=64.2,
)


def settled(qtbot: QtBot, window: MainWindow) -> SyncIndicator:
    """The window's indicator once the hub's first answer is shown (so it cannot overwrite)."""
    indicator = window.sync_indicator
    qtbot.waitUntil(lambda: indicator.status is not None, timeout=10_000)
    return indicator


def test_a_branch_not_enrolled_shows_grey_on_every_post(
    qtbot: QtBot, hub_client: HubClient
) -> None:
    window = main_window_for(qtbot, hub_client, "guide")
    indicator = settled(qtbot, window)
    assert indicator.isVisible()
    assert indicator.text() == "Not enrolled with head office (this branch only)"
    assert indicator.tone() == "off"
    assert indicator.toolTip() == "Demo data is never sent to head office."
    assert indicator in window.statusBar().findChildren(SyncIndicator)


def test_idle_shows_green_with_the_local_time_of_the_last_success(
    qtbot: QtBot, hub_client: HubClient
) -> None:
    indicator = settled(qtbot, main_window_for(qtbot, hub_client, "clerk"))
    indicator.show_status(status("idle"))
    assert indicator.text() == f"Head office sync OK · {local_time(SENT_AT)}"
    assert indicator.tone() == "ok"
    assert "Branch SH01" in indicator.toolTip()
    assert SENT_AT.astimezone().strftime("%Y-%m-%d %H:%M:%S") in indicator.toolTip()
    assert "Reference data from head office: not checked yet" in indicator.toolTip()
    indicator.show_status(status("idle", reference_revision=42, last_pull=SENT_AT))
    assert (
        f"Reference data from head office: publication 42, checked {local_time(SENT_AT)}"
        in indicator.toolTip()
    )
    indicator.show_status(status("idle", last_success=None))
    assert indicator.text() == "Head office sync OK"
    assert "not yet" in indicator.toolTip()


def test_local_time_is_the_clock_today_and_the_date_before() -> None:
    now = datetime.now().astimezone()
    assert local_time(now) == now.strftime("%H:%M")
    earlier = now - timedelta(days=2)
    assert local_time(earlier) == earlier.strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    "sending", [status("sending", waiting=42), status("idle", waiting=42)], ids=["sending", "rows"]
)
def test_sending_or_rows_waiting_shows_the_count(
    qtbot: QtBot, hub_client: HubClient, sending: SyncStatusOut
) -> None:
    indicator = settled(qtbot, main_window_for(qtbot, hub_client, "collector"))
    indicator.show_status(sending)
    assert indicator.text() == "Syncing · 42 to send"
    assert indicator.tone() == "busy"
    assert "Branch SH01" in indicator.toolTip()


def test_offline_is_amber_with_the_error_words_in_the_tooltip(
    qtbot: QtBot, hub_client: HubClient
) -> None:
    indicator = settled(qtbot, main_window_for(qtbot, hub_client, "backoffice"))
    indicator.show_status(OFFLINE)
    assert indicator.text() == "Head office link down · 7 to send · retry in 30 s"
    assert indicator.tone() == "warning"
    tip = indicator.toolTip()
    assert tip.startswith(
        "Head office cannot be reached (connection to server at 10.1.0.5 port 5432 failed: "
        "Connection refused); everything is kept and sent when it is back."
    )
    assert "Branch SH01" in tip


def test_refused_is_red_with_the_error_words_in_the_tooltip(
    qtbot: QtBot, hub_client: HubClient
) -> None:
    indicator = settled(qtbot, main_window_for(qtbot, hub_client, "manager"))
    indicator.show_status(REFUSED)
    assert indicator.text() == "Head office refuses the records · 3 to send · retry in 65 s"
    assert indicator.tone() == "error"
    assert 'Head office refused the records (permission denied for table "ticket")' in (
        indicator.toolTip()
    )
    # a hub too old for head office: the bar says what to do, since retrying will not help
    indicator.show_status(
        REFUSED.model_copy(
            update={
                "last_error_code": "sync.upgrade_required",
                "last_error": "0006_policy_printing",
            }
        )
    )
    assert indicator.text() == (
        "Upgrade this hub: head office no longer takes its records · 3 to send"
    )
    assert "upgrade the hub" in indicator.toolTip()


def test_the_retry_counts_down_to_retrying(qtbot: QtBot, hub_client: HubClient) -> None:
    indicator = settled(qtbot, main_window_for(qtbot, hub_client, "guide"))
    indicator.show_status(OFFLINE.model_copy(update={"retry_in_seconds": 1.0}))
    assert indicator.text() == "Head office link down · 7 to send · retry in 1 s"
    qtbot.waitUntil(
        lambda: indicator.text() == "Head office link down · 7 to send · retrying", timeout=3000
    )
    # Back to normal: no countdown left running.
    indicator.show_status(status("idle"))
    assert indicator.tone() == "ok"


def test_back_to_idle_after_an_outage_turns_green(qtbot: QtBot, hub_client: HubClient) -> None:
    indicator = settled(qtbot, main_window_for(qtbot, hub_client, "channel"))
    indicator.show_status(OFFLINE)
    indicator.show_status(status("idle"))
    assert indicator.tone() == "ok"
    assert "cannot be reached" not in indicator.toolTip()


def _counting(client: HubClient, monkeypatch: pytest.MonkeyPatch) -> list[SyncStatusOut]:
    answers: list[SyncStatusOut] = []
    real = client.sync_status

    def spy() -> SyncStatusOut:
        answer = real()
        answers.append(answer)
        return answer

    monkeypatch.setattr(client, "sync_status", spy)
    return answers


def _indicator(qtbot: QtBot, session: Session, poll_ms: int) -> SyncIndicator:
    indicator = SyncIndicator(session, poll_ms=poll_ms)
    qtbot.addWidget(indicator, before_close_func=lambda _w: session.tasks.wait(5000))
    return indicator


def test_the_hub_is_asked_again_and_again(
    qtbot: QtBot, hub_client: HubClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_for(hub_client, "clerk")
    answers = _counting(hub_client, monkeypatch)
    indicator = _indicator(qtbot, session, poll_ms=100)
    qtbot.waitUntil(lambda: len(answers) >= 3, timeout=10_000)
    assert {a.state for a in answers} == {"not_enrolled"}
    assert indicator.status == answers[0]


def test_no_polls_while_the_hub_is_away_and_one_when_it_is_back(
    qtbot: QtBot, hub_client: HubClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = session_for(hub_client, "clerk")
    answers = _counting(hub_client, monkeypatch)
    indicator = _indicator(qtbot, session, poll_ms=60_000)
    qtbot.waitUntil(lambda: len(answers) == 1, timeout=10_000)
    session.link.report(HubError("hub.unreachable"))  # as any failed hub call does
    indicator.poll()
    assert len(answers) == 1, "a poll while the link is down"
    # The link probes the (running) hub, finds it back, and the indicator asks at once.
    qtbot.waitUntil(lambda: session.link.up and len(answers) == 2, timeout=10_000)
    session.link.shutdown()


def test_a_failed_poll_keeps_the_last_state_and_says_nothing(
    qtbot: QtBot,
    hub_client: HubClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    session = session_for(hub_client, "clerk")
    indicator = _indicator(qtbot, session, poll_ms=60_000)
    qtbot.waitUntil(lambda: indicator.status is not None, timeout=10_000)
    indicator.show_status(OFFLINE)
    tries: list[int] = []

    def down() -> SyncStatusOut:
        tries.append(1)
        raise HubError("hub.unreachable", "connection refused")

    monkeypatch.setattr(hub_client, "sync_status", down)
    with caplog.at_level(logging.WARNING, logger="counter_app.ui.sync_indicator"):
        indicator.poll()
        qtbot.waitUntil(lambda: len(tries) == 1 and not session.link.up, timeout=5000)
        QApplication.processEvents()
    assert caplog.records == []
    assert indicator.status == OFFLINE
    assert indicator.tone() == "warning"
    session.link.shutdown()


def test_other_failures_are_logged_once(
    qtbot: QtBot,
    hub_client: HubClient,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    session = session_for(hub_client, "clerk")
    indicator = _indicator(qtbot, session, poll_ms=60_000)
    qtbot.waitUntil(lambda: indicator.status is not None, timeout=10_000)
    tries: list[int] = []

    def broken() -> SyncStatusOut:
        tries.append(1)
        raise HubError("not_found", "Not Found", status=404)

    monkeypatch.setattr(hub_client, "sync_status", broken)
    with caplog.at_level(logging.WARNING, logger="counter_app.ui.sync_indicator"):
        for count in (1, 2, 3):
            indicator.poll()
            qtbot.waitUntil(lambda n=count: len(tries) == n, timeout=5000)  # type: ignore[misc]
            qtbot.waitUntil(lambda: not indicator._polling, timeout=5000)
    assert len(caplog.records) == 1
    assert indicator.tone() == "off", "the last answer stays"


# --- in Chinese, in the main window at 1280x720 and at its normal 1024x720 ---

ZH_TEXTS = {
    "not_enrolled": (status("not_enrolled"), "未登记总公司（仅本网点）", "off"),
    "idle": (status("idle"), "", "ok"),
    "sending": (status("sending", waiting=1280), "正在同步 · 待发 1280 条", "busy"),
    "offline": (OFFLINE, "总公司连接中断 · 待发 7 条 · 30 秒后重试", "warning"),
    "refused": (REFUSED, "总公司拒收数据 · 待发 3 条 · 65 秒后重试", "error"),
    "process_ended": (
        status(
            "offline",
            waiting=40,
            last_error="exit code -9",
            last_error_code="sync.process_ended",
            retry_in_seconds=5.0,
        ),
        "同步重启中 · 待发 40 条 · 5 秒后",
        "warning",
    ),
}


@pytest.mark.parametrize("state", list(ZH_TEXTS))
def test_each_state_in_chinese_fits_the_main_window(
    state: str,
    qtbot: QtBot,
    hub_client: HubClient,
    zh_qm: Path,
    install_translation: Callable[[Path], QTranslator],
    app_font: str,
) -> None:
    install_translation(zh_qm)
    window = main_window_for(qtbot, hub_client, "clerk")
    window.show_scan("CLM2026000123")
    indicator = settled(qtbot, window)
    value, text, tone = ZH_TEXTS[state]
    if state == "idle":  # sent a moment ago: the clock time alone, as the counter sees it
        sent = datetime.now(UTC) - timedelta(minutes=4)
        value = value.model_copy(update={"last_success": sent})
        text = f"总公司同步正常 · {local_time(sent)}"
    indicator.show_status(value)
    assert indicator.text() == text
    assert indicator.tone() == tone
    if state == "offline":
        assert indicator.toolTip().startswith("无法连接总公司（connection to server")
    if state == "process_ended":
        assert indicator.toolTip().startswith("网点服务器的同步进程已停止（exit code -9）")
    problems: list[str] = []
    for width in (1280, 1024):
        window.resize(width, 720)
        for _ in range(3):
            QApplication.processEvents()
            qtbot.wait(20)
        assert window.width() == width, "the window grew to fit its status bar"
        assert indicator.isVisible()
        problems += [f"[{width}] {p}" for p in clipped_texts(window)]
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert window.grab().save(str(SHOTS / f"sync_{state}_{width}.png"))
    assert not problems, "\n".join(problems)
