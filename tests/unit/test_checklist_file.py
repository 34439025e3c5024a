"""The shipped checklist file and its loader: content, shared items, rules, strict keys."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from counter_app.domain.checklist_file import (
    load_checklists,
    shipped_checklists_path,
    template_data,
)
from counter_app.domain.intake import (
    Alternative,
    Checklist,
    ChecklistItem,
    DocumentNotApplicable,
    Fact,
    Form,
    IntakeError,
    ReceivedDocument,
    UnknownDocument,
    assess,
    check_receipt,
    checklist_from_data,
    document_barcode,
    document_code_from_barcode,
)

AT = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)

SHARED_CODES = [
    "claim_form",
    "policy",
    "loss_report",
    "id_card",
    "bank_account",
    "accident_liability",
    "driving_licence",
    "vehicle_licence",
    "power_of_attorney",
    "agent_id_card",
]


def shipped() -> dict[str, Checklist]:
    checklists = load_checklists(shipped_checklists_path().read_text(encoding="utf-8"))
    return {c.claim_type: c for c in checklists}


def codes(checklist: Checklist) -> list[str]:
    return [item.code for item in checklist.items]


def item(checklist: Checklist, code: str) -> ChecklistItem:
    return next(i for i in checklist.items if i.code == code)


def doc(
    checklist: Checklist, code: str, form: Form = Form.ORIGINAL, n: int = 1
) -> ReceivedDocument:
    return ReceivedDocument(f"e{n}", code, checklist.item_for(code).code, form, 1, AT, "collector")


def status(checklist: Checklist, facts: set[str], docs: list[ReceivedDocument], code: str) -> str:
    result = assess(checklist, frozenset(facts), docs)
    return next(a.status for a in result.items if a.item.code == code).value


# --- the shipped file ---


def test_the_shipped_file_is_in_resources_checklists() -> None:
    path = shipped_checklists_path()
    assert path.is_file()
    assert path.name == "claims.toml"
    assert path.parent.name == "checklists"
    assert path.parent.parent.name == "resources"


def test_the_shipped_file_has_the_five_claim_types() -> None:
    checklists = load_checklists(shipped_checklists_path().read_text(encoding="utf-8"))
    assert [(c.claim_type, c.name, c.version) for c in checklists] == [
        ("vehicle_damage", "车辆损失", 1),
        ("third_party_property", "第三者财产损失", 1),
        ("injury", "人身伤亡", 1),
        ("theft", "全车盗抢", 1),
        ("quick", "一张纸快赔", 1),
    ]


def test_the_shared_items_come_first_in_every_template_that_includes_them() -> None:
    for claim_type, checklist in shipped().items():
        if claim_type == "quick":
            continue
        assert codes(checklist)[: len(SHARED_CODES)] == SHARED_CODES, claim_type
        assert [f.code for f in checklist.facts][:2] == ["traffic_accident", "entrusted"]
        assert item(checklist, "claim_form").name == "机动车辆保险索赔申请书"
        assert item(checklist, "bank_account").name == "领款人银行卡或账户信息"


def test_each_claim_type_has_its_own_documents() -> None:
    by_type = shipped()
    own = {t: codes(c)[len(SHARED_CODES) :] for t, c in by_type.items() if t != "quick"}
    assert own == {
        "vehicle_damage": ["loss_confirmation", "repair_invoice", "rescue_invoice"],
        "third_party_property": ["property_loss_list", "property_invoice"],
        "injury": [
            "diagnosis",
            "medical_record",
            "medical_invoice",
            "income_proof",
            "disability_assessment",
            "transport_receipts",
        ],
        "theft": [
            "vehicle_licence_original",
            "police_case_certificate",
            "newspaper_notice",
            "purchase_tax_certificate",
            "registration_certificate",
            "vehicle_keys",
            "rights_transfer",
        ],
    }
    injury = by_type["injury"]
    assert item(injury, "disability_assessment") == ChecklistItem(
        "disability_assessment", "伤残鉴定书", original=True, when=("disability_claimed",)
    )
    assert item(injury, "income_proof").when == ("lost_income_claimed",)
    assert item(injury, "transport_receipts").required is False
    assert item(by_type["vehicle_damage"], "rescue_invoice").when == ("rescue",)
    assert Fact("rescue", "发生施救费用") in by_type["vehicle_damage"].facts
    assert item(by_type["theft"], "vehicle_keys").name == "全套车钥匙"


def test_the_quick_claim_is_the_short_list_without_the_shared_items() -> None:
    quick = shipped()["quick"]
    assert [(i.code, i.name, i.original, i.when) for i in quick.items] == [
        ("quick_form", "快赔单（一张纸）", True, ()),
        ("id_card", "被保险人身份证", False, ()),
        ("driving_licence", "驾驶证", False, ()),
        ("vehicle_licence", "行驶证", False, ()),
        ("bank_account", "领款人银行卡", False, ()),
        ("power_of_attorney", "授权委托书", True, ("entrusted",)),
        ("agent_id_card", "受托人身份证", False, ("entrusted",)),
    ]
    assert quick.facts == (Fact("entrusted", "委托他人办理"),)


def test_originals_are_needed_for_invoices_and_certificates_copies_do_for_ids() -> None:
    vehicle, injury, theft = (shipped()[t] for t in ("vehicle_damage", "injury", "theft"))
    originals = {"claim_form", "loss_report", "repair_invoice", "rescue_invoice"}
    copies = {"policy", "id_card", "bank_account", "driving_licence", "vehicle_licence"}
    assert {i.code for i in vehicle.items if i.original} >= originals
    assert not {i.code for i in vehicle.items if i.original} & copies
    assert item(injury, "medical_invoice").original is True
    assert item(injury, "medical_record").original is False
    assert all(i.original for i in theft.items[len(SHARED_CODES) :])


def test_the_accident_item_is_a_group_of_three_alternatives() -> None:
    accident = item(shipped()["vehicle_damage"], "accident_liability")
    assert accident.name == "事故责任认定材料"
    assert accident.when == ("traffic_accident",)
    assert accident.alternatives == (
        Alternative("accident_report", "事故认定书"),
        Alternative("mediation_agreement", "调解书"),
        Alternative("settlement_agreement", "自行协商协议书"),
    )


def test_every_shipped_document_code_survives_its_barcode() -> None:
    for checklist in shipped().values():
        names = [i.name for i in checklist.items]
        assert len(names) == len(set(names)), checklist.claim_type
        for it in checklist.items:
            for code in (it.code, *(a.code for a in it.alternatives)):
                assert document_code_from_barcode(document_barcode(code)) == code


# --- the rules on the shipped templates ---


def test_the_disability_assessment_applies_only_when_disability_is_claimed() -> None:
    injury = shipped()["injury"]
    assert status(injury, set(), [], "disability_assessment") == "not_applicable"
    assert status(injury, {"disability_claimed"}, [], "disability_assessment") == "missing"
    with pytest.raises(DocumentNotApplicable) as caught:
        check_receipt(injury, frozenset(), [], "disability_assessment", Form.ORIGINAL)
    assert caught.value.params["needs"] == ["disability_claimed"]
    taken = check_receipt(
        injury, frozenset({"disability_claimed"}), [], "disability_assessment", Form.ORIGINAL
    )
    assert taken.code == "disability_assessment"


def test_ticking_the_mediation_agreement_satisfies_the_accident_item() -> None:
    vehicle = shipped()["vehicle_damage"]
    facts = {"traffic_accident"}
    assert status(vehicle, facts, [], "accident_liability") == "missing"
    assert status(vehicle, set(), [], "accident_liability") == "not_applicable"
    taken = check_receipt(vehicle, frozenset(facts), [], "mediation_agreement", Form.ORIGINAL)
    assert taken.code == "accident_liability"
    assert taken.document_name("mediation_agreement") == "调解书"
    mediation = doc(vehicle, "mediation_agreement")
    assert mediation.item == "accident_liability"
    assert status(vehicle, facts, [mediation], "accident_liability") == "received"
    copy = doc(vehicle, "accident_report", Form.COPY)
    assert status(vehicle, facts, [copy], "accident_liability") == "copy_only"


def test_a_document_of_another_claim_type_is_unknown() -> None:
    with pytest.raises(UnknownDocument):
        check_receipt(shipped()["quick"], frozenset(), [], "repair_invoice", Form.ORIGINAL)


def test_a_vehicle_damage_file_is_complete_with_the_required_documents() -> None:
    vehicle = shipped()["vehicle_damage"]
    facts = frozenset({"traffic_accident", "rescue"})
    copies = {"policy", "id_card", "bank_account", "driving_licence", "vehicle_licence"}
    needed = [c for c in codes(vehicle) if c not in ("power_of_attorney", "agent_id_card")]
    docs = [
        doc(vehicle, "settlement_agreement" if c == "accident_liability" else c, n=n)
        for n, c in enumerate(needed)
        if c != "rescue_invoice"
    ]
    docs = [
        ReceivedDocument(d.entry_id, d.document, d.item, Form.COPY, 1, AT, "c")
        if d.item in copies
        else d
        for d in docs
    ]
    result = assess(vehicle, facts, docs)
    assert [a.item.code for a in result.missing] == ["rescue_invoice"]
    assert not result.complete
    result = assess(vehicle, facts, [*docs, doc(vehicle, "rescue_invoice", n=99)])
    assert result.complete
    without_rescue = assess(vehicle, frozenset({"traffic_accident"}), docs)
    assert without_rescue.complete


def test_an_injury_file_does_not_wait_for_the_optional_transport_receipts() -> None:
    injury = shipped()["injury"]
    assert status(injury, set(), [], "transport_receipts") == "optional"
    copy = doc(injury, "transport_receipts", Form.COPY)
    assert status(injury, set(), [copy], "transport_receipts") == "received"
    result = assess(injury, frozenset(), [])
    assert [a.item.code for a in result.missing] == [
        "claim_form",
        "policy",
        "loss_report",
        "id_card",
        "bank_account",
        "diagnosis",
        "medical_record",
        "medical_invoice",
    ]


# --- round trip ---


def test_template_data_round_trips_every_shipped_template_through_json() -> None:
    for checklist in shipped().values():
        data = template_data(checklist)
        assert checklist_from_data(data) == checklist
        assert checklist_from_data(json.loads(json.dumps(data, ensure_ascii=False))) == checklist


def test_template_data_is_plain() -> None:
    data = template_data(shipped()["quick"])
    assert data["claim_type"] == "quick"
    assert data["version"] == 1
    assert data["facts"] == [{"code": "entrusted", "name": "委托他人办理"}]
    assert data["items"][5] == {
        "code": "power_of_attorney",
        "name": "授权委托书",
        "original": True,
        "required": True,
        "when": ["entrusted"],
        "alternatives": [],
    }


# --- the loader refuses what it does not understand ---

SHARED = """
[shared]
facts = [ { code = "traffic_accident", name = "有交通事故" } ]
items = [
  { code = "claim_form", name = "索赔申请书", original = true },
  { code = "licence", name = "驾驶证", when = ["traffic_accident"] },
]
"""

TEMPLATE = """
[[template]]
claim_type = "vehicle_damage"
name = "车辆损失"
version = 1
items = [ { code = "repair_invoice", name = "维修发票", original = true } ]
"""


ODD_B = '{ code = "form_b", name = "B", original = true }'


def refused(text: str) -> IntakeError:
    with pytest.raises(IntakeError) as caught:
        load_checklists(text)
    return caught.value


def test_a_minimal_file_loads_with_the_shared_items_merged_by_default() -> None:
    (checklist,) = load_checklists(SHARED + TEMPLATE)
    assert codes(checklist) == ["claim_form", "licence", "repair_invoice"]
    assert checklist.facts == (Fact("traffic_accident", "有交通事故"),)
    (alone,) = load_checklists(SHARED + TEMPLATE.replace("version = 1", "include_shared = false"))
    assert codes(alone) == ["repair_invoice"]
    assert alone.version == 1
    assert alone.facts == ()


def test_a_file_without_shared_items_loads() -> None:
    (checklist,) = load_checklists(TEMPLATE)
    assert codes(checklist) == ["repair_invoice"]


@pytest.mark.parametrize(
    ("text", "key", "template"),
    [
        ("colour = 1\n" + SHARED + TEMPLATE, "colour", ""),
        (SHARED.replace("[shared]", "[shared]\nnotes = 'x'") + TEMPLATE, "notes", "shared"),
        (SHARED + TEMPLATE + "owner = 'hq'\n", "owner", "vehicle_damage"),
        (
            SHARED + TEMPLATE.replace("original = true", "orignal = true"),
            "orignal",
            "vehicle_damage",
        ),
        (
            SHARED.replace('name = "有交通事故"', 'name = "有交通事故", hint = "x"') + TEMPLATE,
            "hint",
            "shared",
        ),
        (
            SHARED.replace("original = true }", f"original = true, alternatives = [{ODD_B}] }}")
            + TEMPLATE,
            "original",
            "shared",
        ),
        (
            SHARED + TEMPLATE + 'facts = [ { code = "rescue", name = "施救", when = [] } ]\n',
            "when",
            "vehicle_damage",
        ),
    ],
)
def test_unknown_keys_are_refused_naming_the_key_and_the_template(
    text: str, key: str, template: str
) -> None:
    error = refused(text)
    assert error.params["key"] == key
    assert error.params["template"] == template
    assert repr(key) in str(error)
    if template == "shared":
        assert "[shared]" in str(error)
    elif template:
        assert repr(template) in str(error)
    else:
        assert "top level" in str(error)


def test_a_doubled_version_is_refused() -> None:
    error = refused(SHARED + TEMPLATE + TEMPLATE)
    assert error.params == {"template": "vehicle_damage", "version": 1}
    assert "'vehicle_damage' version 1 appears twice" in str(error)
    two = load_checklists(SHARED + TEMPLATE + TEMPLATE.replace("version = 1", "version = 2"))
    assert [(c.claim_type, c.version) for c in two] == [
        ("vehicle_damage", 1),
        ("vehicle_damage", 2),
    ]


def test_an_undeclared_fact_is_refused_naming_it() -> None:
    text = SHARED + TEMPLATE.replace("original = true }", 'original = true, when = ["rescue"] }')
    error = refused(text)
    assert error.params["facts"] == ["rescue"]
    assert error.params["template"] == "vehicle_damage"
    assert "rescue" in str(error)
    assert "'vehicle_damage'" in str(error)


def test_a_shared_rule_needs_its_fact_when_the_shared_facts_are_left_out() -> None:
    # include_shared = false drops the shared facts too, so a template may not lean on them.
    text = TEMPLATE.replace("original = true }", 'original = true, when = ["traffic_accident"] }')
    error = refused(SHARED + text.replace("version = 1", "include_shared = false"))
    assert error.params["facts"] == ["traffic_accident"]


@pytest.mark.parametrize(
    ("own", "doubled"),
    [
        ('{ code = "claim_form", name = "另一张申请书" }', "claim_form"),
        ('{ code = "repair_invoice", name = "维修发票副本" }', "repair_invoice"),
        (
            '{ code = "proof", name = "证明", alternatives = [{ code = "licence", name = "B" }] }',
            "licence",
        ),
    ],
)
def test_a_doubled_document_code_is_refused_naming_it(own: str, doubled: str) -> None:
    text = SHARED + TEMPLATE.replace("original = true }", f"original = true }}, {own}")
    error = refused(text)
    assert error.params["documents"] == [doubled]
    assert error.params["template"] == "vehicle_damage"
    assert doubled in str(error)


def test_a_fact_declared_twice_in_one_template_is_refused() -> None:
    facts = 'facts = [ { code = "rescue", name = "施救" }, { code = "rescue", name = "施救2" } ]\n'
    error = refused(SHARED + TEMPLATE + facts)
    assert error.params["facts"] == ["rescue"]


def test_a_template_may_repeat_a_shared_fact() -> None:
    facts = 'facts = [ { code = "traffic_accident", name = "交通事故" } ]\n'
    (checklist,) = load_checklists(SHARED + TEMPLATE + facts)
    assert checklist.facts == (Fact("traffic_accident", "有交通事故"),)


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (("original = true", 'original = "yes"'), "original"),
        (("original = true", "required = 0"), "required"),
        (("original = true", 'when = "rescue"'), "when"),
        (("version = 1", "version = true"), "version"),
        (("version = 1", "version = 0"), "version"),
        (("version = 1", 'include_shared = "no"'), "include_shared"),
        (('claim_type = "vehicle_damage"', 'claim_type = "Vehicle Damage"'), "claim_type"),
        (('claim_type = "vehicle_damage"', ""), "claim_type"),
        (('name = "车辆损失"', ""), "name"),
        (('name = "车辆损失"', 'name = ""'), "name"),
        (('{ code = "repair_invoice", ', "{ "), "code"),
        (('name = "维修发票", ', ""), "name"),
        (("items = [", "items = 3 #"), "items"),
    ],
)
def test_malformed_values_are_refused(change: tuple[str, str], key: str) -> None:
    old, new = change
    assert old in TEMPLATE
    error = refused(SHARED + TEMPLATE.replace(old, new))
    assert error.params["key"] == key


def test_text_that_is_not_toml_or_has_no_template_is_refused() -> None:
    assert "not valid TOML" in str(refused("[[template]\n"))
    assert "no [[template]]" in str(refused(SHARED))
    assert refused("template = 3\n").params == {"template": ""}
    assert "must be a table" in str(refused("shared = 3\n" + TEMPLATE))
