"""Maintainers: autogenerate a migration against a scratch database at head.

.venv/bin/python scripts/new_migration.py "add ticket table"
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from counter_app.storage.database import create_sqlite_engine
from counter_app.storage.migrate import alembic_config, upgrade


def main() -> None:
    message = sys.argv[1] if len(sys.argv) > 1 else "change"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_sqlite_engine(Path(tmp) / "scratch.sqlite3")
        if any((Path(__file__).parent.parent / "migrations" / "versions").glob("*.py")):
            upgrade(engine)
        command.revision(alembic_config(engine), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main()
