"""Settings: declared once, unknown keys and wrong types refused, env overrides, atomic save."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from counter_app.config import settings as settings_module
from counter_app.config.settings import (
    BRANCH_NAME,
    FAKE_DEVICES,
    HUB_PORT,
    LANGUAGE,
    REGISTRY,
    SCAN_MAX_GAP_MS,
    SCANNER_BAUD,
    TOKEN_MINUTES,
    IntOption,
    Option,
    Settings,
    SettingsError,
    StrOption,
)


@pytest.fixture(autouse=True)
def _no_env_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's own COUNTER_APP_* variables must not change these tests.
    for name in list(os.environ):
        if name.startswith("COUNTER_APP_"):
            monkeypatch.delenv(name)


def write(path: Path, values: object) -> Path:
    path.write_text(json.dumps(values, ensure_ascii=False), encoding="utf-8")
    return path


# --- declared once ---


def test_every_declared_option_is_in_the_registry_under_its_key() -> None:
    declared = [v for v in vars(settings_module).values() if isinstance(v, Option)]
    assert declared, "no options declared?"
    assert {o.key for o in declared} == set(REGISTRY)
    assert len(declared) == len(REGISTRY)
    for key, option in REGISTRY.items():
        assert key == f"{option.section}.{option.name}"
        assert option.title, f"{key} has no title for the settings dialog"
        assert option.scope in {"workstation", "hub"}
        # Every default must pass the option's own checks.
        assert option.coerce(option.default) == option.default


def test_declaring_a_key_twice_is_refused() -> None:
    before = dict(REGISTRY)
    with pytest.raises(RuntimeError, match="declared twice"):
        StrOption("ui", "language", "en", "again")
    with pytest.raises(RuntimeError, match="declared twice"):
        IntOption("hub", "port", 1, "again")
    assert before == REGISTRY


# --- loading ---


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = Settings.load(tmp_path / "settings.json")
    assert settings.values == {}
    assert settings.get(LANGUAGE) == "zh_CN"
    assert settings.get(HUB_PORT) == 8710
    assert settings.get(FAKE_DEVICES) is True
    assert Settings.load(None).get(TOKEN_MINUTES) == 600


def test_known_keys_are_loaded(tmp_path: Path) -> None:
    path = write(
        tmp_path / "settings.json",
        {"ui.language": "en", "hub.port": 9000, "branch.name": "南京分公司客服中心"},
    )
    settings = Settings.load(path)
    assert settings.get(LANGUAGE) == "en"
    assert settings.get(HUB_PORT) == 9000
    assert settings.get(BRANCH_NAME) == "南京分公司客服中心"


@pytest.mark.parametrize("key", ["ui.colour", "ui", "language", "UI.LANGUAGE", "hub.url "])
def test_unknown_key_is_refused(tmp_path: Path, key: str) -> None:
    path = write(tmp_path / "settings.json", {"ui.language": "en", key: "x"})
    with pytest.raises(SettingsError, match="unknown setting"):
        Settings.load(path)


@pytest.mark.parametrize(
    "values",
    [
        {"ui.language": 5},  # text expected
        {"ui.language": "fr"},  # not a choice
        {"hub.port": "8710"},  # number as text
        {"hub.port": 8710.5},
        {"hub.port": True},  # bool is not a number here
        {"hub.port": 70000},  # above maximum
        {"scanner.max_gap_ms": 1},  # below minimum
        {"scanner.baudrate": 1000},  # not a choice
        {"devices.fake": "yes"},  # bool expected
        {"devices.fake": 1},
        {"auth.token_minutes": None},
    ],
)
def test_wrong_type_or_value_is_refused(tmp_path: Path, values: dict[str, object]) -> None:
    path = write(tmp_path / "settings.json", values)
    with pytest.raises(SettingsError) as info:
        Settings.load(path)
    assert info.value.code == "settings.invalid"
    assert next(iter(values)) in str(info.value)


@pytest.mark.parametrize("text", ["[1, 2]", '"ui.language"', "{not json", ""])
def test_file_that_is_not_an_object_is_refused(tmp_path: Path, text: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError):
        Settings.load(path)


def test_set_checks_the_value_too() -> None:
    settings = Settings(None)
    with pytest.raises(SettingsError):
        settings.set(SCAN_MAX_GAP_MS, 500)
    with pytest.raises(SettingsError):
        settings.set(SCANNER_BAUD, 1234)
    settings.set(SCAN_MAX_GAP_MS, 50)
    assert settings.get(SCAN_MAX_GAP_MS) == 50


# --- environment overrides ---


def test_environment_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "settings.json", {"ui.language": "zh_CN", "hub.port": 9000})
    settings = Settings.load(path)
    assert settings.get(LANGUAGE) == "zh_CN"
    monkeypatch.setenv("COUNTER_APP_UI_LANGUAGE", "en")
    monkeypatch.setenv("COUNTER_APP_HUB_PORT", "9100")
    monkeypatch.setenv("COUNTER_APP_DEVICES_FAKE", "off")
    assert settings.get(LANGUAGE) == "en"
    assert settings.get(HUB_PORT) == 9100
    assert settings.get(FAKE_DEVICES) is False
    # The override is read at get() time and is never written back to the file.
    settings.save()
    assert json.loads(path.read_text(encoding="utf-8"))["ui.language"] == "zh_CN"


@pytest.mark.parametrize(
    ("name", "value", "option"),
    [
        ("COUNTER_APP_UI_LANGUAGE", "fr", LANGUAGE),
        ("COUNTER_APP_HUB_PORT", "eighty", HUB_PORT),
        ("COUNTER_APP_HUB_PORT", "99999", HUB_PORT),
    ],
)
def test_bad_environment_value_is_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, option: Option[object]
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError):
        Settings(None).get(option)  # type: ignore[type-var]


# --- saving ---


def test_save_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "settings.json"
    settings = Settings(path)
    settings.set(LANGUAGE, "en")
    settings.set(HUB_PORT, 8800)
    settings.set(FAKE_DEVICES, False)
    settings.set(BRANCH_NAME, "南京分公司客服中心")
    settings.save()
    again = Settings.load(path)
    assert again.values == settings.values
    assert again.get(BRANCH_NAME) == "南京分公司客服中心"
    assert "南京" in path.read_text(encoding="utf-8")  # readable UTF-8, not \\u escapes
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp files left


def test_save_is_atomic_when_writing_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "settings.json"
    first = Settings(path)
    first.set(LANGUAGE, "en")
    first.save()
    before = path.read_bytes()

    def explode(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    second = Settings.load(path)
    second.set(LANGUAGE, "zh_CN")
    second.set(HUB_PORT, 9999)
    monkeypatch.setattr(settings_module.os, "replace", explode)
    with pytest.raises(OSError, match="No space"):
        second.save()
    # The settings file is whole and still the old one; the half-done write went elsewhere.
    assert path.read_bytes() == before
    assert Settings.load(path).get(LANGUAGE) == "en"


def test_save_without_a_path_does_nothing(tmp_path: Path) -> None:
    settings = Settings(None)
    settings.set(LANGUAGE, "en")
    settings.save()
    assert list(tmp_path.iterdir()) == []


def test_failed_save_keeps_old_file_and_leaves_no_temp_file(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import json as json_module

    from counter_app.config.settings import LANGUAGE, Settings

    path = tmp_path / "settings.json"
    path.write_text('{"ui.language": "zh_CN"}', encoding="utf-8")
    settings = Settings.load(path)
    settings.set(LANGUAGE, "en")

    def broken_dump(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json_module, "dump", broken_dump)
    with pytest.raises(OSError, match="No space left"):
        settings.save()
    assert path.read_text(encoding="utf-8") == '{"ui.language": "zh_CN"}'
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
