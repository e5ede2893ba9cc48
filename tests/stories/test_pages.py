"""The home page, a story and the standard pages as visitors see them."""

import pytest

from blt import services
from blt.choices import Phase
from stories.models import SiteLinks
from tests.factories import (
    FlokeFactory,
    IdeaFactory,
    KeyFigureFactory,
    ServiceAreaFactory,
    with_phase,
)
from tests.stories.factories import block, image_block, make_image, make_story

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def html_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_story_shows_title_lead_byline_date_and_body(client, site_tree):
    story = make_story(
        byline="Innovasjonsenheten",
        body=[block("heading", {"text": "Slik startet det", "level": "h2"})],
    )
    html = html_of(client, story.url)
    assert "<h1>Familiehjelpa samlet tjenestene</h1>" in html
    assert "Sju tjenester fant en felles dør inn" in html
    assert "By Innovasjonsenheten" in html
    assert 'datetime="2026-03-01"' in html
    assert "Slik startet det" in html


def test_story_hero_is_a_picture_that_is_not_lazy(client, site_tree):
    story = make_story(
        hero_image=make_image(),
        hero_alt_text="Tre foreldre ved et bord",
        hero_caption="Det første møtet",
        hero_credit="Kari Foto",
    )
    html = html_of(client, story.url)
    hero = html.split('<figure class="story__hero">')[1].split("</figure>")[0]
    assert 'alt="Tre foreldre ved et bord"' in hero
    assert 'type="image/avif"' in hero
    assert "loading=" not in hero
    assert "Photo: Kari Foto" in hero


def test_decorative_hero_has_an_empty_alt_text(client, site_tree):
    story = make_story(hero_image=make_image(), hero_alt_text="Glemt tekst", hero_decorative=True)
    hero = html_of(client, story.url).split('<figure class="story__hero">')[1].split("</figure>")[0]
    assert 'alt=""' in hero
    assert "Glemt tekst" not in hero
    assert "figcaption" not in hero


def test_hero_without_alt_text_is_refused_unless_decorative(site_tree):
    from django.core.exceptions import ValidationError

    story = make_story()
    story.hero_image = make_image()
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "hero_alt_text" in error.value.message_dict
    story.hero_decorative = True
    story.full_clean()


def test_story_linked_to_a_floke_shows_its_phase_after_a_transition(client, site_tree, innovation):
    floke = with_phase(
        FlokeFactory(
            title="Familier som faller mellom tjenestene",
            owner=innovation,
            learnings="Faste møtepunkter gir trygghet.",
            internal_notes="Hemmelig notat",
        ),
        Phase.LOSNING,
    )
    KeyFigureFactory(floke=floke, value=35, unit="familier")
    story = make_story(floke=floke)
    assert "Solution" in html_of(client, story.url)

    services.floke_transition(
        floke=floke,
        name="step_back",
        by=innovation,
        description="Intern grunn",
        public_reason="Vi må forstå behovet bedre.",
    )

    html = html_of(client, story.url)
    assert '<span class="status status--behov">Need</span>' in html
    assert "Phase changed to: need" in html
    assert "Vi må forstå behovet bedre." in html
    assert "35 familier" in html
    assert "Faste møtepunkter gir trygghet." in html
    assert "Hemmelig notat" not in html
    assert "Intern grunn" not in html


def test_story_without_a_floke_shows_no_pipeline_section(client, site_tree):
    assert "The innovation work behind" not in html_of(client, make_story().url)


def test_story_with_every_block_renders(client, site_tree):
    floke = FlokeFactory(title="Tjenestestøtte")
    story = make_story(
        body=[
            block("paragraph", "<p>Avsnitt</p>"),
            block("heading", {"text": "Overskrift", "level": "h3"}),
            block("quote", {"text": "Sitat", "person": "Per", "role": "leder"}),
            image_block(make_image()),
            block(
                "key_figures", {"heading": "", "figures": [{"value": "7", "label": "tjenester"}]}
            ),
            block(
                "benefits", {"heading": "", "short_term": ["Raskere"], "long_term": ["Billigere"]}
            ),
            block("fact_box", {"supplier": "Leverandør AS"}),
            block("call_to_action", {}),
            block("pipeline", {"floke": floke.pk, "show_timeline": True}),
        ]
    )
    html = html_of(client, story.url)
    for text in (
        "Avsnitt",
        "<h3",
        "Sitat",
        "<picture>",
        "tjenester",
        "Billigere",
        "Leverandør AS",
        "/idebank/send-inn/",
        "Tjenestestøtte",
    ):
        assert text in html


def test_story_links_its_service_areas_and_tags_to_the_filtered_index(client, site_tree):
    area = ServiceAreaFactory(name="Oppvekst", slug="oppvekst")
    story = make_story(service_areas=[area], tags=["samarbeid"])
    html = html_of(client, story.url)
    assert 'href="/historier/?area=oppvekst"' in html
    assert 'href="/historier/?tag=samarbeid"' in html


