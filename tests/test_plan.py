"""Tests for conversations.rules.plan: cycle files, choosing a cycle, and the plan's dates.

Every date is fixed in the test: nothing here (or in plan.py) reads the real clock.
"""

from __future__ import annotations

import inspect
import tomllib
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest

from conversations.rules import plan as plan_module
from conversations.rules.plan import (
    EFFORT_CATEGORIES,
    MIN_PREP_DAYS,
    REQUIRED_DATES,
    CycleDataError,
    Plan,
    active_phases,
    available_seasons,
    build_plan,
    choose_cycle,
    done_milestones,
    effort_for,
    load_cycle,
    month_of_plan,
    next_cycles,
    next_deadlines,
    parse_cycle,
    plan_from_basis,
    progress_bar,
    still_open,
)
from conversations.rules.situation import Situation

MARCH_START = date(2026, 3, 25)  # the Wednesday after Match Week 2026
AUGUST_START = date(2026, 8, 10)
TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def march_plan() -> Plan:
    return build_plan(MARCH_START, 2027)


def phase(plan: Plan, key: str) -> Any:
    return next(p for p in plan.phases if p.key == key)


def milestone(plan: Plan, key: str) -> Any:
    return next(m for m in plan.milestones if m.key == key)


# --------------------------------------------------------------------------- cycle files


def test_seasons_2026_to_2029_are_available() -> None:
    assert available_seasons()[:4] == [2026, 2027, 2028, 2029]


@pytest.mark.parametrize("season", available_seasons())
def test_every_cycle_file_loads_with_sources_and_documented_order(season: int) -> None:
    cycle = load_cycle(season)
    assert cycle.season == season
    assert set(REQUIRED_DATES) <= set(cycle.dates)
    for name, entry in cycle.dates.items():
        assert entry.source.strip(), name
        assert entry.label.strip(), name
        assert isinstance(entry.estimate, bool), name
    d = cycle.day
    assert d("eras_opens") < d("submissions_open") < d("programs_review") <= d("mspe_release")
    assert d("nrmp_registration") < d("rol_deadline") < d("match_day")
    assert d("submissions_open") < d("rol_deadline")
    # The season is the Match year: apply in September of the year before.
    assert d("match_day").year == season
    assert d("submissions_open") == date(season - 1, 9, d("submissions_open").day)
    # Match Day is the third Friday of March.
    assert d("match_day").weekday() == 4 and 15 <= d("match_day").day <= 21
    # Estimated dates say so in their source.
    for entry in cycle.dates.values():
        assert entry.estimate == entry.source.startswith("Estimate")


def test_season_2026_has_the_published_dates() -> None:
    cycle = load_cycle(2026)
    assert cycle.day("eras_opens") == date(2025, 6, 4)
    assert cycle.day("submissions_open") == date(2025, 9, 3)
    assert cycle.day("programs_review") == date(2025, 9, 24)
    assert cycle.day("mspe_release") == date(2025, 9, 24)
    assert cycle.day("nrmp_registration") == date(2025, 9, 15)
    assert cycle.day("match_day") == date(2026, 3, 20)
    assert not cycle.has_estimates
    assert "AAMC" in cycle.dates["submissions_open"].source
    assert "NRMP" in cycle.dates["match_day"].source


@pytest.mark.parametrize("season", [2027, 2028, 2029])
def test_unpublished_seasons_are_flagged_as_estimates(season: int) -> None:
    cycle = load_cycle(season)
    assert all(entry.estimate for entry in cycle.dates.values())


def test_cycle_files_are_package_data_named_by_season() -> None:
    names = {e.name for e in resources.files("conversations.rules.cycles").iterdir()}
    assert {f"eras_{s}.toml" for s in (2026, 2027, 2028, 2029)} <= names
    raw = tomllib.loads(
        resources.files("conversations.rules.cycles").joinpath("eras_2027.toml").read_text("utf-8")
    )
    assert raw["season"] == 2027


