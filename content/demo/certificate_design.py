"""The certificate wording the demo publishes, so completions get certificates."""

from certificates.models import CertificateDesign

DESIGN = {
    "name": "Основний (демо)",
    "heading": "Сертифікат",
    "statement": "Цим засвідчується, що слухач (слухачка) курсу:",
    "completion_text": (
        "успішно завершив(-ла) навчання за програмою підвищення кваліфікації"
    ),
    "signer_name": "Олена Демченко",
    "signer_position": "Голова правління громадської організації",
}


def ensure_certificate_design() -> int:
    """Publishes the demo design once; returns how many designs it created."""
    if CertificateDesign.objects.exists():
        return 0
    design = CertificateDesign(**DESIGN, is_current=True, live=False)
    design.save()
    design.save_revision().publish()
    return 1