def test_home_page_shows_the_call_to_action_latest_stories_and_live_numbers(client, site_tree):
    for n in range(4):
        make_story(title=f"Historie {n}", date=f"2026-0{n + 1}-01")
    IdeaFactory()
    with_phase(FlokeFactory(), Phase.TESTING)
    with_phase(FlokeFactory(), Phase.IMPLEMENTED)
    html = html_of(client, "/")
    assert 'href="/idebank/send-inn/"' in html
    assert "Historie 3" in html and "Historie 1" in html
    assert "Historie 0" not in html
    figures = html.split('id="figures-title"')[1].split("</section>")[0]
    assert (
        '<span class="figure__number">1</span> <span class="figure__label">ideas received this year'
        in figures
    )
    assert (
        '<span class="figure__number">1</span> <span class="figure__label">solutions taken into use'
        in figures
    )
    assert '<span class="figure__number">1</span> <span class="figure__label">Testing' in figures


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/tilgjengelighet/", "Tilgjengelighetserklæring"),
        ("/personvern/", "Personvernerklæring"),
        ("/om-idebanken/", "Om idébanken"),
    ],
)
def test_standard_pages_are_served(client, site_tree, url, title):
    assert f"<h1>{title}</h1>" in html_of(client, url)


@pytest.mark.parametrize("url", ["/", "/idebank/", "/idebank/send-inn/", "/historier/"])
def test_every_footer_links_the_accessibility_statement_and_privacy_notice(client, site_tree, url):
    footer = html_of(client, url).split('<footer class="site-footer">')[1]
    assert 'href="/tilgjengelighet/">Accessibility statement</a>' in footer
    assert 'href="/personvern/">Privacy notice</a>' in footer


def test_the_external_accessibility_statement_wins_over_the_page(client, site_tree):
    statement = "https://uustatus.no/nb/erklaringer/publisert/abc"
    links = SiteLinks.objects.get()
    assert links.accessibility_statement_page_id == site_tree.accessibility.pk
    links.accessibility_statement_url = statement
    links.save()
    footer = html_of(client, "/").split('<footer class="site-footer">')[1]
    assert f'href="{statement}">Accessibility statement</a>' in footer
    assert 'href="/tilgjengelighet/"' not in footer


def test_without_an_external_statement_the_footer_links_the_page(client, site_tree):
    links = SiteLinks.objects.get()
    links.accessibility_statement_url = ""
    links.save()
    footer = html_of(client, "/").split('<footer class="site-footer">')[1]
    assert 'href="/tilgjengelighet/">Accessibility statement</a>' in footer


def submission_form(client) -> str:
    html = html_of(client, "/idebank/send-inn/")
    return html.split('<form class="idea-form"')[1].split("</form>")[0]


PRIVACY_LINK = "Read how we handle your personal data in the privacy notice"


def test_submission_form_links_the_privacy_notice_beside_the_editors_note(client, site_tree):
    form = submission_form(client)
    about_you = form.split("About you (optional)")[1].split('name="name"')[0]
    assert 'class="privacy-note"' in about_you
    assert f'<a href="/personvern/">{PRIVACY_LINK}</a>' in about_you


def test_submission_form_links_the_privacy_notice_even_without_the_editors_note(client, site_tree):
    site_tree.submit.privacy_note = ""
    site_tree.submit.save_revision().publish()
    form = submission_form(client)
    assert 'class="privacy-note"' not in form
    assert f'<a href="/personvern/">{PRIVACY_LINK}</a>' in form


def test_submission_form_links_the_privacy_notice_chosen_in_the_site_links(client, site_tree):
    links = SiteLinks.objects.get()
    links.privacy_notice_page = site_tree.about
    links.save()
    form = submission_form(client)
    assert f'<a href="/om-idebanken/">{PRIVACY_LINK}</a>' in form
    assert "/personvern/" not in form


def test_submission_form_has_no_privacy_link_when_none_is_chosen(client, site_tree):
    SiteLinks.objects.update(privacy_notice_page=None)
    assert PRIVACY_LINK not in submission_form(client)


def test_pages_give_the_meta_component_a_description_and_image(site_tree):
    image = make_image()
    story = make_story(hero_image=image, hero_alt_text="Et bord")
    assert story.get_meta_image() == image
    assert story.get_meta_description() == "Sju tjenester fant en felles dør inn for familiene."
    story.search_description = "Egen beskrivelse"
    assert story.get_meta_description() == "Egen beskrivelse"
    assert site_tree.about.get_meta_image() is None
    assert site_tree.about.get_meta_description().startswith("Idébanken er stedet")
    assert site_tree.home.get_meta_description().startswith("Har du en idé")


def test_home_and_index_follow_stories_published_and_unpublished(client, site_tree, settings):
    # The page cache is off: what the listings share across requests must still follow.
    settings.PAGE_CACHE_SECONDS = 0
    older = make_story(title="Eldre historie", date="2026-01-01")
    assert "Eldre historie" in html_of(client, "/")

    make_story(title="Ny historie", date="2026-06-01")
    older.unpublish()

    for url in ("/", "/historier/"):
        html = html_of(client, url)
        assert "Ny historie" in html
        assert "Eldre historie" not in html
