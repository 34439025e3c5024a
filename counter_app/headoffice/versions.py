"""Schema versions across head office and the branches (docs/replication.md, "Schema versions").

Two ladders of revisions:

- **Head office's own schema** is migrated by Alembic from ``migrations/headoffice/``, whose
  target is ``headoffice_metadata()`` plus ``schema_accept`` below. ``admin.init`` upgrades it.
- **The branches' schema** (``migrations/versions/``, ``compat.SCHEMA_REVISION``) is what a hub
  tags each batch with. ``init`` writes every branch revision it knows into ``schema_accept``:
  the newest is ``current``, the one before it ``previous``, older ones ``retired``. A batch of
  a current or previous branch is applied (a rollout takes days: the branches upgrade one by
  one); a retired one is refused with ``sync.upgrade_required``; one head office does not know
  (the branch is newer than head office) with ``sync.headoffice_behind``. Either way the hub
  keeps its outbox and tries again.

``apply_batch`` runs with the branch's own login, in the hub: so what head office accepts is
data in head office's database, not code in the hub. Alembic is imported only by the functions
that migrate, so the hub's check costs no imports.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Column, MetaData, String, Table, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import ProgrammingError

from counter_app.domain.errors import Conflict
from counter_app.headoffice.schema import NAMING, headoffice_metadata
from counter_app.storage.migrate import migrations_dir
from counter_app.storage.types import UtcDateTime

if TYPE_CHECKING:
    from alembic.autogenerate.api import AutogenContext
    from alembic.config import Config
    from alembic.script import ScriptDirectory

CURRENT = "current"
PREVIOUS = "previous"
RETIRED = "retired"
ACCEPTED = frozenset({CURRENT, PREVIOUS})
BASELINE = "ho0001_baseline"
SCHEMA_ACCEPT = "schema_accept"

# Head office's own tables, beside those derived from the branch models.
VERSIONS_METADATA = MetaData(naming_convention=NAMING)
schema_accept = Table(
    SCHEMA_ACCEPT,
    VERSIONS_METADATA,
    Column("branch_revision", String(64), primary_key=True),
    Column("role", String(16), nullable=False),
    CheckConstraint(f"role IN ('{CURRENT}', '{PREVIOUS}', '{RETIRED}')", name="role"),
)


class UpgradeRequired(Conflict):
    code = "sync.upgrade_required"


class HeadOfficeBehind(Conflict):
    code = "sync.headoffice_behind"


# --- the branch's batches (runs in the hub, as the branch's login) ---


def check_batch_schema(connection: Connection, revision: str) -> None:
    """Refuse a batch of a branch schema head office does not take (see the module's text)."""
    try:
        role = connection.execute(
            select(schema_accept.c.role).where(schema_accept.c.branch_revision == revision)
        ).scalar()
    except ProgrammingError as exc:
        if type(exc.orig).__name__ != "UndefinedTable":
            raise
        # Initialised by a program older than schema versions: head office has to catch up.
        raise HeadOfficeBehind(
            "head office has not been upgraded to take versioned batches yet: retry later",
            revision=revision,
        ) from exc
    if role in ACCEPTED:
        return
    if role is None:
        raise HeadOfficeBehind(
            f"head office does not know branch schema {revision} yet (this hub is newer):"
            " retry later",
            revision=revision,
        )
    raise UpgradeRequired(
        f"this hub's software (schema {revision}) is older than head office accepts: upgrade"
        " the hub; the counters go on working and nothing is lost",
        revision=revision,
    )


# --- which branch revisions head office accepts (written by init) ---


def branch_ladder() -> list[str]:
    """The branch's schema revisions, newest first (``migrations/versions``)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(migrations_dir()))
    return [rev.revision for rev in script.walk_revisions()]


def roles_for(ladder: list[str]) -> dict[str, str]:
    """``current`` for the newest revision, ``previous`` for the one before, ``retired`` else."""
    return {
        revision: CURRENT if n == 0 else PREVIOUS if n == 1 else RETIRED
        for n, revision in enumerate(ladder)
    }


def write_accepted(connection: Connection, ladder: list[str] | None = None) -> dict[str, str]:
    """Replace what ``schema_accept`` holds with this program's branch ladder."""
    roles = roles_for(branch_ladder() if ladder is None else ladder)
    connection.execute(schema_accept.delete())
    if roles:
        connection.execute(
            schema_accept.insert(),
            [{"branch_revision": r, "role": role} for r, role in roles.items()],
        )
    return roles


# --- head office's own schema (Alembic, migrations/headoffice) ---


def headoffice_migrations_dir() -> Path:
    path = migrations_dir() / "headoffice"
    if not (path / "env.py").exists():
        raise FileNotFoundError(f"head-office migrations not found in {path}")
    return path


def target_metadata() -> list[MetaData]:
    """What head office's migrations build: the derived tables and ``schema_accept``."""
    return [headoffice_metadata(), VERSIONS_METADATA]


def migration_options() -> dict[str, Any]:
    """``context.configure`` options shared by env.py, autogenerate and the drift check."""
    return {
        "target_metadata": target_metadata(),
        "compare_type": True,
        "compare_server_default": True,
        "render_item": _render_item,
    }


def alembic_config(connection: Connection) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(headoffice_migrations_dir()))
    # ho0002_reports.py, not ho0002_reports_reports.py: the id already says what it is.
    config.set_main_option("file_template", "%%(rev)s")
    config.attributes["connection"] = connection
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(headoffice_migrations_dir()))


def head() -> str:
    found = script_directory().get_current_head()
    if found is None:
        raise RuntimeError("no head-office migrations found")
    return found


def known_revisions() -> set[str]:
    return {rev.revision for rev in script_directory().walk_revisions()}


def current(connection: Connection) -> str | None:
    """The revision head office's database is stamped with; None before migrations."""
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection) -> None:
    """``alembic upgrade head`` inside the caller's transaction."""
    from alembic import command

    command.upgrade(alembic_config(connection), "head")


def stamp(connection: Connection) -> None:
    """Record that the database is at head without running anything."""
    from alembic import command

    command.stamp(alembic_config(connection), "head")


def drift(connection: Connection) -> list[Any]:
    """What autogenerate finds between the database and ``target_metadata()``; [] when none."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    options = migration_options()
    context = MigrationContext.configure(connection, opts=options)
    return list(compare_metadata(context, options["target_metadata"]))


def _render_item(kind: str, item: Any, context: AutogenContext) -> str | bool:
    # A migration spells its types out rather than import the program's: a later version of
    # UtcDateTime must not change what an old revision made.
    if kind == "type" and isinstance(item, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False
