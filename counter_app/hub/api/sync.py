"""Replication to head office as the counters see it: GET /api/sync/status (every post)."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Depends

from counter_app.hub.schemas import SyncStatusOut
from counter_app.hub.security import Hub, RoleGuard
from counter_app.services.actor import Actor

router = APIRouter(prefix="/api/sync", tags=["sync"])

Anyone = Annotated[Actor, Depends(RoleGuard())]


@router.get("/status")
def status(actor: Anyone, context: Hub) -> SyncStatusOut:
    """Last success, rows waiting, the last error in words: the counter's status bar."""
    return SyncStatusOut.model_validate(dataclasses.asdict(context.sync.status()))
