"""Reference data at head office: published down to branches, edited back up by them.

Head office publishes rows from a file (``counter-app headoffice publish``), for every branch
(scope "*") or for one. Each write of a reference row gets the next number of the sequence
``reference_revision`` from a trigger that first takes one advisory lock: writers of reference
data go one at a time, so revisions become visible in their order and a branch that has pulled
everything up to revision N never finds a smaller one later (its cursor is safe).

A branch's own edits of reference rows arrive in its batches and are kept in
``reference_edit``, one row per key with the latest stamp (domain/hlc.py), next to what head
office published: the branch applies the later of the two, and head office can tell which.
"""

from __future__ import annotations

import json
import logging
import tomllib
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema
import psycopg
from psycopg import sql
from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.engine import Connection

from counter_app.domain.blank_forms import FormType
from counter_app.domain.checklist_file import load_checklists, template_data
from counter_app.domain.errors import InvalidInput
from counter_app.domain.hlc import ORIGIN_HEAD_OFFICE, HybridClock
from counter_app.domain.roles import parse_roles
from counter_app.domain.staff import normalise_username
from counter_app.headoffice.schema import BRANCH_CODE, EVERY_BRANCH, SCOPE, office_tables
from counter_app.storage.models import Base
from counter_app.storage.types import utcnow
from counter_app.sync.outbox import Change
from counter_app.sync.tables import DOWN

log = logging.getLogger(__name__)

REVISION_SEQUENCE = "reference_revision"
_REFERENCE_LOCK = 0x7265666572656E63  # "referenc": one writer of reference data at a time
# How a published row is recognised again, besides its id: a second publication of service
# "A" updates the first rather than adding another "A".
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "service_type": ("code",),
    "counter_window": ("number",),
    "checklist_template": ("claim_type", "version"),
    "staff": ("username",),
    "printer": ("name",),
    "form_type": ("code",),
    "form_allotment": ("form_type", "first", "last"),
}
# Columns a publication sets when it creates the row at a branch but never overwrites there:
# a staff member's password is theirs once they changed it.
BRANCH_KEPT: dict[str, frozenset[str]] = {
    "staff": frozenset({"password_hash", "password_changed_at"}),
}
# Columns of the branch's row that are not published data.
STAMP_COLUMNS = frozenset({"hlc", "origin"})


class PublicationInvalid(InvalidInput):
    code = "headoffice.publication_invalid"


@dataclass(frozen=True)
class Published:
    scope: str
    written: dict[str, int]  # table -> rows new or changed
    withdrawn: dict[str, int]
    unchanged: int
    revision: int  # the last revision written (0 when nothing changed)


# --- installed by `headoffice init` ---


def install(raw: psycopg.Connection[tuple[Any, ...]], group: str, owner: str) -> None:
    """The revision sequence and trigger, and what branch logins may read: rows published to
    every branch or to their own. Idempotent, like the rest of init."""
    raw.execute(
        sql.SQL("CREATE SEQUENCE IF NOT EXISTS {}").format(sql.Identifier(REVISION_SEQUENCE))
    )
    raw.execute(
        sql.SQL(
            """
            CREATE OR REPLACE FUNCTION reference_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock({lock});
                NEW.revision := nextval({sequence});
                RETURN NEW;
            END $$
            """
        ).format(lock=sql.Literal(_REFERENCE_LOCK), sequence=sql.Literal(REVISION_SEQUENCE))
    )
    own = "(SELECT b.code FROM branch b WHERE b.login_role = current_user)"
    for name in DOWN:
        table = sql.Identifier(name)
        raw.execute(sql.SQL("DROP TRIGGER IF EXISTS reference_stamp ON {}").format(table))
        raw.execute(
            sql.SQL(
                "CREATE TRIGGER reference_stamp BEFORE INSERT OR UPDATE ON {}"
                " FOR EACH ROW EXECUTE FUNCTION reference_stamp()"
            ).format(table)
        )
        raw.execute(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(table))
        raw.execute(sql.SQL("ALTER TABLE {} FORCE ROW LEVEL SECURITY").format(table))
        for policy in ("published_to", "head_office"):
            raw.execute(
                sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(policy), table)
            )
        raw.execute(
            sql.SQL(
                "CREATE POLICY published_to ON {table} FOR SELECT TO {group}"
                " USING ({scope} = {every} OR {scope} = " + own + ")"
            ).format(
                table=table,
                group=sql.Identifier(group),
                scope=sql.Identifier(SCOPE),
                every=sql.Literal(EVERY_BRANCH),
            )
        )
        raw.execute(
            sql.SQL(
                "CREATE POLICY head_office ON {} FOR ALL TO {} USING (true) WITH CHECK (true)"
            ).format(table, sql.Identifier(owner))
        )


