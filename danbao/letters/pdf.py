"""A letter as PDF: a Django template rendered from the letter's snapshot, then WeasyPrint with the
Noto CJK fonts; the QR code of the public verification page is embedded as an SVG data URI."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from danbao.letters.models import GuaranteeLetter


def verify_path(letter: GuaranteeLetter) -> str:
    return reverse("letters:verify", args=[letter.token])


def verify_url(letter: GuaranteeLetter, request: Any = None) -> str:
    """The absolute address of the letter's public verification page: `DANBAO_PUBLIC_URL` (the
    address banks reach from outside) when set, else the address of the current request."""
    base = (getattr(settings, "DANBAO_PUBLIC_URL", "") or "").rstrip("/")
    if base:
        return base + verify_path(letter)
    if request is not None:
        return request.build_absolute_uri(verify_path(letter))
    return verify_path(letter)


def qr_svg(data: str) -> bytes:
    """The QR code of `data` as a standalone SVG (error correction M, a 4-module quiet zone)."""
    import qrcode
    import qrcode.image.svg

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(data)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out)
    return out.getvalue()


def qr_data_uri(data: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(data)).decode("ascii")


def letter_context(letter: GuaranteeLetter, url: str) -> dict[str, Any]:
    return {
        "letter": letter,
        "s": letter.snapshot,
        "is_guarantee": letter.is_guarantee,
        "verify_url": url,
        "qr": qr_data_uri(url),
        "printed_at": timezone.localtime(),
    }


def letter_html(letter: GuaranteeLetter, url: str) -> str:
    return render_to_string("letters/pdf/letter.html", letter_context(letter, url))


def letter_pdf(letter: GuaranteeLetter, url: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=letter_html(letter, url)).write_pdf()
