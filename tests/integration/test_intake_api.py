"""Claim-document intake against a real demo hub: a file from opening to archive, bad input."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from counter_app.client.hub_client import HubClient, HubError
from counter_app.hub.schemas import IntakeFileOut, IntakeOpenIn, PickupIn
from tests.conftest import DEMO_PASSWORDS

CLAIM = "RDAA2026320100000123"


def _login(client: HubClient, username: str) -> HubClient:
    client.login(username, DEMO_PASSWORDS[username])
    return client


@pytest.fixture
def collector(hub_client: HubClient) -> HubClient:
    return _login(hub_client, "collector")


def _code(view: IntakeFileOut, name: str) -> str:
    """A document's code, found by its Chinese name (an item's or an alternative's)."""
    for item in view.items:
        if item.name == name:
            return item.code
        for alternative in item.alternatives:
            if alternative.name == name:
                return alternative.code
    raise AssertionError(f"{name} not on the checklist: {[i.name for i in view.items]}")


def _status(view: IntakeFileOut, name: str) -> str:
    return next(i.status for i in view.items if i.name == name)


def _open(client: HubClient, **kw: Any) -> IntakeFileOut:
    values: dict[str, Any] = {
        "claim_number": CLAIM,
        "claim_type": "vehicle_damage",
        "submitter_name": "王小明",
        "submitter_phone": "13812345678",
        "plate": "苏A12345",
        **kw,
    }
    return client.open_intake(IntakeOpenIn(**values))


def test_a_file_from_opening_to_archive(collector: HubClient, hub: Any) -> None:
    checklists = {c.claim_type: c for c in collector.intake_checklists()}
    assert {"vehicle_damage", "injury", "theft", "quick"} <= set(checklists)

    view = _open(collector, claim_number=" rdaa2026320100000123 ")
    assert view.claim_number == CLAIM  # trimmed, upper case
    assert view.receipt_number.startswith("SD")
    assert view.status == "incomplete"
    assert view.due is not None
    assert view.submitter_phone == "13812345678"  # a collector calls customers back
    required = [i for i in view.items if i.status == "missing"]
    assert required, "a new file misses its documents"

    # the shared items are on the vehicle-damage list; 施救费发票 only applies with a rescue
    claim_form = _code(view, "机动车辆保险索赔申请书")
    view = collector.receive_document(view.id, f"DOC-{claim_form.upper()}", "original", 2)
    assert _status(view, "机动车辆保险索赔申请书") == "received"
    assert view.missing_count == len(required) - 1

    # a page count corrected: a new entry naming the ticked one, nothing taken back
    ticked = next(d for i in view.items for d in i.documents if i.code == claim_form)
    view = collector.correct_pages(view.id, ticked.entry_id, 3)
    assert next(d.pages for i in view.items for d in i.documents if i.code == claim_form) == 3
    pages_entry = view.entries[-1]
    assert pages_entry.kind == "pages"
    assert pages_entry.refers_to == ticked.entry_id
    assert pages_entry.detail == {"pages": 3, "was": 2}

    # the same document scanned twice: refused, nothing added
    with pytest.raises(HubError) as twice:
        collector.receive_document(view.id, claim_form, "original")
    assert twice.value.code == "intake.document_already_received"
    assert len(collector.intake_file(view.id).entries) == len(view.entries)

    # a copy where the original is needed leaves the item open
    invoice = _code(view, "维修发票")
    view = collector.receive_document(view.id, invoice, "copy")
    assert _status(view, "维修发票") == "copy_only"
    receipt = collector.intake_receipt(view.id)
    assert any("维修发票" in line.name for line in receipt.missing)
    assert receipt.submitter_phone == "138****5678"  # the paper leaves the branch: masked
    assert receipt.claim_number == CLAIM

    # tick everything still missing; the file completes by itself, with who and when
    for item in collector.intake_file(view.id).items:
        if item.status in ("missing", "copy_only"):
            code = item.alternatives[0].code if item.alternatives else item.code
            view = collector.receive_document(view.id, code, "original")
    assert view.status == "complete"
    assert view.completed_by == "collector"
    assert view.due is None

    # a correction reopens it; the story keeps both entries
    last = next(
        d for i in view.items for d in i.documents if i.code == invoice and d.form == "original"
    )
    view = collector.withdraw_document(view.id, last.entry_id, "扫错了单证")
    assert view.status == "incomplete"
    kinds = [e.kind for e in view.entries]
    assert kinds.count("withdrawn") == 1
    assert kinds.count("reopened") == 1
    view = collector.receive_document(view.id, invoice, "original")
    assert view.status == "complete"

    # the entries are append-only in the file itself
    with sqlite3.connect(hub.basedir.database) as raw, pytest.raises(sqlite3.IntegrityError):
        raw.execute("DELETE FROM intake_entry")

    # handover to the claims department, confirmed by scanning the batch number back
    batch = collector.hand_over([view.id])
    assert batch.number.startswith("JJ")
    assert [f.claim_number for f in batch.files] == [CLAIM]
    with pytest.raises(HubError) as closed:
        collector.receive_document(view.id, claim_form, "copy")
    assert closed.value.code == "intake.file_closed"
    listing = collector.handover_pdf(batch.number)
    import pypdf

    listing_text = pypdf.PdfReader(_bytes_io(listing)).pages[0].extract_text().replace("\n", "")
    assert batch.number in listing_text
    assert CLAIM in listing_text
    confirmed = collector.confirm_handover(batch.number.lower())
    assert confirmed.confirmed_by == "collector"
    view = collector.archive_file(view.id, "3号柜 B-12盒")
    assert view.status == "archived"
    assert view.archive_location == "3号柜 B-12盒"

    # later documents go to the same file: a second open of the claim says where it is
    with pytest.raises(HubError) as exists:
        _open(collector)
    assert exists.value.code == "intake.file_exists"
    assert exists.value.params["file_id"] == str(view.id)

    found = collector.search_files("苏A123")
    assert [f.claim_number for f in found] == [CLAIM]
    assert collector.search_files("13812")[0].id == view.id
    assert collector.search_files(status="incomplete") == []
    today = collector.productivity()
    assert [(d.collector, d.files) for d in today] == [("collector", 1)]


