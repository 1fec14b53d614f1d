"""Certificates as PDF: the one module around xhtml2pdf.

The template places every value as escaped text, never inside an attribute or
a style, where xhtml2pdf and ReportLab evaluate what they read
(CVE-2023-33733). The renderer's link_callback answers only the asset names
the template uses: the bundled font files, and data URIs this module makes for
the QR code and for scaled copies of the logo and signature image (from their
bytes, read through the storage API by the caller). Every other
URI is refused before xhtml2pdf can fetch or open it, and the resource policy
allows no network and no file but the fonts. A holder's name is printed only
if the fonts draw every character of it (``drawable_characters``, the set
lms.names also holds typed names to), so no certificate has a blank holder.
"""

import base64
import dataclasses
import functools
import io
import re
import threading
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.translation import gettext, ngettext
from PIL import Image, ImageOps, UnidentifiedImageError
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTFontFile
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from certificates.document import CertificateData
from certificates.qr import qr_data_uri
from certificates.signing import sign_pdf
from courses.volume import credits_for_hours, format_credits, format_volume

TEMPLATE_NAME = "certificates/pdf/certificate.html"
FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = {
    "asset:font/sans": "NotoSans-Regular.ttf",
    "asset:font/sans-bold": "NotoSans-Bold.ttf",
    "asset:font/serif": "NotoSerif-Regular.ttf",
    "asset:font/serif-bold": "NotoSerif-Bold.ttf",
}
# ReportLab opens every page in its base font, Helvetica unless told otherwise,
# which would put a font in the file that is neither embedded nor Ukrainian.
# This is the body font as xhtml2pdf registers it from @font-face (family
# "rvsans", not bold, not italic); were it missing, ReportLab raises.
PAGE_BASE_FONT = "rvsans_00"
# Standard PDF fonts are the only Type 1 fonts ReportLab writes here, and are
# never embedded.
_UNEMBEDDED_FONT = re.compile(rb"/Subtype\s*/Type1\b")
# Editors' images are scaled to 300 dpi at the largest size the template
# prints them (logo 17 mm high, signature 15 mm high, either up to about 60 mm
# wide): a photograph-sized upload would otherwise be decoded and compressed
# into every certificate, at hundreds of milliseconds and kilobytes each.
IMAGE_BOXES = {"asset:logo": (720, 200), "asset:signature": (720, 180)}
# Name lengths up to which each size of the holder's name still fits its lines.
NAME_SIZES = ((40, "xl"), (64, "l"), (110, "m"), (200, "s"))
# Control characters print nothing; bidirectional overrides and isolates would
# reorder how a name reads on paper while its text says otherwise.
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAKS = re.compile("[\t\n\r]+")


class CertificateRenderError(Exception):
    """The certificate could not be turned into a PDF."""


class MissingFontError(ImproperlyConfigured):
    """A bundled font file is missing; no other font has the Ukrainian letters."""


class RefusedResourceError(CertificateRenderError):
    """The renderer asked for a file or URL that is not one of the certificate's."""


class LocalAssets:
    """The link_callback: the template's asset names to local files, nothing else."""

    def __init__(self, assets: dict[str, str]):
        self.assets = assets

    def __call__(self, uri, rel=None) -> str:
        try:
            return self.assets[uri]
        except (KeyError, TypeError):
            raise RefusedResourceError(
                f"The certificate renderer refused to load {str(uri)[:120]!r}."
            ) from None

    def local_files(self) -> tuple[Path, ...]:
        return tuple(
            Path(target)
            for target in self.assets.values()
            if not target.startswith("data:")
        )


def render_pdf(data: CertificateData) -> bytes:
    """The certificate as an unsigned one-page A4 landscape PDF."""
    _check_holder_name_prints(_clean(data.holder_name))
    assets = LocalAssets(_asset_map(data))
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(TEMPLATE_NAME, _context(data, assets))
    return _html_to_pdf(html, assets, author=_clean(data.provider_name))


def render_document(template_name: str, context: dict, *, author: str) -> bytes:
    """Another document of the site (a transcript) through the same renderer.

    The template gets ``assets`` (the bundled fonts only: no images, no URL)
    and must escape every value, as the certificate template does.
    """
    fonts = {name: str(_font_path(filename)) for name, filename in FONT_FILES.items()}
    assets = LocalAssets(fonts)
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {**context, "assets": assets.assets})
    return _html_to_pdf(html, assets, author=_clean(author))


def build_certificate_pdf(data: CertificateData) -> bytes:
    """The certificate PDF as issued: rendered, then signed if a key is configured."""
    return sign_pdf(render_pdf(data))


def _html_to_pdf(html: str, assets: LocalAssets, *, author: str) -> bytes:
    policy = ResourceAccessPolicy.server(
        base_dir=None, extra_roots=assets.local_files(), allow_remote=False
    )
    output = io.BytesIO()
    with _page_base_font(PAGE_BASE_FONT):
        status = pisa.pisaDocument(
            html,
            dest=output,
            link_callback=assets,
            resource_policy=policy,
            encoding="utf-8",
            context_meta={"author": author},
        )
    if status.err:
        raise CertificateRenderError(
            f"xhtml2pdf reported {status.err} error(s) rendering the certificate."
        )
    pdf = output.getvalue()
    if _UNEMBEDDED_FONT.search(pdf):
        raise CertificateRenderError(
            "The certificate PDF uses a font that is not embedded; check the "
            "font-family names in the certificate template."
        )
    return pdf


