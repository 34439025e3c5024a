"""Policy and endorsement files from the core system, checked against docs/policy.schema.json.

A file is refused whole when any part of it breaks the schema or the checks the schema cannot
express (a cover period that ends before it starts, a premium total that is not the sum of
its coverages, a number twice in one file). Each error names where it is (``policies[2].
vehicle.vin``), which rule it broke and the offending value, so the clerk can tell the core
system's support what to fix; the UI words each rule in Chinese.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from counter_app.domain.errors import InvalidInput

MAX_FILE_BYTES = 20 * 1024 * 1024  # 10,000 policies of about 2 KB; anything bigger is not ours
MAX_ERRORS = 50  # a broken export repeats its mistake; the first fifty say enough


class PolicyFileInvalid(InvalidInput):
    code = "policies.invalid_file"


@dataclass(frozen=True)
class PolicyDoc:
    """One policy or endorsement as imported; ``body`` is the schema-checked JSON object."""

    number: str
    kind: str  # policy | endorsement
    product: str
    policy_number: str
    insured_name: str
    plate: str
    body: dict[str, Any]

    @property
    def digest(self) -> str:
        canonical = json.dumps(self.body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def schema_path() -> Path:
    package = Path(__file__).resolve().parent.parent
    for root in (package.parent, package):
        candidate = root / "docs" / "policy.schema.json"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("docs/policy.schema.json not found")


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def _error(error: ValidationError) -> dict[str, str]:
    where = list(error.absolute_path)
    rule = str(error.validator)
    detail = ""
    if rule == "required":
        # jsonschema reports the object; the missing key is the useful part of the path.
        missing = [k for k in error.validator_value if k not in (error.instance or {})]
        where.append(missing[0] if missing else "?")
    elif rule == "additionalProperties":
        known = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in known)
        detail = ", ".join(extra)[:100]
    elif rule in ("enum", "const"):
        allowed = error.validator_value if rule == "enum" else [error.validator_value]
        detail = " / ".join(str(a) for a in allowed)[:200]
    elif rule in ("maxLength", "minLength", "maxItems", "minItems", "minimum", "maximum", "type"):
        detail = str(error.validator_value)
    value = error.instance if not isinstance(error.instance, dict | list) else ""
    return {"path": _path(where), "rule": rule, "detail": detail, "value": str(value)[:60]}


def _money(text: str) -> Decimal:
    return Decimal(text)


def _checks(batch: dict[str, Any]) -> list[dict[str, str]]:
    """What the schema cannot say."""
    errors: list[dict[str, str]] = []
    seen: set[str] = set()
    for i, policy in enumerate(batch["policies"]):
        where = f"policies[{i}]"
        if policy["period"]["end"] < policy["period"]["start"]:
            errors.append(
                {
                    "path": f"{where}.period.end",
                    "rule": "period_order",
                    "detail": "",
                    "value": policy["period"]["end"],
                }
            )
        total = sum((_money(c["premium"]) for c in policy["coverages"]), Decimal("0.00"))
        if total != _money(policy["premium_total"]):
            errors.append(
                {
                    "path": f"{where}.premium_total",
                    "rule": "premium_sum",
                    "detail": f"{total:.2f}",
                    "value": policy["premium_total"],
                }
            )
        tax = policy.get("vehicle_tax")
        if tax and _money(tax["amount"]) + _money(tax["late_fee"]) != _money(tax["total"]):
            errors.append(
                {
                    "path": f"{where}.vehicle_tax.total",
                    "rule": "tax_sum",
                    "detail": f"{_money(tax['amount']) + _money(tax['late_fee']):.2f}",
                    "value": tax["total"],
                }
            )
        if policy["policy_number"] in seen:
            errors.append(
                {
                    "path": f"{where}.policy_number",
                    "rule": "duplicate",
                    "detail": "",
                    "value": policy["policy_number"],
                }
            )
        seen.add(policy["policy_number"])
    for i, endorsement in enumerate(batch["endorsements"]):
        where = f"endorsements[{i}]"
        if endorsement["endorsement_number"] in seen:
            errors.append(
                {
                    "path": f"{where}.endorsement_number",
                    "rule": "duplicate",
                    "detail": "",
                    "value": endorsement["endorsement_number"],
                }
            )
        seen.add(endorsement["endorsement_number"])
        if endorsement["kind"] != "cancellation" and not endorsement["changes"]:
            errors.append(
                {"path": f"{where}.changes", "rule": "minItems", "detail": "1", "value": ""}
            )
    return errors


def parse_batch(raw: bytes) -> list[PolicyDoc]:
    """The documents of a policy file, or ``PolicyFileInvalid`` with every error (up to 50)."""
    if len(raw) > MAX_FILE_BYTES:
        raise PolicyFileInvalid(
            "file too large",
            errors=[
                {
                    "path": "(file)",
                    "rule": "file_size",
                    "detail": str(MAX_FILE_BYTES),
                    "value": str(len(raw)),
                }
            ],
        )
    try:
        batch = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PolicyFileInvalid(
            "not UTF-8 text",
            errors=[{"path": "(file)", "rule": "encoding", "detail": "", "value": str(exc.start)}],
        ) from None
    except json.JSONDecodeError as exc:
        raise PolicyFileInvalid(
            "not JSON",
            errors=[
                {
                    "path": "(file)",
                    "rule": "json",
                    "detail": f"{exc.lineno}:{exc.colno}",
                    "value": exc.msg,
                }
            ],
        ) from None
    found = sorted(_validator().iter_errors(batch), key=lambda e: list(map(str, e.absolute_path)))
    errors = [_error(e) for e in found[:MAX_ERRORS]]
    if not errors:
        errors = _checks(batch)
    if errors:
        raise PolicyFileInvalid(
            f"{len(found) or len(errors)} errors",
            errors=errors[:MAX_ERRORS],
            count=len(found) or len(errors),
        )
    docs = [
        PolicyDoc(
            p["policy_number"],
            "policy",
            p["product"],
            p["policy_number"],
            p["insured"]["name"],
            p["vehicle"]["plate"],
            p,
        )
        for p in batch["policies"]
    ]
    docs += [
        PolicyDoc(
            e["endorsement_number"],
            "endorsement",
            e["product"],
            e["policy_number"],
            e["insured_name"],
            e["plate"],
            e,
        )
        for e in batch["endorsements"]
    ]
    return docs
