"""The BLT state diagram, drawn from the model so the docs cannot drift from the code.

`manage.py blt_diagram` writes docs/blt-states.md; a test fails when the file and
the machine disagree.
"""

import math
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.text import capfirst

from .choices import TRANSITION_LABELS, Phase
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


# The drawing in the admin help: the phases in a row, "stopped" below them.
BOX_WIDTH, BOX_HEIGHT = 150, 48
CENTRES = {
    Phase.BEHOV: (95, 50),
    Phase.LOSNING: (285, 50),
    Phase.TESTING: (475, 50),
    Phase.IMPLEMENTED: (665, 50),
    Phase.STOPPED: (380, 200),
}
WIDTH, HEIGHT = 760, 240
# How far the two arrows of a pair (forward and back) sit from each other's line.
PAIR_GAP = 9


def border_point(x: float, y: float, dx: float, dy: float) -> tuple[float, float]:
    """Where a line from a box's centre in direction (dx, dy) leaves the box."""
    reach = min(
        BOX_WIDTH / 2 / abs(dx) if dx else math.inf,
        BOX_HEIGHT / 2 / abs(dy) if dy else math.inf,
    )
    return round(x + dx * reach, 1), round(y + dy * reach, 1)


def arrows() -> list[dict]:
    """Every edge of the machine as a line between two boxes, in the active language."""
    pairs = {(source, target) for source, target, _ in edges()}
    drawn = []
    for source, target, name in edges():
        (x1, y1), (x2, y2) = CENTRES[source], CENTRES[target]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        dx, dy = dx / length, dy / length
        shift = PAIR_GAP if (target, source) in pairs else 0
        # Each arrow of a pair moves to its own left, so the two never overlap.
        x1, y1, x2, y2 = x1 + dy * shift, y1 - dx * shift, x2 + dy * shift, y2 - dx * shift
        start = border_point(x1, y1, dx, dy)
        end = border_point(x2, y2, -dx, -dy)
        drawn.append({"name": name, "x1": start[0], "y1": start[1], "x2": end[0], "y2": end[1]})
    return drawn


def boxes() -> list[dict]:
    return [
        {
            "phase": phase.value,
            "label": capfirst(phase.label),
            "x": x - BOX_WIDTH / 2,
            "y": y - BOX_HEIGHT / 2,
            "text_x": x,
            "text_y": y + 5,
        }
        for phase, (x, y) in CENTRES.items()
    ]


def needs(transition) -> list[str]:
    """What a step asks for: its gates, then what the method itself checks (`custom`)."""
    gates = [str(gate.missing) for gate in transition.conditions if hasattr(gate, "missing")]
    return gates + [str(need) for need in transition.custom.get("needs", ())]


def steps() -> list[dict]:
    """Every step, in the active language, with what it asks for."""
    transitions = {
        (t.source, t.target, t.name): t
        for t in Floke._meta.get_field("phase").get_all_transitions(Floke)
    }
    return [
        {
            "name": name,
            "label": TRANSITION_LABELS[name],
            "source": capfirst(Phase(source).label),
            "target": capfirst(Phase(target).label),
            "needs": needs(transitions[source, target, name]),
        }
        for source, target, name in edges()
    ]


def drawing() -> dict:
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "boxes": boxes(),
        "arrows": arrows(),
        "steps": steps(),
    }
