"""PAdES signatures on certificate PDFs, made with the provider's PKCS#12 key.

The key is configured per deployment: ``CERTIFICATE_SIGNING_P12`` (a path) and
``CERTIFICATE_SIGNING_PASSWORD``, both from the environment. Without a path,
PDFs stay unsigned, which is acceptable only in development.
"""

import functools
import io
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from django.utils.translation import gettext
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

SIGNATURE_FIELD_NAME = "Signature1"


class SigningKeyError(ImproperlyConfigured):
    """The configured signing key cannot be read."""


def signing_enabled() -> bool:
    """Whether certificates are signed: a PKCS#12 key is configured."""
    return bool(settings.CERTIFICATE_SIGNING_P12)


def sign_pdf(pdf: bytes) -> bytes:
    """``pdf`` with a PAdES signature over the whole file; as is without a key."""
    if not signing_enabled():
        return pdf
    signer = _load_signer(
        Path(settings.CERTIFICATE_SIGNING_P12), settings.CERTIFICATE_SIGNING_PASSWORD
    )
    pdf_signer = signers.PdfSigner(_signature_metadata(), signer=signer)
    try:
        signed = pdf_signer.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)),
            bytes_reserved=_space_for_signature(signer),
        )
    except SigningError:
        # Larger than foreseen: let pyHanko measure it with a trial signature.
        signed = pdf_signer.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)))
    return signed.getvalue()


def _space_for_signature(signer: signers.SimpleSigner) -> int:
    """Hex digits to reserve for the CMS container: its certificates plus room.

    Saying it up front spares pyHanko the trial signature it otherwise makes
    to measure the container, which was half the time of signing. The room
    covers the signed attributes, an RSA-4096 signature and the CMS framing,
    none of which vary from one certificate to the next without a timestamp.
    """
    certificates = [signer.signing_cert, *signer.cert_registry]
    return 2 * (sum(len(cert.dump()) for cert in certificates) + 3072)


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


class _KeyCachingSigner(signers.SimpleSigner):
    """A SimpleSigner that parses its private key once, not for every signature.

    pyHanko's SimpleSigner loads the key from DER on each signature, and
    loading an RSA key checks it, which took about 70 ms, twice per PDF.
    """

    @functools.cached_property
    def _private_key(self):
        return serialization.load_der_private_key(
            self.signing_key.dump(), password=None
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        key = self._private_key
        if mechanism.signature_algo == "rsassa_pkcs1v15" and isinstance(
            key, RSAPrivateKey
        ):
            return key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism.signature_algo == "ecdsa" and isinstance(
            key, EllipticCurvePrivateKey
        ):
            return key.sign(data, ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


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
    loaded = signers.SimpleSigner.load_pkcs12(
        pfx_file=path, passphrase=password.encode() if password else None
    )
    if loaded is None:
        # pyHanko logs the cause and answers None.
        raise SigningKeyError(
            f"The PKCS#12 file {path} could not be opened: check that it holds "
            "a key and certificate and that CERTIFICATE_SIGNING_PASSWORD is its "
            "password."
        )
    return _KeyCachingSigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
    )