def valid_data() -> dict[str, Any]:
    def entry(day: date) -> dict[str, Any]:
        return {"label": "x", "day": day, "estimate": False, "source": "AAMC, a timeline"}

    return {
        "season": 2030,
        "dates": {
            "eras_opens": entry(date(2029, 6, 6)),
            "submissions_open": entry(date(2029, 9, 5)),
            "programs_review": entry(date(2029, 9, 26)),
            "mspe_release": entry(date(2029, 9, 26)),
            "nrmp_registration": entry(date(2029, 9, 15)),
            "rol_deadline": entry(date(2030, 3, 6)),
            "match_day": entry(date(2030, 3, 22)),
        },
    }


def test_parse_cycle_accepts_valid_data() -> None:
    cycle = parse_cycle(valid_data())
    assert cycle.season == 2030
    assert cycle.match_day == date(2030, 3, 22)


@pytest.mark.parametrize(
    ("name", "field", "value", "message"),
    [
        ("match_day", "source", "  ", "source"),
        ("match_day", "estimate", "yes", "estimate"),
        ("match_day", "day", "2030-03-22", "date"),
        ("programs_review", "day", date(2029, 9, 1), "submissions_open must come before"),
        ("rol_deadline", "day", date(2030, 3, 30), "rol_deadline must come before match_day"),
        ("nrmp_registration", "day", date(2030, 3, 10), "nrmp_registration must come before"),
        ("mspe_release", "day", date(2029, 9, 20), "mspe_release cannot come before"),
    ],
)
def test_parse_cycle_refuses_bad_data(name: str, field: str, value: object, message: str) -> None:
    data = valid_data()
    data["dates"][name][field] = value
    with pytest.raises(CycleDataError, match=message):
        parse_cycle(data)


def test_parse_cycle_refuses_missing_dates_and_wrong_year() -> None:
    data = valid_data()
    del data["dates"]["rol_deadline"]
    with pytest.raises(CycleDataError, match="missing dates: rol_deadline"):
        parse_cycle(data)
    data = valid_data()
    data["season"] = 2031
    with pytest.raises(CycleDataError, match="Match Day must fall"):
        parse_cycle(data)


def test_unknown_season_is_a_clear_error() -> None:
    with pytest.raises(CycleDataError, match="No cycle file for season 1999"):
        load_cycle(1999)


def test_next_cycles_are_those_still_ahead() -> None:
    assert [c.season for c in next_cycles(MARCH_START)][:3] == [2027, 2028, 2029]
    assert [c.season for c in next_cycles(TODAY)][:2] == [2028, 2029]
    # On the day submissions open, that season is no longer "next".
    assert next_cycles(date(2026, 9, 2))[0].season == 2028


# --------------------------------------------------------------------------- choosing a cycle


def test_march_start_aims_at_the_coming_september() -> None:
    choice = choose_cycle(MARCH_START)
    assert not choice.too_soon
    assert choice.recommended.season == 2027
    assert choice.alternative is None
    assert choice.prep_days >= MIN_PREP_DAYS
    assert "2027 Match" in choice.explanation
    assert "(estimated)" in choice.explanation


def test_august_start_is_too_soon_and_recommends_the_full_year() -> None:
    choice = choose_cycle(AUGUST_START)
    assert choice.too_soon
    assert choice.nearest.season == 2027
    assert choice.prep_days == 23
    assert choice.recommended.season == 2028
    assert choice.alternative is not None and choice.alternative.season == 2027
    text = choice.explanation
    assert "2028 Match" in text and "2027 Match" in text
    assert "Apply now" in text and "full year" in text
    assert "3 weeks" in text


def test_todays_start_targets_the_2028_season() -> None:
    choice = choose_cycle(TODAY)
    assert not choice.too_soon
    assert choice.recommended.season == 2028
    assert build_plan(TODAY, choice.recommended.season).end == date(2028, 3, 17)


def test_too_soon_threshold_is_about_four_months() -> None:
    opening = load_cycle(2027).submissions_open
    assert not choose_cycle(opening - timedelta(days=MIN_PREP_DAYS)).too_soon
    assert choose_cycle(opening - timedelta(days=MIN_PREP_DAYS - 1)).too_soon


