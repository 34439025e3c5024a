"""The audit trail is a hash chain: each entry's hash covers its fields and the previous hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

GENESIS_HASH = "0" * 64


@dataclass(frozen=True)
class AuditRecord:
    seq: int
    at: str  # ISO-8601 UTC, as stored
    actor: str  # username, or "system"
    workstation: str
    action: str
    subject: str
    detail: dict[str, Any]
    prev_hash: str
    hash: str


def entry_hash(
    prev_hash: str,
    seq: int,
    at: str,
    actor: str,
    workstation: str,
    action: str,
    subject: str,
    detail: dict[str, Any],
) -> str:
    body = json.dumps(
        [prev_hash, seq, at, actor, workstation, action, subject, detail],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainProblem:
    seq: int
    kind: str  # "edited", "missing", "broken_link", "tail_missing"
    message: str


def verify_chain(
    records: Iterable[AuditRecord], head_seq: int | None, head_hash: str | None
) -> list[ChainProblem]:
    """Walk the chain in ``seq`` order; report edited rows, gaps and a cut-off tail."""
    problems: list[ChainProblem] = []
    expected_seq = 1
    prev = GENESIS_HASH
    last_seq = 0
    last_hash = GENESIS_HASH
    for rec in records:
        if rec.seq != expected_seq:
            problems.append(
                ChainProblem(
                    expected_seq, "missing", f"entries {expected_seq}..{rec.seq - 1} are missing"
                )
            )
        elif rec.prev_hash != prev:
            problems.append(ChainProblem(rec.seq, "broken_link", "previous hash does not match"))
        recomputed = entry_hash(
            rec.prev_hash,
            rec.seq,
            rec.at,
            rec.actor,
            rec.workstation,
            rec.action,
            rec.subject,
            rec.detail,
        )
        if recomputed != rec.hash:
            problems.append(ChainProblem(rec.seq, "edited", "entry content was changed"))
        prev = rec.hash
        expected_seq = rec.seq + 1
        last_seq, last_hash = rec.seq, rec.hash
    if head_seq is not None and (last_seq != head_seq or last_hash != head_hash):
        problems.append(
            ChainProblem(
                last_seq + 1,
                "tail_missing",
                f"chain ends at {last_seq} but the recorded head is {head_seq}",
            )
        )
    return problems