def test_rules_follow_the_circumstances(collector: HubClient) -> None:
    view = _open(collector, claim_type="injury")
    assert _status(view, "伤残鉴定书") == "not_applicable"
    with pytest.raises(HubError) as refused:
        collector.receive_document(view.id, _code(view, "伤残鉴定书"), "original")
    assert refused.value.code == "intake.document_not_applicable"
    view = collector.set_intake_facts(view.id, ["disability_claimed"])
    assert _status(view, "伤残鉴定书") == "missing"
    # an agent's submission always needs the power of attorney
    agent = _open(collector, claim_number="RDAA2026320100000999", submitter_relation="agent")
    assert _status(agent, "授权委托书") == "missing"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"claim_number": "12345"}, "intake.bad_claim_number"),
        ({"claim_number": "RDAA2026-32010"}, "intake.bad_claim_number"),
        ({"claim_type": "boat"}, "intake.unknown_claim_type"),
        ({"channel": "courier"}, "intake.invalid"),  # no tracking number
        ({"submitter_phone": "call me"}, "intake.invalid"),
        ({"facts": ["aliens"]}, "intake.invalid"),
    ],
)
def test_bad_input_changes_nothing(collector: HubClient, change: dict[str, Any], code: str) -> None:
    with pytest.raises(HubError) as refused:
        _open(collector, **change)
    assert refused.value.code == code
    assert collector.search_files() == []


def test_unknown_document_and_wrong_barcode(collector: HubClient) -> None:
    view = _open(collector)
    for scanned in ("DOC-NOT_ON_LIST", "6901234567892", "RDAA2026320100000123"):
        with pytest.raises(HubError) as refused:
            collector.receive_document(view.id, scanned)
        assert refused.value.code == "intake.unknown_document", scanned
    with pytest.raises(HubError) as missing:
        collector.receive_document(uuid.uuid4(), "claim_form")
    assert missing.value.code == "intake.file_unknown"


def test_roles_and_masking(hub_client: HubClient, hub: Any) -> None:
    _open(_login(hub_client, "collector"))
    hub_client.logout()
    guide = _login(hub_client, "guide")
    with pytest.raises(HubError) as forbidden:
        guide.search_files()
    assert forbidden.value.status == 403
    guide.logout()
    service = _login(hub_client, "service")
    (summary,) = service.search_files(CLAIM)
    assert summary.submitter_phone == "138****5678"
    assert summary.submitter_name == "王**"
    with pytest.raises(HubError) as cannot:
        service.receive_document(summary.id, "claim_form")
    assert cannot.value.status == 403


