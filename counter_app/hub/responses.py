"""Responses the hub's routes share."""

from __future__ import annotations

from fastapi import Response


def pdf_response(data: bytes, name: str) -> Response:
    # inline: a browser or the counter's viewer shows it; the name is for "save as"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )
