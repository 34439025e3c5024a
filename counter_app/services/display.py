"""Waiting-area displays served by the hub: their keys and the voice of their calls.

A display (a smart TV's browser, any PC on the LAN) must not hold a staff password, so it gets a
board key: a long random secret made for that one display, shown once, of which only the SHA-256
is stored (like a login token). A key lets the display read the board and its voice, nothing
else, and is revoked on its own when the TV is lost or replaced.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from counter_app.devices.voice_clips import ClipLibrary, clip_folder
from counter_app.domain.announcement import Announcement, call_clips
from counter_app.domain.errors import InvalidInput, NotAuthenticated, NotFound
from counter_app.domain.roles import Role
from counter_app.services import audit
from counter_app.services.actor import Actor
from counter_app.storage.database import Store
from counter_app.storage.models import DisplayKey
from counter_app.storage.types import utcnow

# Posts that set up the waiting area's screens.
DISPLAY_ROLES = (Role.GUIDE, Role.MANAGER, Role.ADMIN)
MAX_LABEL = 64
MAX_KEY = 128  # a made key is 43 characters; anything much longer is not one


class DisplayKeyUnknown(NotFound):
    code = "board.key_unknown"


class AnnouncementInvalid(InvalidInput):
    """The call cannot be spoken: a character without a clip, a window out of range."""

    code = "board.announcement_invalid"


@dataclass(frozen=True)
class DisplayKeyView:
    id: uuid.UUID
    label: str
    created_at: datetime
    created_by: str
    revoked_at: datetime | None


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()


def _view(row: DisplayKey) -> DisplayKeyView:
    return DisplayKeyView(row.id, row.label, row.created_at, row.created_by, row.revoked_at)


class DisplayKeys:
    """Making, listing, revoking and checking board keys; making and revoking are audited."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(self, actor: Actor, label: str) -> tuple[DisplayKeyView, str]:
        """A new key for one display: its view and the plain key, which is never shown again."""
        actor.require(*DISPLAY_ROLES)
        name = " ".join(label.split())
        if not name:
            raise InvalidInput("a display needs a name", field="label")
        if len(name) > MAX_LABEL:
            raise InvalidInput(f"display name longer than {MAX_LABEL}", field="label")
        key = secrets.token_urlsafe(32)
        with self._store.write() as session:
            row = DisplayKey(label=name, key_hash=_key_hash(key), created_by=actor.username)
            session.add(row)
            session.flush()
            audit.record(session, actor, "display.key_create", name, {"id": str(row.id)})
            return _view(row), key

    def list(self, actor: Actor) -> list[DisplayKeyView]:
        actor.require(*DISPLAY_ROLES)
        with self._store.read() as session:
            rows = session.scalars(select(DisplayKey).order_by(DisplayKey.created_at))
            return [_view(r) for r in rows]

    def revoke(self, actor: Actor, key_id: uuid.UUID) -> DisplayKeyView:
        """The display stops working at its next request (its open event stream within 20 s)."""
        actor.require(*DISPLAY_ROLES)
        with self._store.write() as session:
            row = session.get(DisplayKey, key_id)
            if row is None:
                raise DisplayKeyUnknown("no such display key", id=str(key_id))
            if row.revoked_at is None:
                row.revoked_at = utcnow()
                audit.record(session, actor, "display.key_revoke", row.label, {"id": str(row.id)})
            return _view(row)

    def check(self, key: str) -> str:
        """The label of the display holding ``key``; NotAuthenticated if unknown or revoked."""
        if not key or len(key) > MAX_KEY:
            raise NotAuthenticated("board key required")
        with self._store.read() as session:
            row = session.scalar(select(DisplayKey).where(DisplayKey.key_hash == _key_hash(key)))
            if row is None or row.revoked_at is not None:
                raise NotAuthenticated("unknown or revoked board key")
            return row.label


class BoardVoice:
    """The hub's voice for web boards: the clip set, loaded on first use, joined per call."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._library: ClipLibrary | None = None
        self._lock = threading.Lock()

    def library(self) -> ClipLibrary:
        with self._lock:
            if self._library is None:
                self._library = ClipLibrary.load(self._folder or clip_folder())
            return self._library

    def call_wav(self, number: str, window: int, recall: bool = False, chime: bool = True) -> bytes:
        """One spoken call as a WAV file; ``chime=False`` for its repetition."""
        try:
            names = call_clips(Announcement(number, window, "", recall), chime=chime)
        except ValueError as exc:
            raise AnnouncementInvalid(str(exc), number=number, window=window) from None
        return self.library().join(names)
