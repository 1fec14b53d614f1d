"""The greeting of an e-mail: «Добрий день, Ірино Петрівно!».

Ukrainian addresses a person in the vocative case. The given name and the
patronymic are declined by ``lesya`` (pure Python, MIT), each part of a
double name on its own. A name the library cannot be trusted with — not
Cyrillic, or one it leaves unchanged although Ukrainian would decline it —
gets the greeting without a name, never a wrongly declined one.
"""

import re

from django.utils.translation import gettext as _

CYRILLIC_NAME = re.compile(r"^[А-ЩЬЮЯҐЄІЇа-щьюяґєії\u02bc'’-]+$")
# Endings that a vocative must change in Ukrainian; if the result still ends
# like this, the declension failed.
_DECLINED_ENDINGS = ("а", "я", "о", "р", "н", "в", "д", "м", "й", "ь", "с", "л", "т")


def vocative(given_name: str, patronymic: str = "") -> str | None:
    """The given name (and patronymic) in the vocative, or None if unsure."""
    given_name, patronymic = given_name.strip(), patronymic.strip()
    if not given_name or not CYRILLIC_NAME.match(given_name):
        return None
    if patronymic and not CYRILLIC_NAME.match(patronymic):
        patronymic = ""
    try:
        from lesya import Lesya
    except ImportError:  # pragma: no cover - a pinned requirement
        return None
    parts = []
    for piece in given_name.split("-"):
        try:
            words = Lesya(f"{piece} {patronymic}".strip()).vocative.split()
        except Exception:  # the library raises bare errors on odd input
            return None
        if not words:
            return None
        parts.append(words[0])
        declined_patronymic = " ".join(words[1:])
    result = "-".join(parts)
    if result == given_name and given_name.lower().endswith(_DECLINED_ENDINGS):
        return None
    if patronymic:
        if not declined_patronymic or declined_patronymic == patronymic:
            return result
        result = f"{result} {declined_patronymic}"
    return result


def greeting(user) -> str:
    """«Добрий день, Ірино Петрівно!» or «Добрий день!»."""
    name = vocative(getattr(user, "first_name", ""), getattr(user, "patronymic", ""))
    if name:
        return _("Good day, %(name)s!") % {"name": name}
    return _("Good day!")
