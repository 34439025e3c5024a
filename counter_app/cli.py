"""``counter-app``: the counter GUI by default, plus hub, database, staff, audit and head-office
commands."""

from __future__ import annotations

import argparse
import getpass
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from counter_app import __version__
from counter_app.config.basedir import Basedir, resolve_basedir
from counter_app.config.settings import HUB_HOST, HUB_PORT, Settings, SettingsError
from counter_app.domain.errors import DomainError
from counter_app.domain.roles import Role, parse_roles
from counter_app.logs import setup_logging

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2

HEADOFFICE_DSN_VARIABLE = "COUNTER_APP_HEADOFFICE_DSN"


def _basedir_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--basedir", metavar="DIR", help="data folder (default: user data folder)")
    group.add_argument(
        "--temp-basedir", action="store_true", help="use a new temporary folder, removed at exit"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="counter-app", description="Branch service-counter application (客服中心柜面系统)"
    )
    parser.add_argument("--version", action="version", version=f"counter-app {__version__}")
    _basedir_args(parser)
    parser.add_argument("--hub", metavar="URL", help="branch hub address, e.g. http://hub:8710")
    parser.add_argument("--demo", action="store_true", help="embedded hub with demo data")
    parser.add_argument(
        "--fake-devices", action="store_true", help="simulated scanner and printers"
    )
    parser.add_argument("--lang", choices=("zh_CN", "en"), help="interface language")
    parser.add_argument(
        "--quit-after-ready",
        action="store_true",
        help="exit 0 once the first window is usable (for tests and smoke checks)",
    )
    sub = parser.add_subparsers(dest="command")

    # No abbreviations: "--branch" of `hub enrol` would be taken for --branch-code/--branch-name.
    hub = sub.add_parser("hub", help="run the branch hub", allow_abbrev=False)
    _basedir_args(hub)
    hub.add_argument("--host", help="listen address (default 127.0.0.1; 0.0.0.0 for the LAN)")
    hub.add_argument("--port", type=int, help="listen port (default 8710)")
    hub.add_argument("--demo", action="store_true", help="load demo data into an empty store")
    hub.add_argument("--branch-code", default="", help="this branch's code from head office")
    hub.add_argument("--branch-name", default="", help="this branch's name")
    hub_sub = hub.add_subparsers(dest="hub_command")
    enrol = hub_sub.add_parser(
        "enrol", help="enrol this hub with head office (the login goes into the OS keyring)"
    )
    _basedir_args(enrol)
    enrol.add_argument(
        "--headoffice",
        default="",
        help="postgresql://LOGIN@host:port/db from head office; without a password in it, "
        "the password is asked for",
    )
    enrol.add_argument("--branch", required=True, help="this branch's code at head office")
    enrol.add_argument(
        "--sslmode",
        choices=("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
        help="TLS to head office (default: what the address says; else verify-full unless "
        "head office is on this PC)",
    )
    enrol.add_argument(
        "--sslrootcert",
        metavar="PATH",
        help="head office's CA certificate, or 'system' for the OS's trusted CAs",
    )
    hub_sub.add_parser("sync-status", help="replication to head office: waiting rows, last error")

    samples = sub.add_parser(
        "print-samples", help="write every printed layout filled with demo data into a folder"
    )
    samples.add_argument("--out", required=True, type=Path, help="folder to write into")

    db = sub.add_parser("db", help="branch database")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_sub.add_parser("upgrade", help="bring the database to this program's schema")
    _basedir_args(upgrade)
    show = db_sub.add_parser("revision", help="show the database's schema revision")
    _basedir_args(show)

    admin = sub.add_parser("admin", help="staff accounts")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    add = admin_sub.add_parser("add-staff", help="add a staff member")
    _basedir_args(add)
    add.add_argument("--username", required=True)
    add.add_argument("--name", required=True, help="display name, e.g. 张伟")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        help="role code (repeat or comma-separate): " + ", ".join(r.value for r in Role),
    )
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    for name, text in (
        ("disable-staff", "disable a staff member"),
        ("enable-staff", "enable a staff member"),
    ):
        p = admin_sub.add_parser(name, help=text)
        _basedir_args(p)
        p.add_argument("--username", required=True)
    reset = admin_sub.add_parser("reset-password", help="set a new password")
    _basedir_args(reset)
    reset.add_argument("--username", required=True)
    reset.add_argument("--password-stdin", action="store_true")
    lst = admin_sub.add_parser("list-staff", help="list staff members")
    _basedir_args(lst)

    audit = sub.add_parser("audit", help="audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain for edited or deleted rows")
    _basedir_args(verify)

    office = sub.add_parser("headoffice", help="head office's PostgreSQL (IT at head office)")
    office_sub = office.add_subparsers(dest="headoffice_command", required=True)
    dsn_help = f"postgresql://USER@HOST:PORT/DBNAME (default: ${HEADOFFICE_DSN_VARIABLE})"
    office_init = office_sub.add_parser("init", help="create the schema, roles and policies")
    office_init.add_argument("--dsn", help=dsn_help)
    enrol = office_sub.add_parser(
        "add-branch", help="add a branch: its own login and a one-time enrolment secret"
    )
    enrol.add_argument("code", metavar="CODE", help="branch code: 2-16 of A-Z and 0-9")
    enrol.add_argument("--name", required=True, help="branch name, e.g. 城东支公司")
    enrol.add_argument("--dsn", help=dsn_help)
    publish = office_sub.add_parser(
        "publish",
        help="publish reference data (services, windows, printers, form types, staff,"
        " blank-form allotments, claim checklists) from a TOML file",
    )
    publish.add_argument("file", metavar="FILE", type=Path, help="see docs/replication.md")
    publish.add_argument("--branch", help="to this branch only (default: to every branch)")
    publish.add_argument("--dsn", help=dsn_help)
    status = office_sub.add_parser(
        "status", help="each branch's replication: last batch, batches, rows received"
    )
    status.add_argument("--dsn", help=dsn_help)
    status.add_argument(
        "--views", action="store_true", help="also make the consolidated report views"
    )
    board = office_sub.add_parser(
        "board", help="window: each branch's sync, refreshed every 30 s (head office's login)"
    )
    board.add_argument("--dsn", help=dsn_help)
    return parser


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password / 密码: ")
    if getpass.getpass("Again / 再次输入: ") != first:
        raise DomainError("passwords differ")
    return first


