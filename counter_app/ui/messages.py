"""Every error code the user can meet, with its message; translated through Qt's .qm files.

Services and the hub raise codes, never display text. This is the one place that turns a code
into words for people, for the GUI and for the command line alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QTranslator

from counter_app.domain.roles import Role


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    return text


ERRORS: dict[str, str] = {
    "auth.required": QT_TRANSLATE_NOOP("errors", "Please log in."),
    "auth.bad_credentials": QT_TRANSLATE_NOOP("errors", "Wrong username or password."),
    "auth.locked": QT_TRANSLATE_NOOP(
        "errors",
        "Too many wrong passwords: this account is locked until {until}. "
        "Ask the administrator to reset the password.",
    ),
    "auth.disabled": QT_TRANSLATE_NOOP(
        "errors", "This account is disabled. Please contact the administrator."
    ),
    "auth.token_expired": QT_TRANSLATE_NOOP(
        "errors", "Your login has expired. Please log in again; nothing you typed is lost."
    ),
    "auth.forbidden": QT_TRANSLATE_NOOP("errors", "Your role does not allow this."),
    "not_found": QT_TRANSLATE_NOOP("errors", "Not found."),
    "invalid_input": QT_TRANSLATE_NOOP("errors", "Some of the input is not valid."),
    "staff.exists": QT_TRANSLATE_NOOP("errors", "The username {username} is already in use."),
    "staff.weak_password": QT_TRANSLATE_NOOP(
        "errors",
        "The password is too weak: at least {min_length} characters, not the username, "
        "not one repeated character.",
    ),
    "staff.invalid_username": QT_TRANSLATE_NOOP(
        "errors", "A username is 2 to 32 letters, digits, '.', '_' or '-'."
    ),
    "staff.unknown_role": QT_TRANSLATE_NOOP("errors", "Unknown role: {role}"),
    "staff.last_admin": QT_TRANSLATE_NOOP(
        "errors", "The last active administrator cannot be disabled or lose the admin role."
    ),
    "branch.demo_not_enrollable": QT_TRANSLATE_NOOP(
        "errors", "This is a demo database; it can never be connected to head office."
    ),
    "storage.error": QT_TRANSLATE_NOOP(
        "errors", "The branch database reported an error; nothing was changed."
    ),
    "storage.disk_full": QT_TRANSLATE_NOOP(
        "errors", "The disk of the branch hub is full; nothing was saved. Free some space."
    ),
    "storage.read_only": QT_TRANSLATE_NOOP(
        "errors", "The branch database cannot be written (read-only file or folder)."
    ),
    "storage.corrupt": QT_TRANSLATE_NOOP(
        "errors",
        "The branch database file is damaged. Stop and restore it from the backup; "
        "nothing was changed.",
    ),
    "storage.schema_mismatch": QT_TRANSLATE_NOOP(
        "errors",
        "The database was made by a newer version of the program ({database}); "
        "please install the newer version.",
    ),
    "hub.already_running": QT_TRANSLATE_NOOP(
        "errors",
        "Another hub (process {pid}) is already running on this data folder; "
        "this one was not started.",
    ),
    "hub.unreachable": QT_TRANSLATE_NOOP(
        "errors", "Cannot reach the branch hub. Reconnecting by itself; nothing typed is lost."
    ),
    "hub.bad_response": QT_TRANSLATE_NOOP(
        "errors", "The hub sent an answer this program cannot read."
    ),
    "hub.schema_mismatch": QT_TRANSLATE_NOOP(
        "errors",
        "The hub runs a different program version (hub {hub}, this counter {program}). "
        "Update this counter or the hub.",
    ),
    "hub.start_failed": QT_TRANSLATE_NOOP("errors", "The built-in hub could not start: {reason}"),
    "internal": QT_TRANSLATE_NOOP("errors", "Internal error in the hub; it has been logged."),
    "queue.bad_state": QT_TRANSLATE_NOOP(
        "errors",
        "This ticket has changed meanwhile and this step is no longer possible. "
        "Refresh the queue and try again.",
    ),
    "queue.unknown_service": QT_TRANSLATE_NOOP(
        "errors", "There is no service {service}. Choose a service from the list."
    ),
    "queue.service_closed": QT_TRANSLATE_NOOP(
        "errors", "Service {service} takes tickets only from {opens_at} to {closes_at}."
    ),
    "queue.unknown_window": QT_TRANSLATE_NOOP(
        "errors", "There is no window {window}. Check the window number in this counter's settings."
    ),
    "queue.window_not_serving": QT_TRANSLATE_NOOP(
        "errors",
        "Window {window} does not serve this service for you. Choose another window, "
        "or ask the manager to change what it serves.",
    ),
    "queue.window_paused": QT_TRANSLATE_NOOP(
        "errors", "Window {window} is paused; resume it first."
    ),
    "queue.window_busy": QT_TRANSLATE_NOOP(
        "errors",
        "Window {window} is in use by another staff member. Ask them to close it, "
        "or ask the manager.",
    ),
    "queue.no_current_ticket": QT_TRANSLATE_NOOP(
        "errors", "Window {window} has no ticket at the moment; call the next one first."
    ),
    "queue.unknown_ticket": QT_TRANSLATE_NOOP(
        "errors", "This ticket no longer exists. Refresh the queue."
    ),
    "queue.reinstate_expired": QT_TRANSLATE_NOOP(
        "errors",
        "Ticket {number} missed its call more than {minutes} minutes ago and cannot be put "
        "back in the queue. Issue a new ticket.",
    ),
    "queue.unknown_appointment": QT_TRANSLATE_NOOP(
        "errors", "No appointment has the code {appointment}. Check the code and try again."
    ),
    "queue.appointment_not_today": QT_TRANSLATE_NOOP(
        "errors", "Appointment {appointment} is booked for {slot}, not for today."
    ),
    "queue.appointment_used": QT_TRANSLATE_NOOP(
        "errors", "Appointment {appointment} has already been checked in."
    ),
    "queue.bad_idempotency_key": QT_TRANSLATE_NOOP(
        "errors", "The call was not accepted (malformed request). Press Call next again."
    ),
    "queue.prefix_in_use": QT_TRANSLATE_NOOP(
        "errors", "The ticket prefix {prefix} is already used by service {service}."
    ),
    "intake.invalid": QT_TRANSLATE_NOOP(
        "errors", "Please check {field}: the entry is not valid. Nothing was saved."
    ),
    "intake.bad_claim_number": QT_TRANSLATE_NOOP(
        "errors", "{value} is not a claim report number. Check it and scan or type it again."
    ),
    "intake.unknown_claim_type": QT_TRANSLATE_NOOP(
        "errors", "There is no checklist for this claim type. Reload, or ask head office."
    ),
    "intake.unknown_document": QT_TRANSLATE_NOOP(
        "errors", "{document} is not on this claim type's checklist; nothing was ticked."
    ),
    "intake.document_not_applicable": QT_TRANSLATE_NOOP(
        "errors",
        "{document} does not apply to this file's circumstances; nothing was ticked. "
        "If it does apply, tick the circumstance first.",
    ),
    "intake.document_already_received": QT_TRANSLATE_NOOP(
        "errors", "{document} is already ticked; nothing was changed."
    ),
    "intake.entry_unknown": QT_TRANSLATE_NOOP(
        "errors", "This document has already been taken back. The file is shown as it is now."
    ),
    "intake.file_unknown": QT_TRANSLATE_NOOP("errors", "There is no intake file for this."),
    "intake.file_closed": QT_TRANSLATE_NOOP(
        "errors",
        "This file has left the counter (handed over or archived) and can no longer be changed.",
    ),
    "intake.incomplete": QT_TRANSLATE_NOOP(
        "errors", "The file still lacks documents; only complete files can go on."
    ),
    "intake.file_exists": QT_TRANSLATE_NOOP(
        "errors",
        "Claim {claim_number} already has a file (opened at another counter); "
        "the documents go into that file.",
    ),
    "intake.pickup_unknown": QT_TRANSLATE_NOOP(
        "errors", "This pickup no longer exists. Refresh the list."
    ),
    "intake.batch_unknown": QT_TRANSLATE_NOOP("errors", "There is no handover batch {batch}."),
    "forms.range_overlaps": QT_TRANSLATE_NOOP(
        "errors",
        "This range overlaps serials the branch already has; nothing was received. "
        "Check the first and last serial on head office's allocation.",
    ),
    "forms.bad_serial": QT_TRANSLATE_NOOP(
        "errors", "{serial} is not a serial of this form type (they look like {example})."
    ),
    "forms.bad_range": QT_TRANSLATE_NOOP(
        "errors",
        "A range runs from its first serial to its last (not backwards) and holds at most "
        "100,000 forms.",
    ),
    "forms.invalid_move": QT_TRANSLATE_NOOP(
        "errors",
        "Not every form can make this move: one is in another state or with someone else. "
        "Nothing was changed.",
    ),
    "forms.none_left": QT_TRANSLATE_NOOP(
        "errors",
        "No blank forms of this type are left with this clerk; the back office issues more.",
    ),
    "forms.serial_unknown": QT_TRANSLATE_NOOP(
        "errors", "This serial is not in the branch's ledger: it was never received here."
    ),
    "forms.approval_needed": QT_TRANSLATE_NOOP(
        "errors", "A void is approved by a supervisor, not by the clerk who printed the form."
    ),
    "forms.type_unknown": QT_TRANSLATE_NOOP(
        "errors", "There is no blank-form type {form_type}. Refresh the list."
    ),
    "printing.document_unknown": QT_TRANSLATE_NOOP(
        "errors", "No policy or endorsement {number} has been imported; import its file first."
    ),
    "printing.layout_unknown": QT_TRANSLATE_NOOP(
        "errors", "There is no form layout {layout}; ask IT to check printers/forms."
    ),
    "printing.layout_mismatch": QT_TRANSLATE_NOOP(
        "errors", "The layout {layout} prints other documents; choose one that fits this one."
    ),
    "printing.reprint_reason_needed": QT_TRANSLATE_NOOP(
        "errors", "{document} was printed before: a reprint needs its reason."
    ),
    "printing.job_unknown": QT_TRANSLATE_NOOP(
        "errors", "This print job is not in your queue (any more). Refresh the queue."
    ),
    "printing.job_state": QT_TRANSLATE_NOOP(
        "errors", "The print job is {state} now, so this cannot be done with it. Refresh the queue."
    ),
    "printing.no_attachment": QT_TRANSLATE_NOOP(
        "errors", "This document fits on its form: it has no continuation pages."
    ),
    "printing.calibration_invalid": QT_TRANSLATE_NOOP(
        "errors",
        "The calibration value {key} = {value} is out of range (shifts up to 20 mm, "
        "scale 0.9 to 1.1). Measure the calibration page again.",
    ),
    "printing.form_layout_invalid": QT_TRANSLATE_NOOP(
        "errors", "The form layout {file} is not valid at {key}: {reason}. Ask IT."
    ),
    "printing.form_document_mismatch": QT_TRANSLATE_NOOP(
        "errors", "The layout {layout} prints other documents; choose one that fits this one."
    ),
    "policies.invalid_file": QT_TRANSLATE_NOOP(
        "errors",
        "The policy file has {count} errors and nothing was imported; each error is listed "
        "with where it is. Ask the core system's support to correct the export.",
    ),
    "policies.already_printed": QT_TRANSLATE_NOOP(
        "errors",
        "This policy was printed already; a change to it comes from the core system as an "
        "endorsement.",
    ),
    "auth.approval_refused": QT_TRANSLATE_NOOP(
        "errors",
        "The supervisor's name or password is wrong; nothing was voided. The supervisor types "
        "their own password.",
    ),
    "device.scanner_unavailable": QT_TRANSLATE_NOOP(
        "errors", "The barcode scanner cannot be opened: {port}"
    ),
    "device.printer_offline": QT_TRANSLATE_NOOP(
        "errors",
        "The ticket printer {printer} cannot be reached ({reason}). The ticket is kept in the "
        "queue; check the printer's power and cable, then press Reprint.",
    ),
    "device.printer_paper_out": QT_TRANSLATE_NOOP(
        "errors",
        "The ticket printer {printer} is out of paper. The ticket is kept in the queue; "
        "load paper and press Reprint.",
    ),
    "device.printer_cover_open": QT_TRANSLATE_NOOP(
        "errors",
        "The cover of the ticket printer {printer} is open. The ticket is kept in the queue; "
        "close the cover and press Reprint.",
    ),
    "device.printer_error": QT_TRANSLATE_NOOP(
        "errors",
        "The ticket printer {printer} reported an error ({reason}). The ticket is kept in the "
        "queue; check the printer and press Reprint.",
    ),
    "device.printer_connection_invalid": QT_TRANSLATE_NOOP(
        "errors", "The printer connection {connection} is not valid: {reason}"
    ),
    "printing.profile_invalid": QT_TRANSLATE_NOOP(
        "errors", "The printer profile {profile} is missing or not valid: {reason}"
    ),
    "printing.office_failed": QT_TRANSLATE_NOOP(
        "errors", "The office printer could not print ({detail})."
    ),
    "printing.font_missing": QT_TRANSLATE_NOOP(
        "errors", "No Chinese font for printing is installed (WenQuanYi Micro Hei); ask IT."
    ),
    "device.voice_clip_missing": QT_TRANSLATE_NOOP(
        "errors", "The board's voice clip {clip} is missing or unreadable; calls are not spoken."
    ),
    "board.key_unknown": QT_TRANSLATE_NOOP(
        "errors", "This display key no longer exists. Refresh the list."
    ),
    "board.announcement_invalid": QT_TRANSLATE_NOOP(
        "errors", "The call {number} to window {window} cannot be spoken with the voice clips."
    ),
    "settings.invalid": QT_TRANSLATE_NOOP("errors", "A setting is not valid: {detail}"),
    "sync.unreachable": QT_TRANSLATE_NOOP(
        "errors",
        "Head office cannot be reached ({reason}); everything is kept and sent when it is back.",
    ),
    "sync.process_ended": QT_TRANSLATE_NOOP(
        "errors",
        "The hub's sync process stopped ({reason}); it is started again by itself and "
        "everything is kept. If this keeps coming back, tell IT.",
    ),
    "sync.refused": QT_TRANSLATE_NOOP(
        "errors",
        "Head office refused the records ({reason}); everything is kept and sent again. "
        "Tell head-office IT.",
    ),
    "sync.enrolment_refused": QT_TRANSLATE_NOOP(
        "errors",
        "Head office does not know this login as this branch's; the hub was not enrolled. "
        "Check the branch code and the login head-office IT gave for it.",
    ),
    "sync.branch_taken": QT_TRANSLATE_NOOP(
        "errors",
        "Another hub is enrolled for branch {branch}; this one sends nothing. Head-office IT "
        "releases the branch before this PC takes over. Everything is kept here meanwhile.",
    ),
    "sync.clock_skew": QT_TRANSLATE_NOOP(
        "errors",
        "This PC's clock is off by more than allowed (head office: {headoffice_time}, this "
        "hub: {hub_time}); nothing is sent until the clock is set right.",
    ),
    "sync.stamp_ahead": QT_TRANSLATE_NOOP(
        "errors",
        "A change arrived stamped {minutes} minutes ahead of this clock; one of the two clocks "
        "is wrong. Nothing was applied: set the time right and it syncs by itself.",
    ),
    "sync.instance_damaged": QT_TRANSLATE_NOOP(
        "errors", "This hub's identity file is damaged; ask IT to enrol the hub again."
    ),
    "sync.hub_copied": QT_TRANSLATE_NOOP(
        "errors",
        "This hub's folder was copied from another PC (it is not the hub enrolled on this "
        "PC), so it sends nothing: two hubs must never send as one branch. Branch IT runs "
        '"counter-app hub enrol" on this PC; head-office IT then releases the branch to it. '
        "Everything is kept here meanwhile.",
    ),
    "sync.tls_required": QT_TRANSLATE_NOOP(
        "errors",
        "Head office offers no encrypted connection (TLS), and this hub requires one "
        "({reason}); nothing is sent. Head-office IT turns TLS on, or branch IT enrols the "
        "hub again with another --sslmode.",
    ),
    "sync.tls_failed": QT_TRANSLATE_NOOP(
        "errors",
        "The encrypted connection to head office failed ({reason}); nothing is sent. Branch "
        "IT checks head office's CA certificate (--sslrootcert) and that the address is the "
        "name on head office's certificate.",
    ),
    "sync.tls_rootcert_missing": QT_TRANSLATE_NOOP(
        "errors",
        "The CA certificate file {path} does not exist. Copy head office's CA certificate to "
        "this PC and give its path with --sslrootcert.",
    ),
    "sync.out_of_order": QT_TRANSLATE_NOOP(
        "errors",
        "Head office waits for the batch before batch {batch}; it is sent again by itself.",
    ),
    "sync.batch_mismatch": QT_TRANSLATE_NOOP(
        "errors",
        "Head office already holds this branch's batch {batch} with other records: this "
        "branch's database seems to have started over. Nothing is sent; call head-office IT.",
    ),
    "sync.upgrade_required": QT_TRANSLATE_NOOP(
        "errors",
        "This hub's software is older than head office accepts: upgrade the hub. The counters "
        "go on working and nothing is lost; the records are sent after the upgrade.",
    ),
    "sync.headoffice_behind": QT_TRANSLATE_NOOP(
        "errors",
        "Head office has not been upgraded to this hub's version yet; nothing is lost and the "
        "records are sent by themselves once it has.",
    ),
    "headoffice.publication_invalid": QT_TRANSLATE_NOOP(
        "errors", "The reference data was not published; nothing changed: {detail}"
    ),
    "headoffice.branch_unknown": QT_TRANSLATE_NOOP("errors", "Head office has no branch {branch}."),
    # Head-office IT's commands; unreachable and refused carry where and why only in {detail}.
    "headoffice.unreachable": QT_TRANSLATE_NOOP(
        "errors",
        "Head office's database cannot be reached; check the address, the network and that "
        "PostgreSQL runs. ({detail})",
    ),
    "headoffice.refused": QT_TRANSLATE_NOOP(
        "errors",
        "Head office's database refused: check the login, its password and its privileges. "
        "({detail})",
    ),
    "headoffice.not_initialised": QT_TRANSLATE_NOOP(
        "errors",
        "Head office's database has no head-office tables yet: run "
        '"counter-app headoffice init" first.',
    ),
    "headoffice.schema_mismatch": QT_TRANSLATE_NOOP(
        "errors",
        "Head office's tables {tables} differ from this program version's; nothing was changed. "
        "Update the program or the database.",
    ),
    "headoffice.invalid_dsn": QT_TRANSLATE_NOOP(
        "errors",
        "This is not a PostgreSQL connection string: postgresql://USER@HOST:PORT/DBNAME "
        "or key=value pairs.",
    ),
    "headoffice.invalid_branch_code": QT_TRANSLATE_NOOP(
        "errors", "{value} is not a branch code: 2 to 16 capital letters A-Z or digits."
    ),
    "headoffice.invalid_branch_name": QT_TRANSLATE_NOOP(
        "errors", "A branch name is 1 to 64 characters."
    ),
    "headoffice.branch_exists": QT_TRANSLATE_NOOP(
        "errors", "Branch {branch} exists already at head office (or its PostgreSQL login does)."
    ),
    "secrets.unavailable": QT_TRANSLATE_NOOP(
        "errors", "The system keyring is not available; credentials cannot be stored."
    ),
}
UNKNOWN = QT_TRANSLATE_NOOP("errors", "Error {code}: {detail}")

# What the audit trail's action codes mean, for the manager's and the admin's lists.
ACTIONS: dict[str, str] = {
    "auth.login": QT_TRANSLATE_NOOP("actions", "Logged in"),
    "auth.logout": QT_TRANSLATE_NOOP("actions", "Logged out"),
    "auth.login_failed": QT_TRANSLATE_NOOP("actions", "Wrong password"),
    "auth.login_refused_locked": QT_TRANSLATE_NOOP("actions", "Login refused: account locked"),
    "auth.login_refused_disabled": QT_TRANSLATE_NOOP("actions", "Login refused: account disabled"),
    "staff.add": QT_TRANSLATE_NOOP("actions", "Staff member added"),
    "staff.enable": QT_TRANSLATE_NOOP("actions", "Staff member enabled"),
    "staff.disable": QT_TRANSLATE_NOOP("actions", "Staff member disabled"),
    "staff.roles": QT_TRANSLATE_NOOP("actions", "Roles changed"),
    "staff.password_reset": QT_TRANSLATE_NOOP("actions", "Password set"),
    "branch.identify": QT_TRANSLATE_NOOP("actions", "Branch code or name set"),
    "demo.load": QT_TRANSLATE_NOOP("actions", "Demo data loaded"),
    "queue.reprint": QT_TRANSLATE_NOOP("actions", "Ticket reprinted"),
    "queue.cancel": QT_TRANSLATE_NOOP("actions", "Ticket cancelled"),
    "queue.book": QT_TRANSLATE_NOOP("actions", "Appointment booked"),
    "queue.check_in": QT_TRANSLATE_NOOP("actions", "Appointment checked in"),
    "queue.service_set": QT_TRANSLATE_NOOP("actions", "Service set up"),
    "display.key_create": QT_TRANSLATE_NOOP("actions", "Board display link created"),
    "display.key_revoke": QT_TRANSLATE_NOOP("actions", "Board display link revoked"),
}

ROLE_SEPARATOR = QT_TRANSLATE_NOOP("roles", ", ")
# Short names for the workspace tabs: eight of them must fit side by side.
ROLE_TABS: dict[Role, str] = {
    Role.GUIDE: QT_TRANSLATE_NOOP("tabs", "Guide"),
    Role.CLERK: QT_TRANSLATE_NOOP("tabs", "Issuing"),
    Role.COLLECTOR: QT_TRANSLATE_NOOP("tabs", "Claims"),
    Role.CHANNEL: QT_TRANSLATE_NOOP("tabs", "Channels"),
    Role.BACKOFFICE: QT_TRANSLATE_NOOP("tabs", "Office"),
    Role.SERVICE: QT_TRANSLATE_NOOP("tabs", "Service"),
    Role.MANAGER: QT_TRANSLATE_NOOP("tabs", "Manager"),
    Role.ADMIN: QT_TRANSLATE_NOOP("tabs", "Admin"),
}
ROLE_NAMES: dict[Role, str] = {
    Role.GUIDE: QT_TRANSLATE_NOOP("roles", "Front-desk guide"),
    Role.CLERK: QT_TRANSLATE_NOOP("roles", "Issuing / endorsement clerk"),
    Role.COLLECTOR: QT_TRANSLATE_NOOP("roles", "Claim-document collector"),
    Role.CHANNEL: QT_TRANSLATE_NOOP("roles", "New-channel support"),
    Role.BACKOFFICE: QT_TRANSLATE_NOOP("roles", "Back office"),
    Role.SERVICE: QT_TRANSLATE_NOOP("roles", "Customer service"),
    Role.MANAGER: QT_TRANSLATE_NOOP("roles", "Centre manager"),
    Role.ADMIN: QT_TRANSLATE_NOOP("roles", "Branch administrator"),
}


def translations_dir() -> Path:
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here.parent / "resources" / "translations",
        here / "resources" / "translations",
    ):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("translations folder not found")


def load_translator(language: str) -> QTranslator | None:
    """The compiled .qm for ``language``; None when the source language (English) is wanted."""
    translator = QTranslator()
    qm = translations_dir() / f"counter_app_{language}.qm"
    if qm.exists() and translator.load(str(qm)):
        return translator
    return None


class Messages:
    """Turns codes into words. Uses the application's translators when a Qt app is running."""

    _default: ClassVar[Messages | None] = None

    def __init__(self, translator: QTranslator | None = None) -> None:
        self._translator = translator

    @classmethod
    def default(cls, language: str = "zh_CN") -> Messages:
        if cls._default is None:
            cls._default = cls(load_translator(language))
        return cls._default

    def translate(self, context: str, text: str) -> str:
        if QCoreApplication.instance() is not None:
            return QCoreApplication.translate(context, text)
        if self._translator is not None:
            translated = self._translator.translate(context, text)
            if translated:
                return translated
        return text

    def error_text(self, code: str, params: dict[str, Any] | None = None, detail: str = "") -> str:
        values = {"code": code, "detail": detail, **(params or {})}
        template = ERRORS.get(code)
        if template is None:
            return self.translate("errors", UNKNOWN).format_map(_Default(values))
        return self.translate("errors", template).format_map(_Default(values))

    def describe(self, error: BaseException) -> str:
        """Words for any failure: a coded error by its code, anything else by its text."""
        code = getattr(error, "code", None)
        if isinstance(code, str):
            params = getattr(error, "params", {}) or {}
            return self.error_text(code, params, getattr(error, "detail", str(error)))
        return str(error)

    def action_name(self, action: str) -> str:
        """Words for an audit action; an action this version does not know shows its code."""
        text = ACTIONS.get(action)
        return self.translate("actions", text) if text else action

    def role_list(self, roles: list[Role] | frozenset[Role]) -> str:
        """Role names in the posts' order, joined as the language writes lists."""
        ordered = [r for r in Role if r in roles]
        separator = self.translate("roles", ROLE_SEPARATOR)
        return separator.join(self.role_name(r) for r in ordered)

    def role_tab(self, role: Role) -> str:
        return self.translate("tabs", ROLE_TABS[role])

    def role_name(self, role: Role) -> str:
        return self.translate("roles", ROLE_NAMES[role])


class _Default(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