# --- a branch's edits, from its batches ---


def record_edits(connection: Connection, branch_code: str, changes: Sequence[Change]) -> None:
    """Keep each key's latest edit by this branch; refuse stamps far ahead of head office's
    clock (``sync.stamp_ahead``), so one wrong branch clock cannot win every later conflict."""
    if not changes:
        return
    edit = office_tables().tables["reference_edit"]
    clock = HybridClock()
    for change in changes:
        key = json.dumps(list(change.key), default=str)
        base = {BRANCH_CODE: branch_code, "table_name": change.table, "row_key": key}
        if change.row is None:  # deleted at the branch: the last stamp stays, the row goes
            statement = pg_insert(edit).values(**base, row=None, hlc="", origin="branch")
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=[BRANCH_CODE, "table_name", "row_key"],
                    set_={"row": None, "received_at": utcnow()},
                )
            )
            continue
        stamp = str(change.row.get("hlc", ""))
        clock.check(stamp)
        values = {k: _plain(v) for k, v in change.row.items() if k not in STAMP_COLUMNS}
        statement = pg_insert(edit).values(
            **base, row=values, hlc=stamp, origin=str(change.row.get("origin", "branch"))
        )
        connection.execute(
            statement.on_conflict_do_update(
                index_elements=[BRANCH_CODE, "table_name", "row_key"],
                set_={
                    "row": statement.excluded.row,
                    "hlc": statement.excluded.hlc,
                    "origin": statement.excluded.origin,
                    "received_at": utcnow(),
                },
                where=edit.c.hlc <= statement.excluded.hlc,  # an older edit arriving late loses
            )
        )


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.isoformat()
    return value


# --- publishing ---

_TEXT = {"type": "string", "minLength": 1, "maxLength": 64}
_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "checklist_file": {"type": "string", "minLength": 1},
        "service_type": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "prefix"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z0-9]{1,16}$"},
                    "name": _TEXT,
                    "prefix": {"type": "string", "pattern": "^[A-Z]{1,2}$"},
                    "digits": {"type": "integer", "minimum": 2, "maximum": 5},
                    "opens_at": {"type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]$"},
                    "closes_at": {"type": "string", "pattern": "^([01][0-9]|2[0-4]):[0-5][0-9]$"},
                    "sort_order": {"type": "integer"},
                    "active": {"type": "boolean"},
                    "service_minutes": {"type": "integer", "minimum": 1, "maximum": 240},
                    # who may serve it (usernames); left out, every counter post may
                    "staff": {"type": "array", "items": {"type": "string", "minLength": 1}},
                },
            },
        },
        "window": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["number", "name"],
                "properties": {
                    "number": {"type": "integer", "minimum": 1, "maximum": 999},
                    "name": _TEXT,
                    "active": {"type": "boolean"},
                    "services": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
        "printer": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "kind", "profile"],
                "properties": {
                    "name": _TEXT,
                    "kind": {"enum": ["ticket", "office"]},
                    "profile": _TEXT,
                    "connection": {"type": "string", "maxLength": 255},
                    "active": {"type": "boolean"},
                },
            },
        },
        "form_type": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "name", "prefix", "digits"],
                "properties": {
                    "code": {"type": "string", "pattern": "^[A-Z0-9]{1,32}$"},
                    "name": _TEXT,
                    "prefix": {"type": "string", "pattern": "^[A-Z0-9]{0,8}$"},
                    "digits": {"type": "integer", "minimum": 1, "maximum": 18},
                },
            },
        },
        "staff": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["username", "name", "roles"],
                "properties": {
                    "username": {"type": "string", "minLength": 1, "maxLength": 32},
                    "name": _TEXT,
                    "roles": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                    # argon2 only: a publication file never carries a password itself
                    "password_hash": {"type": "string", "pattern": "^\\$argon2id?\\$"},
                    "active": {"type": "boolean"},
                },
            },
        },
        "allotment": {
            "type": "array",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["form_type", "first", "last"],
                "properties": {
                    "form_type": {"type": "string"},
                    "first": {"type": "string"},
                    "last": {"type": "string"},
                    "note": {"type": "string", "maxLength": 200},
                },
            },
        },
    },
}


