"""Blocks for lesson bodies and other page bodies; one shared StreamBlock."""

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from content.sanitize import sanitize_html

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[
            ("h2", _("Heading 2")),
            ("h3", _("Heading 3")),
            ("h4", _("Heading 4")),
        ],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "courses/blocks/heading_block.html"
        preview_value = {"text": "Міжсекторальна взаємодія", "level": "h2"}
        description = _("A section heading inside the lesson")


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt_text = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image_block.html"
        description = _("An image with required alternative text")


def validate_video_url(value: str) -> None:
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("The video address must start with https://"))


class VideoBlock(blocks.StructBlock):
    """A video as a link or a local file, always with a transcript.

    Nothing is embedded from a third party: the page makes no external request
    and stays light on weak connections.
    """

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    url = blocks.URLBlock(
        label=_("Video address"), required=False, validators=[validate_video_url]
    )
    file = DocumentChooserBlock(label=_("Video file (MP4 or WebM)"), required=False)
    duration = blocks.CharBlock(label=_("Duration"), required=False, max_length=20)
    transcript = blocks.TextBlock(
        label=_("Transcript"),
        help_text=_("Full text of what is said, for people who cannot watch."),
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video_block.html"
        description = _("A video with a transcript")

    def clean(self, value):
        value = super().clean(value)
        if not value.get("url") and not value.get("file"):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Give a video address or a file."))
                }
            )
        return value


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Document"))
    title = blocks.CharBlock(label=_("Link text"), required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = _("Document")
        template = "courses/blocks/document_block.html"
        description = _("A file to download")


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("Kind"),
        choices=[
            ("note", _("Note")),
            ("example", _("Example")),
            ("warning", _("Warning")),
        ],
        default="note",
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout_block.html"
        description = _("A highlighted note, example or warning")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Source"), required=False, max_length=250)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "courses/blocks/quote_block.html"
        description = _("A quotation with its source")


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question or title"), max_length=250)
    answer = blocks.RichTextBlock(label=_("Answer"), features=RICH_TEXT_FEATURES)


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=200)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("Items"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Accordion / FAQ")
        template = "courses/blocks/accordion_block.html"
        description = _("Questions and answers that open one at a time")


class SanitizedHTMLBlock(blocks.RawHTMLBlock):
    """Raw HTML passed through the allow-list on save and again on render."""

    def value_from_form(self, value):
        return mark_safe(sanitize_html(value))  # noqa: S308 - cleaned by bleach

    def to_python(self, value):
        return mark_safe(sanitize_html(value))  # noqa: S308 - cleaned by bleach

    def normalize(self, value):
        # Values assigned in code (seed data, imports) are marked safe here too.
        return mark_safe(sanitize_html(str(value or "")))  # noqa: S308 - cleaned

    def get_prep_value(self, value):
        return sanitize_html(str(value))

    def render_basic(self, value, context=None):
        return mark_safe(sanitize_html(str(value)))  # noqa: S308 - cleaned

    class Meta:
        icon = "code"
        label = _("HTML (cleaned)")
        description = _("HTML limited to safe tags; scripts and styles are removed")


class TableWithCaptionBlock(blocks.StructBlock):
    caption = blocks.CharBlock(label=_("Caption"), max_length=250)
    table = TableBlock(
        label=_("Table"),
        table_options={"contextMenu": True, "startRows": 3, "startCols": 3},
    )

    class Meta:
        icon = "table"
        label = _("Table")
        template = "courses/blocks/table_block.html"
        description = _("A table with a caption and header row")


class BodyStreamBlock(blocks.StreamBlock):
    """The body of lessons and site pages."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"),
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="courses/blocks/paragraph_block.html",
        description=_("Formatted text"),
    )
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    quote = QuoteBlock()
    table = TableWithCaptionBlock()
    accordion = AccordionBlock()
    html = SanitizedHTMLBlock()


class LearningOutcomesBlock(blocks.StreamBlock):
    outcome = blocks.CharBlock(label=_("Learning outcome"), max_length=500, icon="tick")