def _cmd_hub(args: argparse.Namespace, basedir: Basedir, settings: Settings) -> int:
    from counter_app.hub.server import HubOptions, HubServer

    if getattr(args, "hub_command", None) == "enrol":
        return _hub_enrol(args, basedir)
    if getattr(args, "hub_command", None) == "sync-status":
        return _hub_sync_status(basedir)

    if args.branch_code:
        settings.values["branch.code"] = args.branch_code
    if args.branch_name:
        settings.values["branch.name"] = args.branch_name
    options = HubOptions(
        host=args.host or settings.get(HUB_HOST),
        port=args.port if args.port is not None else settings.get(HUB_PORT),
        demo=args.demo,
    )
    HubServer(basedir, settings, options).serve()
    return EXIT_OK


def _hub_enrol(args: argparse.Namespace, basedir: Basedir) -> int:
    from urllib.parse import quote, urlsplit, urlunsplit

    from counter_app.headoffice.admin import describe_dsn
    from counter_app.sync.enrolment import enrol, link_security

    dsn = args.headoffice or os.environ.get(HEADOFFICE_DSN_VARIABLE, "")
    if not dsn:
        print(
            "错误 / error: --headoffice postgresql://LOGIN@host:port/db is needed", file=sys.stderr
        )
        return EXIT_USAGE
    parts = urlsplit(dsn)
    if parts.password is None and parts.username:
        # Asked for, so it never sits in the shell's history or the process list.
        secret = getpass.getpass(f"password of {parts.username}: ")
        netloc = f"{parts.username}:{quote(secret, safe='')}@{parts.hostname}"
        netloc += f":{parts.port}" if parts.port else ""
        dsn = urlunsplit(parts._replace(netloc=netloc))
    link = enrol(basedir, dsn, args.branch, sslmode=args.sslmode, sslrootcert=args.sslrootcert)
    sslmode, verified = link_security(link.dsn)
    print(
        f"enrolled: branch {link.branch_code} at {describe_dsn(dsn)} (TLS: {sslmode});"
        " login kept in the keyring"
    )
    if not verified:
        print(f"warning: head office's certificate is not checked (sslmode {sslmode})")
    return EXIT_OK


