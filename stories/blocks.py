"""The StreamField blocks of a story. Each block renders with its own template in
`stories/templates/stories/blocks/`.

Blocks that point at rows (images, pages, flokes) load all of their values for a page in
one query per block type (Wagtail's `ChooserBlock.bulk_to_python`). The story page then
loads the renditions of all its images and the live rows of all its flokes in one go
(`stories.selectors.story_context`), so a story costs the same number of queries however
many images or pipeline blocks it has.
"""

import copy

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("heading"), max_length=160)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))],
        default="h2",
        help_text=_("Use level 2 for sections, level 3 for parts of a section."),
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "stories/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quote"), max_length=1000)
    person = blocks.CharBlock(label=_("person"), required=False, max_length=120)
    role = blocks.CharBlock(label=_("role"), required=False, max_length=160)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "stories/blocks/quote.html"


class AccessibleImageMixin:
    """Alt text is required unless the editor marks the image as decorative."""

    def clean(self, value):
        value = super().clean(value)
        if value.get("image") and not value.get("decorative") and not value.get("alt_text"):
            raise StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        _(
                            "Describe the image for those who cannot see it, "
                            "or mark it as decorative."
                        )
                    )
                }
            )
        return value


class ImageBlock(AccessibleImageMixin, blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_("What the image shows, for those who cannot see it."),
    )
    decorative = blocks.BooleanBlock(
        label=_("the image is decorative only"), required=False, default=False
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=300)
    credit = blocks.CharBlock(label=_("photo credit"), required=False, max_length=120)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "stories/blocks/image.html"


class KeyFigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(
        label=_("number"), max_length=40, help_text=_("For example “35” or “7 of 10”.")
    )
    label = blocks.CharBlock(label=_("what the number counts"), max_length=200)
    source = blocks.CharBlock(label=_("source"), required=False, max_length=200)
    as_of = blocks.DateBlock(label=_("as of"), required=False)

    class Meta:
        icon = "order"
        label = _("Key figure")


class KeyFiguresBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=160)
    figures = blocks.ListBlock(KeyFigureBlock(), label=_("figures"), min_num=1)

    class Meta:
        icon = "order"
        label = _("Key figures")
        template = "stories/blocks/key_figures.html"


class BenefitsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=160)
    short_term = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=_("short-term benefits"), min_num=0
    )
    long_term = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=_("long-term benefits"), min_num=0
    )

    class Meta:
        icon = "tick"
        label = _("Benefits")
        template = "stories/blocks/benefits.html"


class FactBoxBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=160)
    organisations = blocks.TextBlock(label=_("organisations"), required=False, max_length=500)
    supplier = blocks.CharBlock(label=_("supplier"), required=False, max_length=200)
    period = blocks.CharBlock(
        label=_("period"), required=False, max_length=120, help_text=_("For example “2023-2025”.")
    )
    contact = blocks.TextBlock(
        label=_("contact"),
        required=False,
        max_length=500,
        help_text=_("A unit or a public role; no private phone numbers."),
    )

    class Meta:
        icon = "info-circle"
        label = _("Fact box")
        template = "stories/blocks/fact_box.html"

    def clean(self, value):
        value = super().clean(value)
        if not any(value.get(name) for name in ("organisations", "supplier", "period", "contact")):
            raise StructBlockValidationError(
                non_block_errors=[ValidationError(_("Fill in at least one of the facts."))]
            )
        return value


class ShownFieldsMixin:
    """A chooser block whose rows load with only the fields the story shows of them.

    A story reads its chosen pages and flokes in full otherwise, dozens of columns
    (a floke's notes among them) for a title, a link and a phase. The editor loads
    what else it needs on its own.
    """

    shown_fields: tuple[str, ...] = ()

    def bulk_to_python(self, values):
        found = self.model_class.objects.only(*self.shown_fields).in_bulk(values)
        seen, result = set(), []
        for pk in values:
            row = found.get(pk)
            # One object for each time a row is chosen, as Wagtail's own chooser gives.
            result.append(copy.copy(row) if row is not None and pk in seen else row)
            seen.add(pk)
        return result


class LinkedPageChooserBlock(ShownFieldsMixin, blocks.PageChooserBlock):
    # A link needs the page's title and URL; `specific` needs its type.
    shown_fields = ("title", "url_path", "content_type")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=160)
    text = blocks.TextBlock(label=_("text"), required=False, max_length=500)
    link_text = blocks.CharBlock(label=_("link text"), required=False, max_length=80)
    page = LinkedPageChooserBlock(label=_("page"), required=False)
    url = blocks.URLBlock(label=_("or an address"), required=False)

    class Meta:
        icon = "link"
        label = _("Call to action")
        template = "stories/blocks/call_to_action.html"
        help_text = _("Leave the page and address empty to invite readers to send an idea.")


class FlokeChooserBlock(ShownFieldsMixin, blocks.ChooserBlock):
    """Choose a floke from a plain list; all flokes of a body load in one query."""

    target_model = "blt.Floke"
    # What `floke_facts.html` shows of the floke itself.
    shown_fields = ("title", "phase", "phase_changed_at", "learnings")

    @cached_property
    def widget(self):
        return forms.Select()

    def get_form_state(self, value):
        # A plain select, like a ChoiceBlock: its state is the chosen id.
        return blocks.FieldBlock.get_form_state(self, self.get_prep_value(value))

    class Meta:
        icon = "cogs"


class PipelineBlock(blocks.StructBlock):
    """A floke's live phase, key figures and learnings, as they are when the page is read."""

    floke = FlokeChooserBlock(label=_("floke"))
    heading = blocks.CharBlock(label=_("heading"), required=False, max_length=160)
    show_timeline = blocks.BooleanBlock(
        label=_("show the phase changes"), required=False, default=True
    )

    class Meta:
        icon = "cogs"
        label = _("From the pipeline")
        template = "stories/blocks/pipeline.html"


class StoryBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="stories/blocks/paragraph.html",
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    key_figures = KeyFiguresBlock()
    benefits = BenefitsBlock()
    fact_box = FactBoxBlock()
    call_to_action = CallToActionBlock()
    pipeline = PipelineBlock()

    class Meta:
        block_counts = {"pipeline": {"max_num": 3}}
