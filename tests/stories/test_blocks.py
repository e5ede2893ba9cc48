"""Every story block renders with and without its optional parts, and checks its input."""

from datetime import date

from wagtail.blocks.struct_block import StructBlockValidationError

import pytest

from stories import blocks
from tests.factories import FlokeFactory, KeyFigureFactory
from tests.stories.factories import make_image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def render(block, raw, **context):
    return block.render(block.to_python(raw), context)


def test_paragraph_renders_rich_text():
    html = render(blocks.StoryBodyBlock().child_blocks["paragraph"], "<p>Hei <b>alle</b></p>")
    assert '<div class="rich-text"><p>Hei <b>alle</b></p></div>' in html


@pytest.mark.parametrize("level", ["h2", "h3"])
def test_heading_renders_at_the_chosen_level(level):
    html = render(blocks.HeadingBlock(), {"text": "Hva vi lærte", "level": level})
    assert f'<{level} class="story-heading">Hva vi lærte</{level}>' in html


def test_quote_renders_with_person_and_role():
    html = render(
        blocks.QuoteBlock(),
        {"text": "Vi fikk én dør inn.", "person": "Kari", "role": "mor til to"},
    )
    assert "<blockquote><p>Vi fikk én dør inn.</p></blockquote>" in html
    assert "Kari</span>, <span" in html
    assert "mor til to" in html


def test_quote_renders_without_person_and_role():
    html = render(blocks.QuoteBlock(), {"text": "Vi fikk én dør inn.", "person": "", "role": ""})
    assert "<blockquote>" in html
    assert "figcaption" not in html


def test_image_renders_a_picture_with_modern_formats_alt_caption_and_credit():
    image = make_image()
    html = render(
        blocks.ImageBlock(),
        {
            "image": image.pk,
            "alt_text": "Foreldre rundt et bord",
            "decorative": False,
            "caption": "Første møte",
            "credit": "Ola Foto",
        },
    )
    assert "<picture>" in html
    assert 'type="image/avif"' in html
    assert 'alt="Foreldre rundt et bord"' in html
    assert 'loading="lazy"' in html
    assert "srcset=" in html
    assert "Første møte" in html
    assert "Photo: Ola Foto" in html


def test_decorative_image_renders_with_empty_alt_and_no_caption():
    image = make_image()
    html = render(
        blocks.ImageBlock(),
        {"image": image.pk, "alt_text": "", "decorative": True, "caption": "", "credit": ""},
    )
    assert 'alt=""' in html
    assert "figcaption" not in html


def test_image_without_alt_text_is_refused_unless_decorative():
    block = blocks.ImageBlock()
    image = make_image()
    with pytest.raises(StructBlockValidationError) as error:
        block.clean(block.to_python({"image": image.pk, "alt_text": "", "decorative": False}))
    assert "alt_text" in error.value.block_errors
    block.clean(block.to_python({"image": image.pk, "alt_text": "", "decorative": True}))


def test_key_figures_render_with_source_and_date():
    html = render(
        blocks.KeyFiguresBlock(),
        {
            "heading": "I tall",
            "figures": [
                {"value": "35", "label": "familier", "source": "Fagsystemet", "as_of": "2025-06-30"}
            ],
        },
    )
    assert "I tall" in html
    assert '<span class="figure__number">35</span>' in html
    assert "Source: Fagsystemet" in html
    assert 'datetime="2025-06-30"' in html


def test_key_figures_render_without_heading_source_or_date():
    html = render(
        blocks.KeyFiguresBlock(),
        {
            "heading": "",
            "figures": [{"value": "7", "label": "tjenester", "source": "", "as_of": None}],
        },
    )
    assert "tjenester" in html
    assert "<h2" not in html
    assert "figure__source" not in html


def test_benefits_render_both_lists():
    html = render(
        blocks.BenefitsBlock(),
        {"heading": "", "short_term": ["Færre møter"], "long_term": ["Færre barnevernssaker"]},
    )
    assert "<h2>Benefits</h2>" in html
    assert "In the short term" in html and "Færre møter" in html
    assert "In the long term" in html and "Færre barnevernssaker" in html


def test_benefits_leave_out_an_empty_list():
    html = render(
        blocks.BenefitsBlock(),
        {"heading": "Gevinster", "short_term": ["Færre møter"], "long_term": []},
    )
    assert "<h2>Gevinster</h2>" in html
    assert "In the long term" not in html


def test_fact_box_renders_every_fact():
    html = render(
        blocks.FactBoxBlock(),
        {
            "heading": "",
            "organisations": "Helsestasjonen\nBarnehagene",
            "supplier": "Ingen",
            "period": "2023-2025",
            "contact": "Innovasjonsenheten",
        },
    )
    for text in (
        "Facts",
        "Helsestasjonen<br>Barnehagene",
        "Supplier",
        "2023-2025",
        "Innovasjonsenheten",
    ):
        assert text in html


def test_fact_box_leaves_out_empty_facts_and_needs_at_least_one():
    block = blocks.FactBoxBlock()
    raw = {"heading": "", "organisations": "", "supplier": "", "period": "2024", "contact": ""}
    html = render(block, raw)
    assert "Period" in html
    assert "Supplier" not in html
    with pytest.raises(StructBlockValidationError):
        block.clean(block.to_python({**raw, "period": ""}))


def test_call_to_action_without_a_link_invites_to_send_an_idea(site_tree):
    html = render(
        blocks.CallToActionBlock(),
        {"heading": "", "text": "", "link_text": "", "page": None, "url": ""},
    )
    assert "Do you have an idea?" in html
    assert 'href="/idebank/send-inn/"' in html
    assert "Send an idea" in html


def test_call_to_action_links_the_chosen_page_or_address(site_tree):
    block = blocks.CallToActionBlock()
    to_page = render(
        block,
        {
            "heading": "Les mer",
            "text": "Om arbeidet",
            "link_text": "",
            "page": site_tree.about.pk,
            "url": "",
        },
    )
    assert 'href="/om-idebanken/"' in to_page
    assert "Les mer" in to_page and "Om arbeidet" in to_page
    to_url = render(
        block,
        {
            "heading": "",
            "text": "",
            "link_text": "Rapporten",
            "page": None,
            "url": "https://example.org/r",
        },
    )
    assert 'href="https://example.org/r"' in to_url
    assert "Rapporten" in to_url


def test_pipeline_block_shows_the_flokes_live_phase_figures_and_learnings():
    floke = FlokeFactory(title="Familiehjelpa", learnings="Faste møtepunkter gir trygghet.")
    KeyFigureFactory(floke=floke, value=35, unit="familier", as_of=date(2025, 6, 30))
    html = render(blocks.PipelineBlock(), {"floke": floke.pk, "heading": "", "show_timeline": True})
    assert "From the innovation work: Familiehjelpa" in html
    assert "status--behov" in html
    assert "35 familier" in html
    assert "Faste møtepunkter gir trygghet." in html


def test_pipeline_block_without_a_floke_renders_nothing():
    html = render(blocks.PipelineBlock(), {"floke": None, "heading": "", "show_timeline": False})
    assert html.strip() == ""


def test_pipeline_block_whose_floke_was_deleted_renders_nothing():
    floke = FlokeFactory()
    raw = {"floke": floke.pk, "heading": "Fra arbeidet", "show_timeline": True}
    floke.delete()
    assert render(blocks.PipelineBlock(), raw).strip() == ""