def test_explanations_are_kind() -> None:
    for start in (MARCH_START, AUGUST_START, TODAY):
        text = choose_cycle(start).explanation.lower()
        for word in ("fail", "should have", "your fault", "wasted"):
            assert word not in text


def test_no_cycle_data_ahead_is_a_lookup_error() -> None:
    with pytest.raises(LookupError):
        choose_cycle(date(2040, 1, 1))


# --------------------------------------------------------------------------- the March plan


def test_march_plan_submits_around_month_six(march_plan: Plan) -> None:
    submitted = milestone(march_plan, "eras_submitted")
    assert submitted.due.month == 9 and submitted.due.year == 2026
    assert month_of_plan(march_plan, march_plan.cycle.submissions_open) == 6
    assert month_of_plan(march_plan, submitted.due) == 6
    assert phase(march_plan, "apply").start == march_plan.cycle.submissions_open


def test_march_plan_milestones_in_order_inside_the_plan(march_plan: Plan) -> None:
    dues = [m.due for m in march_plan.milestones]
    assert dues == sorted(dues)
    assert all(march_plan.start <= d <= march_plan.end for d in dues)
    keys = [m.key for m in march_plan.milestones]
    expected_order = [
        "post_mortem",
        "target",
        "role_secured",
        "letters_asked",
        "abstracts",
        "personal_statement",
        "program_list",
        "manuscript",
        "eras_submitted",
        "programs_review",
        "rol_deadline",
        "match_day",
    ]
    assert [k for k in keys if k in expected_order] == expected_order
    assert len(set(keys)) == len(keys)


def test_march_plan_milestones_follow_the_seed(march_plan: Plan) -> None:
    start = march_plan.start
    assert 7 <= (milestone(march_plan, "post_mortem").due - start).days <= 14
    assert 10 <= (milestone(march_plan, "target").due - start).days <= 21
    role = milestone(march_plan, "role_secured").due
    assert role <= start + timedelta(days=92)  # by month 3
    assert milestone(march_plan, "letters_asked").due - role == timedelta(weeks=8)
    opening = march_plan.cycle.submissions_open
    # Letters, statement, program list, abstracts and manuscript come before submission.
    for key in ("letters_asked", "abstracts", "personal_statement", "program_list", "manuscript"):
        assert milestone(march_plan, key).due <= opening, key
    assert month_of_plan(march_plan, milestone(march_plan, "abstracts").due) < 7
    # Submitted early: within the first week, well before programs start reviewing.
    submitted = milestone(march_plan, "eras_submitted").due
    assert opening <= submitted < opening + timedelta(days=7)
    assert submitted < march_plan.cycle.day("programs_review")
    assert milestone(march_plan, "interview_prep").due <= march_plan.cycle.day("programs_review")
    assert milestone(march_plan, "match_day").due == march_plan.end == date(2027, 3, 19)


def test_milestone_kinds_and_estimates(march_plan: Plan) -> None:
    kinds = {m.key: m.kind for m in march_plan.milestones}
    assert kinds["post_mortem"] == "milestone"
    assert kinds["eras_submitted"] == "deadline"
    assert kinds["rol_deadline"] == "deadline"
    assert kinds["match_day"] == "cycle"
    for m in march_plan.milestones:
        assert m.ready.strip() and m.title.strip()
        if m.cycle_date is None:
            assert not m.estimate
        else:
            assert m.estimate == march_plan.cycle.dates[m.cycle_date].estimate
    # 2027 is estimated throughout: every cycle-derived milestone says so.
    assert all(m.estimate for m in march_plan.milestones if m.cycle_date)


def test_published_cycle_dates_are_not_flagged() -> None:
    plan = build_plan(date(2025, 3, 26), 2026)
    assert not any(m.estimate for m in plan.milestones)
    assert milestone(plan, "match_day").due == date(2026, 3, 20)


