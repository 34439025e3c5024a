"""No window cuts its text off: in a pseudo-locale 40% longer than English, and in Chinese.

The pseudo-locale turns every source text into accented Latin stretched by ~40% in brackets,
"Log in" -> "[Ļöĝĝ îññ]": a text cut at either end loses a bracket, and German-length texts show
where a layout has no room to grow. Each window is built with real data from a demo hub, shown
at its normal size, and every visible label, button, check box, group-box title, tab and table
header section is measured against the room it has.

Screenshots of the Chinese windows go to /tmp/shots/<name>.png (pseudo ones to
/tmp/shots/pseudo/), or to $COUNTER_APP_SHOTS.
"""

from __future__ import annotations

import os
import re
import traceback
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import platformdirs
import pytest
from PySide6 import QtGui
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTranslator
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QStyleOptionHeader,
    QTabBar,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from counter_app.client.hub_client import HubClient
from counter_app.config.settings import HUB_URL, WORKSTATION_NAME, Settings
from counter_app.domain.roles import Role
from counter_app.ui.crash import CrashDialog
from counter_app.ui.hub_link import HubLink
from counter_app.ui.login import LoginWindow
from counter_app.ui.main_window import MainWindow, ReloginDialog
from counter_app.ui.messages import Messages
from counter_app.ui.settings_dialog import SettingsDialog
from counter_app.ui.tasks import TaskRunner
from counter_app.ui.workspaces import Session
from counter_app.ui.workspaces.staff_admin import StaffDialog
from tests.conftest import DEMO_PASSWORDS
from tests.ui.conftest import ZH_TS, lrelease

SHOTS = Path(os.environ.get("COUNTER_APP_SHOTS", "/tmp/shots"))
WORKSTATION = "CS-WIN-07"
ALL_ROLES_USER = ("quanneng", "李全能", "Counter#2026")

# --- the pseudo-locale ---

ACCENTS = str.maketrans(
    "aceinosuyzgdhklrtAEIOUCNSYZGDHKLRT",
    "áçéîñöšûýžĝđĥķļŕţÁÉÎÖÜÇÑŠÝŽĜĐĤĶĻŔŤ",
)
# Kept as they are: what the code substitutes, and menu accelerators.
KEEP = re.compile(r"(\{[A-Za-z_]\w*\}|%L?\d+|%n|&&|&|\n)")


def pseudo(source: str) -> str:
    """Accented, two of every five letters doubled (+40%), in brackets; placeholders kept."""
    out: list[str] = []
    letters = 0
    for part in KEEP.split(source):
        if KEEP.fullmatch(part):
            out.append(part)
            continue
        for char in part:
            shown = char.translate(ACCENTS)
            out.append(shown)
            if char.isalpha():
                letters += 1
                if letters % 5 in (2, 4):
                    out.append(shown)
    return "[" + "".join(out) + "]"


def write_pseudo_ts(source_ts: Path, target: Path) -> int:
    """Every message of ``source_ts`` translated into the pseudo-locale; how many there are."""
    tree = ET.parse(source_ts)
    count = 0
    for message in tree.getroot().iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        translation.attrib.pop("type", None)
        forms = list(translation.iter("numerusform"))
        if forms:
            for form in forms:
                form.text = pseudo(source)
        else:
            translation.text = pseudo(source)
        count += 1
    tree.write(target, encoding="utf-8", xml_declaration=True)
    return count


def test_pseudo_text_is_longer_bracketed_and_keeps_placeholders() -> None:
    text = pseudo("Hub: %1 {until} &File")
    assert text.startswith("[")
    assert text.endswith("]")
    for kept in ("%1", "{until}", "&F"):
        assert kept in text
    english = "Issuing / endorsement clerk"
    assert len(pseudo(english)) >= 1.4 * len(english)
    assert pseudo("one\ntwo").count("\n") == 1