def read_publication(path: Path) -> dict[str, Any]:
    """The publication file, checked whole: every error with where it is."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PublicationInvalid(f"{path.name}: {exc}", errors=str(exc)) from None
    errors = [
        f"{'.'.join(str(p) for p in e.absolute_path) or '(file)'}: {e.message}"
        for e in sorted(
            jsonschema.Draft202012Validator(_SCHEMA).iter_errors(data), key=lambda e: e.path
        )
    ]
    if errors:
        raise PublicationInvalid(f"{path.name}: " + "; ".join(errors), errors="; ".join(errors))
    return data


def publish(connection: Connection, path: Path, scope: str = EVERY_BRANCH) -> Published:
    """Write the file's rows for ``scope`` inside the caller's transaction; rows that did not
    change are not written again (every branch would pull them for nothing)."""
    data = read_publication(path)
    branch = office_tables().tables["branch"]
    if (
        scope != EVERY_BRANCH
        and not connection.execute(select(branch.c.code).where(branch.c.code == scope)).first()
    ):
        raise PublicationInvalid(f"no branch {scope} at head office", errors=scope)
    writer = _Writer(connection, scope)
    writer.publish_all(data, path.parent)
    return writer.result()


class _Writer:
    def __init__(self, connection: Connection, scope: str) -> None:
        self._connection = connection
        self._scope = scope
        self._tables = office_tables().tables
        self._clock = HybridClock()
        self._written: dict[str, int] = {}
        self._withdrawn: dict[str, int] = {}
        self._unchanged = 0
        self._revision = 0

    def result(self) -> Published:
        return Published(
            self._scope, self._written, self._withdrawn, self._unchanged, self._revision
        )

    def publish_all(self, data: Mapping[str, Any], folder: Path) -> None:
        services = {
            item["code"]: self.put("service_type", item) for item in data.get("service_type", [])
        }
        for item in data.get("window", []):
            window = self.put("counter_window", {k: v for k, v in item.items() if k != "services"})
            wanted = [
                self._id_of("service_type", code, services, "window service")
                for code in item.get("services", [])
            ]
            self.links("window_service", "window_id", window, "service_type_id", wanted)
        for item in data.get("printer", []):
            self.put("printer", item)
        kinds = {item["code"]: self.put_form_type(item) for item in data.get("form_type", [])}
        people = {
            normalise_username(item["username"]): self.put_staff(item)
            for item in data.get("staff", [])
        }
        for item in data.get("service_type", []):
            if "staff" in item:  # after the staff, who may be new in this same file
                wanted = [
                    self._id_of("staff", normalise_username(name), people, "service staff")
                    for name in item["staff"]
                ]
                self.links(
                    "service_staff", "service_type_id", services[item["code"]], "staff_id", wanted
                )
        for item in data.get("allotment", []):
            self.put_allotment(item, kinds)
        if "checklist_file" in data:
            self.put_checklists(folder / str(data["checklist_file"]))

    # --- one table's rows ---

    def put(self, name: str, item: Mapping[str, Any]) -> Any:
        """Write one row (new or changed); returns its id (its key's first column)."""
        table = self._tables[name]
        source = Base.metadata.tables[name]
        natural = NATURAL_KEYS[name]
        found = self._find(table, {k: item[k] for k in natural})
        values: dict[str, Any] = {}
        for column in source.columns:
            if column.name in STAMP_COLUMNS:
                continue
            if column.name in item:
                values[column.name] = item[column.name]
            elif found is not None and column.name in found:
                values[column.name] = found[column.name]  # kept from the last publication
            else:
                values[column.name] = _default(column)
        self._write(table, values, found)
        key = source.primary_key.columns.values()[0].name
        return values[key]

    def put_form_type(self, item: Mapping[str, Any]) -> FormType:
        kind = FormType(item["code"], item["name"], item["prefix"], item["digits"])
        self.put("form_type", item)
        return kind

    def put_staff(self, item: Mapping[str, Any]) -> Any:
        username = normalise_username(item["username"])
        roles = sorted(r.value for r in parse_roles(item["roles"]))
        found = self._find(self._tables["staff"], {"username": username})
        if found is None and "password_hash" not in item:
            raise PublicationInvalid(
                f"staff {username}: a new staff member needs a password_hash (argon2)",
                errors=username,
            )
        row = {"username": username, "display_name": item["name"]}
        row.update({k: item[k] for k in ("password_hash", "active") if k in item})
        staff_id = self.put("staff", row)
        self.links("staff_role", "staff_id", staff_id, "role", roles)
        return staff_id

    def put_allotment(self, item: Mapping[str, Any], kinds: Mapping[str, FormType]) -> None:
        if self._scope == EVERY_BRANCH:
            raise PublicationInvalid(
                "blank-form allotments go to one branch: publish them with --branch",
                errors="allotment",
            )
        kind = kinds.get(item["form_type"]) or self._form_type(item["form_type"])
        try:
            first, last = kind.parse(item["first"]), kind.parse(item["last"])
        except InvalidInput as exc:
            raise PublicationInvalid(
                f"allotment {item['first']}: {exc.detail}", errors=item["first"]
            ) from None
        if last < first:
            raise PublicationInvalid(
                f"allotment {item['first']}-{item['last']}: first after last", errors=item["first"]
            )
        self.put(
            "form_allotment",
            {"form_type": kind.code, "first": first, "last": last, "note": item.get("note", "")},
        )

    def put_checklists(self, path: Path) -> None:
        try:
            checklists = load_checklists(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise PublicationInvalid(f"{path.name}: {exc}", errors=str(exc)) from None
        for checklist in checklists:
            plain = template_data(checklist)
            self.put(
                "checklist_template",
                {
                    "claim_type": checklist.claim_type,
                    "name": checklist.name,
                    "version": checklist.version,
                    "items": plain["items"],
                    "facts": plain.get("facts", []),
                },
            )

    def links(
        self, name: str, parent: str, parent_id: Any, child: str, wanted: Iterable[Any]
    ) -> None:
        """The parent's links are the file's: new ones written, missing ones withdrawn."""
        table = self._tables[name]
        wanted = list(dict.fromkeys(wanted))
        have = {
            r[child]: dict(r)
            for r in self._connection.execute(
                select(table).where(table.c[SCOPE] == self._scope, table.c[parent] == parent_id)
            ).mappings()
        }
        for value in wanted:
            found = have.get(value)
            self._write(table, {parent: parent_id, child: value}, found)
        for value, found in have.items():
            if value not in wanted and not found["withdrawn"]:
                self._write(table, {parent: parent_id, child: value}, found, withdraw=True)

    # --- helpers ---

    def _find(self, table: Table, natural: Mapping[str, Any]) -> dict[str, Any] | None:
        """The row this publication updates: this scope's, or (for a branch's own
        publication) the one published to every branch, so the id stays the same."""
        for scope in dict.fromkeys((self._scope, EVERY_BRANCH)):
            row = (
                self._connection.execute(
                    select(table).where(
                        table.c[SCOPE] == scope,
                        *(table.c[k] == v for k, v in natural.items()),
                    )
                )
                .mappings()
                .first()
            )
            if row is not None:
                found = dict(row)
                if scope != self._scope:
                    found["withdrawn"] = None  # not this scope's row: written as new here
                return found
        return None

    def _write(
        self,
        table: Table,
        values: dict[str, Any],
        found: Mapping[str, Any] | None,
        withdraw: bool = False,
    ) -> None:
        same_scope = found is not None and found.get("withdrawn") is not None
        if (
            same_scope
            and found is not None
            and bool(found["withdrawn"]) == withdraw
            and all(found.get(k) == v for k, v in values.items())
        ):
            self._unchanged += 1
            return
        row = {
            SCOPE: self._scope,
            **values,
            "hlc": self._clock.now(),
            "origin": ORIGIN_HEAD_OFFICE,
            "withdrawn": withdraw,
        }
        key = [c.name for c in table.primary_key.columns]
        statement = pg_insert(table).values(row)
        revision = self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=key,
                set_={k: statement.excluded[k] for k in row if k not in key},
            ).returning(table.c.revision)
        ).scalar_one()
        self._revision = max(self._revision, int(revision))
        counts = self._withdrawn if withdraw else self._written
        counts[table.name] = counts.get(table.name, 0) + 1

    def _id_of(self, name: str, value: str, published: Mapping[str, Any], what: str) -> Any:
        """The id of the row the file names by its natural key: written by this same file, or
        published before; else the whole publication is refused."""
        if value in published:
            return published[value]
        found = self._find(self._tables[name], {NATURAL_KEYS[name][0]: value})
        if found is None:
            raise PublicationInvalid(f"{what} {value}: no such {name}", errors=value)
        return found["id"]

    def _form_type(self, code: str) -> FormType:
        found = self._find(self._tables["form_type"], {"code": code})
        if found is None:
            raise PublicationInvalid(f"allotment: no form type {code}", errors=code)
        return FormType(found["code"], found["name"], found["prefix"], found["digits"])


def _default(column: Any) -> Any:
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(None)  # SQLAlchemy wraps no-argument callables to take a context
    return default.arg