def test_march_plan_phases_overlap_as_the_seed_says(march_plan: Plan) -> None:
    keys = [p.key for p in march_plan.phases]
    assert keys == ["diagnose", "deficits", "role", "rebuild", "apply"]
    diagnose, deficits, role, rebuild, apply = march_plan.phases
    assert diagnose.start == march_plan.start
    assert [p.seed_months for p in march_plan.phases] == [(1, 2), (2, 4), (3, 9), (6, 8), (9, 12)]
    starts = [p.start for p in march_plan.phases]
    assert starts == sorted(starts)
    # Neighbours overlap, as the seed's windows do.
    assert deficits.start < diagnose.end
    assert role.start < deficits.end
    assert rebuild.start >= role.start and rebuild.end <= role.end
    assert rebuild.end == march_plan.cycle.submissions_open == apply.start
    assert role.end > apply.start  # the work carries on into the application months
    assert apply.end == march_plan.end
    for p in march_plan.phases:
        assert p.start <= p.end
        assert 2 <= len(p.actions) <= 3
        assert p.title and p.purpose.endswith(".")
    # About twelve months from end to end.
    assert 340 <= (march_plan.end - march_plan.start).days <= 380


def test_phases_respect_minimum_lengths_when_compressed() -> None:
    rushed = build_plan(AUGUST_START, 2027)  # the "apply now" alternative: 23 days to prepare
    minimum = {"diagnose": 21, "deficits": 28, "role": 56, "rebuild": 28}
    for p in rushed.phases:
        if p.key in minimum:
            assert (p.end - p.start).days >= minimum[p.key], p.key
        assert p.end <= rushed.end
    dues = [m.due for m in rushed.milestones]
    assert dues == sorted(dues)
    assert all(rushed.start <= d <= rushed.end for d in dues)
    assert milestone(rushed, "post_mortem").due == AUGUST_START + timedelta(days=7)
    assert "eras_opens" not in {m.key for m in rushed.milestones}  # June: before the start


def test_stretched_plan_does_not_stretch_the_first_steps() -> None:
    plan = build_plan(TODAY, 2028)  # about nine months to prepare
    assert (milestone(plan, "post_mortem").due - TODAY).days == 14
    assert (milestone(plan, "target").due - TODAY).days == 21
    assert milestone(plan, "role_secured").due <= TODAY + timedelta(days=92)
    assert phase(plan, "apply").start == date(2027, 9, 1)
    assert month_of_plan(plan, plan.end) == 12


def test_build_plan_refuses_a_season_already_open() -> None:
    with pytest.raises(ValueError, match="2027 Match"):
        build_plan(date(2026, 9, 10), 2027)


# --------------------------------------------------------------------------- reading a plan


def test_month_of_plan_starts_at_one_and_clamps(march_plan: Plan) -> None:
    assert month_of_plan(march_plan, march_plan.start) == 1
    assert month_of_plan(march_plan, march_plan.start - timedelta(days=30)) == 1
    assert month_of_plan(march_plan, march_plan.end) == 12
    assert month_of_plan(march_plan, march_plan.end + timedelta(days=400)) == 12
    months = [
        month_of_plan(march_plan, march_plan.start + timedelta(days=d))
        for d in range(0, (march_plan.end - march_plan.start).days + 1)
    ]
    assert months == sorted(months)
    assert set(months) == set(range(1, 13))


def test_progress_bar(march_plan: Plan) -> None:
    assert progress_bar(march_plan, march_plan.start) == "▰" + "▱" * 11
    assert progress_bar(march_plan, march_plan.cycle.submissions_open) == "▰" * 6 + "▱" * 6
    assert progress_bar(march_plan, march_plan.end) == "▰" * 12
    assert progress_bar(march_plan, march_plan.start - timedelta(days=1)) == "▱" * 12
    assert len(progress_bar(march_plan, TODAY, width=20)) == 20
    with pytest.raises(ValueError):
        progress_bar(march_plan, TODAY, width=0)


