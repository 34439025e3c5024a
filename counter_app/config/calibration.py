"""How far each form printer of this workstation is off: ``calibration.json`` next to
``settings.json``, one entry per printer name.

    {"EPSON LQ-630K": {"dx_mm": 1.5, "dy_mm": -0.8, "scale_x": 1.0, "scale_y": 0.998}}

The values are measured on the calibration page (the crosses 20 mm in from the edges) and sent
with every pre-printed job, so the hub moves the fields onto the form's boxes. A printer with no
entry prints as the layout says. No Qt here: the store is plain data and a file.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from counter_app.config.settings import Settings, SettingsError

FILE_NAME = "calibration.json"
MAX_SHIFT_MM = 20.0
MIN_SCALE = 0.9
MAX_SCALE = 1.1
MAX_PRINTER_NAME = 200
_FIELDS = ("dx_mm", "dy_mm", "scale_x", "scale_y")


class CalibrationError(SettingsError):
    """The calibration file cannot be read, or a value is out of range; names the file or key."""


@dataclass(frozen=True)
class PrinterCalibration:
    """``dx_mm`` to the right, ``dy_mm`` down, positions stretched by ``scale_x``/``scale_y``."""

    dx_mm: float = 0.0
    dy_mm: float = 0.0
    scale_x: float = 1.0
    scale_y: float = 1.0

    def __post_init__(self) -> None:
        for name in _FIELDS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise CalibrationError(f"{name}: expected a number, got {value!r}", name)
            if not math.isfinite(value):
                raise CalibrationError(f"{name}: {value!r} is not a number", name)
            object.__setattr__(self, name, float(value))
        for name in ("dx_mm", "dy_mm"):
            if abs(getattr(self, name)) > MAX_SHIFT_MM:
                raise CalibrationError(
                    f"{name}: {getattr(self, name):g} mm is beyond ±{MAX_SHIFT_MM:g} mm", name
                )
        for name in ("scale_x", "scale_y"):
            if not MIN_SCALE <= getattr(self, name) <= MAX_SCALE:
                raise CalibrationError(
                    f"{name}: {getattr(self, name):g} is outside {MIN_SCALE:g}–{MAX_SCALE:g}", name
                )

    @property
    def is_identity(self) -> bool:
        return self == PrinterCalibration()


def calibration_path(settings: Settings) -> Path | None:
    """Next to the workstation's settings file; None for settings that live nowhere (tests)."""
    return settings.path.parent / FILE_NAME if settings.path is not None else None


class CalibrationStore:
    """The calibrations of this workstation's printers; ``save`` writes them back."""

    def __init__(
        self, path: Path | None, values: dict[str, PrinterCalibration] | None = None
    ) -> None:
        self.path = path
        self._values: dict[str, PrinterCalibration] = dict(values or {})

    @classmethod
    def load(cls, path: Path | None) -> CalibrationStore:
        """The file's calibrations; none when it does not exist. A damaged file is an error
        naming it, never silently an uncalibrated printer (that would spoil numbered forms)."""
        if path is None or not path.exists():
            return cls(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CalibrationError(f"{path}: cannot read the printer calibration: {exc}") from exc
        if not isinstance(raw, dict):
            raise CalibrationError(f"{path}: the printer calibration must be a JSON object")
        values: dict[str, PrinterCalibration] = {}
        for printer, entry in raw.items():
            values[printer] = _entry(path, printer, entry)
        return cls(path, values)

    @classmethod
    def for_settings(cls, settings: Settings) -> CalibrationStore:
        return cls.load(calibration_path(settings))

    def printers(self) -> list[str]:
        return sorted(self._values)

    def get(self, printer: str) -> PrinterCalibration:
        """The printer's calibration; the layout's own positions for a printer never measured."""
        return self._values.get(printer, PrinterCalibration())

    def set(
        self,
        printer: str,
        dx_mm: float = 0.0,
        dy_mm: float = 0.0,
        scale_x: float = 1.0,
        scale_y: float = 1.0,
    ) -> PrinterCalibration:
        """Range-checked (±20 mm, 0.9–1.1); kept in memory until ``save``."""
        if not printer or len(printer) > MAX_PRINTER_NAME:
            raise CalibrationError(f"printer name must be 1 to {MAX_PRINTER_NAME} characters")
        calibration = PrinterCalibration(dx_mm, dy_mm, scale_x, scale_y)
        self._values[printer] = calibration
        return calibration

    def forget(self, printer: str) -> None:
        self._values.pop(printer, None)

    def save(self) -> None:
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {name: asdict(c) for name, c in sorted(self._values.items())}
        # Write-then-rename, as settings.json: a crash mid-save leaves the old file whole.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".calibration-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=2)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _entry(path: Path, printer: str, entry: Any) -> PrinterCalibration:
    if not isinstance(entry, dict):
        raise CalibrationError(f"{path}: {printer}: expected an object", printer)
    unknown = sorted(set(entry) - set(_FIELDS))
    if unknown:
        raise CalibrationError(f"{path}: {printer}: unknown key {unknown[0]!r}", printer)
    try:
        return PrinterCalibration(**entry)
    except CalibrationError as exc:
        raise CalibrationError(f"{path}: {printer}: {exc}", f"{printer}.{exc.key}") from None
