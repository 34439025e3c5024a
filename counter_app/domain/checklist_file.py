"""The published checklist file (``resources/checklists/claims.toml``): parse, check, merge.

Standard library only. The file has a ``[shared]`` table (facts and items every claim needs) and
one ``[[template]]`` per claim type and version; a template gets the shared part merged in front
of its own unless it says ``include_shared = false``. Keys are checked strictly (a misspelt
``orignal`` would otherwise silently make an original optional), and each merged template goes
through ``checklist_from_data``, which refuses doubled document codes and rules naming an
undeclared fact.

``template_data`` turns a ``Checklist`` back into the plain dict ``checklist_from_data`` takes,
which is what the database stores.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from counter_app.domain.intake import (
    Checklist,
    IntakeError,
    checklist_from_data,
    merge_templates,
)

CHECKLIST_FILE = Path("checklists") / "claims.toml"
SHARED = "shared"
TOP_KEYS = frozenset({"shared", "template"})
SHARED_KEYS = frozenset({"facts", "items"})
TEMPLATE_KEYS = frozenset({"claim_type", "name", "version", "include_shared", "facts", "items"})
TEMPLATE_REQUIRED = ("claim_type", "name", "items")
ITEM_KEYS = frozenset({"code", "name", "original", "required", "when", "alternatives"})
FACT_KEYS = frozenset({"code", "name"})
ALTERNATIVE_KEYS = frozenset({"code", "name"})
CLAIM_TYPE_PATTERN = r"[a-z][a-z0-9_]{0,31}"  # the store's claim_type column is 32 wide
NAME_LENGTH = 64


def shipped_checklists_path() -> Path:
    """The shipped file, from the source tree (``<repo>/resources``) or a build (in the package)."""
    package = Path(__file__).resolve().parent.parent
    candidates = [root / "resources" / CHECKLIST_FILE for root in (package.parent, package)]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"checklist file not found: {candidates[0]}")


def load_checklists(text: str) -> tuple[Checklist, ...]:
    """Every template in the file, shared items merged in, in the file's order."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise IntakeError(f"checklist file is not valid TOML: {exc}") from exc
    _refuse_unknown(data, TOP_KEYS, "")
    shared = data.get("shared")
    if shared is not None:
        shared = _table(shared, "shared", SHARED)
        _refuse_unknown(shared, SHARED_KEYS, SHARED)
        _check_facts(shared, SHARED)
        _check_items(shared, SHARED)
    templates = data.get("template", [])
    if not isinstance(templates, list) or not templates:
        raise IntakeError("the checklist file has no [[template]]", template="")
    result: list[Checklist] = []
    seen: set[tuple[str, int]] = set()
    for index, raw in enumerate(templates):
        own = _table(raw, f"template #{index + 1}", f"#{index + 1}")
        label = own.get("claim_type")
        template = label if isinstance(label, str) and label else f"#{index + 1}"
        _check_template_keys(own, template)
        _check_facts(own, template)
        _check_items(own, template)
        include_shared = own.get("include_shared", True)
        merged = merge_templates(shared if include_shared else None, own)
        merged.pop("include_shared", None)
        _refuse_doubled_facts(merged, template)
        try:
            checklist = checklist_from_data(merged)
        except IntakeError as exc:
            named = [str(v) for key in ("documents", "facts") for v in exc.params.get(key, ())]
            detail = f"{exc.detail}: {', '.join(named)}" if named else exc.detail
            raise IntakeError(
                f"template {template!r}: {detail}", **{**exc.params, "template": template}
            ) from exc
        key = (checklist.claim_type, checklist.version)
        if key in seen:
            raise IntakeError(
                f"template {template!r} version {checklist.version} appears twice",
                template=template,
                version=checklist.version,
            )
        seen.add(key)
        result.append(checklist)
    return tuple(result)


def template_data(checklist: Checklist) -> dict[str, Any]:
    """The plain, JSON-able form ``checklist_from_data`` accepts (and gives back equal)."""
    return {
        "claim_type": checklist.claim_type,
        "name": checklist.name,
        "version": checklist.version,
        "items": [
            {
                "code": item.code,
                "name": item.name,
                "original": item.original,
                "required": item.required,
                "when": list(item.when),
                "alternatives": [{"code": a.code, "name": a.name} for a in item.alternatives],
            }
            for item in checklist.items
        ],
        "facts": [{"code": f.code, "name": f.name} for f in checklist.facts],
    }


