"""Every public page tells search engines and link previews what it is."""

from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.images.models import Image

import pytest

from stories.models import HomePage
from tests.factories import IdeaFactory
from tests.ideabank.images import png
from tests.site.html import head, one

pytestmark = pytest.mark.django_db
ROOT = "http://localhost"
DASH = "\u2013"


def test_home_page_has_title_description_canonical_and_open_graph(client, site_tree):
    page = head(client.get("/"))
    assert page.title.strip() == "Idébanken"
    assert one(page.links, "canonical") == f"{ROOT}/"
    description = one(page.meta, "description")
    assert description
    assert one(page.meta, "og:description") == description
    assert one(page.meta, "twitter:description") == description
    assert one(page.meta, "og:title") == site_tree.home.title
    assert one(page.meta, "og:url") == f"{ROOT}/"
    assert one(page.meta, "og:type") == "website"
    assert one(page.meta, "og:site_name") == "Idébanken"
    assert one(page.meta, "og:locale") == "nb_NO"
    assert one(page.meta, "twitter:card") == "summary"
    assert "og:image" not in page.meta


def test_search_description_is_used_when_the_editor_wrote_one(client, site_tree):
    site_tree.idea_index.search_description = "Alle idéer fra innbyggerne."
    site_tree.idea_index.save_revision().publish()
    page = head(client.get("/idebank/"))
    assert one(page.meta, "description") == "Alle idéer fra innbyggerne."
    assert one(page.meta, "og:title") == site_tree.idea_index.title


def test_a_page_describing_itself_wins_over_the_search_description(client, site_tree, monkeypatch):
    monkeypatch.setattr(
        HomePage, "get_meta_description", lambda self: "Fra sidens ingress.", raising=False
    )
    site_tree.home.search_description = "Søkebeskrivelse"
    site_tree.home.save_revision().publish()
    assert one(head(client.get("/")).meta, "description") == "Fra sidens ingress."


def test_seo_title_is_the_share_title(client, site_tree):
    site_tree.home.seo_title = "Idébanken i kommunen"
    site_tree.home.save_revision().publish()
    page = head(client.get("/"))
    assert page.title.strip() == "Idébanken i kommunen"
    assert one(page.meta, "og:title") == "Idébanken i kommunen"


def test_the_home_page_title_is_the_site_name_whatever_the_page_is_called(client, site_tree):
    site_tree.home.title = "Velkommen"
    site_tree.home.save_revision().publish()
    assert head(client.get("/")).title.strip() == "Idébanken"


def test_other_pages_add_the_site_name_to_their_title(client, site_tree):
    assert head(client.get("/historier/")).title.strip() == f"Historier {DASH} Idébanken"
    assert head(client.get("/personvern/")).title.strip() == f"Personvernerklæring {DASH} Idébanken"


def test_idea_listing_canonical_keeps_the_page_number_and_drops_filters(client, site_tree):
    for _ in range(25):
        IdeaFactory(published=True)
    page = head(client.get("/idebank/", {"q": "skole", "status": "received", "side": "2"}))
    assert one(page.links, "canonical") == f"{ROOT}/idebank/?side=2"
    page = head(client.get("/idebank/", {"side": "1<script>", "utm_source": "x"}))
    assert one(page.links, "canonical") == f"{ROOT}/idebank/"


def test_a_published_idea_describes_itself(client, site_tree):
    idea = IdeaFactory(
        published=True, title="Benker langs elva", body="Flere benker for eldre. " * 20
    )
    page = head(client.get(f"/idebank/{idea.pk}/"))
    assert page.title.strip() == f"Benker langs elva {DASH} Idébanken"
    assert one(page.links, "canonical") == f"{ROOT}/idebank/{idea.pk}/"
    assert one(page.meta, "og:url") == f"{ROOT}/idebank/{idea.pk}/"
    assert one(page.meta, "og:title") == "Benker langs elva"
    assert one(page.meta, "og:type") == "article"
    description = one(page.meta, "description")
    assert description.startswith("Flere benker for eldre.")
    assert len(description) <= 160
    assert one(page.meta, "og:description") == description


def test_idea_page_never_shares_contact_details(client, site_tree):
    idea = IdeaFactory(published=True, name="Ola Innsender", email="ola@example.org")
    html = client.get(f"/idebank/{idea.pk}/").content.decode()
    assert "Ola Innsender" not in html
    assert "ola@example.org" not in html


@pytest.mark.parametrize(
    ("language", "locale"), [("nb", "nb_NO"), ("nn", "nn_NO"), ("en", "en_GB")]
)
def test_open_graph_locale_follows_the_chosen_language(client, site_tree, language, locale):
    client.post("/sprak/", {"language": language, "next": "/"})
    page = head(client.get("/"))
    assert one(page.meta, "og:locale") == locale
    assert one(page.meta, "description")


def share_image() -> Image:
    upload = png("hero.png", size=(1600, 1000))
    return Image.objects.create(
        title="Familiehjelpa",
        file=SimpleUploadedFile(upload.name, upload.read(), content_type="image/png"),
    )


def test_a_page_with_a_share_image_gets_a_large_card(client, site_tree, monkeypatch):
    image = share_image()
    monkeypatch.setattr(HomePage, "get_meta_image", lambda self: image, raising=False)
    page = head(client.get("/"))
    url = one(page.meta, "og:image")
    assert url.startswith(f"{ROOT}/media/")
    assert "fill-1200x630" in url
    assert one(page.meta, "og:image:width") == "1200"
    assert one(page.meta, "og:image:height") == "630"
    assert one(page.meta, "twitter:card") == "summary_large_image"
    assert one(page.meta, "twitter:image") == url


def test_a_page_without_an_image_has_no_image_tags(client, site_tree, monkeypatch):
    monkeypatch.setattr(HomePage, "get_meta_image", lambda self: None, raising=False)
    page = head(client.get("/"))
    assert "og:image" not in page.meta
    assert "twitter:image" not in page.meta


def test_private_and_error_pages_are_kept_out_of_search_engines(client, site_tree):
    idea = IdeaFactory()
    for url in (f"/idebank/status/{idea.token}/", "/finnes-ikke/"):
        page = head(client.get(url))
        assert "canonical" not in page.links
        assert "og:url" not in page.meta
        assert "noindex" in one(page.meta, "robots")
