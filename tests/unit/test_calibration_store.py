"""The printers' calibration store: defaults, range checks, a damaged file said clearly, and an
atomic save next to settings.json."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from counter_app.config.calibration import (
    FILE_NAME,
    CalibrationError,
    CalibrationStore,
    PrinterCalibration,
    calibration_path,
)
from counter_app.config.settings import Settings, SettingsError

PRINTER = "EPSON LQ-630K"


def test_a_printer_never_measured_prints_as_the_layout_says(tmp_path: Path) -> None:
    store = CalibrationStore.load(tmp_path / FILE_NAME)  # no file yet
    assert store.get(PRINTER) == PrinterCalibration(0.0, 0.0, 1.0, 1.0)
    assert store.get(PRINTER).is_identity
    assert store.printers() == []


def test_values_survive_a_save_and_a_reload(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    store = CalibrationStore.load(path)
    store.set(PRINTER, dx_mm=1.5, dy_mm=-0.8, scale_x=1.0, scale_y=0.998)
    store.set("打印机 2", dx_mm=-20, dy_mm=20, scale_x=0.9, scale_y=1.1)
    store.save()
    again = CalibrationStore.load(path)
    assert again.get(PRINTER) == PrinterCalibration(1.5, -0.8, 1.0, 0.998)
    assert again.get("打印机 2") == PrinterCalibration(-20.0, 20.0, 0.9, 1.1)
    assert again.printers() == sorted([PRINTER, "打印机 2"])
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert raw[PRINTER] == {"dx_mm": 1.5, "dy_mm": -0.8, "scale_x": 1.0, "scale_y": 0.998}


@pytest.mark.parametrize(
    ("values", "key"),
    [
        ({"dx_mm": 20.1}, "dx_mm"),
        ({"dy_mm": -25}, "dy_mm"),
        ({"scale_x": 0.89}, "scale_x"),
        ({"scale_y": 1.2}, "scale_y"),
        ({"dx_mm": float("nan")}, "dx_mm"),
    ],
)
def test_values_out_of_range_are_refused(
    tmp_path: Path, values: dict[str, float], key: str
) -> None:
    store = CalibrationStore.load(tmp_path / FILE_NAME)
    with pytest.raises(CalibrationError) as refused:
        store.set(PRINTER, **values)
    assert refused.value.key == key
    assert store.get(PRINTER).is_identity  # nothing half-set


def test_a_printer_needs_a_name(tmp_path: Path) -> None:
    with pytest.raises(CalibrationError):
        CalibrationStore(tmp_path / FILE_NAME).set("", dx_mm=1)


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[1, 2]",
        json.dumps({PRINTER: [1, 2]}),
        json.dumps({PRINTER: {"dx_mm": "1.5"}}),
        json.dumps({PRINTER: {"dx_mm": 99}}),
        json.dumps({PRINTER: {"dz_mm": 1}}),
    ],
)
def test_a_damaged_file_is_a_clear_error(tmp_path: Path, content: str) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CalibrationError) as refused:
        CalibrationStore.load(path)
    assert str(path) in str(refused.value)  # says which file to fix
    assert isinstance(refused.value, SettingsError)  # shown like any bad setting
    assert refused.value.code == "settings.invalid"


def test_it_lives_next_to_the_settings_file(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "ws" / "settings.json")
    assert calibration_path(settings) == tmp_path / "ws" / FILE_NAME
    store = CalibrationStore.for_settings(settings)
    store.set(PRINTER, dx_mm=2)
    store.save()
    assert (tmp_path / "ws" / FILE_NAME).is_file()
    # Settings kept nowhere (some tests): the store lives in memory only.
    memory = CalibrationStore.for_settings(Settings(None))
    memory.set(PRINTER, dx_mm=2)
    memory.save()
    assert memory.get(PRINTER).dx_mm == 2


def test_a_failed_save_keeps_the_old_file_and_leaves_no_litter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / FILE_NAME
    store = CalibrationStore.load(path)
    store.set(PRINTER, dx_mm=1)
    store.save()
    before = path.read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    store.set(PRINTER, dx_mm=2)
    with pytest.raises(OSError, match="disk full"):
        store.save()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]
