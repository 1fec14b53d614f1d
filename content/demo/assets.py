"""Images and documents for the demo lessons, generated rather than shipped."""

import io
import math
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from PIL import ImageDraw
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from content.demo.assets_text import DEMO_DOCUMENTS, DEMO_IMAGES

CANVAS = (640, 360)
CENTRE_COLOUR = (0, 87, 184)  # the blue of the national flag
SECTOR_COLOURS = [
    (255, 215, 0),
    (46, 125, 50),
    (198, 40, 40),
    (106, 27, 154),
    (239, 108, 0),
]


@dataclass
class DemoAssets:
    """Primary keys of demo images and documents by their key in the data."""

    images: dict[str, int] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)
    created: int = 0


def draw_sectors_diagram() -> bytes:
    """A hub-and-spoke PNG: the hromada in the middle, five sectors around it.

    No lettering is drawn, so the picture needs no Cyrillic font; the alt text
    and the caption carry the meaning.
    """
    image = PillowImage.new("RGB", CANVAS, "white")
    draw = ImageDraw.Draw(image)
    cx, cy, radius = CANVAS[0] // 2, CANVAS[1] // 2, 130
    points = []
    for index in range(len(SECTOR_COLOURS)):
        angle = -math.pi / 2 + index * 2 * math.pi / len(SECTOR_COLOURS)
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    for point in points:
        draw.line([(cx, cy), point], fill=(120, 120, 120), width=4)
    for start, end in zip(points, points[1:] + points[:1], strict=True):
        draw.line([start, end], fill=(200, 200, 200), width=2)
    for (x, y), colour in zip(points, SECTOR_COLOURS, strict=True):
        draw.ellipse([x - 34, y - 34, x + 34, y + 34], fill=colour, outline="black")
    draw.ellipse([cx - 50, cy - 50, cx + 50, cy + 50], fill=CENTRE_COLOUR)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def ensure_image(*, spec: dict) -> tuple[int, bool]:
    """The demo image with this title, created from the drawing if missing."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=spec["title"]).first()
    if existing:
        return existing.pk, False
    content = io.BytesIO(draw_sectors_diagram())
    image = image_model(
        title=spec["title"],
        description=spec["alt_text"],
        file=ImageFile(content, name=spec["filename"]),
    )
    # Wagtail's upload forms fill size and hash this way; a plain save does not.
    image._set_image_file_metadata()
    image.save()
    return image.pk, True


def ensure_document(*, spec: dict) -> tuple[int, bool]:
    """The demo document with this title, created from its text if missing."""
    document_model = get_document_model()
    existing = document_model.objects.filter(title=spec["title"]).first()
    if existing:
        return existing.pk, False
    document = document_model(
        title=spec["title"],
        file=ContentFile(spec["text"].encode("utf-8"), name=spec["filename"]),
    )
    document._set_document_file_metadata()
    document.save()
    return document.pk, True


def ensure_demo_assets() -> DemoAssets:
    assets = DemoAssets()
    for key, spec in DEMO_IMAGES.items():
        assets.images[key], created = ensure_image(spec=spec)
        assets.created += created
    for key, spec in DEMO_DOCUMENTS.items():
        assets.documents[key], created = ensure_document(spec=spec)
        assets.created += created
    return assets
