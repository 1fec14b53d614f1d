"""Test support for certificate PDFs: the test key's password and readers for
text, pages, pixels, glyph boxes, fonts and images."""

import io
import re

import pypdfium2
from PIL import Image
from pypdf import PdfReader

TEST_KEY_PASSWORD = "test-only-signing-password"


def pdf_text(pdf: bytes) -> str:
    """All text of the PDF's pages, as pypdf extracts it."""
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def squeezed(text: str) -> str:
    """``text`` without whitespace, so line wrapping does not matter."""
    return re.sub(r"\s+", "", text)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def page_image(pdf: bytes, *, dpi: int = 150) -> Image.Image:
    """Page 1 rendered to pixels."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        return document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()


def text_bounds(pdf: bytes) -> tuple[float, float, float, float, float, float]:
    """Page width and height and the box round every character, in points."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        width, height = page.get_size()
        textpage = page.get_textpage()
        boxes = [textpage.get_charbox(i) for i in range(textpage.count_chars())]
    finally:
        document.close()
    return (
        width,
        height,
        min(box[0] for box in boxes),
        min(box[1] for box in boxes),
        max(box[2] for box in boxes),
        max(box[3] for box in boxes),
    )


def fonts_embedded(pdf: bytes) -> dict[str, bool]:
    """Each font on page 1 by its PDF name, and whether its file is embedded."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    fonts = {}
    for reference in page["/Resources"]["/Font"].values():
        font = reference.get_object()
        if "/DescendantFonts" in font:
            font = font["/DescendantFonts"][0].get_object()
        descriptor = font.get("/FontDescriptor")
        fonts[str(font["/BaseFont"])] = descriptor is not None and any(
            key in descriptor.get_object()
            for key in ("/FontFile", "/FontFile2", "/FontFile3")
        )
    return fonts


def image_count(pdf: bytes) -> int:
    """How many images page 1 draws."""
    return len(PdfReader(io.BytesIO(pdf)).pages[0].images)
