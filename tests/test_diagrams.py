"""Each flow's Mermaid diagram is generated from its declaration and committed up to date."""

from __future__ import annotations

from conversations.coach import FLOWS
from conversations.diagram import DOCS, mermaid


def test_committed_diagrams_match_the_flows() -> None:
    for flow in FLOWS.values():
        path = DOCS / f"{flow.name}.mmd"
        assert path.exists(), f"run `python -m conversations.diagram` to draw {flow.name}"
        assert path.read_text() == mermaid(flow), (
            f"{path.name} is stale: run `python -m conversations.diagram`"
        )


def test_the_diagram_shows_every_question_and_its_conditions() -> None:
    text = mermaid(FLOWS["onboarding"])
    for q in FLOWS["onboarding"].questions:
        assert f"    {q.key}[" in text
    assert '-->|"US DO only"| comlex1' in text
    assert '-->|"IMG only"| usce_months' in text
    assert 'timezone -->|"no, change it"| timezone' in text
