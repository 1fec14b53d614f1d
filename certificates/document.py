"""What a certificate says: the facts the PDF renderer prints, and sample values."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings

SAMPLE_VERIFICATION_CODE = "zRAZok-Ne-Dokument-0000"


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate, frozen as it was issued."""

    number: str
    holder_name: str
    course_title: str
    programme_code: str
    hours: int
    credits: Decimal
    outcomes: tuple[str, ...]
    provider_name: str
    completed_on: date
    issued_on: date
    signer_name: str
    signer_position: str
    # Editor wording, phrased so the holder's name stays in the nominative.
    heading: str
    statement: str
    completion_text: str
    # The images as stored (PNG bytes), read through the storage API: the
    # renderer never opens a file of the certificate's by path.
    logo: bytes | None
    signature_image: bytes | None
    verification_url: str
    verification_code_hint: str = ""
    is_sample: bool = False


def sample_certificate_data(**overrides) -> CertificateData:
    """A realistic certificate marked as a sample, for previews and checks."""
    base_url = settings.CERTIFICATE_BASE_URL.rstrip("/")
    values = {
        "number": "РВ-2026-000123",
        "holder_name": "Ґедзь-Їжакевич Марʼяна Євгенівна",
        "course_title": (
            "Розумна взаємодія: співпраця органів влади, громадськості "
            "та бізнесу в територіальній громаді"
        ),
        "programme_code": "РВ-ПК-01",
        "hours": 30,
        "credits": Decimal("1.00"),
        "outcomes": (
            "застосовує інструменти електронної демократії для залучення "
            "мешканців громади до ухвалення рішень",
            "організовує міжсекторальну взаємодію органів місцевого "
            "самоврядування, громадських обʼєднань і бізнесу",
            "готує та представляє місцеві ініціативи, ґрунтовані на потребах громади",
            "використовує відкриті дані й цифрові сервіси в щоденній роботі",
        ),
        "provider_name": (
            "Навчально-методичний центр «Розумна взаємодія» "
            "громадської спілки «Платформа місцевого розвитку»"
        ),
        "completed_on": date(2026, 11, 20),
        "issued_on": date(2026, 11, 26),
        "signer_name": "Олена КОВАЛЕНКО",
        "signer_position": "Директорка навчально-методичного центру",
        "heading": "СЕРТИФІКАТ",
        "statement": "засвідчує, що",
        "completion_text": (
            "успішно завершив(-ла) навчання за програмою підвищення кваліфікації"
        ),
        "logo": None,
        "signature_image": None,
        "verification_url": (
            f"{base_url}/certificates/verify/{SAMPLE_VERIFICATION_CODE}/"
        ),
        "verification_code_hint": "",
        "is_sample": True,
    }
    values.update(overrides)
    return CertificateData(**values)
