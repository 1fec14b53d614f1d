"""PAdES signatures on certificate PDFs, made with the provider's PKCS#12 key.

The key is configured per deployment: ``CERTIFICATE_SIGNING_P12`` (a path) and
``CERTIFICATE_SIGNING_PASSWORD``, both from the environment. Without a path,
PDFs stay unsigned, which is acceptable only in development.
"""

import functools
import io
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter

SIGNATURE_FIELD_NAME = "Signature1"


class SigningKeyError(ImproperlyConfigured):
    """The configured signing key cannot be read."""


def signing_enabled() -> bool:
    """Whether certificates are signed: a PKCS#12 key is configured."""
    return bool(settings.CERTIFICATE_SIGNING_P12)


def sign_pdf(pdf: bytes) -> bytes:
    """``pdf`` with a PAdES signature over the whole file, or unchanged unsigned."""
    if not signing_enabled():
        return pdf
    signer = _load_signer(
        Path(settings.CERTIFICATE_SIGNING_P12), settings.CERTIFICATE_SIGNING_PASSWORD
    )
    pdf_signer = signers.PdfSigner(_signature_metadata(), signer=signer)
    signed = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return signed.getvalue()


def _signature_metadata() -> signers.PdfSignatureMetadata:
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext("Certificate of professional development")
        location = gettext("Ukraine")
    return signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
    )


def _load_signer(path: Path, password: str) -> signers.SimpleSigner:
    try:
        stat = path.stat()
    except OSError as error:
        raise SigningKeyError(
            f"CERTIFICATE_SIGNING_P12 names {path}, which cannot be read "
            f"({error.strerror}). Fix the path, or unset it to issue unsigned "
            "certificates in development."
        ) from error
    # Keyed on the file's identity so that a replaced key is picked up.
    return _cached_signer(str(path), stat.st_mtime_ns, stat.st_size, password)


@functools.lru_cache(maxsize=4)
def _cached_signer(
    path: str, mtime_ns: int, size: int, password: str
) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load_pkcs12(
        pfx_file=path, passphrase=password.encode() if password else None
    )
    if signer is None:
        # pyHanko logs the cause and answers None.
        raise SigningKeyError(
            f"The PKCS#12 file {path} could not be opened: check that it holds "
            "a key and certificate and that CERTIFICATE_SIGNING_PASSWORD is its "
            "password."
        )
    return signer
