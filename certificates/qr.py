"""QR codes for certificate verification links."""

import base64
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# Eight pixels a module keeps the edges sharp when the PDF scales the image.
BOX_SIZE = 8
# The four-module quiet zone the QR specification asks for.
QUIET_ZONE = 4


def qr_png(url: str) -> bytes:
    """A black-on-white PNG QR code (error correction M) encoding ``url``."""
    code = qrcode.QRCode(
        error_correction=ERROR_CORRECT_M, box_size=BOX_SIZE, border=QUIET_ZONE
    )
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_data_uri(url: str) -> str:
    """The QR code as a ``data:image/png`` URI, for the PDF renderer."""
    encoded = base64.b64encode(qr_png(url)).decode("ascii")
    return f"data:image/png;base64,{encoded}"
