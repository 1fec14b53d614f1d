"""What the site keeps about a person, gathered from every app.

``lms`` sits at the bottom of the dependency chain (lms ← courses ←
certificates ← content), so it cannot import the apps that hold learning
records. Instead each app registers a section here from its
``AppConfig.ready()``::

    from lms import data_export

    class CoursesConfig(AppConfig):
        def ready(self):
            from courses.selectors import enrolments_for_export

            data_export.register_section(
                "enrolments", _("Courses"), enrolments_for_export,
                field_labels={"course": _("course"), "enrolled_at": _("enrolled")},
            )

A section function takes the user and returns something JSON can hold (with
``DjangoJSONEncoder``: dates, decimals and lazy strings are fine): a dict of
fields, a list of dicts (one per record), or a plain value. It must return
only that user's data. ``collect(user)`` calls every section in registration
order; the "My data" page shows the result and offers it as a JSON download.
``field_labels`` only label the keys on the HTML page.

Apps that keep personal data outside the user row may also register an
anonymise hook; ``run_anonymise_hooks(user)`` calls them inside the
transaction that anonymises the account (``lms.accounts.services``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from lms.models import User


@dataclass(frozen=True)
class Section:
    key: str
    label: Any
    func: Callable[[User], Any]
    field_labels: Mapping[str, Any] = field(default_factory=dict)


_sections: dict[str, Section] = {}
_anonymise_hooks: dict[str, Callable[[User], None]] = {}


def register_section(
    key: str,
    label: Any,
    func: Callable[[User], Any],
    *,
    field_labels: Mapping[str, Any] | None = None,
) -> None:
    """Adds or replaces the section ``key``; the last registration wins."""
    _sections[key] = Section(key, label, func, dict(field_labels or {}))


def unregister_section(key: str) -> None:
    _sections.pop(key, None)


def sections() -> list[Section]:
    return list(_sections.values())


def collect(user: User) -> dict[str, Any]:
    """Every registered section for ``user``, keyed by section key."""
    return {section.key: section.func(user) for section in _sections.values()}


def register_anonymise_hook(key: str, func: Callable[[User], None]) -> None:
    """``func(user)`` runs when the account is anonymised, in its transaction."""
    _anonymise_hooks[key] = func


def unregister_anonymise_hook(key: str) -> None:
    _anonymise_hooks.pop(key, None)


def run_anonymise_hooks(user: User) -> None:
    for func in _anonymise_hooks.values():
        func(user)


def _profile(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "surname": user.last_name,
        "given_name": user.first_name,
        "patronymic": user.patronymic,
        "position_title": user.position_title,
        "position_category": str(user.position_category or ""),
        "organisation": user.organisation,
        "oblast": str(user.oblast or ""),
        "hromada": str(user.hromada or ""),
        "registered_at": user.date_joined,
        "email_confirmed_at": user.email_confirmed_at,
        "last_login": user.last_login,
    }


def _consents(user: User) -> list[dict[str, Any]]:
    return [
        {
            "purpose": consent.get_purpose_display(),
            "notice_version": consent.notice_version,
            "given_at": consent.given_at,
        }
        for consent in user.consents.all()
    ]


register_section(
    "profile",
    _("Profile"),
    _profile,
    field_labels={
        "email": _("e-mail"),
        "surname": _("surname"),
        "given_name": _("given name"),
        "patronymic": _("patronymic"),
        "position_title": _("position"),
        "position_category": _("position category"),
        "organisation": _("organisation or body"),
        "oblast": _("oblast"),
        "hromada": _("hromada"),
        "registered_at": _("registered"),
        "email_confirmed_at": _("e-mail confirmed at"),
        "last_login": _("last sign-in"),
    },
)
register_section(
    "consents",
    _("Consents"),
    _consents,
    field_labels={
        "purpose": _("purpose"),
        "notice_version": _("privacy notice version"),
        "given_at": _("given at"),
    },
)
