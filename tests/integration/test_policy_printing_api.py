"""Policy printing and the blank-form ledger against a real demo hub: the print queue from
job to confirmed form, misprints voided with a supervisor, reprints, bad input."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from counter_app.client.hub_client import HubClient, HubError
from counter_app.config.resources import demo_policies_file
from counter_app.config.settings import BRANCH_TIME_ZONE
from tests.conftest import DEMO_PASSWORDS

JQ_POLICY = "PDZA202644010000001234"
SY_POLICY = "PDAA202644010000005678"
ENDORSEMENT = "EDAA202644010000000101"


def _login(client: HubClient, username: str) -> HubClient:
    client.login(username, DEMO_PASSWORDS[username])
    return client


@pytest.fixture
def clerk(hub_client: HubClient) -> HubClient:
    return _login(hub_client, "clerk")


@pytest.fixture
def staff(hub: Any) -> Iterator[Callable[[str], HubClient]]:
    """Other staff members, each logged in on their own workstation."""
    opened: list[HubClient] = []

    def login(username: str) -> HubClient:
        opened.append(_login(HubClient(hub.url, workstation=f"{username}-ws"), username))
        return opened[-1]

    yield login
    for client in opened:
        client.close()


def _serial_row(hub: Any, code: str, serial: int) -> tuple[str, str, str]:
    with sqlite3.connect(hub.basedir.database) as raw:
        row = raw.execute(
            "SELECT state, holder, policy_number FROM blank_form_serial"
            " WHERE form_type = ? AND serial = ?",
            (code, serial),
        ).fetchone()
    assert row is not None
    return (row[0], row[1], row[2])


def _count(hub: Any, table: str) -> int:
    with sqlite3.connect(hub.basedir.database) as raw:
        return int(raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _today() -> date:
    """The branch's business day, which the hub's moves are booked on."""
    return datetime.now(ZoneInfo(BRANCH_TIME_ZONE.default)).date()


def _printed(client: HubClient, document: str, layout: str, reason: str = "") -> Any:
    job = client.create_print_job(document, layout, "模拟针式打印机", reason)
    job = client.print_job_step(job.id, "sending", "模拟针式打印机")
    job = client.print_job_step(job.id, "sent")
    return client.print_job_step(job.id, "confirm")


def test_a_policy_from_job_to_confirmed_form(clerk: HubClient, hub: Any, staff: Any) -> None:
    found = clerk.policy_documents(JQ_POLICY)
    assert [d.number for d in found] == [JQ_POLICY]
    assert found[0].printed_at is None
    layouts = {layout.name: layout for layout in clerk.document_layouts(JQ_POLICY)}
    assert layouts["jq-policy"].blank_form == "JQ"
    assert layouts["jq-policy-plain"].blank_form is None

    job = clerk.create_print_job(JQ_POLICY, "jq-policy", "模拟针式打印机")
    assert (job.state, job.serial) == ("queued", None)
    job = clerk.print_job_step(job.id, "sending", "模拟针式打印机")
    assert (job.state, job.serial) == ("printing", "JQ0000100001")  # the top of the stack
    pdf = clerk.print_job_pdf(job.id, dx_mm=1.5, dy_mm=-1.0)
    assert pdf.startswith(b"%PDF")
    job = clerk.print_job_step(job.id, "sent")
    assert job.state == "to_confirm"
    # Not printed until the clerk says so: the serial is still a blank form.
    assert _serial_row(hub, "JQ", 100001)[0] == "issued"
    assert clerk.policy_documents(JQ_POLICY)[0].printed_at is None

    job = clerk.print_job_step(job.id, "confirm")
    assert job.state == "printed"
    assert _serial_row(hub, "JQ", 100001) == ("used", "clerk", JQ_POLICY)
    assert clerk.policy_documents(JQ_POLICY)[0].printed_at is not None
    assert clerk.next_form("JQ") == "JQ0000100002"

    # A second print of it is a reprint: it needs a reason, is audited, takes a new form.
    with pytest.raises(HubError) as refused:
        clerk.create_print_job(JQ_POLICY, "jq-policy")
    assert refused.value.code == "printing.reprint_reason_needed"
    again = _printed(clerk, JQ_POLICY, "jq-policy", "客户保单遗失，申请重打")
    assert (again.serial, again.reprint_reason) == ("JQ0000100002", "客户保单遗失，申请重打")
    assert _serial_row(hub, "JQ", 100002) == ("used", "clerk", JQ_POLICY)
    with sqlite3.connect(hub.basedir.database) as raw:
        actions = [r[0] for r in raw.execute("SELECT action FROM audit_entry")]
    assert "printing.reprint" in actions

    # The day's ledger balances with both forms used.
    backoffice = staff("backoffice")
    lines = backoffice.reconciliation(_today(), form_type="JQ")
    mine = next(line for line in lines if line.holder == "clerk")
    assert (mine.received, mine.used, mine.closing, mine.gap) == (50, 2, 48, 0)
    assert all(line.gap == 0 for line in lines)


def test_a_misprint_is_voided_with_a_supervisor_and_the_reprint_takes_the_next_form(
    clerk: HubClient, hub: Any, staff: Any
) -> None:
    job = clerk.create_print_job(SY_POLICY, "sy-policy")
    job = clerk.print_job_step(job.id, "sending", "模拟激光打印机")
    assert job.serial == "SY0000200001"
    # The printer vanished mid-job: the job is kept with its form, and can be retried.
    job = clerk.print_job_step(job.id, "failed", error="printer offline")
    assert (job.state, job.serial, job.error) == ("failed", "SY0000200001", "printer offline")
    job = clerk.print_job_step(job.id, "retry")
    job = clerk.print_job_step(job.id, "sending")
    assert (job.serial, job.attempts) == ("SY0000200001", 2)
    job = clerk.print_job_step(job.id, "sent")

    with pytest.raises(HubError) as refused:
        clerk.misprint(job.id, "套打错位")
    assert refused.value.code == "forms.approval_needed"
    with pytest.raises(HubError) as own:
        clerk.misprint(job.id, "套打错位", "clerk", DEMO_PASSWORDS["clerk"])
    assert own.value.code == "forms.approval_needed"  # a clerk cannot approve a void
    with pytest.raises(HubError) as wrong:
        clerk.misprint(job.id, "套打错位", "manager", "not-the-password")
    assert wrong.value.code == "auth.approval_refused"  # not a 401: the clerk stays in
    assert _serial_row(hub, "SY", 200001)[0] == "issued"  # nothing changed so far

    reprint = clerk.misprint(job.id, "套打错位", "manager", DEMO_PASSWORDS["manager"])
    assert (reprint.state, reprint.reprint_of, reprint.serial) == ("queued", job.id, None)
    assert _serial_row(hub, "SY", 200001)[0] == "voided"
    assert clerk.print_job(job.id).state == "misprinted"
    reprint = clerk.print_job_step(reprint.id, "sending")
    assert reprint.serial == "SY0000200002"
    clerk.print_job_step(reprint.id, "sent")
    clerk.print_job_step(reprint.id, "confirm")
    assert _serial_row(hub, "SY", 200002) == ("used", "clerk", SY_POLICY)

    # Two jobs in flight take two different forms.
    first = clerk.create_print_job(ENDORSEMENT, "endorsement")
    second = clerk.create_print_job("EDAA202644010000000103", "endorsement")
    first = clerk.print_job_step(first.id, "sending")
    second = clerk.print_job_step(second.id, "sending")
    assert (first.serial, second.serial) == ("PD0000300001", "PD0000300002")
    cancelled = clerk.print_job_step(second.id, "failed", error="卡纸")
    cancelled = clerk.print_job_step(second.id, "cancel")
    assert (cancelled.state, cancelled.serial) == ("cancelled", None)

    # The supervisor's approval is on the ledger and in the audit.
    with sqlite3.connect(hub.basedir.database) as raw:
        approved = raw.execute(
            "SELECT approved_by, reason FROM blank_form_movement WHERE move = 'void'"
        ).fetchall()
        actions = [r[0] for r in raw.execute("SELECT action FROM audit_entry")]
    assert approved == [("manager", "套打错位")]
    assert "auth.approval" in actions
    assert "printing.misprint" in actions

    manager = staff("manager")
    lines = manager.reconciliation(_today(), form_type="SY")
    mine = next(line for line in lines if line.holder == "clerk")
    assert (mine.used, mine.voided, mine.closing, mine.gap) == (1, 1, 48, 0)


def test_refusals_change_nothing(clerk: HubClient, hub: Any, staff: Any) -> None:
    channel = staff("channel")  # may print, holds no blank forms
    with pytest.raises(HubError) as none_left:
        channel.create_print_job(JQ_POLICY, "jq-policy")
    assert none_left.value.code == "forms.none_left"
    plain = channel.create_print_job(JQ_POLICY, "jq-policy-plain")
    assert (plain.form_type, plain.state) == (None, "queued")

    for document, layout, code in (
        (JQ_POLICY, "endorsement", "printing.layout_mismatch"),
        (JQ_POLICY, "sy-policy", "printing.layout_mismatch"),
        (JQ_POLICY, "no-such-layout", "printing.layout_unknown"),
        ("PDZA000000000000", "jq-policy", "printing.document_unknown"),
    ):
        with pytest.raises(HubError) as refused:
            clerk.create_print_job(document, layout)
        assert refused.value.code == code, (document, layout)
    job = clerk.create_print_job(JQ_POLICY, "jq-policy")
    with pytest.raises(HubError) as early:
        clerk.print_job_step(job.id, "confirm")
    assert early.value.code == "printing.job_state"
    # Someone else's job is not there for another clerk.
    with pytest.raises(HubError) as foreign:
        channel.print_job_step(job.id, "sending")
    assert foreign.value.code == "printing.job_unknown"
    assert _serial_row(hub, "JQ", 100001)[0] == "issued"

    backoffice = staff("backoffice")
    with pytest.raises(HubError) as overlap:
        backoffice.receive_forms("JQ", "JQ0000100400", "JQ0000100600")
    assert overlap.value.code == "forms.range_overlaps"
    with pytest.raises(HubError) as bad_serial:
        backoffice.issue_forms("JQ", "SY0000100001", "JQ0000100060", "clerk")
    assert bad_serial.value.code == "forms.bad_serial"
    with pytest.raises(HubError) as not_in_stock:
        backoffice.issue_forms("JQ", "JQ0000100040", "JQ0000100060", "channel")
    assert not_in_stock.value.code == "forms.invalid_move"  # 100040-100050 are with the clerk
    with pytest.raises(HubError) as forbidden:
        clerk.receive_forms("JQ", "JQ0000900001", "JQ0000900010")
    assert forbidden.value.code == "auth.forbidden"
    assert _count(hub, "blank_form_serial") == 1700


def test_a_policy_file_that_breaks_the_schema_is_refused_whole(
    clerk: HubClient, hub: Any, staff: Any
) -> None:
    batch = json.loads(demo_policies_file().read_text(encoding="utf-8"))
    before = _count(hub, "policy_document")
    batch["policies"][1]["vehicle"]["vin"] = "NOT-A-VIN"
    del batch["policies"][2]["insured"]["name"]
    batch["endorsements"][0]["kind"] = "upgrade"
    batch["endorsements"].append({**batch["endorsements"][1], "surprise": 1})
    with pytest.raises(HubError) as refused:
        clerk.import_policies(json.dumps(batch, ensure_ascii=False).encode(), "bad.json")
    assert refused.value.code == "policies.invalid_file"
    errors = {(e["path"], e["rule"]) for e in refused.value.params["errors"]}
    assert ("policies[1].vehicle.vin", "pattern") in errors
    assert ("policies[2].insured.name", "required") in errors
    assert ("endorsements[0].kind", "enum") in errors
    assert ("endorsements[5]", "additionalProperties") in errors
    assert _count(hub, "policy_document") == before

    # What the schema cannot say: a premium total that is not the sum of its coverages.
    batch = json.loads(demo_policies_file().read_text(encoding="utf-8"))
    batch["policies"][1]["premium_total"] = "9999.99"
    with pytest.raises(HubError) as arithmetic:
        clerk.import_policies(json.dumps(batch).encode())
    assert refused.value.params["count"] >= 4
    assert [(e["path"], e["rule"], e["detail"]) for e in arithmetic.value.params["errors"]] == [
        ("policies[1].premium_total", "premium_sum", "3190.21")
    ]
    for raw, rule in ((b"{not json", "json"), (b"\xff\xfe\x00", "encoding")):
        with pytest.raises(HubError) as broken:
            clerk.import_policies(raw)
        assert broken.value.params["errors"][0]["rule"] == rule

    # The same file again changes nothing; a printed policy changed since is refused alone.
    _printed(clerk, JQ_POLICY, "jq-policy-plain")
    batch = json.loads(demo_policies_file().read_text(encoding="utf-8"))
    batch["policies"][0]["insured"]["phone"] = "13900000000"
    batch["policies"][1]["insured"]["phone"] = "13900000000"
    result = clerk.import_policies(json.dumps(batch).encode(), "again.json")
    assert result.refused == [JQ_POLICY]
    assert result.updated == [SY_POLICY]
    assert len(result.unchanged) == 7
    assert not result.added
    body = clerk.policy_document(JQ_POLICY).body
    assert body["insured"]["phone"] == "13800138000"


def test_pdfs_from_the_hub(clerk: HubClient, hub: Any, staff: Any) -> None:
    preview = clerk.preview_pdf(ENDORSEMENT, "endorsement")
    plain = clerk.preview_pdf(ENDORSEMENT, "endorsement", background=False)
    assert preview.startswith(b"%PDF")
    assert plain.startswith(b"%PDF")
    assert len(preview) > len(plain)  # the scanned form is behind the preview only
    assert clerk.calibration_pdf(241, 140, 1.0, 2.0).startswith(b"%PDF")
    manager = staff("manager")
    report = manager.reconciliation_pdf(_today())
    assert report.startswith(b"%PDF")
    take = manager.stock_take("JQ", "clerk", [("JQ0000100001", "JQ0000100049")])
    assert (take.matches, take.missing, take.unexpected) == (
        False,
        [("JQ0000100050", "JQ0000100050")],
        [],
    )
    assert manager.stock_take_pdf("JQ", "clerk", [("JQ0000100001", "JQ0000100050")]).startswith(
        b"%PDF"
    )


def test_continuation_pages_of_a_preprinted_job_go_to_plain_paper(clerk: HubClient) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    batch = json.loads(demo_policies_file().read_text(encoding="utf-8"))
    policy = batch["policies"][1]
    policy["policy_number"] = "PDAA202644010000009999"
    extra = [
        {"code": f"X{n}", "name": f"附加险第{n}项", "limit": "1000.00", "premium": "1.00"}
        for n in range(14)
    ]
    policy["coverages"] = policy["coverages"] + extra
    total = sum(float(c["premium"]) for c in policy["coverages"])
    policy["premium_total"] = f"{total:.2f}"
    batch["policies"] = [policy]
    batch["endorsements"] = []
    assert clerk.import_policies(json.dumps(batch).encode()).added == [policy["policy_number"]]

    job = clerk.create_print_job(policy["policy_number"], "sy-policy")
    job = clerk.print_job_step(job.id, "sending")
    assert job.attachment_pages >= 1
    form = PdfReader(BytesIO(clerk.print_job_pdf(job.id)))
    attachment = PdfReader(BytesIO(clerk.print_job_attachment_pdf(job.id)))
    assert len(form.pages) == 1  # only the numbered form goes to the form printer
    assert len(attachment.pages) == job.attachment_pages
    assert "附加险第13项" in "".join(p.extract_text() for p in attachment.pages)

    fits = clerk.create_print_job(JQ_POLICY, "jq-policy")
    assert fits.attachment_pages == 0
    with pytest.raises(HubError) as none:
        clerk.print_job_attachment_pdf(fits.id)
    assert none.value.code == "printing.no_attachment"


def test_the_back_office_sees_whom_forms_can_be_issued_to(staff: Any) -> None:
    holders = {h.username: h.display_name for h in staff("backoffice").form_holders()}
    assert {"clerk", "channel", "manager"} <= set(holders)
    assert "collector" not in holders  # no printing post
    assert all(holders.values())
    with pytest.raises(HubError) as refused:
        staff("collector").form_holders()
    assert refused.value.code == "auth.forbidden"


def test_form_types_are_defined_by_a_manager_and_keep_their_serial_format(staff: Any) -> None:
    manager = staff("manager")
    made = manager.define_form_type("BD", "摩托车交强险保单", "BD", 8)
    assert (made.code, made.prefix, made.digits) == ("BD", "BD", 8)
    assert "BD" in {t.code for t in manager.form_types()}
    assert manager.define_form_type("BD", "摩托车交强险保单（新版）", "BD", 8).name.endswith(
        "新版）"
    )
    backoffice = staff("backoffice")
    assert backoffice.receive_forms("BD", "BD00000001", "BD00000010") == 10
    with pytest.raises(HubError) as held:
        manager.define_form_type("BD", "摩托车交强险保单", "MB", 8)
    assert held.value.code == "forms.invalid_move"
    with pytest.raises(HubError) as forbidden:
        backoffice.define_form_type("XX", "试", "XX", 8)
    assert forbidden.value.code == "auth.forbidden"
    with pytest.raises(HubError) as bad:
        manager.define_form_type("bd x", "试", "BD", 8)
    assert bad.value.code == "invalid_input"


def test_moves_and_print_jobs_are_pushed_as_events(clerk: HubClient, hub: Any) -> None:
    before = _count(hub, "hub_event")
    job = clerk.create_print_job(JQ_POLICY, "jq-policy")
    for step in ("sending", "sent", "confirm"):
        clerk.print_job_step(job.id, step)
    with sqlite3.connect(hub.basedir.database) as raw:
        rows = raw.execute(
            "SELECT type, payload FROM hub_event ORDER BY seq DESC LIMIT ?",
            (_count(hub, "hub_event") - before,),
        ).fetchall()
    kinds = [json.loads(payload).get("state") or kind for kind, payload in reversed(rows)]
    assert kinds == ["queued", "printing", "to_confirm", "forms.moved", "printed"]
    assert all(json.loads(p).get("clerk", "clerk") == "clerk" for _k, p in rows)