@pytest.fixture(scope="session")
def pseudo_qm(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pseudo")
    ts = folder / "counter_app_pseudo.ts"
    assert write_pseudo_ts(ZH_TS, ts) > 100
    return lrelease(ts, folder)


@pytest.fixture(params=["pseudo", "zh_CN"])
def locale(
    request: pytest.FixtureRequest,
    pseudo_qm: Path,
    zh_qm: Path,
    install_translation: Callable[[Path], QTranslator],
    app_font: str,
) -> str:
    install_translation(pseudo_qm if request.param == "pseudo" else zh_qm)
    return str(request.param)


# --- measuring: every text against the room it has ---


def _mnemonic_width(fm: QFontMetrics, text: str) -> int:
    return fm.size(Qt.TextFlag.TextShowMnemonic, text).width()


def _label_problem(label: QLabel) -> str | None:
    text = label.text()
    if not text:
        return None
    m = label.margin()
    room = label.contentsRect().adjusted(m, m, -m, -m)
    fm = label.fontMetrics()
    rich = label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text)
    )
    if rich:
        doc = QTextDocument()
        doc.setDefaultFont(label.font())
        doc.setDocumentMargin(0)
        doc.setHtml(text)
        if label.wordWrap():
            doc.setTextWidth(room.width())
        needed = QSize(int(doc.idealWidth() + 0.999), int(doc.size().height() + 0.999))
    else:
        flags = int(Qt.TextFlag.TextShowMnemonic) if label.buddy() is not None else 0
        if label.wordWrap():
            flags |= int(Qt.TextFlag.TextWordWrap)
            needed = fm.boundingRect(QRect(0, 0, room.width(), 100_000), flags, text).size()
        else:
            needed = fm.size(flags, text)
    if needed.width() > room.width() or needed.height() > room.height():
        return f"needs {needed.width()}x{needed.height()}, has {room.width()}x{room.height()}"
    if label.wordWrap() and label.heightForWidth(label.width()) > label.height():
        return (
            f"word-wrapped: needs height {label.heightForWidth(label.width())} "
            f"at width {label.width()}, has {label.height()}"
        )
    return None


def _button_problem(button: QAbstractButton) -> str | None:
    text = button.text()
    if not text:
        return None
    style = button.style()
    option = QStyleOptionButton()
    option.initFrom(button)
    option.text = text
    option.icon = button.icon()
    option.iconSize = button.iconSize()
    if isinstance(button, QCheckBox | QRadioButton):
        element = (
            QStyle.SubElement.SE_CheckBoxContents
            if isinstance(button, QCheckBox)
            else QStyle.SubElement.SE_RadioButtonContents
        )
    else:
        element = QStyle.SubElement.SE_PushButtonContents
        if isinstance(button, QPushButton):
            if button.isDefault():
                option.features |= QStyleOptionButton.ButtonFeature.DefaultButton
            if button.autoDefault():
                option.features |= QStyleOptionButton.ButtonFeature.AutoDefaultButton
    room = style.subElementRect(element, option, button)
    needed = _mnemonic_width(button.fontMetrics(), text)
    if not button.icon().isNull():
        needed += button.iconSize().width() + 4
    if needed > room.width():
        return f"needs {needed}px, has {room.width()}px"
    return None


def _group_box_problem(box: QGroupBox) -> str | None:
    if not box.title():
        return None
    option = QStyleOptionGroupBox()
    option.initFrom(box)
    option.text = box.title()
    option.lineWidth = 1
    option.textAlignment = box.alignment()
    option.subControls = QStyle.SubControl.SC_GroupBoxFrame | QStyle.SubControl.SC_GroupBoxLabel
    label = box.style().subControlRect(
        QStyle.ComplexControl.CC_GroupBox, option, QStyle.SubControl.SC_GroupBoxLabel, box
    )
    # The style sizes the title by its ink (the empty half of a full-width "）" is not text)
    # and clips what is drawn to that rectangle.
    needed = box.fontMetrics().boundingRect(box.title()).width()
    if label.width() < needed or not box.rect().contains(label):
        return f"title needs {needed}px at x={label.x()}, box is {box.width()}px wide"
    return None


def _tab_problems(bar: QTabBar) -> list[tuple[str, str]]:
    problems = []
    space = bar.style().pixelMetric(QStyle.PixelMetric.PM_TabBarTabHSpace, None, bar)
    visible = bar.rect()
    for arrow in bar.findChildren(QToolButton):
        if arrow.isVisible():  # scroll arrows: tabs under or beyond them cannot be read
            visible = visible.intersected(QRect(0, 0, arrow.x(), bar.height()))
    for index in range(bar.count()):
        if not bar.isTabVisible(index):
            continue
        text, rect = bar.tabText(index), bar.tabRect(index)
        needed = _mnemonic_width(bar.fontMetrics(), text) + space
        if rect.width() < needed:
            problems.append((text, f"tab needs {needed}px, has {rect.width()}px"))
        elif not visible.contains(rect):
            problems.append(
                (text, f"tab at x={rect.x()}..{rect.right()} is outside the visible tab bar")
            )
    return problems


