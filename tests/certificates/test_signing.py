"""PAdES signing of certificate PDFs and the test key command
(certificates/signing.py, make_test_signing_key, render_sample_certificate)."""

import io
import re
import shutil
import subprocess

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from certificates import signing
from certificates.document import sample_certificate_data
from certificates.pdf import build_certificate_pdf, render_pdf
from certificates.signing import (
    SIGNATURE_FIELD_NAME,
    SigningKeyError,
    sign_pdf,
    signing_enabled,
)
from tests.certificates.pdf_support import TEST_KEY_PASSWORD

PDFSIG = shutil.which("pdfsig")


def key_certificate(path) -> x509.Certificate:
    _key, certificate, _chain = pkcs12.load_key_and_certificates(
        path.read_bytes(), TEST_KEY_PASSWORD.encode()
    )
    return certificate


def validate(content: bytes, key_path):
    """pyHanko's verdict on the one signature, trusting the test key."""
    root = asn1_x509.Certificate.load(
        key_certificate(key_path).public_bytes(Encoding.DER)
    )
    signatures = PdfFileReader(io.BytesIO(content)).embedded_signatures
    assert len(signatures) == 1
    return signatures[0], validate_pdf_signature(
        signatures[0], ValidationContext(trust_roots=[root])
    )


def pdfsig(content: bytes, tmp_path) -> str:
    path = tmp_path / "signed.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603
        [PDFSIG, str(path)], capture_output=True, text=True, check=False
    ).stdout


def signed_range_stream_offset(content: bytes) -> int:
    """An offset inside the page content stream, well within the signed bytes."""
    match = re.search(rb"stream\r?\n", content)
    return match.end() + 10


# Signing ------------------------------------------------------------------------


def test_with_a_key_the_signature_is_valid_and_covers_the_whole_file(
    signing_key, certificate_data
):
    content = build_certificate_pdf(certificate_data)

    embedded, status = validate(content, signing_key)

    assert signing_enabled()
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.bottom_line
    assert embedded.field_name == SIGNATURE_FIELD_NAME
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.sig_object["/Reason"] and embedded.sig_object["/Location"]


@pytest.mark.skipif(PDFSIG is None, reason="poppler-utils is not installed")
def test_pdfsig_reports_the_signature_valid_over_the_total_document(
    signing_key, certificate_data, tmp_path
):
    report = pdfsig(build_certificate_pdf(certificate_data), tmp_path)

    assert "Signature Validation: Signature is Valid." in report
    assert "Total document signed" in report
    assert "ТЕСТОВИЙ КЛЮЧ" in report


def test_a_byte_changed_after_signing_fails_validation(
    signing_key, certificate_data, tmp_path
):
    content = bytearray(build_certificate_pdf(certificate_data))
    offset = signed_range_stream_offset(content)
    content[offset] ^= 0x01

    _embedded, status = validate(bytes(content), signing_key)

    assert not status.intact
    assert not status.bottom_line
    if PDFSIG is not None:
        assert "Signature is Valid." not in pdfsig(bytes(content), tmp_path)


def test_a_signature_larger_than_the_reserved_space_is_measured_and_fits(
    signing_key, certificate_data, monkeypatch
):
    monkeypatch.setattr(signing, "_space_for_signature", lambda signer: 64)

    _embedded, status = validate(build_certificate_pdf(certificate_data), signing_key)

    assert status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE


def test_signing_keeps_the_rendered_document_as_the_first_revision(signing_key):
    unsigned = render_pdf(sample_certificate_data())

    signed = sign_pdf(unsigned)

    assert signed.startswith(unsigned)
    assert len(signed) > len(unsigned)


def test_without_a_key_the_pdf_is_unsigned(no_signing_key, certificate_data):
    content = build_certificate_pdf(certificate_data)

    assert not signing_enabled()
    assert PdfFileReader(io.BytesIO(content)).embedded_signatures == []
    assert b"/ByteRange" not in content
    assert sign_pdf(b"%PDF-1.4 whatever") == b"%PDF-1.4 whatever"


def test_a_wrong_password_stops_signing_with_a_clear_error(
    signing_key, settings, certificate_data
):
    settings.CERTIFICATE_SIGNING_PASSWORD = "not-the-password"

    with pytest.raises(SigningKeyError, match="CERTIFICATE_SIGNING_PASSWORD"):
        build_certificate_pdf(certificate_data)


def test_a_missing_key_file_stops_signing_with_a_clear_error(
    settings, tmp_path, certificate_data
):
    settings.CERTIFICATE_SIGNING_P12 = str(tmp_path / "absent.p12")
    settings.CERTIFICATE_SIGNING_PASSWORD = "x"

    with pytest.raises(SigningKeyError, match="absent.p12"):
        build_certificate_pdf(certificate_data)


# The commands -------------------------------------------------------------------


def test_the_test_key_is_named_as_a_test_key(test_key_path):
    certificate = key_certificate(test_key_path)

    common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    assert common_name[0].value == "ТЕСТОВИЙ КЛЮЧ — не для виробництва"
    assert certificate.issuer == certificate.subject
    assert oct(test_key_path.stat().st_mode & 0o777) == "0o600"


def test_make_test_signing_key_keeps_an_existing_key_only_when_asked(tmp_path):
    path = tmp_path / "dev.p12"
    call_command("make_test_signing_key", str(path), password="pw", verbosity=0)
    first = path.read_bytes()

    call_command("make_test_signing_key", str(path), password="pw", if_missing=True)
    with pytest.raises(CommandError, match="--if-missing"):
        call_command("make_test_signing_key", str(path), password="pw")

    assert path.read_bytes() == first


def test_make_test_signing_key_needs_a_password(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_PASSWORD = ""

    with pytest.raises(CommandError, match="--password"):
        call_command("make_test_signing_key", str(tmp_path / "k.p12"))
    assert not (tmp_path / "k.p12").exists()


def test_render_sample_certificate_signs_when_a_key_is_configured(
    signing_key, tmp_path, capsys
):
    out = tmp_path / "sample.pdf"

    call_command("render_sample_certificate", str(out))

    _embedded, status = validate(out.read_bytes(), signing_key)
    assert status.bottom_line
    assert "Підписаний" in capsys.readouterr().out
