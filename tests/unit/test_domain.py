"""Plain domain rules: roles, usernames, passwords, lockout and the audit hash chain."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from counter_app.domain.audit import (
    GENESIS_HASH,
    AuditRecord,
    entry_hash,
    verify_chain,
)
from counter_app.domain.errors import (
    DomainError,
    InvalidUsername,
    UnknownRole,
    WeakPassword,
)
from counter_app.domain.roles import ALL_ROLES, ROLE_TITLES, Role, parse_roles
from counter_app.domain.staff import (
    MIN_PASSWORD_LENGTH,
    LockoutPolicy,
    check_password,
    normalise_username,
)

# --- roles ---


def test_role_codes_are_the_eight_posts() -> None:
    assert {r.value for r in Role} == {
        "guide",
        "clerk",
        "collector",
        "channel",
        "backoffice",
        "service",
        "manager",
        "admin",
    }
    assert frozenset(Role) == ALL_ROLES
    assert set(ROLE_TITLES) == set(Role)


@pytest.mark.parametrize(
    ("text", "role"),
    [("clerk", Role.CLERK), (" Clerk ", Role.CLERK), ("ADMIN", Role.ADMIN)],
)
def test_role_parse_is_lenient_about_case_and_spaces(text: str, role: Role) -> None:
    assert Role.parse(text) is role


@pytest.mark.parametrize("text", ["pilot", "", "clerk,collector", "管理员", "adm"])
def test_unknown_role_is_refused_with_its_code(text: str) -> None:
    with pytest.raises(UnknownRole) as info:
        Role.parse(text)
    assert info.value.code == "staff.unknown_role"
    assert info.value.http_status == 422
    assert info.value.params == {"role": text}


def test_parse_roles_accepts_comma_text_and_lists() -> None:
    assert parse_roles("clerk,collector") == {Role.CLERK, Role.COLLECTOR}
    assert parse_roles(" clerk , , Manager ") == {Role.CLERK, Role.MANAGER}
    assert parse_roles(["guide", "guide"]) == {Role.GUIDE}
    assert parse_roles(("admin",)) == {Role.ADMIN}


@pytest.mark.parametrize("codes", ["", " , ", [], ["", "  "]])
def test_parse_roles_requires_at_least_one(codes: str | list[str]) -> None:
    with pytest.raises(UnknownRole):
        parse_roles(codes)


def test_parse_roles_refuses_one_bad_code_among_good_ones() -> None:
    with pytest.raises(UnknownRole) as info:
        parse_roles("clerk,pilot")
    assert info.value.params["role"] == "pilot"


# --- usernames and passwords ---


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("zhou", "zhou"),
        ("  Zhou.Qiang ", "zhou.qiang"),
        ("a1", "a1"),
        ("x" * 32, "x" * 32),
        ("li_na-2", "li_na-2"),
    ],
)
def test_username_is_normalised(raw: str, name: str) -> None:
    assert normalise_username(raw) == name


@pytest.mark.parametrize(
    "raw",
    ["", "a", "x" * 33, "周强", "zhou qiang", ".zhou", "-zhou", "_zhou", "zhou/x", "zh\x00ou"],
)
def test_bad_usernames_are_refused(raw: str) -> None:
    with pytest.raises(InvalidUsername) as info:
        normalise_username(raw)
    assert info.value.code == "staff.invalid_username"


@pytest.mark.parametrize(
    "password",
    [
        "",
        "abc123",
        "abcdefg",  # one character short
        "aaaaaaaaaaaa",  # one repeated character
        "abcabcabcabc",  # only three distinct characters
        "zhouqiang",  # the username
        "ZHOUQIANG",  # the username, shouted
    ],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(WeakPassword) as info:
        check_password(password, "zhouqiang")
    assert info.value.code == "staff.weak_password"
    assert info.value.params == {"min_length": MIN_PASSWORD_LENGTH}


@pytest.mark.parametrize(
    "password", ["abcdabcd", "guide1234", "密码很长很安全的", "x" * 4 + "yzw1"]
)
def test_acceptable_passwords_pass(password: str) -> None:
    check_password(password, "zhouqiang")


def test_domain_errors_keep_code_detail_and_params() -> None:
    err = WeakPassword("too short", min_length=8)
    assert isinstance(err, DomainError)
    assert (err.code, err.detail, err.params, str(err)) == (
        "staff.weak_password",
        "too short",
        {"min_length": 8},
        "too short",
    )
    assert DomainError().detail == "error"


# --- lockout ---

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _minutes_ago(*minutes: float) -> list[datetime]:
    return [NOW - timedelta(minutes=m) for m in minutes]


def test_lockout_needs_max_failures_within_window() -> None:
    policy = LockoutPolicy()
    assert policy.locked_until([], NOW) is None
    assert policy.locked_until(_minutes_ago(4, 3, 2, 1), NOW) is None
    assert policy.locked_until(_minutes_ago(5, 4, 3, 2, 1), NOW) == NOW - timedelta(
        minutes=1
    ) + timedelta(minutes=15)


def test_lockout_ignores_failures_older_than_the_window() -> None:
    policy = LockoutPolicy(window=timedelta(minutes=15))
    assert policy.locked_until(_minutes_ago(40, 30, 3, 2, 1), NOW) is None


def test_lockout_ends_after_lock_for() -> None:
    policy = LockoutPolicy(max_failures=3, window=timedelta(hours=1), lock_for=timedelta(minutes=5))
    failures = _minutes_ago(8, 7, 6)
    assert policy.locked_until(failures, NOW - timedelta(minutes=4)) is not None
    assert policy.locked_until(failures, NOW) is None  # last failure 6 min ago, lock is 5 min


def test_lockout_counts_from_the_newest_failure_whatever_the_order() -> None:
    policy = LockoutPolicy()
    unordered = _minutes_ago(1, 5, 3, 2, 4)
    assert policy.locked_until(unordered, NOW) == NOW - timedelta(minutes=1) + policy.lock_for


# --- audit hash chain ---


def make_chain(n: int) -> list[AuditRecord]:
    records: list[AuditRecord] = []
    prev = GENESIS_HASH
    for seq in range(1, n + 1):
        at = f"2026-03-02T09:00:{seq:02d}.000000+00:00"
        detail = {"n": seq, "名": "值"}
        digest = entry_hash(prev, seq, at, "admin", "desk-1", "staff.add", f"u{seq}", detail)
        records.append(
            AuditRecord(seq, at, "admin", "desk-1", "staff.add", f"u{seq}", detail, prev, digest)
        )
        prev = digest
    return records


def head(records: list[AuditRecord]) -> tuple[int, str]:
    return records[-1].seq, records[-1].hash


def test_intact_chain_verifies() -> None:
    chain = make_chain(5)
    assert verify_chain(chain, *head(chain)) == []
    assert verify_chain([], None, None) == []


def test_entry_hash_covers_every_field() -> None:
    base = ("p" * 64, 1, "t", "admin", "ws", "a", "s", {"k": 1})
    digest = entry_hash(*base)
    for index, changed in enumerate(("q" * 64, 2, "u", "root", "wx", "b", "x", {"k": 2})):
        args = list(base)
        args[index] = changed
        assert entry_hash(*args) != digest, f"field {index} is not covered by the hash"


def test_edited_entry_is_detected() -> None:
    chain = make_chain(5)
    chain[2] = replace(chain[2], detail={"n": 3, "名": "改过"})
    problems = verify_chain(chain, *head(chain))
    assert [(p.seq, p.kind) for p in problems] == [(3, "edited")]


def test_edited_actor_is_detected() -> None:
    chain = make_chain(3)
    chain[0] = replace(chain[0], actor="someone-else")
    assert [p.kind for p in verify_chain(chain, *head(chain))] == ["edited"]


def test_missing_middle_entry_is_detected() -> None:
    chain = make_chain(5)
    del chain[2]
    problems = verify_chain(chain, 5, make_chain(5)[-1].hash)
    assert [(p.seq, p.kind) for p in problems] == [(3, "missing")]
    assert "3..3" in problems[0].message


def test_rehashed_entry_breaks_the_link() -> None:
    # Someone edits entry 2 and recomputes its hash: entry 3 no longer points at it.
    chain = make_chain(4)
    old = chain[1]
    new_hash = entry_hash(
        old.prev_hash, old.seq, old.at, old.actor, old.workstation, "x", old.subject, old.detail
    )
    chain[1] = replace(old, action="x", hash=new_hash)
    problems = verify_chain(chain, *head(chain))
    assert [(p.seq, p.kind) for p in problems] == [(3, "broken_link")]


def test_cut_off_tail_is_detected_by_the_head() -> None:
    full = make_chain(5)
    problems = verify_chain(full[:3], *head(full))
    assert [(p.seq, p.kind) for p in problems] == [(4, "tail_missing")]
    assert "ends at 3" in problems[0].message
    # Without the separately kept head, a cut tail would go unnoticed.
    assert verify_chain(full[:3], None, None) == []


def test_all_entries_deleted_is_detected() -> None:
    full = make_chain(2)
    assert [p.kind for p in verify_chain([], *head(full))] == ["tail_missing"]


@given(
    index=st.integers(min_value=0, max_value=5),
    field=st.sampled_from(["at", "actor", "workstation", "action", "subject"]),
    text=st.text(min_size=1, max_size=8),
)
def test_any_single_field_edit_is_detected(index: int, field: str, text: str) -> None:
    chain = make_chain(6)
    original = chain[index]
    edited = replace(original, **{field: getattr(original, field) + text})
    chain[index] = edited
    problems = verify_chain(chain, *head(make_chain(6)))
    assert (index + 1, "edited") in [(p.seq, p.kind) for p in problems]
