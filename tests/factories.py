import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

import factory

from ideabank.choices import Source, Status
from ideabank.models import Answer, Idea, ServiceArea


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Kari"
    last_name = factory.Sequence(lambda n: f"Nordmann{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@kommune.example")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*[Group.objects.get(name=name) for name in extracted])


class ServiceAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceArea
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Område {n}")
    slug = factory.Sequence(lambda n: f"omrade-{n}")


class IdeaFactory(factory.django.DjangoModelFactory):
    """An idea as it is after sending. Use `with_status` for later states."""

    class Meta:
        model = Idea
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"IDE-2026-{n + 1:04d}")
    title = factory.Sequence(lambda n: f"Bedre skilting ved skolen {n}")
    body = "Det er vanskelig å finne fram til inngangen for foreldre som henter barn."
    source = Source.RESIDENT
    name = "Ola Innsender"
    email = "ola@example.org"
    phone = "912 34 567"
    may_contact = True
    may_publish = True
    submission_key = factory.LazyFunction(uuid.uuid4)

    class Params:
        published = factory.Trait(
            is_published=True, published_at=factory.LazyFunction(timezone.now)
        )

    @factory.post_generation
    def service_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_areas.set(extracted)


def with_status(idea: Idea, status: str) -> Idea:
    """Put an idea straight into a state, bypassing the machine: only for test setup."""
    Idea.objects.filter(pk=idea.pk).update(
        status=status,
        closed_at=timezone.now()
        if status in (Status.DECLINED, Status.MERGED, Status.WITHDRAWN)
        else None,
    )
    return Idea.objects.get(pk=idea.pk)


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    idea = factory.SubFactory(IdeaFactory)
    text = "Takk for idéen. Vi ser på den sammen med skolen."


# BLT: flokes and their records.

from blt.choices import BenefitTerm, ExperimentStatus, InsightKind  # noqa: E402
from blt.models import (  # noqa: E402
    Benefit,
    CoCreation,
    Experiment,
    Floke,
    Insight,
    KeyFigure,
    TeamMember,
)


class FlokeFactory(factory.django.DjangoModelFactory):
    """A floke as it is when opened, in Behov. Use `with_phase` for later phases."""

    class Meta:
        model = Floke
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Familier som faller mellom tjenestene {n}")
    description = "Familier med sammensatte behov møter mange tjenester hver for seg."

    @factory.post_generation
    def team(self, create, extracted, **kwargs):
        if create and extracted:
            self.team.set(extracted)

    @factory.post_generation
    def service_areas(self, create, extracted, **kwargs):
        if create and extracted:
            self.service_areas.set(extracted)


def with_phase(floke: Floke, phase: str) -> Floke:
    """Put a floke straight into a phase, bypassing the machine: only for test setup."""
    Floke.objects.filter(pk=floke.pk).update(phase=phase)
    return Floke.objects.get(pk=floke.pk)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    floke = factory.SubFactory(FlokeFactory)
    name = factory.Sequence(lambda n: f"Deltaker {n}")
    role = "Innovasjonsskolen"


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    floke = factory.SubFactory(FlokeFactory)
    kind = InsightKind.INTERVIEW
    summary = "Foreldrene forteller om mange møter og lite sammenheng."
    people_count = 12


class CoCreationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoCreation

    floke = factory.SubFactory(FlokeFactory)
    activity = "Verksted med familier og tjenester"
    summary = "Vi tegnet familiens reise gjennom tjenestene sammen."


class ExperimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Experiment

    floke = factory.SubFactory(FlokeFactory)
    title = factory.Sequence(lambda n: f"Ukentlig innsjekk {n}")
    hypothesis = "En fast kontaktperson gir færre brudd i oppfølgingen."
    method = "Ukentlig innsjekk og utsjekk"
    participants = "Åtte familier og fire tjenester"
    status = ExperimentStatus.PLANNED

    class Params:
        finished = factory.Trait(
            status=ExperimentStatus.FINISHED,
            result="35 familier ble henvist gjennom 7 tjenester.",
            learnings="Faste møtepunkter gir trygghet.",
        )


class BenefitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Benefit

    floke = factory.SubFactory(FlokeFactory)
    term = BenefitTerm.SHORT
    planned = "Færre familier faller mellom tjenestene."
    indicator = "Antall henvisninger"


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    floke = factory.SubFactory(FlokeFactory)
    value = 35
    unit = "familier"
    label = "henvist gjennom 7 tjenester"
    source = "Fagsystemet"
