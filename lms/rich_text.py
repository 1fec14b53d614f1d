"""The rich-text editor of the admin, with an accessible name.

Wagtail's Draftail editor is a ``contenteditable`` box of role ``textbox``
beside a hidden input; the field's ``<label>`` points at the hidden input,
so the box itself had no name and axe reported every rich-text field of the
lesson form (``aria-input-field-name``): a screen reader announced "edit
text" with nothing to say which field it was. Draftail passes an
``ariaLabelledBy`` option to the box, and this widget gives it:

- a field rendered by the server (a ``RichTextField`` in a panel) is named
  by its label, which Wagtail's field template gives the id
  ``<field id>-label``;
- a rich-text block of a StreamField is rendered in the browser, where
  ``lms/js/admin/draftail_labels.js`` names it by the label of its field in a
  StructBlock, or by the heading of its block in the stream.

Selected by ``WAGTAILADMIN_RICH_TEXT_EDITORS`` in the settings, so every
rich-text field and block uses it without naming it.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.forms import Media
from django.utils.functional import cached_property
from wagtail.admin.rich_text.editors.draftail import (
    DraftailRichTextArea,
    DraftailRichTextAreaAdapter,
)
from wagtail.admin.telepath import register

LABEL_SCRIPT = "lms/js/admin/draftail_labels.js"


def label_id(field_id: str) -> str:
    """The id Wagtail's field template gives the label of the field ``field_id``."""
    return f"{field_id}-label"


class LabelledDraftailRichTextArea(DraftailRichTextArea):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        if field_id:
            options = {**self.options, "ariaLabelledBy": label_id(field_id)}
            context["widget"]["attrs"]["data-w-init-detail-value"] = json.dumps(
                options, cls=DjangoJSONEncoder
            )
        return context

    @cached_property
    def media(self):
        return super().media + Media(js=[LABEL_SCRIPT])


class LabelledDraftailRichTextAreaAdapter(DraftailRichTextAreaAdapter):
    js_constructor = "lms.widgets.LabelledDraftailRichTextArea"


register(LabelledDraftailRichTextAreaAdapter(), LabelledDraftailRichTextArea)
