"""Alembic, run from code: the hub upgrades its database on start, and so does ``db upgrade``."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from counter_app.domain.errors import SchemaMismatch

log = logging.getLogger(__name__)


def migrations_dir() -> Path:
    """``migrations/`` beside the package in a checkout, or inside it in a frozen build."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "migrations", here / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise FileNotFoundError("migrations folder not found")


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(migrations_dir()))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> str:
    """Bring the database to the code's schema; refuse one made by a newer version."""
    script = ScriptDirectory(str(migrations_dir()))
    head = script.get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    current = current_revision(engine)
    if current == head:
        return head
    known = {rev.revision for rev in script.walk_revisions()}
    if current is not None and current not in known:
        raise SchemaMismatch(
            "the database was made by a newer version of the program",
            database=current,
            program=head,
        )
    log.info("upgrading database schema", extra={"from_rev": current, "to_rev": head})
    command.upgrade(alembic_config(engine), "head")
    return head
