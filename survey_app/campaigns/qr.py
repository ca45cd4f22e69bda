"""QR codes for a collection point's link, as SVG (for print and screens) and PNG (for documents)."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str, scale: int = 8) -> bytes:
    """An SVG QR code for `url`, with a quiet zone, sized for a poster."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=scale, border=4, xmldecl=False, title="QR code", dark="#000"
    )
    return buffer.getvalue()


def qr_png(url: str, scale: int = 10) -> bytes:
    """A PNG QR code for `url`."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    """The SVG as a data: URI, to put straight into a poster page (no extra request)."""
    return segno.make(url, error="m").svg_data_uri(scale=8, border=4)
