from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class AgendaItemBlock(blocks.StructBlock):
    """One line of a programme: «11:15 Презентація …»."""

    time = blocks.TimeBlock(label=_("time"))
    title = blocks.CharBlock(label=_("item"), max_length=500)
    details = blocks.TextBlock(label=_("details"), required=False, max_length=2000)

    class Meta:
        icon = "time"
        label = _("agenda item")
        template = "content/participation/blocks/agenda_item.html"


class AgendaBlock(blocks.StreamBlock):
    item = AgendaItemBlock()

    class Meta:
        label = _("agenda")
