"""Bench learners' profiles: names, where they work, their post.

Oblasts and categories come from the database with the weights of
``organisations``; hromadas are those of the learner's own oblast. An oblast
without any gets a handful of synthetic ones (``SYNTHETIC_PREFIX`` codes,
«Тестова-N» names), made once and reused by later runs.
"""

import random
from dataclasses import dataclass
from itertools import accumulate

from content.benchdata import BENCH_DOMAIN, BenchDataError
from content.benchdata import names as N
from content.benchdata import organisations as O
from lms.models import Hromada, Oblast, PositionCategory

# No КАТОТТГ code starts with 99 (first-level codes run from 01 to 85).
SYNTHETIC_PREFIX = "UA99"
SYNTHETIC_PER_OBLAST = 5
SYNTHETIC_KINDS = ("urban", "settlement", "rural", "rural", "rural")
KIND_ADJECTIVES = {"urban": "міська", "settlement": "селищна", "rural": "сільська"}


@dataclass(frozen=True)
class Community:
    id: int
    council: str  # «Вінницька міська рада»
    of_council: str  # «Вінницької міської ради»


@dataclass(frozen=True)
class Place:
    oblast_id: int
    code: str
    in_oblast: str  # «у Вінницькій області»
    administration: str
    council: str  # the oblast's (or city's) own council
    communities: tuple[Community, ...]
    community_weights: tuple[float, ...]  # cumulative


@dataclass(frozen=True)
class Category:
    id: int
    code: str
    service: str


@dataclass(frozen=True)
class Directory:
    """Reference data to draw profiles from, read once per run."""

    places: tuple[Place, ...]
    place_weights: tuple[float, ...]  # cumulative
    categories: tuple[Category, ...]
    category_weights: tuple[float, ...]  # cumulative
    synthetic_hromadas: int  # made by this run


@dataclass(frozen=True)
class Person:
    female: bool
    last_name: str
    first_name: str
    patronymic: str
    email: str
    oblast_id: int
    hromada_id: int | None
    position_category_id: int
    position_title: str
    organisation: str

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name} {self.patronymic}"


def load_directory() -> Directory:
    """Oblasts with their hromadas (synthetic where none) and the categories."""
    oblasts = list(Oblast.objects.order_by("sort_order", "pk"))
    categories = list(PositionCategory.objects.order_by("sort_order", "pk"))
    if not oblasts or not categories:
        raise BenchDataError(
            "Немає областей або категорій посад: спершу застосуйте міграції "
            "(manage.py migrate)."
        )
    created = sum(_ensure_hromadas(oblast) for oblast in oblasts)
    by_oblast: dict[int, list[Hromada]] = {}
    for hromada in Hromada.objects.order_by("code"):
        by_oblast.setdefault(hromada.oblast_id, []).append(hromada)
    places = tuple(_place(oblast, by_oblast.get(oblast.pk, [])) for oblast in oblasts)
    return Directory(
        places=places,
        place_weights=_cumulative(O.OBLAST_WEIGHTS.get(p.code) for p in places),
        categories=tuple(Category(c.pk, c.code, c.service) for c in categories),
        category_weights=_cumulative(
            O.CATEGORY_WEIGHTS.get(c.code) for c in categories
        ),
        synthetic_hromadas=created,
    )


def _cumulative(weights) -> tuple[float, ...]:
    return tuple(accumulate(O.DEFAULT_WEIGHT if w is None else w for w in weights))


def _ensure_hromadas(oblast: Oblast) -> int:
    """Synthetic hromadas for an oblast that has none; returns how many were made."""
    if oblast.code in O.NO_HROMADA_OBLASTS or oblast.hromadas.exists():
        return 0
    adjective = _forms(oblast)[0]
    made = 0
    for n, kind in enumerate(SYNTHETIC_KINDS, start=1):
        _hromada, created = Hromada.objects.get_or_create(
            code=f"{SYNTHETIC_PREFIX}{oblast.pk:04d}{n:011d}",
            defaults={
                "name": f"Тестова-{n} {KIND_ADJECTIVES[kind]} територіальна громада "
                f"({adjective} обл.)",
                "oblast": oblast,
                "kind": kind,
            },
        )
        made += created
    return made


