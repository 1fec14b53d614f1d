"""Fixtures for the PDF pipeline tests: signing keys, images, certificate data.

The issuing, verification and admin tests import theirs from fixtures.py;
readers for PDF text, pixels and fonts are in pdf_support.py.
"""

import io
import math
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image, ImageDraw

from certificates.document import sample_certificate_data
from tests.certificates.pdf_support import TEST_KEY_PASSWORD


@pytest.fixture(scope="session")
def test_key_path(tmp_path_factory) -> Path:
    """A throwaway PKCS#12 key made by make_test_signing_key, once per run."""
    path = tmp_path_factory.mktemp("signing") / "test-key.p12"
    call_command(
        "make_test_signing_key", str(path), password=TEST_KEY_PASSWORD, verbosity=0
    )
    return path


@pytest.fixture
def signing_key(settings, test_key_path) -> Path:
    """Certificates are signed with the test key."""
    settings.CERTIFICATE_SIGNING_P12 = str(test_key_path)
    settings.CERTIFICATE_SIGNING_PASSWORD = TEST_KEY_PASSWORD
    return test_key_path


@pytest.fixture
def no_signing_key(settings) -> None:
    """No key is configured, as in a development set-up without one."""
    settings.CERTIFICATE_SIGNING_P12 = ""
    settings.CERTIFICATE_SIGNING_PASSWORD = ""


@pytest.fixture(scope="session")
def certificate_images() -> dict[str, bytes]:
    """A logo and a signature image (PNG bytes), as an editor would upload them."""
    logo = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    draw = ImageDraw.Draw(logo)
    draw.ellipse((5, 5, 295, 295), fill=(0, 87, 183, 255))
    draw.ellipse((30, 30, 270, 270), outline=(255, 213, 0, 255), width=10)
    signature = Image.new("RGBA", (600, 200), (0, 0, 0, 0))
    points = [(20 + t * 5.6, 100 + 40 * math.sin(t / 5)) for t in range(100)]
    ImageDraw.Draw(signature).line(points, fill=(20, 40, 120, 255), width=5)
    return {"logo": _png(logo), "signature": _png(signature)}


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def certificate_data(certificate_images):
    """Sample certificate facts as issued: with images, not marked as a sample."""
    return sample_certificate_data(
        is_sample=False,
        logo=certificate_images["logo"],
        signature_image=certificate_images["signature"],
        verification_code_hint="Kx7-3Qp",
    )
