"""Specialty names typed any way are matched to the known list; free text stays free only
when nothing matches."""

from __future__ import annotations

import pytest

from conversations.rules.specialties import match_specialty
from tests.coach_chat import SEED_ONBOARDING, CoachChat, onboard_us_md, scripted_input


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("internal med", "Internal Medicine"),
        ("Internal medicine.", "Internal Medicine"),
        ("IM", "Internal Medicine"),
        ("internl medicine", "Internal Medicine"),
        ("EM", "Emergency Medicine"),
        ("emergency med", "Emergency Medicine"),
        ("ob/gyn", "OB/GYN"),
        ("Ob-Gyn", "OB/GYN"),
        ("obstetrics and gynecology", "OB/GYN"),
        ("peds", "Pediatrics"),
        ("pediatircs", "Pediatrics"),
        ("gen surg", "General Surgery"),
        ("gen surgery", "General Surgery"),
        ("general surgry", "General Surgery"),
        ("ortho", "Orthopaedic Surgery"),
        ("orthopedic surgery", "Orthopaedic Surgery"),
        ("fam med", "Family Medicine"),
        ("psych", "Psychiatry"),
        ("pyschiatry", "Psychiatry"),
        ("nuerology", "Neurology"),
        ("neuro surg", "Neurosurgery"),
        ("urology", "Urology"),
        ("rad onc", "Radiation Oncology"),
        ("anesthesiolgy", "Anesthesiology"),
        ("derm", "Dermatology"),
        ("dermatolgy", "Dermatology"),
        ("pathology", "Pathology"),
        ("PM&R", "Physical Medicine and Rehabilitation"),
        ("med peds", "Internal Medicine-Pediatrics"),
    ],
)
def test_typed_specialties_match_the_known_list(typed: str, known: str) -> None:
    assert match_specialty(typed) == known


@pytest.mark.parametrize(
    "typed", ["sports medicine fellowship", "undecided", "something with kids", "research"]
)
def test_free_text_stays_free_when_nothing_matches(typed: str) -> None:
    assert match_specialty(typed) is None


def test_internal_med_typed_at_onboarding_is_internal_medicine_and_target_offers_it_once() -> None:
    chat = CoachChat()
    for step in SEED_ONBOARDING:
        if step == ("tap", "Internal Medicine"):
            step = ("type", "internal med")
        chat.send(scripted_input(step, chat.last))
        if step == ("type", "internal med"):
            assert "Got it: Internal Medicine." in chat.said, "said back before the next question"
    assert chat.profile["specialty"] == "Internal Medicine"
    chat.command("target")
    assert not any(label.startswith("Stay with") for label in chat.labels())
    assert "Reapplying to Internal Medicine" in chat.said


def test_a_specialty_stored_as_typed_before_is_offered_by_its_known_name() -> None:
    chat = CoachChat()
    onboard_us_md(chat)
    chat.answers["onboarding"]["specialty"] = "internal med"  # stored before this was fixed
    chat.command("target")
    assert not any("internal med" in label for label in chat.labels())


def test_an_unknown_specialty_is_kept_as_typed_and_offered_to_stay_with() -> None:
    chat = CoachChat()
    for step in SEED_ONBOARDING:
        if step == ("tap", "Internal Medicine"):
            step = ("type", "Sports medicine fellowship")
        chat.send(scripted_input(step, chat.last))
    assert chat.profile["specialty"] == "Sports medicine fellowship"
    chat.command("target")
    assert "Stay with Sports medicine fellowship" in chat.labels()