def _forms(oblast: Oblast) -> tuple[str, str, str, str]:
    """(adjective, «у … області», its administration, its council)."""
    if oblast.code in O.OBLAST_FORMS:
        adjective, in_oblast = O.OBLAST_FORMS[oblast.code]
        if oblast.code == O.CRIMEA:
            return adjective, in_oblast, O.CRIMEA_BODY, O.CRIMEA_BODY
        return (adjective, in_oblast, f"{adjective} військова адміністрація",
                f"{adjective} рада")  # fmt: skip
    adjective = oblast.name.removesuffix(" область")
    in_oblast = f"у {adjective.removesuffix('а')}ій області"
    if adjective == oblast.name:  # not «… область»: an administrator's own unit
        in_oblast = f"({oblast.name})"
    administration = f"{adjective} обласна військова адміністрація"
    return adjective, in_oblast, administration, f"{adjective} обласна рада"


def _place(oblast: Oblast, hromadas: list[Hromada]) -> Place:
    _adjective, in_oblast, administration, council = _forms(oblast)
    if oblast.code in O.NO_HROMADA_OBLASTS:
        hromadas = []
    return Place(
        oblast_id=oblast.pk,
        code=oblast.code,
        in_oblast=in_oblast,
        administration=administration,
        council=council,
        communities=tuple(_community(h) for h in hromadas),
        community_weights=_cumulative(O.KIND_WEIGHTS.get(h.kind) for h in hromadas),
    )


def _community(hromada: Hromada) -> Community:
    name, note = hromada.name, ""
    if name.endswith(")") and " (" in name:  # a synthetic one's «(… обл.)»
        name, note = name.rsplit(" (", 1)
        note = f" ({note}"
    # «Вінницька міська територіальна громада» → «Вінницька міська рада».
    council = name.removesuffix(" територіальна громада")
    if council == name:
        name = hromada.name
        return Community(hromada.pk, f"Рада громади «{name}»", f"Ради громади «{name}»")
    return Community(
        hromada.pk, f"{council} рада{note}", f"{_genitive(council)} ради{note}"
    )


def _genitive(adjectives: str) -> str:
    """«Вінницька міська» → «Вінницької міської» (feminine adjectives in -а)."""
    return " ".join(
        word[:-1] + "ої" if word.endswith("а") else word for word in adjectives.split()
    )


def draw_person(rng: random.Random, directory: Directory, ordinal: int) -> Person:
    """One learner's profile; ``ordinal`` makes the e-mail address unique."""
    female = rng.random() < N.FEMALE_SHARE
    surname = rng.choice(N.SURNAMES)[female]
    given = rng.choice(N.FEMALE_NAMES if female else N.MALE_NAMES)
    patronymic = rng.choice(N.PATRONYMICS)[female]
    place = rng.choices(directory.places, cum_weights=directory.place_weights)[0]
    category = rng.choices(
        directory.categories, cum_weights=directory.category_weights
    )[0]
    community = _draw_community(rng, place, category)
    email = (
        f"{N.transliterate(given)}.{N.transliterate(surname)}.{ordinal}@{BENCH_DOMAIN}"
    )
    return Person(
        female=female,
        last_name=surname,
        first_name=given,
        patronymic=patronymic,
        email=email,
        oblast_id=place.oblast_id,
        hromada_id=community.id if community else None,
        position_category_id=category.id,
        position_title=_post(rng, category),
        organisation=_organisation(rng, place, category, community),
    )


def _draw_community(rng, place: Place, category: Category) -> Community | None:
    if not place.communities:
        return None
    if rng.random() >= O.HROMADA_SHARE.get(category.service, 0.5):
        return None
    return rng.choices(place.communities, cum_weights=place.community_weights)[0]


def _post(rng, category: Category) -> str:
    template = rng.choice(O.POSTS.get(category.code, O.DEFAULT_POSTS))
    return template.format(domain=rng.choice(O.DOMAINS))


def _organisation(rng, place: Place, category: Category, community) -> str:
    if category.service == PositionCategory.Service.LOCAL:
        if community is None:
            return place.council
        template = rng.choice(O.COUNCIL_BODIES)
        return template.format(
            council=community.council, of_council=community.of_council
        )
    if category.service == PositionCategory.Service.OTHER:
        return rng.choice(O.OTHER_BODIES).format(in_oblast=place.in_oblast)
    if place.code == O.KYIV and rng.random() < 0.5:
        return rng.choice(O.CENTRAL_BODIES)  # ministries sit in Kyiv
    return rng.choice(O.REGIONAL_BODIES).format(
        administration=place.administration, in_oblast=place.in_oblast
    )
