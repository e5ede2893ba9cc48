"""The BLT state diagram, drawn from the model so the docs cannot drift from the code.

`manage.py blt_diagram` writes docs/blt-states.md; a test fails when the file and
the machine disagree.
"""

from pathlib import Path

from django.conf import settings
from django.utils import translation

from .choices import Phase
from .models import Floke

DOC_PATH = Path(settings.BASE_DIR) / "docs" / "blt-states.md"

HEADER = """\
# The BLT state machine

Generated from `blt.models.Floke` by `python manage.py blt_diagram`; do not edit by hand.
A test fails when this file and the code disagree. Each arrow is a transition method;
gates and permissions live in `blt/conditions.py`.
"""


def edges() -> list[tuple[str, str, str]]:
    """(source, target, transition name) for every edge, in a stable order."""
    transitions = Floke._meta.get_field("phase").get_all_transitions(Floke)
    return sorted(
        {(t.source, t.target, t.name) for t in transitions},
        key=lambda edge: (Phase.values.index(edge[0]), Phase.values.index(edge[1]), edge[2]),
    )


def mermaid() -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {Phase.BEHOV.value}"]
    # English labels, whatever language the command runs in, so the file is stable.
    with translation.override("en"):
        lines += [f'    state "{phase.label} ({phase.value})" as {phase.value}' for phase in Phase]
    lines += [f"    {source} --> {target}: {name}" for source, target, name in edges()]
    return "\n".join(lines)


def document() -> str:
    return f"{HEADER}\n```mermaid\n{mermaid()}\n```\n"


def write(path: Path = DOC_PATH) -> bool:
    """Write the document; True when it changed."""
    text = document()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
