"""Every setting is declared here once: section, name, type, default and a translatable title.

Values live in ``settings.json`` in the basedir. A key that is not declared here is an error,
so a typo in a hand-edited file is caught at start instead of silently ignored.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

T = TypeVar("T", int, str, bool, float)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - name lupdate looks for
    """Mark ``text`` for translation in ``context`` without importing Qt here."""
    return text


class SettingsError(ValueError):
    code = "settings.invalid"

    def __init__(self, message: str, key: str = "") -> None:
        super().__init__(message)
        self.key = key  # the option at fault, so a dialog can name it in the user's language


@dataclass(frozen=True)
class Option(Generic[T]):
    section: str
    name: str
    type: type[T]
    default: T
    title: str
    choices: tuple[T, ...] = ()
    # Shown instead of the raw choice values, e.g. language names in their own language.
    choice_titles: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    # Workstation options are shown in the settings dialog; hub options belong to the hub's basedir.
    scope: str = "workstation"

    @property
    def key(self) -> str:
        return f"{self.section}.{self.name}"

    def coerce(self, value: Any) -> T:
        if self.type is bool:
            if not isinstance(value, bool):
                raise SettingsError(f"{self.key}: expected true/false, got {value!r}", self.key)
        elif self.type is int:
            if isinstance(value, bool) or not isinstance(value, int):
                raise SettingsError(f"{self.key}: expected a whole number, got {value!r}", self.key)
        elif self.type is float:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise SettingsError(f"{self.key}: expected a number, got {value!r}", self.key)
            value = float(value)
        elif not isinstance(value, str):
            raise SettingsError(f"{self.key}: expected text, got {value!r}", self.key)
        if self.choices and value not in self.choices:
            raise SettingsError(
                f"{self.key}: {value!r} is not one of {list(self.choices)}", self.key
            )
        if self.minimum is not None and value < self.minimum:
            raise SettingsError(f"{self.key}: {value!r} is below {self.minimum}", self.key)
        if self.maximum is not None and value > self.maximum:
            raise SettingsError(f"{self.key}: {value!r} is above {self.maximum}", self.key)
        return value  # type: ignore[no-any-return]


REGISTRY: dict[str, Option[Any]] = {}


def _declare(option: Option[T]) -> Option[T]:
    if option.key in REGISTRY:
        raise RuntimeError(f"setting {option.key} declared twice")
    REGISTRY[option.key] = option
    return option


def IntOption(  # noqa: N802 - reads like a type at the declaration site
    section: str, name: str, default: int, title: str, **kw: Any
) -> Option[int]:
    return _declare(Option(section, name, int, default, title, **kw))


def StrOption(  # noqa: N802
    section: str, name: str, default: str, title: str, **kw: Any
) -> Option[str]:
    return _declare(Option(section, name, str, default, title, **kw))


def BoolOption(  # noqa: N802
    section: str, name: str, default: bool, title: str, **kw: Any
) -> Option[bool]:
    return _declare(Option(section, name, bool, default, title, **kw))


def FloatOption(  # noqa: N802
    section: str, name: str, default: float, title: str, **kw: Any
) -> Option[float]:
    return _declare(Option(section, name, float, default, title, **kw))


# --- workstation ---
LANGUAGE = StrOption(
    "ui",
    "language",
    "zh_CN",
    QT_TRANSLATE_NOOP("settings", "Interface language"),
    choices=("zh_CN", "en"),
    choice_titles=("简体中文", "English"),
)
HUB_URL = StrOption(
    "hub",
    "url",
    "",
    QT_TRANSLATE_NOOP("settings", "Branch hub address (empty: built-in hub on this computer)"),
)
WORKSTATION_NAME = StrOption(
    "workstation",
    "name",
    "",
    QT_TRANSLATE_NOOP("settings", "Workstation name (empty: computer name)"),
)
FAKE_DEVICES = BoolOption(
    "devices",
    "fake",
    True,
    QT_TRANSLATE_NOOP("settings", "Use simulated devices when none configured"),
)
SCANNER_PORT = StrOption(
    "scanner",
    "serial_port",
    "",
    QT_TRANSLATE_NOOP("settings", "Serial barcode scanner port (optional)"),
)
SCANNER_BAUD = IntOption(
    "scanner",
    "baudrate",
    9600,
    QT_TRANSLATE_NOOP("settings", "Serial scanner baud rate"),
    choices=(1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200),
)
SCAN_MAX_GAP_MS = IntOption(
    "scanner",
    "max_gap_ms",
    35,
    QT_TRANSLATE_NOOP("settings", "Max milliseconds between keys of a scan"),
    minimum=5,
    maximum=200,
)
SCAN_MIN_LENGTH = IntOption(
    "scanner",
    "min_length",
    4,
    QT_TRANSLATE_NOOP("settings", "Shortest barcode accepted from a keyboard scanner"),
    minimum=2,
    maximum=64,
)
RECONNECT_SECONDS = IntOption(
    "hub",
    "reconnect_seconds",
    3,
    QT_TRANSLATE_NOOP("settings", "Seconds between reconnect attempts"),
    minimum=1,
    maximum=60,
)
BOARD_VOICE = StrOption(
    "board",
    "voice",
    "auto",
    QT_TRANSLATE_NOOP("settings", "Display board voice"),
    choices=("auto", "tts", "clips", "off"),
    choice_titles=(
        QT_TRANSLATE_NOOP("settings", "Automatic"),
        QT_TRANSLATE_NOOP("settings", "System Chinese voice"),
        QT_TRANSLATE_NOOP("settings", "Recorded clips"),
        QT_TRANSLATE_NOOP("settings", "Off"),
    ),
)
BOARD_REPEAT = IntOption(
    "board",
    "repeat",
    2,
    QT_TRANSLATE_NOOP("settings", "Times each call is spoken"),
    minimum=1,
    maximum=3,
)
BOARD_VOICE_GAP_MS = IntOption(
    "board",
    "voice_gap_ms",
    600,
    QT_TRANSLATE_NOOP("settings", "Pause between repeats (ms)"),
    minimum=0,
    maximum=5000,
)

# --- hub ---
HUB_HOST = StrOption(
    "hub", "host", "127.0.0.1", QT_TRANSLATE_NOOP("settings", "Hub listen address"), scope="hub"
)
HUB_PORT = IntOption(
    "hub",
    "port",
    8710,
    QT_TRANSLATE_NOOP("settings", "Hub listen port"),
    minimum=0,
    maximum=65535,
    scope="hub",
)
TOKEN_MINUTES = IntOption(
    "auth",
    "token_minutes",
    600,
    QT_TRANSLATE_NOOP("settings", "Minutes a login stays valid"),
    minimum=1,
    maximum=24 * 60,
    scope="hub",
)
LOCKOUT_FAILURES = IntOption(
    "auth",
    "lockout_failures",
    5,
    QT_TRANSLATE_NOOP("settings", "Wrong passwords before an account is locked"),
    minimum=1,
    maximum=50,
    scope="hub",
)
LOCKOUT_MINUTES = IntOption(
    "auth",
    "lockout_minutes",
    15,
    QT_TRANSLATE_NOOP("settings", "Minutes an account stays locked"),
    minimum=1,
    maximum=24 * 60,
    scope="hub",
)
BRANCH_CODE = StrOption(
    "branch",
    "code",
    "",
    QT_TRANSLATE_NOOP("settings", "Branch code (from head office)"),
    scope="hub",
)
BRANCH_NAME = StrOption(
    "branch", "name", "", QT_TRANSLATE_NOOP("settings", "Branch name"), scope="hub"
)
BRANCH_TIME_ZONE = StrOption(
    "branch",
    "time_zone",
    "Asia/Shanghai",
    QT_TRANSLATE_NOOP("settings", "Branch time zone (IANA name)"),
    scope="hub",
)

# --- queue (hub) ---
QUEUE_DAY_STARTS = StrOption(
    "queue",
    "day_starts",
    "00:00",
    QT_TRANSLATE_NOOP("settings", "Local time at which ticket numbers start again"),
    scope="hub",
)
QUEUE_CALL_ORDER = StrOption(
    "queue",
    "call_order",
    "interleave",
    QT_TRANSLATE_NOOP("settings", "Call order"),
    choices=("fifo", "weighted", "interleave"),
    choice_titles=(
        QT_TRANSLATE_NOOP("settings", "First come, first served"),
        QT_TRANSLATE_NOOP("settings", "Priority counts as earlier arrival"),
        QT_TRANSLATE_NOOP("settings", "N normal tickets, then 1 priority"),
    ),
    scope="hub",
)
QUEUE_INTERLEAVE_NORMAL = IntOption(
    "queue",
    "interleave_normal",
    3,
    QT_TRANSLATE_NOOP("settings", "Normal tickets called between two priority tickets"),
    minimum=1,
    maximum=20,
    scope="hub",
)
QUEUE_PRIORITY_MINUTES = IntOption(
    "queue",
    "priority_minutes",
    10,
    QT_TRANSLATE_NOOP("settings", "Minutes of head start for a priority ticket (weighted order)"),
    minimum=0,
    maximum=120,
    scope="hub",
)
QUEUE_LONG_WAIT_MINUTES = IntOption(
    "queue",
    "long_wait_minutes",
    30,
    QT_TRANSLATE_NOOP("settings", "Minutes after which a waiting ticket is called first"),
    minimum=1,
    maximum=480,
    scope="hub",
)
QUEUE_REINSTATE_MINUTES = IntOption(
    "queue",
    "reinstate_minutes",
    15,
    QT_TRANSLATE_NOOP("settings", "Minutes during which a no-show ticket can be reinstated"),
    minimum=0,
    maximum=240,
    scope="hub",
)
QUEUE_APPOINTMENT_EARLY_MINUTES = IntOption(
    "queue",
    "appointment_early_minutes",
    5,
    QT_TRANSLATE_NOOP("settings", "Minutes before its slot an appointment is called"),
    minimum=0,
    maximum=60,
    scope="hub",
)

# --- claim-document intake (hub) ---
INTAKE_CLAIM_NUMBER_PATTERN = StrOption(
    "intake",
    "claim_number_pattern",
    r"[A-Z]{2,6}[0-9]{10,20}",
    QT_TRANSLATE_NOOP("settings", "Pattern of a claim report number (regular expression)"),
    scope="hub",
)
INTAKE_FOLLOW_UP_DAYS = IntOption(
    "intake",
    "follow_up_days",
    3,
    QT_TRANSLATE_NOOP("settings", "Days until an incomplete claim file is followed up"),
    minimum=1,
    maximum=60,
    scope="hub",
)
INTAKE_CONTACT_PHONE = StrOption(
    "intake",
    "contact_phone",
    "95500",
    QT_TRANSLATE_NOOP("settings", "Contact phone printed on intake receipts"),
    scope="hub",
)

# --- the counter window and the kiosk (workstation) ---
COUNTER_WINDOW = IntOption(
    "counter",
    "window",
    0,
    QT_TRANSLATE_NOOP("settings", "Counter window number (0: choose)"),
    minimum=0,
    maximum=999,
)
CALL_NEXT_KEY = StrOption(
    "counter",
    "call_next_key",
    "F1",
    QT_TRANSLATE_NOOP("settings", "Key to call the next ticket"),
    choices=("F1", "F2", "F3", "F4", "F5", "F6", "F7", "F8", "F9", "F10", "F11", "F12"),
)
RATING_SECONDS = IntOption(
    "counter",
    "rating_seconds",
    20,
    QT_TRANSLATE_NOOP("settings", "Rating pad timeout (seconds)"),
    minimum=5,
    maximum=120,
)
OFFICE_PRINTER = StrOption(
    "printing",
    "office_printer",
    "",
    QT_TRANSLATE_NOOP("settings", "Office printer for receipts and lists (empty: the default)"),
)
FORM_PRINTER = StrOption(
    "printing",
    "form_printer",
    "",
    QT_TRANSLATE_NOOP("settings", "Printer for policy forms (empty: choose in the print dialog)"),
)
KIOSK_PRINTER = StrOption(
    "kiosk",
    "ticket_printer",
    "fake:",
    QT_TRANSLATE_NOOP("settings", "Ticket printer connection"),
)
KIOSK_PRINTER_PROFILE = StrOption(
    "kiosk",
    "printer_profile",
    "ticket-80mm",
    QT_TRANSLATE_NOOP("settings", "Ticket printer profile"),
    choices=("ticket-80mm", "ticket-58mm"),
)
BOARD_SCREEN = IntOption(
    "board",
    "screen",
    -1,
    QT_TRANSLATE_NOOP("settings", "Display board screen (-1: last)"),
    minimum=-1,
    maximum=8,
)


@dataclass
class Settings:
    """The values of one basedir's ``settings.json``; unknown keys are refused."""

    path: Path | None
    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> Settings:
        settings = cls(path)
        if path is None or not path.exists():
            return settings
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise SettingsError(f"{path}: cannot read settings: {exc}") from exc
        if not isinstance(raw, dict):
            raise SettingsError(f"{path}: settings must be a JSON object")
        for key, value in raw.items():
            option = REGISTRY.get(key)
            if option is None:
                raise SettingsError(f"{path}: unknown setting {key!r}")
            settings.values[key] = option.coerce(value)
        return settings

    def get(self, option: Option[T]) -> T:
        env = os.environ.get("COUNTER_APP_" + option.key.upper().replace(".", "_"))
        if env is not None:
            return option.coerce(_parse_env(option, env))
        value = self.values.get(option.key, option.default)
        return value  # type: ignore[no-any-return]

    def set(self, option: Option[T], value: T) -> None:
        self.values[option.key] = option.coerce(value)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename so a crash mid-save never leaves a half-written settings file.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".settings-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(self.values, fh, ensure_ascii=False, indent=2, sort_keys=True)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)  # a failed save leaves the old file and no litter
            raise


def _parse_env(option: Option[Any], raw: str) -> Any:
    if option.type is bool:
        return raw.strip().lower() in {"1", "true", "yes", "on"}
    if option.type is int:
        try:
            return int(raw)
        except ValueError:
            raise SettingsError(f"{option.key}: expected a whole number, got {raw!r}") from None
    if option.type is float:
        return float(raw)
    return raw