# --- checks ---


def _table(value: object, what: str, template: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise IntakeError(f"{what} must be a table", template=template)
    return value


def _refuse_unknown(
    table: Mapping[str, Any], allowed: frozenset[str], template: str, where: str = ""
) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        if not template:
            owner = "the top level of the checklist file"
        elif template == SHARED:
            owner = "[shared]"
        else:
            owner = f"template {template!r}"
        place = f"{where} of {owner}" if where else owner
        raise IntakeError(
            f"unknown key {unknown[0]!r} in {place}", key=unknown[0], template=template
        )


def _check_template_keys(own: Mapping[str, Any], template: str) -> None:
    _refuse_unknown(own, TEMPLATE_KEYS, template)
    for key in TEMPLATE_REQUIRED:
        if key not in own:
            raise IntakeError(f"template {template!r} lacks {key!r}", key=key, template=template)
    claim_type = own["claim_type"]
    if not isinstance(claim_type, str) or not re.fullmatch(CLAIM_TYPE_PATTERN, claim_type):
        raise IntakeError(
            f"template {template!r}: claim_type is lower-case letters, digits and _",
            key="claim_type",
            template=template,
        )
    _check_name(own["name"], template, "name")
    version = own.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise IntakeError(
            f"template {template!r}: version is a whole number from 1",
            key="version",
            template=template,
        )
    if not isinstance(own.get("include_shared", True), bool):
        raise IntakeError(
            f"template {template!r}: include_shared is true or false",
            key="include_shared",
            template=template,
        )


def _check_name(value: object, template: str, where: str) -> None:
    if not isinstance(value, str) or not value.strip() or len(value) > NAME_LENGTH:
        raise IntakeError(
            f"template {template!r}: {where} must be text of 1 to {NAME_LENGTH} characters",
            key="name",
            template=template,
        )


def _list_of_tables(table: Mapping[str, Any], key: str, template: str) -> list[dict[str, Any]]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise IntakeError(
            f"template {template!r}: {key} must be a list of tables", key=key, template=template
        )
    return value


def _check_code_and_name(raw: Mapping[str, Any], template: str, where: str) -> None:
    for key in ("code", "name"):
        if key not in raw:
            raise IntakeError(
                f"template {template!r}: {where} lacks {key!r}", key=key, template=template
            )
    if not isinstance(raw["code"], str):
        raise IntakeError(
            f"template {template!r}: {where} code must be text", key="code", template=template
        )
    _check_name(raw["name"], template, f"{where} {raw['code']!r} name")


def _check_facts(table: Mapping[str, Any], template: str) -> None:
    for fact in _list_of_tables(table, "facts", template):
        _refuse_unknown(fact, FACT_KEYS, template, f"fact {fact.get('code', '?')!r}")
        _check_code_and_name(fact, template, "a fact")


def _check_items(table: Mapping[str, Any], template: str) -> None:
    for item in _list_of_tables(table, "items", template):
        where = f"item {item.get('code', '?')!r}"
        _refuse_unknown(item, ITEM_KEYS, template, where)
        _check_code_and_name(item, template, "an item")
        for flag in ("original", "required"):
            if not isinstance(item.get(flag, False), bool):
                raise IntakeError(
                    f"template {template!r}: {where} {flag} is true or false",
                    key=flag,
                    template=template,
                )
        when = item.get("when", [])
        if not isinstance(when, list) or not all(isinstance(w, str) for w in when):
            raise IntakeError(
                f"template {template!r}: {where} when must be a list of fact codes",
                key="when",
                template=template,
            )
        for alternative in _list_of_tables(item, "alternatives", template):
            what = f"alternative {alternative.get('code', '?')!r} of {where}"
            _refuse_unknown(alternative, ALTERNATIVE_KEYS, template, what)
            _check_code_and_name(alternative, template, what)


def _refuse_doubled_facts(merged: Mapping[str, Any], template: str) -> None:
    codes = [f["code"] for f in merged["facts"]]
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    if doubled:
        raise IntakeError(
            f"template {template!r}: fact {doubled[0]!r} is declared twice",
            facts=doubled,
            template=template,
        )
