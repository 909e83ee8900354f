"""Letters (/letters): writers added and edited in the chat, counted against the seed's target,
moved along with a tap, reminded at the right moments, and ticking the plan's milestones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from conversations import catalog, texts
from conversations.messages import DialogueState, Press
from conversations.rules.letters import Writer, follow_up_days, tally
from conversations.session import UserView
from tests.coach_chat import CoachChat, onboard_us_md

CHICAGO = ZoneInfo("America/Chicago")  # Maya's zone; her reminders come at 7:00 AM


@pytest.fixture
def chat() -> CoachChat:
    chat = CoachChat()
    onboard_us_md(chat)
    return chat


def _add(
    chat: CoachChat,
    name: str,
    *,
    specialty: str | None = None,
    role: str = "Attending who supervised me",
    how: str = "In clinic or on service",
    since: str | None = "Apr 1",
    status: str = "Not asked yet",
) -> None:
    chat.command("letters")
    chat.tap("Add a writer")
    chat.text(name)
    if specialty is None:
        chat.tap("Internal Medicine")
    else:
        chat.text(specialty)
    chat.tap(role)
    chat.tap(how)
    if since is None:
        chat.command("skip")
    else:
        chat.text(since)
    chat.tap(status)


def _writer(chat: CoachChat, name: str) -> dict[str, object]:
    found = [r for r in chat.records.get("letter", []) if r.content["name"] == name]
    assert len(found) == 1, chat.records
    return dict(found[0].content)


def _local(n: object) -> datetime:
    assert isinstance(n, datetime)
    return n.astimezone(CHICAGO)


# ---------------------------------------------------------------- the list and the counts


def test_an_empty_list_explains_the_target_and_offers_to_add(chat: CoachChat) -> None:
    chat.command("letters")
    assert "3-4 strong letters, at least 2 from attendings in Internal Medicine" in chat.said
    assert "No writers yet" in chat.said
    assert chat.labels() == ["Add a writer", "How to ask"]


def test_a_writer_is_added_in_the_chat_and_stored_with_everything_given(chat: CoachChat) -> None:
    _add(chat, "Dr. Ana Reyes")
    assert "Added." in chat.said
    assert "Dr. Ana Reyes: not asked yet." in chat.said
    assert "remind you to ask on Wed, May 13" in chat.said  # six weeks after Apr 1
    writer = _writer(chat, "Dr. Ana Reyes")
    assert writer == {
        "name": "Dr. Ana Reyes",
        "specialty": "Internal Medicine",
        "role": "attending",
        "how": "In clinic or on service",
        "since": "2026-04-01",
        "status": "to_ask",
        "to_ask_on": "2026-03-25",
    }
    chat.command("letters")
    assert "📝 Dr. Ana Reyes (Internal Medicine, attending who supervised me)" in chat.said
    assert "Still missing: 3 more agreed letters, at least 2 of them from attendings" in chat.said
    assert "(on the way: 1 still to ask)" in chat.said


def test_the_seed_example_two_im_attendings_and_a_research_mentor_meet_the_target(
    chat: CoachChat,
) -> None:
    # The worked example asks the two faculty who supervised closely, plus a PI.
    _add(chat, "Dr. Reyes", status="Agreed to write")
    _add(chat, "Dr. Kim", status="Agreed to write")
    chat.command("letters")
    assert "Still missing: 1 more agreed letter." in chat.said
    _add(
        chat,
        "Dr. Lee",
        specialty="Pathology",
        role="Research or QI mentor",
        how="Research or QI together",
        status="Agreed to write",
    )
    chat.command("letters")
    assert "You have what programs look for: 3 strong letters, 2 from Internal Medicine" in (
        chat.said
    )
    assert "A fourth strong one is welcome" in chat.said


def test_a_second_outside_research_mentor_does_not_count(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes", status="Agreed to write")
    for name in ("Dr. Lee", "Dr. Patel"):
        _add(
            chat,
            name,
            specialty="Pathology",
            role="Research or QI mentor",
            status="Agreed to write",
        )
    chat.command("letters")
    # Three agreed, but the second outside mentor doesn't count: one more, from IM.
    assert "Still missing: 1 more agreed letter, from an attending in Internal Medicine." in (
        chat.said
    )
    assert "Only one letter from a research mentor outside the specialty helps" in chat.said
    t = tally(
        [Writer("a", "A", "Internal Medicine", "attending", status="agreed")], "Internal Medicine"
    )
    assert t.secured == 1 and t.specialty == 1


def test_the_missing_line_says_plainly_what_is_left() -> None:
    im = "Internal Medicine"
    two_pis = [
        Writer("a", "A", "Pathology", "pi", status="agreed"),
        Writer("b", "B", "Surgery", "pi", status="uploaded"),
    ]
    t = tally(two_pis, im)
    assert (t.secured, t.specialty, t.extra_pis) == (1, 0, 1)
    assert t.missing_line() == (
        "Still missing: 2 more agreed letters, all from attendings in Internal Medicine."
    )
    one = tally([Writer("a", "A", im, "attending", status="agreed")], im)
    assert one.missing_line() == (
        "Still missing: 2 more agreed letters, at least 1 of them from attendings in "
        "Internal Medicine."
    )
    waiting = tally(
        [
            Writer("a", "A", im, status="agreed"),
            Writer("b", "B", im, status="agreed"),
            Writer("c", "C", "Neurology", status="asked"),
        ],
        im,
    )
    assert waiting.missing_line() == (
        "Still missing: 1 more agreed letter (on the way: 1 asked and waiting)."
    )


# ---------------------------------------------------------------- moving a letter along


def test_asking_agreeing_and_uploading_are_taps_with_their_days(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes", since="Feb 2")
    assert "good time to ask" in chat.said  # seven weeks already
    chat.tap("I've asked them")
    assert "Asked" in chat.said and _writer(chat, "Dr. Reyes")["asked_on"] == "2026-03-25"
    chat.now += timedelta(days=3)
    chat.tap("They agreed")
    assert "will write for you" in chat.said
    assert _writer(chat, "Dr. Reyes")["agreed_on"] == "2026-03-28"
    chat.tap("It's uploaded to ERAS")
    assert _writer(chat, "Dr. Reyes")["status"] == "uploaded"
    assert chat.labels() == ["Edit details", "Remove", "All my letters"]


def test_a_hesitant_writer_is_thanked_and_set_aside_kindly(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes", status="Asked, waiting for an answer")
    chat.tap("They hesitated or said no")
    said = chat.said
    assert "Thank you for telling me" in said and "thank Dr. Reyes warmly" in said
    assert "fail" not in said.lower() and "reject" not in said.lower()
    assert _writer(chat, "Dr. Reyes")["status"] == "declined"
    assert chat.nudges("letters:") == []
    chat.command("letters")
    assert "Not using: Dr. Reyes" in chat.said
    assert "(on the way" not in chat.said  # a declined writer isn't in the counts


def test_a_double_tap_and_a_stale_or_forged_button_change_nothing(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes", status="Asked, waiting for an answer")
    agreed = chat.button("They agreed")
    chat.send(Press(agreed.data))
    before = _writer(chat, "Dr. Reyes")
    chat.send(Press(agreed.data))  # the same tap again
    assert chat.last is not None and chat.last.toast == texts.ALREADY_SAVED
    assert _writer(chat, "Dr. Reyes") == before
    chat.send(Press("@lt.st.bogus.w1"))
    assert "couldn't read that button" in chat.said
    chat.send(Press("@lt.st.agreed.w99"))
    assert "can't find that writer" in chat.said
    assert _writer(chat, "Dr. Reyes") == before


# ---------------------------------------------------------------- editing and removing


def test_one_detail_is_changed_without_asking_the_rest_again(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes")
    chat.tap("Edit details")
    chat.tap("Specialty")
    assert "Saved answer: Internal Medicine" in chat.said
    chat.text("cardiology")
    assert "Updated." in chat.said and chat.state.flow is None
    writer = _writer(chat, "Dr. Reyes")
    assert writer["specialty"] == "Cardiology"
    assert writer["since"] == "2026-04-01" and writer["role"] == "attending"


def test_a_removed_writer_and_their_reminders_are_gone(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes")
    assert len(chat.nudges("letters:w1:")) == 1
    chat.tap("Remove")
    chat.tap("Yes, remove")
    assert "Removed Dr. Reyes." in chat.said
    assert chat.records["letter"] == [] and chat.nudges("letters:") == []
    chat.command("letters")
    assert "No writers yet" in chat.said


def test_bad_input_mid_flow_keeps_the_place_and_the_answers(chat: CoachChat) -> None:
    chat.command("letters")
    chat.tap("Add a writer")
    chat.text("Dr. Reyes")
    chat.other("sticker")
    assert "specialty" in chat.said.lower() and chat.step == "specialty"
    chat.text("x" * 5000)
    assert chat.step == "specialty"
    chat.command("letters")  # the list, then the open question again
    assert "Where we were" in chat.said and chat.step == "specialty"
    chat.text("I want to kill myself")
    assert "988" in chat.said and chat.step == "specialty"
    chat.text("internal medicine")
    assert chat.step == "role"


def test_letters_need_a_profile_first() -> None:
    chat = CoachChat()
    chat.command("letters")
    assert "profile" in chat.said.lower()


# ---------------------------------------------------------------- reminders over weeks


def test_the_ask_reminder_comes_six_weeks_in_and_the_follow_ups_after_agreeing(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Reyes", since="Feb 16")
    (ask,) = chat.nudges("letters:w1:")
    assert ask.kind == "letter_ask"
    assert _local(ask.due_at) == datetime(2026, 3, 30, 7, 0, tzinfo=CHICAGO)
    reply = catalog.render_nudge(ask.kind, ask.payload)
    assert reply is not None and "six weeks" in reply.text and "Internal Medicine" in reply.text
    # The day comes; the reminder's own button records the ask.
    chat.now = ask.due_at + timedelta(minutes=1)
    chat.send(Press(next(b.data for row in reply.buttons for b in row if "asked" in b.label)))
    assert _writer(chat, "Dr. Reyes")["asked_on"] == "2026-03-30"
    assert chat.nudges("letters:") == []  # nothing to ask any more
    # Nine days later they agree: a check-in two weeks on, and a week before ERAS opens.
    chat.now += timedelta(days=9)
    chat.command("letters")
    chat.tap("Dr. Reyes")
    chat.tap("They agreed")
    follow = chat.nudges("letters:w1:")
    assert [n.kind for n in follow] == ["letter_follow_up", "letter_follow_up"]
    opens = _eras_opens(chat)
    assert [_local(n.due_at).date() for n in follow] == [
        date(2026, 4, 22),
        opens - timedelta(days=7),
    ]
    assert all(_local(n.due_at).time() == time(7, 0) for n in follow)
    text = catalog.render_nudge(follow[0].kind, follow[0].payload)
    assert text is not None and "Dr. Reyes" in text.text
    # The first check-in goes out; the letter is uploaded: no more follow-ups.
    chat.now = follow[0].due_at + timedelta(hours=1)
    chat.send(Press(next(b.data for row in text.buttons for b in row if "uploaded" in b.label)))
    assert _writer(chat, "Dr. Reyes")["status"] == "uploaded"
    assert chat.nudges("letters:") == []


def _eras_opens(chat: CoachChat) -> date:
    plan = UserView(answers=chat.answers).plan
    assert plan is not None
    return plan.cycle.day("eras_opens")


def test_no_follow_up_after_eras_has_opened_and_none_twice_on_one_day() -> None:
    w = Writer("a", "A", status="agreed", agreed_on=date(2026, 5, 20))
    assert follow_up_days(w, date(2026, 6, 3)) == [date(2026, 6, 3)]
    assert follow_up_days(w, date(2026, 7, 1)) == [date(2026, 6, 3), date(2026, 6, 24)]
    assert follow_up_days(Writer("b", "B", status="asked"), date(2026, 7, 1)) == []


def test_a_new_time_zone_moves_the_letters_reminders(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes", since="Apr 1")
    (before,) = chat.nudges("letters:")
    chat.command("settings")
    chat.tap("Time zone")
    chat.text("Los Angeles")
    if "Yes, that's right" in chat.labels():
        chat.tap("Yes, that's right")
    (after,) = chat.nudges("letters:")
    assert after.due_at - before.due_at == timedelta(hours=2)
    assert after.due_at.astimezone(ZoneInfo("America/Los_Angeles")).hour == 7


# ---------------------------------------------------------------- the plan's milestones


def test_two_im_writers_asked_tick_letters_asked_and_uploads_tick_letters_in(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Reyes", status="Asked, waiting for an answer")
    assert "letters_asked" not in chat.answers.get("milestones", {})
    _add(chat, "Dr. Kim", status="Asked, waiting for an answer")
    assert chat.answers["milestones"]["letters_asked"] == "2026-03-25"
    _add(
        chat,
        "Dr. Lee",
        specialty="Pathology",
        role="Research or QI mentor",
        status="Agreed to write",
    )
    for name in ("Dr. Reyes", "Dr. Kim"):
        chat.command("letters")
        chat.tap(name)
        chat.tap("They agreed")
        chat.tap("It's uploaded to ERAS")
    assert "letters_in" not in chat.answers["milestones"]  # two uploaded, the third only agreed
    chat.command("letters")
    chat.tap("Dr. Lee")
    chat.now += timedelta(days=30)
    chat.tap("It's uploaded to ERAS")
    assert chat.answers["milestones"]["letters_in"] == "2026-04-24"
    assert not chat.nudges("plan:ms:letters_in")  # the plan stopped reminding about it


def test_the_reminders_list_names_the_writer(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes", since="Apr 1")
    chat.command("reminders")
    assert "Ask Dr. Reyes for a letter" in chat.said


def test_when_the_reminder_is_due_utc_matches_local_seven(chat: CoachChat) -> None:
    _add(chat, "Dr. Reyes", since="Apr 1")
    (ask,) = chat.nudges("letters:")
    assert ask.due_at == datetime(2026, 5, 13, 12, 0, tzinfo=UTC)  # 7:00 CDT


def test_a_turn_that_did_not_load_the_writers_leaves_their_reminders_alone(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Reyes", since="Apr 1")
    blind = UserView(answers=chat.answers)  # the writers were not read this turn
    sighted = UserView(answers=chat.answers, records={"letter": tuple(chat.records["letter"])})
    now = chat.now

    def letters_effects(user: UserView) -> list[object]:
        replanned = catalog.session(DialogueState(), user, now).replan()
        return [e for e in replanned if getattr(e, "key", "").startswith("letters:")]

    assert letters_effects(blind) == []
    assert [type(e).__name__ for e in letters_effects(sighted)] == ["CancelNudges", "ScheduleNudge"]


def test_a_time_zone_changed_in_the_profile_moves_the_letters_reminders_at_the_next_visit(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Reyes", since="Apr 1")
    # A time zone changed in /profile: that turn doesn't read the writers (one read
    # mid-flow), so their reminder still follows Chicago until /letters is next opened.
    chat.answers["onboarding"]["timezone"] = "Europe/Berlin"
    (still,) = chat.nudges("letters:")
    assert _local(still.due_at).hour == 7
    chat.command("letters")
    (moved,) = chat.nudges("letters:")
    assert moved.due_at.astimezone(ZoneInfo("Europe/Berlin")).time() == time(7, 0)
    chat.command("letters")
    assert chat.last is not None and chat.last.effects == (), "nothing to move twice"
