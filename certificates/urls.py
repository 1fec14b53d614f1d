"""Certificate URLs. The verification addresses are printed in QR codes on
issued certificates: never change them."""

from django.urls import path, register_converter

from certificates import views


class VerificationCodeConverter:
    """URL-safe base64 characters only; length is left to the lookup, so every
    well-formed code, known or not, gets the same answer."""

    regex = "[A-Za-z0-9_-]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VerificationCodeConverter, "vcode")

app_name = "certificates"
urlpatterns = [
    path("confirm/<int:course_id>/", views.confirm_name_view, name="confirm_name"),
    path(
        "course/<int:course_id>/",
        views.course_certificate_view,
        name="course_certificate",
    ),
    path("<int:pk>/download/", views.download_view, name="download"),
    path("verify/", views.verify_form_view, name="verify_form"),
    path("verify/<vcode:code>/", views.verify_view, name="verify"),
    path("verify/<vcode:code>.json", views.verify_json_view, name="verify_json"),
    path(
        "verification-schema.json",
        views.verification_schema_view,
        name="verification_schema",
    ),
]
