"""Factory functions for certificate tests: designs, images, completed courses."""

import io

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.images.models import Image

from certificates.models import CertificateDesign
from courses.models import Enrolment
from courses.progress import complete_lesson, enrol
from tests import factories


def make_image(*, title: str = "Logo", colour: str = "navy", size=(240, 120)):
    """A Wagtail image of one colour, stored under MEDIA_ROOT."""
    buffer = io.BytesIO()
    PILImage.new("RGBA", size, colour).save(buffer, "PNG")
    return Image.objects.create(
        title=title, file=ImageFile(buffer, name=f"{title.lower()}.png")
    )


def make_design(*, publish: bool = True, with_images: bool = True, **fields):
    """A certificate design, published (live and current) unless told otherwise."""
    values = {
        "name": f"Дизайн {factories.next_number()}",
        "heading": "СЕРТИФІКАТ",
        "statement": "засвідчує, що",
        "completion_text": "успішно завершив(-ла) навчання за програмою",
        "signer_name": "Олена Коваленко",
        "signer_position": "Директорка навчального центру",
        "is_current": True,
        **fields,
    }
    if with_images:
        values.setdefault("logo", make_image(title="Logo", colour="navy"))
        values.setdefault(
            "signature_image", make_image(title="Signature", colour="black")
        )
    design = CertificateDesign(live=False, **values)
    design.save()
    revision = design.save_revision()
    if publish:
        revision.publish()
        design.refresh_from_db()
    return design


def complete_course(learner, tree=None) -> Enrolment:
    """Enrols ``learner`` and completes every lesson; returns the enrolment."""
    tree = tree or factories.build_course(modules=1, lessons_per_module=1)
    enrol(learner=learner, course=tree.course)
    for lesson in tree.lessons:
        complete_lesson(learner=learner, lesson=lesson)
    return Enrolment.objects.get(learner=learner, course=tree.course)
