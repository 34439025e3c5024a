"""The settings dialog, built from the declared options: a new option needs no UI code."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter_app.config.settings import REGISTRY, Option, Settings, SettingsError


def workstation_options() -> list[Option[Any]]:
    return [o for o in REGISTRY.values() if o.scope == "workstation"]


class SettingsDialog(QDialog):
    settings_saved = Signal(object)  # set of changed keys

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self.editors: dict[str, QWidget] = {}
        # A grid, not a QFormLayout: the form layout gives wrapped labels no extra height.
        form = QGridLayout()
        form.setColumnStretch(0, 2)
        form.setColumnStretch(1, 3)
        for row, option in enumerate(workstation_options()):
            editor = self._editor(option, settings.get(option))
            editor.setObjectName(f"setting_{option.key}")
            self.editors[option.key] = editor
            label = QLabel(self.title_of(option))
            label.setWordWrap(True)
            label.setBuddy(editor)
            form.addWidget(label, row, 0)
            form.addWidget(editor, row, 1)
        self.error = QLabel()
        self.error.setObjectName("settingsError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("#settingsError { color: #b00020; }")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        # The form scrolls: a workstation has more settings than a small screen has rows.
        holder = QWidget()
        holder.setLayout(form)
        scroll = QScrollArea()
        scroll.setObjectName("settingsScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(holder)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)
        self.resize(660, 560)

    def _editor(self, option: Option[Any], value: Any) -> QWidget:
        if option.choices:
            combo = QComboBox()
            titles = tuple(
                QCoreApplication.translate("settings", t) for t in option.choice_titles
            ) or tuple(str(c) for c in option.choices)
            for choice, title in zip(option.choices, titles, strict=True):
                combo.addItem(title, choice)
            combo.setCurrentIndex(max(0, list(option.choices).index(value)))
            return combo
        if option.type is bool:
            box = QCheckBox()
            box.setChecked(bool(value))
            return box
        if option.type is int:
            spin = QSpinBox()
            spin.setRange(
                int(option.minimum if option.minimum is not None else -(2**31)),
                int(option.maximum if option.maximum is not None else 2**31 - 1),
            )
            spin.setValue(int(value))
            return spin
        line = QLineEdit(str(value))
        return line

    @staticmethod
    def title_of(option: Option[Any]) -> str:
        return QCoreApplication.translate("settings", option.title)

    def value_of(self, option: Option[Any]) -> Any:
        editor = self.editors[option.key]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, QSpinBox):
            return editor.value()
        if isinstance(editor, QLineEdit):
            return editor.text().strip()
        raise TypeError(type(editor).__name__)

    @Slot()
    def _save(self) -> None:
        changed: set[str] = set()
        staged = dict(self._settings.values)
        try:
            for option in workstation_options():
                value = option.coerce(self.value_of(option))
                if value != self._settings.get(option):
                    changed.add(option.key)
                staged[option.key] = value
            hub_url = str(staged.get("hub.url", ""))
            if hub_url and not hub_url.startswith(("http://", "https://")):
                raise SettingsError("hub.url: must start with http:// or https://", "hub.url")
            self._settings.values = staged
            self._settings.save()
        except SettingsError as exc:
            faulty = REGISTRY.get(exc.key)
            name = self.title_of(faulty) if faulty else exc.key
            if exc.key == "hub.url":
                text = self.tr("Not saved: the hub address must start with http:// or https://")
            else:
                text = self.tr("Not saved: the value of \u201c%1\u201d is not valid.").replace(
                    "%1", name
                )
            self.error.setText(text)
            return
        except OSError as exc:
            self.error.setText(
                self.tr("Not saved: the settings file cannot be written (%1).").replace(
                    "%1", exc.strerror or str(exc)
                )
            )
            return
        self.settings_saved.emit(changed)
        self.accept()
