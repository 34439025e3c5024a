"""The Chinese translation is complete, current, compiles, and reaches real windows."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTranslator
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.domain.roles import Role
from counter_app.hub.schemas import LoginResponse, StaffOut
from counter_app.ui.hub_link import HubLink
from counter_app.ui.login import LoginWindow
from counter_app.ui.messages import ROLE_NAMES, Messages
from counter_app.ui.tasks import TaskRunner
from counter_app.ui.workspaces import Session
from counter_app.ui.workspaces.posts import GuideWorkspace
from scripts.update_translations import TS_FILES, run_lupdate
from tests.ui.conftest import ROOT, ZH_TS, lrelease

# Contexts that are not class names: the first argument of QT_TRANSLATE_NOOP calls.
NOOP_CONTEXT = re.compile(r"QT_TRANSLATE_NOOP\(\s*[\"'](\w+)[\"']")
PLACEHOLDER = re.compile(r"\{[A-Za-z_]\w*\}|%L?\d+|%n")
# A menu accelerator: "&" before a character, but not the escaped "&&".
MNEMONIC = re.compile(r"(?<!&)&(?!&)")


@dataclass(frozen=True)
class Message:
    context: str
    source: str
    kind: str | None  # the translation's type attribute: None when finished
    forms: tuple[str, ...]  # the translation, or each numerus form
    numerus: bool
    filename: str


def read_ts(path: Path) -> list[Message]:
    messages = []
    filename = ""  # with relative locations, a file is named once until the next one
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            location = message.find("location")
            if location is not None and location.get("filename"):
                filename = location.get("filename", "")
            translation = message.find("translation")
            assert translation is not None, (name, message.findtext("source"))
            numerus = message.get("numerus") == "yes"
            if numerus:
                forms = tuple(f.text or "" for f in translation.iter("numerusform"))
            else:
                forms = (translation.text or "",)
            messages.append(
                Message(
                    name,
                    message.findtext("source") or "",
                    translation.get("type"),
                    forms,
                    numerus,
                    filename,
                )
            )
    return messages


def pairs(path: Path) -> set[tuple[str, str]]:
    return {(m.context, m.source) for m in read_ts(path)}


# --- (a) the committed files hold exactly the texts the code has ---


@pytest.mark.parametrize(("ts", "language"), TS_FILES, ids=lambda v: getattr(v, "name", v))
def test_committed_ts_is_up_to_date(ts: Path, language: str, tmp_path: Path) -> None:
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    run_lupdate(fresh, language)
    committed, current = pairs(ts), pairs(fresh)
    assert current, "lupdate found no texts at all"
    missing = sorted(current - committed)
    stale = sorted(committed - current)
    advice = f"{ts.name} is out of date: run `make update-translations` and translate."
    assert not missing, f"{advice}\nIn the code but not in {ts.name}: {missing}"
    assert not stale, f"{advice}\nIn {ts.name} but gone from the code: {stale}"


def test_update_script_is_repeatable_and_keeps_translations(tmp_path: Path) -> None:
    fresh = tmp_path / ZH_TS.name
    shutil.copy(ZH_TS, fresh)
    run_lupdate(fresh, "zh_CN")
    once = fresh.read_bytes()
    run_lupdate(fresh, "zh_CN")
    assert fresh.read_bytes() == once

    def translations(path: Path) -> list[tuple[str, str, str | None, tuple[str, ...]]]:
        return [(m.context, m.source, m.kind, m.forms) for m in read_ts(path)]

    assert translations(fresh) == translations(ZH_TS)


# --- (b) every Chinese message is finished and keeps what the code substitutes ---


ZH_MESSAGES = read_ts(ZH_TS)


def message_problems(message: Message) -> list[str]:
    """What is wrong with one Chinese message; empty when it is fine."""
    if message.kind is not None:
        return [f"translation is {message.kind}"]
    problems = []
    expected = Counter(PLACEHOLDER.findall(message.source))
    for form in message.forms:
        if not form.strip():
            problems.append("empty translation")
            continue
        found = Counter(PLACEHOLDER.findall(form))
        if found != expected:
            problems.append(f"placeholders {dict(found)} instead of {dict(expected)}: {form!r}")
        if form.count("\n") != message.source.count("\n"):
            problems.append(f"line breaks differ: {form!r}")
        if len(MNEMONIC.findall(form)) != len(MNEMONIC.findall(message.source)):
            problems.append(f"menu accelerator lost or added: {form!r}")
        # A source of punctuation only (the list separator ", ") needs Chinese punctuation.
        needs_hanzi = re.search(r"[A-Za-z]", message.source) is not None
        if needs_hanzi and not re.search(r"[\u4e00-\u9fff]", form):
            problems.append(f"no Chinese in it: {form!r}")
    if message.numerus and len(message.forms) != 1:
        problems.append(f"{len(message.forms)} plural forms; Chinese has one")
    return problems


def test_every_zh_message_is_finished_and_keeps_placeholders() -> None:
    assert len(ZH_MESSAGES) > 100
    problems = [
        f"{m.context} {m.source!r}: {problem}"
        for m in ZH_MESSAGES
        for problem in message_problems(m)
    ]
    assert not problems, f"{len(problems)} problems in {ZH_TS.name}:\n" + "\n".join(problems)


def test_message_check_sees_broken_translations() -> None:
    source = "Locked until {until}; %1 left: %n &File"
    good = Message("c", source, None, ("锁定至 {until}；剩余 %1：%n 文件(&F)",), False, "")
    assert message_problems(good) == []
    for broken in (
        Message("c", source, "unfinished", ("",), False, ""),
        Message("c", source, None, ("锁定至 {until}；剩余：%n 文件(&F)",), False, ""),
        Message("c", source, None, ("锁定至 {untill}；剩余 %1：%n 文件(&F)",), False, ""),
        Message("c", source, None, ("锁定至 {until}；剩余 %1：%n 文件",), False, ""),
        Message("c", source, None, ("Locked until {until}; %1 left: %n &File",), False, ""),
        Message("c", source, None, ("  ",), False, ""),
    ):
        assert message_problems(broken), broken


def test_zh_uses_one_word_for_the_branch_hub() -> None:
    """ "Hub" is always 网点服务器: the counter staff must not meet three names for one machine."""
    for message in ZH_MESSAGES:
        if re.search(r"\bhub\b", message.source, re.IGNORECASE):
            assert all("网点服务器" in form for form in message.forms), message


def test_zh_uses_one_word_for_head_office() -> None:
    """ "Head office" is always 总公司, as the seed documents mostly say: never also 总部."""
    said = [m for m in ZH_MESSAGES if re.search(r"head office", m.source, re.IGNORECASE)]
    assert said
    for message in said:
        assert all("总公司" in form for form in message.forms), message
    assert not any("总部" in form for m in ZH_MESSAGES for form in m.forms)


def test_every_context_is_one_qt_looks_up(tmp_path: Path) -> None:
    """A context Qt never asks for is a translation that can never show.

    At run time self.tr() looks the text up under the class names of the object's type (its
    MRO); QT_TRANSLATE_NOOP texts under their given context. lupdate files ``other.tr(...)``
    under the literal ``other`` instead, so such texts stay English whatever the .ts says.
    """
    known = set()
    for source in (ROOT / "counter_app").rglob("*.py"):
        code = source.read_text("utf-8")
        known |= set(re.findall(r"^\s*class (\w+)\b", code, re.M))
        known |= set(NOOP_CONTEXT.findall(code))
    unknown = sorted(
        {
            f"{m.context!r} ({m.filename.removeprefix('../../')}): {m.source!r}"
            for m in ZH_MESSAGES
            if m.context not in known
        }
    )
    assert not unknown, "texts filed under a context no object looks up:\n" + "\n".join(unknown)


# --- (c) compiled, installed: real windows speak Chinese ---


@pytest.fixture
def zh(zh_qm: Path, install_translation: Callable[[Path], QTranslator]) -> QTranslator:
    return install_translation(zh_qm)


@pytest.fixture
def offline_session(qtbot: QtBot) -> Iterator[Session]:
    """A session whose hub is never called: enough to build a workspace."""
    tasks = TaskRunner()
    client = HubClient("http://127.0.0.1:9", "test-ws")
    staff = StaffOut(
        id=uuid.uuid4(), username="guide", display_name="王引导", roles=[Role.GUIDE], active=True
    )
    login = LoginResponse(token="t", expires_at=datetime.now(UTC) + timedelta(hours=1), staff=staff)
    session = Session(client, tasks, HubLink(client, tasks), Messages(), login, demo=True)
    yield session
    session.link.shutdown()
    tasks.wait(3000)
    client.close()


def test_login_window_is_chinese(zh: QTranslator, qtbot: QtBot) -> None:
    window = LoginWindow(None, TaskRunner(), Messages(), "zh_CN")
    qtbot.addWidget(window)
    assert window.login_button.text() == "登录"
    assert window.windowTitle() == "柜面系统 - 登录"
    assert window.username_label.text() == "用户名"
    assert window.password_label.text() == "密码"
    assert window.settings_button.text() == "设置..."
    assert window.hub_address.text() == "网点服务器：正在启动内置网点服务器..."
    assert window.demo_mark.text() == "演示"


def test_inherited_tr_calls_are_translated(zh: QTranslator, offline_session: Session) -> None:
    """PySide6 looks a tr() text up under each class of the object's MRO in turn.

    ServicesWorkspace.retranslate runs on a GuideWorkspace; lupdate files its texts under
    ServicesWorkspace (and Workspace.show_error's under Workspace). They are found anyway.
    """
    workspace = GuideWorkspace(offline_session)
    try:
        assert workspace.service_panel.title() == "业务与窗口"  # ServicesWorkspace context
        assert workspace.printer_panel is not None
        assert workspace.printer_panel.title() == "打印机"  # ServicesWorkspace context
        assert workspace.intro.text().startswith("请引导每位客户")  # GuideWorkspace's own
        assert workspace.tr("Could not complete") == "操作未完成"  # Workspace context
        assert workspace.title() == "前台引导"  # short tab name: tabs context via Messages
        assert workspace.service_table.horizontalHeaderItem(1).text() == "业务"
    finally:
        workspace.deleteLater()


# --- (d) Messages gives Chinese, with and without a running QApplication ---

ERROR_CASES = [
    ("auth.bad_credentials", {}, "用户名或密码错误。"),
    (
        "auth.locked",
        {"until": "10:30"},
        "密码错误次数过多，该账号已锁定至 10:30。请联系系统管理员重置密码。",
    ),
    ("staff.exists", {"username": "zhou"}, "用户名 zhou 已被使用。"),
    ("hub.unreachable", {}, "无法连接网点服务器，正在自动重连；已输入的内容不会丢失。"),
    ("no.such.code", {}, "错误 no.such.code：boom"),
]


@pytest.mark.parametrize(("code", "params", "expected"), ERROR_CASES)
def test_error_text_with_running_app(
    zh: QTranslator, code: str, params: dict[str, str], expected: str
) -> None:
    assert Messages().error_text(code, params, detail="boom") == expected


def test_role_and_action_names_with_running_app(zh: QTranslator) -> None:
    names = {role: Messages().role_name(role) for role in ROLE_NAMES}
    assert names[Role.GUIDE] == "前台引导岗"
    assert names[Role.ADMIN] == "系统管理员"
    assert all(re.search(r"[\u4e00-\u9fff]", n) for n in names.values()), names
    assert Messages().action_name("staff.add") == "新增员工"
    assert Messages().action_name("some.new_action") == "some.new_action"


def test_error_text_without_app(tmp_path: Path) -> None:
    """The command line has no QApplication: Messages uses its own translator then."""
    qm = lrelease(ZH_TS, tmp_path)
    script = textwrap.dedent(
        f"""
        import json, sys
        from PySide6.QtCore import QCoreApplication, QTranslator
        from counter_app.ui.messages import Messages
        assert QCoreApplication.instance() is None
        translator = QTranslator()
        assert translator.load({str(qm)!r})
        messages = Messages(translator)
        cases = {[(c, p) for c, p, _ in ERROR_CASES]!r}
        out = [messages.error_text(code, params, detail="boom") for code, params in cases]
        out.append(Messages(None).error_text("auth.bad_credentials"))
        assert QCoreApplication.instance() is None
        sys.stdout.buffer.write(json.dumps(out, ensure_ascii=False).encode())
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        cwd=ROOT,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr.decode()
    out = json.loads(result.stdout.decode())
    assert out[:-1] == [expected for _, _, expected in ERROR_CASES]
    assert out[-1] == "Wrong username or password."  # no translator: the English source


# --- the build compiles both files ---


@pytest.mark.parametrize(("ts", "language"), TS_FILES, ids=lambda v: getattr(v, "name", v))
def test_ts_compiles(ts: Path, language: str, tmp_path: Path) -> None:
    qm = lrelease(ts, tmp_path)
    translator = QTranslator()
    assert translator.load(str(qm))
    if language == "en":
        # English is the source; only plurals need an English "translation".
        assert translator.translate("AdminWorkspace", "Audit trail intact: %n entries.", "", 1) == (
            "Audit trail intact: %n entry."
        )
    else:
        assert translator.translate("LoginWindow", "Log in") == "登录"
