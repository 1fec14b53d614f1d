"""Creating demo pages: found by slug under their parent, else made and published."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from wagtail.fields import StreamField
from wagtail.models import Page, Site

from content.demo import DemoSeedError
from content.demo.assets import DemoAssets
from content.demo.quizzes import add_questions
from content.models import HomePage
from lms.site_address import host_and_port, site_url

# Keys in the page data that describe children, not fields of the page.
CHILD_KEYS = ("lessons", "questions")


@dataclass
class PageResult:
    page: Page
    created: bool


def resolve_block(block_type: str, value, assets: DemoAssets):
    """Replaces the asset keys used in the data with database ids."""
    if block_type == "image":
        return {**value, "image": assets.images[value["image"]]}
    if block_type == "document":
        return {**value, "document": assets.documents[value["document"]]}
    return value


def build_stream(model: type[Page], name: str, items: list, assets: DemoAssets):
    """A validated StreamField value from (block_type, value) pairs.

    Validating here means the seeded content is content an editor could have
    saved in the admin, so it never breaks a template later.
    """
    stream_block = model._meta.get_field(name).stream_block
    raw = [
        {"type": block_type, "value": resolve_block(block_type, value, assets)}
        for block_type, value in items
    ]
    return stream_block.clean(stream_block.to_python(raw))


def page_fields(model: type[Page], spec: dict, assets: DemoAssets) -> dict:
    fields = {}
    for name, value in spec.items():
        if name in CHILD_KEYS:
            continue
        if isinstance(model._meta.get_field(name), StreamField):
            value = build_stream(model, name, value, assets)
        fields[name] = value
    return fields


def publish(page: Page) -> None:
    """Publishes through a revision, so the admin shows the page's history."""
    page.save_revision(log_action="wagtail.create").publish()


def ensure_child(
    *, parent: Page, model: type[Page], spec: dict, assets: DemoAssets
) -> PageResult:
    """The child with the spec's slug; an existing one is left as editors made it."""
    existing = parent.get_children().filter(slug=spec["slug"]).first()
    if existing is not None:
        existing = existing.specific
        if not isinstance(existing, model):
            raise DemoSeedError(
                f"Сторінка «{existing.title}» ({existing.url_path}) має тип "
                f"{type(existing).__name__}, а очікувався {model.__name__}."
            )
        return PageResult(existing, created=False)
    page = model(**page_fields(model, spec, assets), live=False)
    parent.add_child(instance=page)
    publish(page)
    return PageResult(page, created=True)


def default_welcome_pages(root: Page):
    """The placeholder page Wagtail's migrations create; never a page with content."""
    plain_page = ContentType.objects.get_for_model(Page)
    return Page.objects.child_of(root).filter(content_type=plain_page, numchild=0)


def ensure_home(*, spec: dict, site_name: str, assets: DemoAssets) -> PageResult:
    """The home page, replacing Wagtail's welcome page and becoming the site root."""
    existing = HomePage.objects.first()
    if existing is not None:
        return PageResult(existing, created=False)
    root = Page.get_first_root_node()
    for welcome in default_welcome_pages(root):
        # Sites cascade with their root page; keep the row, re-pointed below.
        Site.objects.filter(root_page=welcome).update(root_page=root)
        welcome.delete()
    result = ensure_child(parent=root, model=HomePage, spec=spec, assets=assets)
    point_default_site(home=result.page, site_name=site_name)
    return result


def point_default_site(*, home: Page, site_name: str) -> None:
    site = Site.objects.filter(is_default_site=True).first() or Site()
    site.hostname, site.port = host_and_port(site_url())
    site.is_default_site = True
    site.root_page = home
    site.site_name = site_name
    site.save()


def ensure_tree(*, parent: Page, nodes: list, assets: DemoAssets) -> int:
    """Creates missing pages of a (model, spec, children) tree; counts them."""
    created = 0
    for model, spec, children in nodes:
        result = ensure_child(parent=parent, model=model, spec=spec, assets=assets)
        created += result.created
        if result.created and "questions" in spec:
            # Only a quiz made now gets questions: an existing one is the editors'.
            add_questions(quiz=result.page, specs=spec["questions"])
        created += ensure_tree(parent=result.page, nodes=children, assets=assets)
    return created