def _header_problems(header: QHeaderView) -> list[tuple[str, str]]:
    problems = []
    model = header.model()
    if model is None:
        return problems
    style = header.style()
    option = QStyleOptionHeader()
    option.initFrom(header)
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, option, header)
    for logical in range(header.count()):
        if header.isSectionHidden(logical):
            continue
        text = str(model.headerData(logical, header.orientation()) or "")
        if not text:
            continue
        needed = header.fontMetrics().horizontalAdvance(text) + 2 * margin
        if header.isSortIndicatorShown():
            needed += style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, option, header)
        if header.sectionSize(logical) < needed:
            problems.append(
                (text, f"header section needs {needed}px, has {header.sectionSize(logical)}px")
            )
    return problems


def _outside_ancestors(widget: QWidget, window: QWidget) -> str | None:
    """A widget partly outside a parent is cut off by it, whatever its own size."""
    ancestor = widget.parentWidget()
    while ancestor is not None:
        if isinstance(ancestor, QAbstractScrollArea) or isinstance(
            ancestor.parentWidget(), QAbstractScrollArea
        ):
            return None  # scrolled content may lie outside the viewport (or the area)
        area = QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())
        if not ancestor.rect().contains(area):
            return f"sticks out of its {type(ancestor).__name__} ({ancestor.objectName()})"
        if ancestor is window:
            break
        ancestor = ancestor.parentWidget()
    return None


def _describe(widget: QWidget) -> str:
    name = widget.objectName()
    return f"{type(widget).__name__}{'#' + name if name else ''}"


def clipped_texts(window: QWidget) -> list[str]:
    """Every visible text in ``window`` that does not fit where it is drawn."""
    problems: list[str] = []
    for widget in [window, *window.findChildren(QWidget)]:
        if not widget.isVisible() or widget.window() is not window:
            continue
        found: list[tuple[str, str]] = []
        if isinstance(widget, QLabel):
            problem = _label_problem(widget)
            found += [(widget.text(), problem)] if problem else []
        elif isinstance(widget, QAbstractButton) and not isinstance(widget, QToolButton):
            problem = _button_problem(widget)
            found += [(widget.text(), problem)] if problem else []
        elif isinstance(widget, QGroupBox):
            problem = _group_box_problem(widget)
            found += [(widget.title(), problem)] if problem else []
        elif isinstance(widget, QTabBar):
            found += _tab_problems(widget)
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            found += _header_problems(widget)
        text = (widget.text() if isinstance(widget, QLabel | QAbstractButton) else "") or (
            widget.title() if isinstance(widget, QGroupBox) else ""
        )
        if text and widget is not window:
            outside = _outside_ancestors(widget, window)
            found += [(text, outside)] if outside else []
        problems += [f"{_describe(widget)} {text!r}: {why}" for text, why in found]
    return problems


def test_clip_detector_sees_clipped_text(qtbot: QtBot, app_font: str) -> None:
    """The measuring itself: clipped widgets are found, roomy ones are not."""
    holder = QWidget()
    qtbot.addWidget(holder)
    long = "Claim document checklists for every service"
    widgets = {
        "label": QLabel(long, holder),
        "wrapped": QLabel(long + " " + long, holder),
        "button": QPushButton(long, holder),
        "check": QCheckBox(long, holder),
        "group": QGroupBox(long, holder),
        "roomy": QLabel("OK", holder),
    }
    widgets["wrapped"].setWordWrap(True)  # type: ignore[attr-defined]
    for i, widget in enumerate(widgets.values()):
        widget.setGeometry(0, 40 * i, 120, 30)
    holder.resize(300, 300)
    with qtbot.waitExposed(holder):
        holder.show()
    problems = clipped_texts(holder)
    assert len(problems) == 5, problems
    assert not any("'OK'" in p for p in problems)
    for widget in widgets.values():
        widget.setGeometry(0, 0, 1200, 200)
    holder.resize(1300, 300)
    QApplication.processEvents()
    assert clipped_texts(holder) == []


# --- the windows, with real data from the demo hub ---


def _settle(qtbot: QtBot, window: QWidget) -> None:
    if not window.isVisible():
        with qtbot.waitExposed(window):
            window.show()
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(20)


def _shot(window: QWidget, locale: str, name: str) -> None:
    folder = SHOTS if locale == "zh_CN" else SHOTS / locale
    folder.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(folder / f"{name}.png"))


def _check(window: QWidget, locale: str, name: str, problems: list[str]) -> None:
    problems += [f"[{name}] {p}" for p in clipped_texts(window)]
    _shot(window, locale, name)


@dataclass
class Counter:
    client: HubClient
    session: Session