def test_active_phases(march_plan: Plan) -> None:
    assert [p.key for p in active_phases(march_plan, march_plan.start)] == ["diagnose"]
    in_april = [p.key for p in active_phases(march_plan, date(2026, 4, 20))]
    assert in_april == ["diagnose", "deficits"]
    in_august = [p.key for p in active_phases(march_plan, date(2026, 8, 1))]
    assert in_august == ["role", "rebuild"]
    assert [p.key for p in active_phases(march_plan, date(2027, 1, 10))] == ["apply"]
    assert [p.key for p in active_phases(march_plan, date(2030, 1, 1))] == ["apply"]


def test_effort_splits_sum_to_100_and_follow_the_seed(march_plan: Plan) -> None:
    assert [q.quarter for q in march_plan.effort] == [1, 2, 3, 4]
    for q in march_plan.effort:
        assert set(q.split) == set(EFFORT_CATEGORIES)
        assert sum(q.split.values()) == 100
    # The quarters tile the plan with no gap.
    assert march_plan.effort[0].start == march_plan.start
    assert march_plan.effort[-1].end == march_plan.end
    for a, b in zip(march_plan.effort, march_plan.effort[1:], strict=False):
        assert b.start == a.end + timedelta(days=1)
    first = effort_for(march_plan, march_plan.start)
    assert first == {
        "diagnosis_planning": 50,
        "exams_study": 30,
        "work": 20,
        "application_interviews": 0,
    }
    assert effort_for(march_plan, date(2026, 6, 15))["exams_study"] == 40
    assert effort_for(march_plan, date(2026, 8, 15))["work"] == 50
    assert effort_for(march_plan, date(2027, 1, 15))["application_interviews"] == 45
    assert effort_for(march_plan, date(2030, 1, 1))["application_interviews"] == 45
    # A copy: changing it does not change the plan.
    first["work"] = 0
    assert effort_for(march_plan, march_plan.start)["work"] == 20


def test_next_deadlines(march_plan: Plan) -> None:
    after_july = next_deadlines(march_plan, date(2026, 7, 20))
    assert [m.key for m in after_july] == ["abstracts", "personal_statement", "cv_updated"]
    dues = [m.due for m in after_july]
    assert dues == sorted(dues) and all(d >= date(2026, 7, 20) for d in dues)
    # Due today still counts as upcoming.
    submitted = milestone(march_plan, "eras_submitted")
    assert next_deadlines(march_plan, submitted.due, n=1) == (submitted,)
    hard = next_deadlines(march_plan, date(2026, 7, 20), kinds={"deadline"})
    assert [m.key for m in hard] == ["eras_submitted", "rol_deadline"]
    assert next_deadlines(march_plan, march_plan.end + timedelta(days=1)) == ()
    assert len(next_deadlines(march_plan, march_plan.start, n=5)) == 5


# --------------------------------------------------------------------------- no real clock


def test_plan_module_never_reads_the_clock() -> None:
    source = inspect.getsource(plan_module)
    for call in ("date.today", "datetime.now", "datetime.utcnow", "time.time", "time.monotonic"):
        assert call not in source, call


# --------------------------------------------------------------------------- whose plan, what's done


def test_who_the_plan_is_for_adds_only_their_milestones() -> None:
    everyone = {m.key for m in build_plan(MARCH_START, 2027).milestones}
    step3 = build_plan(MARCH_START, 2027, Situation(specialty="Psychiatry", level3="Step 3"))
    assert {m.key for m in step3.milestones} - everyone == {"level3_booked", "level3_done"}
    taken = milestone(step3, "level3_done")
    assert 6 * 30 <= (taken.due - MARCH_START).days <= 9 * 31, "within 6-9 months"
    assert milestone(step3, "level3_booked").due < MARCH_START + timedelta(days=4 * 31)

    retake = build_plan(MARCH_START, 2027, Situation(retake="Step 2 CK"))
    assert milestone(retake, "retake_done").title == "Step 2 CK retake taken"
    assert 3 * 30 <= (milestone(retake, "retake_done").due - MARCH_START).days <= 6 * 31

    img = build_plan(MARCH_START, 2027, Situation(level2="Step 2 CK", img=True, usce=True))
    assert milestone(img, "level2_done").due == date(2026, 6, 30)  # early summer
    assert milestone(img, "level2_done").kind == "deadline"
    assert milestone(img, "role_secured").title == "US clinical role secured"
    role = milestone(img, "role_secured").due
    assert milestone(img, "letters_asked").due == role + timedelta(weeks=6)
    assert milestone(img, "usce_months").due == role + timedelta(days=91)

    em = build_plan(MARCH_START, 2027, Situation(specialty="Emergency Medicine", red_flag=True))
    keys = {m.key for m in em.milestones}
    assert "sloes_asked" in keys and "letters_asked" not in keys
    assert "red_flag_explained" in keys
    assert all(m.key in plan_module.MILESTONE_KEYS for m in (*em.milestones, *img.milestones))