def _hub_sync_status(basedir: Basedir) -> int:
    from counter_app.hub.server import open_store
    from counter_app.sync import outbox
    from counter_app.sync.enrolment import check_identity, enrolled

    link = enrolled(basedir)
    store, _ = open_store(basedir)
    try:
        waiting = outbox.waiting(store)
    finally:
        store.dispose()
    branch = link.branch_code if link else "(not enrolled)"
    print(f"branch: {branch}\nrows waiting for head office: {waiting}")
    try:
        if link is not None:
            check_identity(link)
    except DomainError as exc:  # the sync refuses it too: say so here
        print(_error_line(exc), file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _cmd_db(args: argparse.Namespace, basedir: Basedir, _settings: Settings) -> int:
    from counter_app.storage.database import Store
    from counter_app.storage.migrate import current_revision, upgrade

    store = Store.open(basedir.database)
    try:
        if args.db_command == "upgrade":
            store.check_integrity()
            print(f"schema: {upgrade(store.engine)}")
        else:
            print(f"schema: {current_revision(store.engine) or '(empty)'}")
    finally:
        store.dispose()
    return EXIT_OK


def _cmd_admin(args: argparse.Namespace, basedir: Basedir, _settings: Settings) -> int:
    from counter_app.hub.server import open_store
    from counter_app.services.actor import system_actor
    from counter_app.services.staff import StaffDirectory

    store, _ = open_store(basedir)
    try:
        staff = StaffDirectory(store)
        actor = system_actor("cli")
        command = args.admin_command
        if command == "add-staff":
            roles = parse_roles(",".join(args.role))
            member = staff.add(
                actor, args.username, args.name, roles, _read_password(args.password_stdin)
            )
            print(f"added {member.username} ({member.display_name}): {_roles(member.roles)}")
        elif command in ("disable-staff", "enable-staff"):
            member = staff.set_active(actor, args.username, command == "enable-staff")
            print(f"{member.username}: {'active' if member.active else 'disabled'}")
        elif command == "reset-password":
            staff.reset_password(actor, args.username, _read_password(args.password_stdin))
            print(f"{args.username}: password reset")
        else:
            for member in staff.list(actor):
                state = "active" if member.active else "disabled"
                print(f"{member.username}\t{member.display_name}\t{_roles(member.roles)}\t{state}")
    finally:
        store.dispose()
    return EXIT_OK


def _roles(roles: frozenset[Role]) -> str:
    return ",".join(sorted(r.value for r in roles))


def _cmd_audit(_args: argparse.Namespace, basedir: Basedir, _settings: Settings) -> int:
    from counter_app.hub.server import open_store
    from counter_app.services.audit import AuditTrail

    store, _ = open_store(basedir)
    try:
        count, problems = AuditTrail(store).verify()
    finally:
        store.dispose()
    if not problems:
        print(f"audit trail intact: {count} entries")
        return EXIT_OK
    for problem in problems:
        print(f"entry {problem.seq}: {problem.kind}: {problem.message}", file=sys.stderr)
    print(f"audit trail DAMAGED: {len(problems)} problem(s) in {count} entries", file=sys.stderr)
    return EXIT_ERROR


def _cmd_headoffice(args: argparse.Namespace, _basedir: Basedir, settings: Settings) -> int:
    from counter_app.headoffice import admin

    # From the environment too, so a DSN with a password stays out of shell history.
    dsn = args.dsn or os.environ.get(HEADOFFICE_DSN_VARIABLE, "")
    if not dsn:
        raise admin.InvalidDsn(f"no head-office DSN: give --dsn or set {HEADOFFICE_DSN_VARIABLE}")
    if args.headoffice_command == "init":
        result = admin.init(dsn)
        made = f"{len(result.created)} tables created" if result.created else "schema was there"
        print(f"head office ready at {result.where} ({made}; roles and policies set)")
        return EXIT_OK
    if args.headoffice_command == "status":
        return _headoffice_status(dsn, args.views)
    if args.headoffice_command == "board":
        from counter_app.config.settings import LANGUAGE
        from counter_app.headoffice.report import sync_board
        from counter_app.ui.headoffice_board import run_board

        return run_board(lambda: sync_board(dsn), args.lang or settings.get(LANGUAGE))
    if args.headoffice_command == "publish":
        published = admin.publish(dsn, args.file, args.branch)
        to = published.scope if args.branch else "every branch"
        print(f"published {args.file.name} to {to} (revision {published.revision or '-'})")
        for table, n in sorted(published.written.items()):
            print(f"  {table}: {n} new or changed")
        for table, n in sorted(published.withdrawn.items()):
            print(f"  {table}: {n} withdrawn")
        print(f"  unchanged: {published.unchanged}")
        return EXIT_OK
    enrolment = admin.add_branch(dsn, args.code, args.name)
    print(f"branch {enrolment.code} ({enrolment.name}) added at {admin.describe_dsn(dsn)}")
    print(f"login:             {enrolment.login_role}")
    print(f"password:          {enrolment.password}")
    print(f"enrolment secret:  {enrolment.secret}")
    print("Shown only this once: hand them to the branch's IT for enrolling its hub.")
    return EXIT_OK


def _headoffice_status(dsn: str, views: bool) -> int:
    from counter_app.headoffice import report

    if views:
        print("views: " + ", ".join(report.create_views(dsn)))
    print("branch            enrolled            last batch          batches  rows")
    for b in report.branch_status(dsn):
        enrolled = b.enrolled_at.strftime("%Y-%m-%d %H:%M") if b.enrolled_at else "-"
        last = b.last_batch_at.strftime("%Y-%m-%d %H:%M") if b.last_batch_at else "-"
        print(f"{b.branch_code:<16}  {enrolled:<18}  {last:<18}  {b.batches:>7}  {b.rows_received}")
    return EXIT_OK


def _cmd_print_samples(args: argparse.Namespace, _basedir: Basedir, _settings: Settings) -> int:
    from counter_app.printing.samples import write_samples

    for sample in write_samples(args.out):
        print(f"{sample.path}\t{sample.what}")
    return EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, Basedir, Settings], int]] = {
    "hub": _cmd_hub,
    "print-samples": _cmd_print_samples,
    "db": _cmd_db,
    "admin": _cmd_admin,
    "audit": _cmd_audit,
    "headoffice": _cmd_headoffice,
}


def _error_line(exc: DomainError | SettingsError) -> str:
    from counter_app.ui.messages import Messages

    code = getattr(exc, "code", "error")
    return f"错误 / error [{code}]: {Messages.default().describe(exc)}"


def main(argv: Sequence[str] | None = None) -> int:
    # A frozen program started as the hub's sync process runs that, not the command line.
    multiprocessing.freeze_support()
    args = build_parser().parse_args(argv)
    basedir = resolve_basedir(args.basedir, args.temp_basedir)
    process = args.command or "counter"
    setup_logging(basedir.logs, process)
    log.info("basedir %s", basedir.root, extra={"basedir": str(basedir.root)})
    try:
        settings = Settings.load(basedir.settings_file)
        if args.command is None:
            from counter_app.ui.app import run_gui

            return run_gui(args, basedir, settings)
        return COMMANDS[args.command](args, basedir, settings)
    except (DomainError, SettingsError) as exc:
        log.error("%s: %s", getattr(exc, "code", "error"), exc)
        print(_error_line(exc), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return EXIT_OK
    finally:
        basedir.cleanup()