_base_font_lock = threading.Lock()


@contextmanager
def _page_base_font(name: str):
    """ReportLab's base font, a process-wide setting, set for one render."""
    with _base_font_lock:
        previous = rl_config.canvas_basefontname
        rl_config.canvas_basefontname = name
        try:
            yield
        finally:
            rl_config.canvas_basefontname = previous


@functools.cache
def drawable_characters() -> frozenset[str]:
    """The characters every certificate font maps to a glyph with an outline.

    ReportLab prints a character a font lacks, or one whose glyph has no
    outline (a blank filler, a space), as nothing; the holder's name must not.
    """
    fonts = [_outlined_characters(_font_path(name)) for name in FONT_FILES.values()]
    return frozenset.intersection(*fonts)


def _outlined_characters(path: Path) -> frozenset[str]:
    font = TTFontFile(str(path))
    offsets = font.glyphPos
    return frozenset(
        chr(code)
        for code, glyph in font.charToGlyph.items()
        if glyph and offsets[glyph + 1] > offsets[glyph]
    )


def _check_holder_name_prints(name: str) -> None:
    """Refuses a holder's name that would print blank or with letters missing.

    Names are validated when typed (lms.names); this stops one that bypassed
    validation, e.g. stored before the rule, from yielding a signed PDF
    without a visible holder.
    """
    drawable = drawable_characters()
    missing = sorted({char for char in name if char != " " and char not in drawable})
    if missing:
        shown = ", ".join(f"U+{ord(char):04X}" for char in missing)
        raise CertificateRenderError(
            "The holder's name has characters the certificate fonts cannot draw "
            f"({shown}); correct the name and re-issue the certificate."
        )
    if not name.strip():
        raise CertificateRenderError("The holder's name is empty.")


def _asset_map(data: CertificateData) -> dict[str, str]:
    assets = {name: str(_font_path(filename)) for name, filename in FONT_FILES.items()}
    assets["asset:qr"] = qr_data_uri(data.verification_url)
    for name, content in (
        ("asset:logo", data.logo),
        ("asset:signature", data.signature_image),
    ):
        if content is not None:
            assets[name] = _image_data_uri(content, IMAGE_BOXES[name])
    return assets


def _font_path(filename: str) -> Path:
    path = FONT_DIR / filename
    if not path.is_file():
        raise MissingFontError(
            f"The certificate font {path} is missing. Restore certificates/fonts/ "
            "from the repository; no system font is used instead."
        )
    return path


# Keyed on the image's bytes: a bulk issue prepares each image once.
@functools.lru_cache(maxsize=8)
def _image_data_uri(content: bytes, box: tuple[int, int]) -> str:
    """The image scaled into ``box`` and flattened onto white, as a PNG data URI."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.draft("RGB", box)
            picture = ImageOps.exif_transpose(image).convert("RGBA")
    except (OSError, UnidentifiedImageError, Image.DecompressionBombError) as error:
        raise CertificateRenderError(
            "A certificate image cannot be read as an image."
        ) from error
    picture.thumbnail(box)
    flat = Image.new("RGB", picture.size, "white")
    flat.paste(picture, mask=picture.getchannel("A"))
    buffer = io.BytesIO()
    flat.save(buffer, format="PNG")
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/png;base64,{encoded}"


def _context(data: CertificateData, assets: LocalAssets) -> dict:
    cert = _cleaned(data)
    return {
        "cert": cert,
        "volume": _volume_text(data),
        "completed_on": formats.date_format(data.completed_on, "DATE_FORMAT"),
        "issued_on": formats.date_format(data.issued_on, "DATE_FORMAT"),
        "name_size": _name_size(cert.holder_name),
        "assets": assets.assets,
    }


def _cleaned(data: CertificateData) -> CertificateData:
    texts = {
        field.name: _clean(getattr(data, field.name))
        for field in dataclasses.fields(data)
        if isinstance(getattr(data, field.name), str)
    }
    outcomes = tuple(_clean(outcome) for outcome in data.outcomes)
    return dataclasses.replace(data, outcomes=outcomes, **texts)


def _clean(text: str) -> str:
    """The text with line breaks as spaces and invisible controls removed."""
    return _UNPRINTABLE.sub("", _LINE_BREAKS.sub(" ", text))


def _name_size(name: str) -> str:
    for length, size in NAME_SIZES:
        if len(name) <= length:
            return size
    return "xs"


def _volume_text(data: CertificateData) -> str:
    """E.g. «30 годин (1 кредит ЄКТС)», with the credits the certificate records."""
    if credits_for_hours(data.hours) == data.credits:
        return format_volume(data.hours)
    hours = ngettext("%(count)s hour", "%(count)s hours", data.hours) % {
        "count": data.hours
    }
    return gettext("%(hours)s (%(credits)s)") % {
        "hours": hours,
        "credits": format_credits(data.credits),
    }
