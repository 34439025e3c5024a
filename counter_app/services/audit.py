"""The audit trail: every state change is recorded in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from counter_app.domain.audit import (
    GENESIS_HASH,
    AuditRecord,
    ChainProblem,
    entry_hash,
    verify_chain,
)
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.models import AuditEntry, HubMeta

HEAD_SEQ = "audit_head_seq"
HEAD_HASH = "audit_head_hash"


def _meta(session: Session, key: str) -> HubMeta | None:
    return session.get(HubMeta, key)


def record(
    session: Session,
    actor: Actor,
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append to the chain. Call inside ``Store.write()``: the writer lock keeps ``seq`` dense."""
    head_seq = _meta(session, HEAD_SEQ)
    head_hash = _meta(session, HEAD_HASH)
    seq = int(head_seq.value) + 1 if head_seq else 1
    prev = head_hash.value if head_hash else GENESIS_HASH
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    body = dict(detail or {})
    digest = entry_hash(prev, seq, at, actor.username, actor.workstation, action, subject, body)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor=actor.username,
        workstation=actor.workstation,
        action=action,
        subject=subject,
        detail=body,
        prev_hash=prev,
        hash=digest,
    )
    session.add(entry)
    # The head is kept apart from the rows so deleting the newest entries is also detected.
    session.merge(HubMeta(key=HEAD_SEQ, value=str(seq)))
    session.merge(HubMeta(key=HEAD_HASH, value=digest))
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditView:
    seq: int
    at: str
    actor: str
    workstation: str
    action: str
    subject: str
    detail: dict[str, Any]


class AuditTrail:
    def __init__(self, store: Store) -> None:
        self._store = store

    def verify(self) -> tuple[int, list[ChainProblem]]:
        with self._store.read() as session:
            rows = session.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
            records = [
                AuditRecord(
                    r.seq,
                    r.at,
                    r.actor,
                    r.workstation,
                    r.action,
                    r.subject,
                    dict(r.detail),
                    r.prev_hash,
                    r.hash,
                )
                for r in rows
            ]
            seq_row = _meta(session, HEAD_SEQ)
            hash_row = _meta(session, HEAD_HASH)
            head_seq = int(seq_row.value) if seq_row else None
            head_hash = hash_row.value if hash_row else None
        return len(records), verify_chain(records, head_seq, head_hash)

    def recent(self, limit: int = 100, action: str | None = None) -> list[AuditView]:
        with self._store.read() as session:
            query = select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(limit)
            if action:
                query = query.where(AuditEntry.action == action)
            return [
                AuditView(r.seq, r.at, r.actor, r.workstation, r.action, r.subject, dict(r.detail))
                for r in session.scalars(query)
            ]
