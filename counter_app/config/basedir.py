"""Where a process keeps its files: ``--basedir DIR``, ``--temp-basedir`` or the data folder."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from counter_app import APP_NAME


@dataclass(frozen=True)
class Basedir:
    root: Path
    temporary: bool = False

    @property
    def database(self) -> Path:
        return self.root / "data" / "branch.sqlite3"

    @property
    def settings_file(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def crashes(self) -> Path:
        return self.root / "crash-reports"

    @property
    def hub_lock(self) -> Path:
        return self.root / "data" / "hub.lock"

    def ensure(self) -> Basedir:
        for folder in (self.root, self.database.parent, self.logs, self.crashes):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    def cleanup(self) -> None:
        if self.temporary:
            shutil.rmtree(self.root, ignore_errors=True)


def resolve_basedir(basedir: str | None, temp: bool) -> Basedir:
    if temp:
        return Basedir(Path(tempfile.mkdtemp(prefix="counter-app-")), temporary=True).ensure()
    if basedir:
        return Basedir(Path(basedir).expanduser().resolve()).ensure()
    return Basedir(Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))).ensure()
