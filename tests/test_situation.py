"""Who a plan is for: the profile and the target read into the facts the milestones follow."""

from __future__ import annotations

from typing import Any

from conversations.rules.situation import Situation, situation_of

SEED_EXAMPLE: dict[str, Any] = {
    "degree": "us_md",
    "specialty": "Internal Medicine",
    "step1": "pass",
    "step2": 223,
    "exam_failures": ["none"],
    "red_flags": ["none"],
    "home_support": "some",
}


def test_the_seeds_worked_example_needs_nothing_special() -> None:
    assert situation_of(SEED_EXAMPLE) == Situation(specialty="Internal Medicine")


def test_exam_branches_follow_the_seed() -> None:
    low = situation_of({**SEED_EXAMPLE, "step2": 215})
    assert (low.level3, low.level3_after_failure, low.retake, low.level2) == (
        "Step 3",
        False,
        "",
        "",
    )
    # 220 is the diagnosis's "low" line: 223 is not low.
    assert situation_of({**SEED_EXAMPLE, "step2": 220}).level3 == ""
    failed = situation_of({**SEED_EXAMPLE, "step2": "fail", "exam_failures": ["level2"]})
    assert (failed.retake, failed.level2, failed.level3) == ("Step 2 CK", "", "")
    passed_since = situation_of({**SEED_EXAMPLE, "exam_failures": ["level1"]})
    assert (passed_since.level3, passed_since.level3_after_failure) == ("Step 3", True)
    img = situation_of({**SEED_EXAMPLE, "degree": "img", "step2": "not_taken", "usce_months": 1})
    assert (img.level2, img.img, img.usce, img.level3) == ("Step 2 CK", True, True, "")
    assert not situation_of({**SEED_EXAMPLE, "degree": "img", "usce_months": 6}).usce


def test_a_do_is_planned_in_comlex() -> None:
    do = {
        "degree": "us_do",
        "specialty": "em",
        "comlex1": "fail",
        "comlex2": "not_taken",
        "took_usmle": "no",
        "exam_failures": ["level1"],
    }
    who = situation_of(do)
    assert (who.retake, who.level2, who.do, who.emergency) == (
        "COMLEX Level 1",
        "COMLEX Level 2-CE",
        True,
        True,
    )
    low = situation_of({**do, "comlex1": "pass", "comlex2": 430, "exam_failures": ["none"]})
    assert (low.retake, low.level2, low.level3) == ("", "", "COMLEX Level 3")


def test_the_committed_target_decides_the_specialty() -> None:
    assert situation_of({**SEED_EXAMPLE, "specialty": "EM"}).specialty == "Emergency Medicine"
    chosen = situation_of({**SEED_EXAMPLE, "specialty": "EM"}, "Family Medicine")
    assert chosen.specialty == "Family Medicine" and not chosen.emergency


def test_red_flags_come_from_the_record() -> None:
    assert situation_of({**SEED_EXAMPLE, "red_flags": ["loa"]}).red_flag
    assert not situation_of(SEED_EXAMPLE).red_flag


def test_it_survives_a_round_trip_and_odd_values() -> None:
    who = Situation(specialty="Psychiatry", level3="Step 3", img=True, usce=True)
    assert Situation.from_dict(who.as_dict()) == who
    assert Situation().as_dict() == {}
    assert Situation.from_dict({"img": "yes", "level3": 3, "nonsense": 1}) == Situation()
    assert Situation.from_dict(None) == Situation()
    assert situation_of(None) == Situation()
    assert situation_of({"step2": "lots", "exam_failures": 7, "degree": 3}) == Situation()