@pytest.fixture
def counter(hub_client: HubClient, hub, qtbot: QtBot) -> Iterator[Counter]:  # type: ignore[no-untyped-def]
    """Logged in at workstation CS-WIN-07 as a staff member who holds every role."""
    hub_client.login("admin", DEMO_PASSWORDS["admin"])
    username, name, password = ALL_ROLES_USER
    hub_client.add_staff(username, name, list(Role), password)
    client = HubClient(hub.url, WORKSTATION)
    login = client.login(username, password)
    assert set(login.staff.roles) == set(Role)
    tasks = TaskRunner()
    session = Session(client, tasks, HubLink(client, tasks), Messages(), login, demo=True)
    yield Counter(client, session)
    session.link.shutdown()
    tasks.wait(5000)
    client.close()


def _assert_none(problems: list[str], locale: str) -> None:
    assert not problems, f"{len(problems)} clipped texts in {locale}:\n" + "\n".join(problems)


def test_login_window(locale: str, hub_client: HubClient, qtbot: QtBot) -> None:
    tasks = TaskRunner()
    window = LoginWindow(hub_client, tasks, Messages(), "zh_CN")
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10_000):
        window.connect_to_hub()
    window.username.setText("admin")
    _settle(qtbot, window)
    assert window.demo_mark.isVisible()
    problems: list[str] = []
    _check(window, locale, "login", problems)
    # The longest status the window shows, while the hub cannot be reached.
    window.status.setText(window.tr("Please enter your username and password."))
    window.banner.set_link(False)
    _settle(qtbot, window)
    _check(window, locale, "login_hub_down", problems)
    tasks.wait(5000)
    _assert_none(problems, locale)


def test_main_window_every_tab(locale: str, counter: Counter, qtbot: QtBot) -> None:
    window = MainWindow(counter.session)
    qtbot.addWidget(window)
    window.show_scan("CLM2026000123")
    _settle(qtbot, window)
    admin = next(w for w in window.workspaces if w.role == Role.ADMIN)

    def loaded() -> bool:
        tables = [t for w in window.workspaces for t in w.findChildren(type(admin.table))]
        # Lists of today's work (tickets issued here, no-shows) are empty at the start.
        return all(t.rowCount() > 0 for t in tables if not t.property("startsEmpty"))

    qtbot.waitUntil(loaded, timeout=15_000)
    problems: list[str] = []
    size = window.size()
    if size.width() > 1024 or size.height() > 720:
        problems.append(
            f"[main] the window grew to {size.width()}x{size.height()} to fit its texts; "
            "its normal size is 1024x720"
        )
    for index, workspace in enumerate(window.workspaces):
        window.tabs.setCurrentIndex(index)
        _settle(qtbot, window)
        _check(window, locale, f"main_{workspace.role.value}", problems)
    window.close()
    _assert_none(problems, locale)


def test_settings_dialog(locale: str, qtbot: QtBot) -> None:
    settings = Settings(None)
    settings.set(HUB_URL, "http://192.168.10.5:8710")
    settings.set(WORKSTATION_NAME, WORKSTATION)
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    _settle(qtbot, dialog)
    problems: list[str] = []
    _check(dialog, locale, "settings", problems)
    _assert_none(problems, locale)


def test_staff_dialog(locale: str, counter: Counter, qtbot: QtBot) -> None:
    dialog = StaffDialog(counter.session, lambda _d: lambda: None, mode="add")
    qtbot.addWidget(dialog)
    dialog.username.setText("zhangsan")
    dialog.display_name.setText("张三")
    dialog.role_picker.set_roles([Role.CLERK, Role.COLLECTOR])
    _settle(qtbot, dialog)
    problems: list[str] = []
    _check(dialog, locale, "staff_dialog", problems)
    # The longest message it shows, after a failed save.
    dialog.error.setText(
        counter.session.messages.error_text("staff.weak_password", {"min_length": 8})
    )
    _settle(qtbot, dialog)
    _check(dialog, locale, "staff_dialog_error", problems)
    _assert_none(problems, locale)


def test_crash_dialog(locale: str, qtbot: QtBot) -> None:
    try:
        int(WORKSTATION)  # a real traceback for the dialog
    except ValueError:
        text = traceback.format_exc()
    report = (
        Path(platformdirs.user_data_dir("counter-app", appauthor=False))
        / "crash-reports"
        / "crash-20260312-093015-123456.txt"
    )
    dialog = CrashDialog(text, report)
    qtbot.addWidget(dialog)
    _settle(qtbot, dialog)
    problems: list[str] = []
    _check(dialog, locale, "crash", problems)
    _assert_none(problems, locale)


def test_relogin_dialog(locale: str, counter: Counter, qtbot: QtBot) -> None:
    dialog = ReloginDialog(counter.session)
    qtbot.addWidget(dialog)
    _settle(qtbot, dialog)
    problems: list[str] = []
    _check(dialog, locale, "relogin", problems)
    _assert_none(problems, locale)
