"""Creates a throwaway self-signed PKCS#12 signing key for development and tests."""

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

# X.509 allows 64 bytes of UTF-8 here; the Ukrainian warning takes 63.
TEST_KEY_COMMON_NAME = "ТЕСТОВИЙ КЛЮЧ — не для виробництва"
TEST_KEY_UNIT = "TEST KEY - not for production"


class Command(BaseCommand):
    help = (
        "Створює тестовий самопідписаний ключ підпису сертифікатів (PKCS#12). "
        "Лише для розробки й тестів: підпис ним нічого не засвідчує."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Куди записати файл .p12.")
        parser.add_argument(
            "--password",
            help="Пароль файлу; типово CERTIFICATE_SIGNING_PASSWORD з налаштувань.",
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Нічого не робити, якщо файл уже є.",
        )
        parser.add_argument(
            "--days", type=int, default=730, help="Строк дії сертифіката, днів."
        )

    def handle(self, *args, path, password, if_missing, days, **options):
        target = Path(path)
        if target.exists():
            if if_missing:
                if options["verbosity"]:
                    self.stdout.write(f"Тестовий ключ уже є: {target}")
                return
            raise CommandError(
                f"{target} уже існує. Видаліть його або додайте --if-missing."
            )
        password = password or settings.CERTIFICATE_SIGNING_PASSWORD
        if not password:
            raise CommandError(
                "Немає пароля: передайте --password або задайте "
                "CERTIFICATE_SIGNING_PASSWORD."
            )
        data = make_test_pkcs12(password, days=days)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.touch(mode=0o600)
        target.write_bytes(data)
        if options["verbosity"]:
            self.stdout.write(
                self.style.WARNING(
                    f"Створено ТЕСТОВИЙ ключ підпису (не для виробництва): {target}"
                )
            )


def make_test_pkcs12(password: str, *, days: int = 730) -> bytes:
    """A new RSA key and a self-signed certificate named as a test key, as PKCS#12."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, TEST_KEY_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, TEST_KEY_UNIT),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "UA"),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        name=b"rozumna-vzaiemodiia-test-key",
        key=key,
        cert=certificate,
        cas=None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode()),
    )
