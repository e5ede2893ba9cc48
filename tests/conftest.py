import os

from django.conf import settings

import pytest

from config import roles
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.IDEABANK = {**settings.IDEABANK, "MIN_FILL_SECONDS": 0}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
        # Tests render templates without running collectstatic first.
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _staff_sessions_in_one_minute(request, monkeypatch):
    """Query counts must not hang on the clock.

    A staff session is saved again once a minute (accounts.middleware), and a minute
    can end between two requests a test counts. Only the session tests see the clock.
    """
    if request.node.path.parent.name != "accounts":
        monkeypatch.setattr("accounts.middleware.current_minute", lambda: 0)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def no_page_cache(settings):
    """Render every request: for tests that count what rendering a page costs."""
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture
def employee(db):
    return UserFactory(
        username="ansatt", first_name="Anne", last_name="Ansatt", groups=[roles.EMPLOYEE]
    )


@pytest.fixture
def innovation(db):
    return UserFactory(username="innovasjon", groups=[roles.INNOVATION])


@pytest.fixture
def communications(db):
    return UserFactory(username="kommunikasjon", groups=[roles.COMMUNICATIONS])


@pytest.fixture
def administrator(db):
    user = UserFactory(username="admin")
    user.is_superuser = True
    user.is_staff = True
    user.save()
    return user


ROLES = ["anonymous", "employee", "innovation", "communications", "administrator"]


@pytest.fixture
def user_for_role(request, db):
    """Return a function giving the user for a role name (None for anonymous)."""

    def get(role):
        return None if role == "anonymous" else request.getfixturevalue(role)

    return get


def uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"].endswith("postgresql")


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not uses_postgres():
            item.add_marker(skip_pg)


os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def restore_wagtail_basics():
    """Wagtail's root page, root collection and default locale, as its migrations leave them.

    A transactional test empties the database; `post_migrate` brings back permissions and
    the role groups, but not these rows, so tests after it put them back.
    """
    from wagtail.models import Collection, Locale, Page

    from config import roles

    Locale.objects.get_or_create(language_code="nb")
    restored = False
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
        restored = True
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
        restored = True
    if restored:
        # The role groups' image permissions hang on the root collection.
        roles.ensure_roles()


@pytest.fixture
def site_tree(db):
    from config.site_tree import ensure_site_tree

    restore_wagtail_basics()
    return ensure_site_tree()