def test_follow_up_and_pickups_list_overdue_first(collector: HubClient, hub: Any) -> None:
    first = _open(collector, claim_number="RDAA2026320100000001")
    second = _open(collector, claim_number="RDAA2026320100000002")
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    collector.log_contact(second.id, "phone", "no_answer", "无人接听", next_due=tomorrow)
    # first keeps its due date (3 days on); second is due tomorrow: second comes first
    order = [f.id for f in collector.follow_up()]
    assert order == [second.id, first.id]

    now = datetime.now(UTC)
    late = collector.create_pickup(
        PickupIn(
            claim_number="RDAA2026320100000002",
            contact_name="李四",
            contact_phone="13900001111",
            address="南京市鼓楼区中山路 1 号",
            window_start=now - timedelta(hours=3),
            window_end=now - timedelta(hours=1),
            documents=["维修发票"],
        )
    )
    soon = collector.create_pickup(
        PickupIn(
            claim_number="RDAA2026320100000001",
            contact_name="张三",
            contact_phone="13900002222",
            address="南京市玄武区北京东路 2 号",
            window_start=now - timedelta(hours=5),
            window_end=now + timedelta(hours=2),
        )
    )
    listed = collector.pickups()
    assert [p.id for p in listed] == [late.id, soon.id]
    assert listed[0].overdue
    assert not listed[1].overdue
    assigned = collector.assign_pickup(soon.id, "collector")
    assert assigned.state == "assigned"
    with pytest.raises(HubError) as why:
        collector.close_pickup(late.id, "failed")
    assert why.value.code == "intake.invalid"
    collector.close_pickup(late.id, "failed", "客户不在家")
    assert [p.id for p in collector.pickups()] == [soon.id]


def test_printed_papers_come_from_the_hub(collector: HubClient, tmp_path: Any) -> None:
    import subprocess

    import pypdf

    view = _open(collector)
    receipt = collector.intake_receipt_pdf(view.id, "A4")
    assert receipt.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in pypdf.PdfReader(_bytes_io(receipt)).pages)
    assert CLAIM in text.replace("\n", "")
    assert "机动车辆保险索赔申请书" in text.replace("\n", "")  # missing, listed for the customer
    (tmp_path / "r.pdf").write_bytes(receipt)
    fonts = subprocess.run(
        ["pdffonts", str(tmp_path / "r.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "WenQuanYi" in fonts
    assert all(" yes " in line for line in fonts.splitlines()[2:]), fonts  # all embedded

    card = collector.checklist_card_pdf("vehicle_damage")
    card_text = "".join(p.extract_text() for p in pypdf.PdfReader(_bytes_io(card)).pages)
    assert "维修发票" in card_text
    with pytest.raises(HubError) as unknown:
        collector.checklist_card_pdf("boat")
    assert unknown.value.code == "intake.unknown_claim_type"


def _bytes_io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def test_a_template_published_while_a_file_is_open(collector: HubClient, hub: Any) -> None:
    import json

    view = _open(collector)
    assert view.template_version == 1
    # Head office publishes version 2 of the checklist, with one more document.
    with sqlite3.connect(hub.basedir.database) as raw:
        name, items, facts = raw.execute(
            "SELECT name, items, facts FROM checklist_template "
            "WHERE claim_type = 'vehicle_damage' AND version = 1"
        ).fetchone()
        items = [*json.loads(items), {"code": "scene_photos", "name": "事故现场照片"}]
        raw.execute(
            "INSERT INTO checklist_template (id, claim_type, name, version, items, facts, "
            "published_at) VALUES (?, 'vehicle_damage', ?, 2, ?, ?, '2026-11-23 08:00:00')",
            (uuid.uuid4().hex, name, json.dumps(items, ensure_ascii=False), facts),
        )
    kept = collector.intake_file(view.id)
    assert kept.template_version == 1
    assert kept.latest_version == 2
    assert "事故现场照片" not in [i.name for i in kept.items]  # the open file is not changed
    with pytest.raises(HubError) as refused:
        collector.receive_document(view.id, "scene_photos")
    assert refused.value.code == "intake.unknown_document"
    newer = _open(collector, claim_number="RDAA2026320100000456")
    assert newer.template_version == 2
    assert _status(newer, "事故现场照片") == "missing"