def test_letters_are_in_a_month_after_they_are_asked_for_and_before_submissions_open() -> None:
    secured = MARCH_START + timedelta(days=10)
    plan = build_plan(
        MARCH_START, 2027, Situation(specialty="Internal Medicine"), {"role_secured": secured}
    )
    asked, uploaded = milestone(plan, "letters_asked"), milestone(plan, "letters_in")
    assert uploaded.due == asked.due + timedelta(weeks=4)
    assert "Internal Medicine" in uploaded.ready and uploaded.title == "Letters uploaded"
    # A role found late: the letters are still due a week before submissions open.
    late = build_plan(MARCH_START, 2027, done={"role_secured": date(2026, 8, 10)})
    week_before = late.cycle.submissions_open - timedelta(days=7)
    assert milestone(late, "letters_in").due == week_before
    em = build_plan(MARCH_START, 2027, Situation(specialty="Emergency Medicine"))
    assert milestone(em, "letters_in").title == "SLOEs uploaded"
    # The CV is brought up to date with the statement, before the program list.
    cv, statement = milestone(plan, "cv_updated"), milestone(plan, "personal_statement")
    assert statement.due <= cv.due < milestone(plan, "program_list").due


def test_a_compressed_plan_keeps_exam_milestones_inside_it() -> None:
    who = Situation(retake="COMLEX Level 1", level2="COMLEX Level 2-CE", do=True)
    rushed = build_plan(AUGUST_START, 2027, who)
    dues = [m.due for m in rushed.milestones]
    assert dues == sorted(dues) and all(rushed.start <= d <= rushed.end for d in dues)
    assert milestone(rushed, "retake_done").due < milestone(rushed, "level2_done").due


def test_done_milestones_leave_the_next_deadlines_and_move_what_hangs_on_them() -> None:
    secured = MARCH_START + timedelta(days=10)
    plan = build_plan(MARCH_START, 2027, done={"post_mortem": MARCH_START, "role_secured": secured})
    assert milestone(plan, "post_mortem").done_on == MARCH_START
    assert [m.key for m in next_deadlines(plan, MARCH_START, 2)] == ["target", "letters_asked"]
    assert milestone(plan, "letters_asked").due == secured + timedelta(weeks=8)
    assert [m.key for m in done_milestones(plan)] == ["post_mortem", "role_secured"]
    assert [m.key for m in still_open(plan, date(2026, 4, 20))] == ["target"]
    # A cycle date is never "done": it just passes.
    passed = build_plan(MARCH_START, 2027, done={"eras_opens": MARCH_START})
    assert milestone(passed, "eras_opens").done_on is None


def test_the_basis_rebuilds_the_same_plan() -> None:
    who = Situation(specialty="Emergency Medicine", retake="COMLEX Level 1", do=True)
    plan = build_plan(MARCH_START, 2027, who, {"role_secured": date(2026, 5, 1)})
    again = plan_from_basis(plan.basis())
    assert again is not None and again.milestones == tuple(
        replace(m, done_on=None) if m.key != "role_secured" else m for m in plan.milestones
    )
    assert plan_from_basis({"start": "2026-03-25", "season": 2027}) == build_plan(MARCH_START, 2027)
    assert plan_from_basis({"start": "soon"}) is None
