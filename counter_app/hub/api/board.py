"""The waiting-area board as a web page served by the hub, for a smart TV or any LAN browser.

  POST /api/board/keys                {"label": "大厅电视"} -> 201 {id, label, key, url_path, ...}
  GET  /api/board/keys                 the displays' keys, without the keys themselves
  POST /api/board/keys/{key_id}/revoke
  GET  /api/board/snapshot             what the board shows (a board key or any staff login)
  GET  /api/board/announcement.wav     ?number=A023&window=3&recall=0&chime=1 -> audio/wav
  GET  /board                          the page itself (public: it holds no data, the key
                                       in its address is what reads the data)
The page takes its events from ``/api/events`` with ``{"type": "auth", "board_key": ...}``.
"""

from __future__ import annotations

import functools
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response
from fastapi.responses import HTMLResponse
from fastapi.security import HTTPAuthorizationCredentials
from starlette.concurrency import run_in_threadpool

from counter_app.hub.schemas import (
    BoardKeyCreate,
    BoardKeyCreated,
    BoardKeyOut,
    BoardServiceOut,
    BoardSnapshotOut,
    BoardWindowOut,
    CallOut,
)
from counter_app.hub.security import Hub, RoleGuard, _bearer, hub
from counter_app.services.actor import Actor
from counter_app.services.display import DISPLAY_ROLES, MAX_KEY, DisplayKeyView

router = APIRouter(tags=["board"])

PAGE = Path(__file__).resolve().parent.parent / "web" / "board.html"
BOARD_WORKSTATION = "board"


class BoardViewer(RoleGuard):
    """A display's board key (``X-Board-Key`` header or ``key`` query, for ``<audio src>``),
    or else any staff login. A key's actor holds no role: it can read the board, nothing else."""

    def __init__(self) -> None:
        super().__init__()  # every staff post may look at the board too

    async def __call__(
        self,
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        x_workstation: Annotated[str, Header(max_length=64)] = "",
        x_board_key: Annotated[str | None, Header(max_length=MAX_KEY)] = None,
        key: Annotated[str | None, Query(max_length=MAX_KEY)] = None,
    ) -> Actor:
        board_key = x_board_key or key
        if board_key is None:
            return await super().__call__(request, credentials, x_workstation)
        label = await run_in_threadpool(hub(request).display.check, board_key)
        actor = Actor(
            username=f"display:{label}"[:64], workstation=BOARD_WORKSTATION, roles=frozenset()
        )
        request.state.actor = actor
        return actor


Viewer = Annotated[Actor, Depends(BoardViewer())]
KeyAdmin = Annotated[Actor, Depends(RoleGuard(*DISPLAY_ROLES))]
BY_KEY = {"x-board-key": True}  # OpenAPI: a board key is accepted besides the roles


def _key_out(view: DisplayKeyView) -> BoardKeyOut:
    return BoardKeyOut(
        id=view.id,
        label=view.label,
        created_at=view.created_at,
        created_by=view.created_by,
        revoked_at=view.revoked_at,
    )


@router.post("/api/board/keys", status_code=201)
def create_key(body: BoardKeyCreate, actor: KeyAdmin, context: Hub) -> BoardKeyCreated:
    view, key = context.display.create(actor, body.label)
    return BoardKeyCreated(**_key_out(view).model_dump(), key=key, url_path=f"/board?key={key}")


@router.get("/api/board/keys")
def list_keys(actor: KeyAdmin, context: Hub) -> list[BoardKeyOut]:
    return [_key_out(v) for v in context.display.list(actor)]


@router.post("/api/board/keys/{key_id}/revoke")
def revoke_key(key_id: uuid.UUID, actor: KeyAdmin, context: Hub) -> BoardKeyOut:
    return _key_out(context.display.revoke(actor, key_id))


@router.get("/api/board/snapshot", openapi_extra=BY_KEY)
def snapshot(actor: Viewer, context: Hub, response: Response) -> BoardSnapshotOut:
    # The cursor is read first: every event after it is either in the snapshot or sent again.
    cursor = context.events.last_seq()
    branch = context.branch.info()
    queue = context.queue.snapshot()
    offset = queue.at.astimezone(context.queue.tz).utcoffset()
    response.headers["Cache-Control"] = "no-store"
    return BoardSnapshotOut(
        branch_code=branch.code,
        branch_name=branch.name,
        demo=branch.demo,
        at=queue.at,
        utc_offset_minutes=int(offset.total_seconds() // 60) if offset else 0,
        business_day=queue.business_day,
        cursor=cursor,
        recent_calls=[
            CallOut(
                ticket_id=c.ticket_id,
                number=c.number,
                service=c.service,
                window=c.window,
                called_at=c.called_at,
                call_count=c.call_count,
            )
            for c in queue.recent_calls
        ],
        services=[
            BoardServiceOut(code=s.code, name=s.name, waiting=s.waiting) for s in queue.services
        ],
        windows=[
            BoardWindowOut.model_validate({"number": w.number, "name": w.name, "status": w.status})
            for w in queue.windows
        ],
    )


@router.get(
    "/api/board/announcement.wav",
    response_class=Response,
    responses={200: {"content": {"audio/wav": {}}, "description": "the spoken call"}},
    openapi_extra=BY_KEY,
)
def announcement(
    actor: Viewer,
    context: Hub,
    number: Annotated[str, Query(min_length=1, max_length=12)],
    window: Annotated[int, Query(ge=1, le=999)],
    recall: bool = False,
    chime: bool = True,
) -> Response:
    """One call spoken from the hub's clips; the page plays it once with the chime, then
    again without it for each repetition."""
    wav = context.voice.call_wav(number, window, recall=recall, chime=chime)
    return Response(
        wav,
        media_type="audio/wav",
        # The same call always sounds the same: a display replaying it need not fetch it again.
        headers={"Cache-Control": "private, max-age=3600"},
    )


@functools.cache
def _page() -> bytes:
    return PAGE.read_bytes()


@router.get("/board", response_class=HTMLResponse)
def board_page() -> Response:
    """The board page. It holds no data; the key in its address reads the board."""
    return Response(
        _page(),
        media_type="text/html; charset=utf-8",
        headers={
            "Cache-Control": "no-cache",
            # The key is in the page's address: never hand it on.
            "Referrer-Policy": "no-referrer",
            "X-Content-Type-Options": "nosniff",
        },
    )
