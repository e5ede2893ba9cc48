"""The state diagram in the docs is drawn from the model and cannot drift from it."""

from django.core.management import CommandError, call_command

import pytest

from blt import diagram
from blt.models import Floke


def test_committed_diagram_matches_the_model():
    assert diagram.DOC_PATH.read_text(encoding="utf-8") == diagram.document(), (
        "docs/blt-states.md is out of date: run `python manage.py blt_diagram`"
    )


def test_every_transition_of_the_model_is_an_edge():
    transitions = Floke._meta.get_field("phase").get_all_transitions(Floke)
    drawn = diagram.mermaid()
    for transition in transitions:
        assert f"{transition.source} --> {transition.target}: {transition.name}" in drawn


def test_labels_are_english_whatever_the_active_language(settings):
    settings.LANGUAGE_CODE = "nb"
    assert 'state "need (behov)" as behov' in diagram.mermaid()


def test_check_fails_when_the_file_differs(tmp_path, monkeypatch):
    stale = tmp_path / "blt-states.md"
    stale.write_text("old\n", encoding="utf-8")
    monkeypatch.setattr(diagram, "DOC_PATH", stale)
    with pytest.raises(CommandError):
        call_command("blt_diagram", "--check")
    call_command("blt_diagram")
    assert stale.read_text(encoding="utf-8") == diagram.document()
    call_command("blt_diagram", "--check")
