"""Networking (/network): contacts added, logged and edited in the chat, the advice email from
the user's own data, the conference goal, and follow-up reminders over weeks."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.effects import Store, apply, export_file
from conversations import catalog, texts
from conversations.messages import Press, PutRecord
from conversations.rules.network import (
    Contact,
    advice_email,
    check_in_day,
    conference_faculty,
    contact_of,
    introductions_season,
    salutation,
    thanks_day,
)
from conversations.session import UserView
from storage.db import Database
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
    role: str = "Program director",
    institution: str | None = "Mercy Hospital",
    specialty: str | None = "Internal Medicine",
    where: str = "A conference",
    detail: str | None = "the ACP Illinois chapter meeting",
    met: str | None = "March 20",
    next_step: str | None = "Ask for a short advice call",
) -> None:
    chat.command("network")
    chat.tap("Add a contact")
    chat.text(name)
    chat.tap(role)
    _answer(chat, institution)
    if specialty is None:
        chat.command("skip")
    elif specialty in chat.labels():
        chat.tap(specialty)
    else:
        chat.text(specialty)
    chat.tap(where)
    for answer in (detail, met, next_step):
        _answer(chat, answer)


def _answer(chat: CoachChat, typed: str | None) -> None:
    if typed is None:
        chat.command("skip")
    else:
        chat.text(typed)


def _contact(chat: CoachChat, name: str) -> dict[str, object]:
    found = [r for r in chat.records.get("contact", []) if r.content["name"] == name]
    assert len(found) == 1, chat.records
    return dict(found[0].content)


def _local(n: object) -> datetime:
    assert isinstance(n, datetime)
    return n.astimezone(CHICAGO)


def _eras_opens(chat: CoachChat) -> date:
    plan = UserView(answers=chat.answers).plan
    assert plan is not None
    return plan.cycle.day("eras_opens")


# ---------------------------------------------------------------- adding, editing, removing


def test_an_empty_log_says_where_to_focus_and_shows_the_conference_goal(chat: CoachChat) -> None:
    chat.command("network")
    said = chat.said
    assert "No one here yet" in said
    assert "your own institution, your gap-year job's institution, and conferences" in said
    assert "Conference goal: 0 of 2-3 faculty in Internal Medicine met at conferences" in said
    assert "short email within a few days" in said and "one specific thing" in said
    assert chat.labels() == ["Add a contact"]


def test_a_contact_is_added_with_every_field_and_shown_on_a_card(chat: CoachChat) -> None:
    _add(chat, "Dr. Sam Okafor")
    said = chat.said
    assert "Added." in said
    assert "Dr. Sam Okafor: program director, Mercy Hospital" in said
    assert "Met at a conference (the ACP Illinois chapter meeting) on Fri, Mar 20." in said
    assert "Last in touch: Fri, Mar 20." in said
    assert "Next step: Ask for a short advice call" in said
    assert chat.labels() == [
        "Log a meeting",
        "Thank-you sent",
        "Email sent",
        "Draft the advice email",
        "Edit details",
        "Remove",
        "All my contacts",
    ]
    assert _contact(chat, "Dr. Sam Okafor") == {
        "name": "Dr. Sam Okafor",
        "role": "pd",
        "institution": "Mercy Hospital",
        "specialty": "Internal Medicine",
        "where": "conference",
        "where_detail": "the ACP Illinois chapter meeting",
        "met": "2026-03-20",
        "next_step": "Ask for a short advice call",
        "touches": [],
    }
    chat.command("network")
    assert "• Dr. Sam Okafor (program director, Mercy Hospital); last in touch Fri, Mar 20" in (
        chat.said
    )
    assert "Next: Ask for a short advice call" in chat.said


def test_optional_details_can_be_skipped(chat: CoachChat) -> None:
    _add(
        chat,
        "Priya",
        role="Resident",
        institution=None,
        specialty=None,
        where="My institution",
        detail=None,
        met=None,
        next_step=None,
    )
    assert "Priya: resident" in chat.said and "Next step: none for now." in chat.said
    assert "Last in touch: not yet." in chat.said
    assert chat.nudges("network:") == []  # no meeting, no open next step


def test_one_detail_is_changed_without_asking_the_rest_again(chat: CoachChat) -> None:
    _add(chat, "Dr. Sam Okafor")
    chat.tap("Log a meeting")
    chat.tap("Edit details")
    chat.tap("Institution")
    assert "Saved answer: Mercy Hospital" in chat.said
    chat.text("Lakeside Medical Center")
    assert "Updated." in chat.said and chat.state.flow is None
    contact = _contact(chat, "Dr. Sam Okafor")
    assert contact["institution"] == "Lakeside Medical Center"
    assert contact["role"] == "pd" and contact["met"] == "2026-03-20"
    assert contact["touches"] == [{"kind": "meeting", "on": "2026-03-25"}]  # the log is kept


def test_a_removed_contact_and_their_reminders_are_gone(chat: CoachChat) -> None:
    _add(chat, "Dr. Sam Okafor")
    chat.tap("Log a meeting")
    assert len(chat.nudges("network:c1:")) == 2
    chat.tap("Remove")
    assert "Remove Dr. Sam Okafor, their log and reminders?" in chat.said
    chat.tap("No, keep them")
    assert _contact(chat, "Dr. Sam Okafor")
    chat.tap("Remove")
    chat.tap("Yes, remove")
    assert "Removed Dr. Sam Okafor." in chat.said
    assert chat.records["contact"] == [] and chat.nudges("network:") == []
    chat.send(Press("@nw.rmy.c1"))  # the confirmation tapped again
    assert "Already removed." in chat.said


# ---------------------------------------------------------------- bad input and buttons


def test_bad_input_mid_flow_keeps_the_place_and_the_answers(chat: CoachChat) -> None:
    chat.command("network")
    chat.tap("Add a contact")
    chat.text("   ")
    assert chat.step == "name"
    chat.text("Dr. Sam Okafor")
    chat.other("sticker")
    assert chat.step == "role"
    chat.text("x" * 5000)
    assert chat.step == "role"
    chat.tap("Faculty or attending")
    chat.text("y" * 5000)
    assert chat.step == "institution"
    chat.command("network")  # the list, then the open question again
    assert "Where we were" in chat.said and chat.step == "institution"
    chat.command("letters")  # another tracker mid-question: finish first
    assert texts.FINISH_FIRST in chat.said and chat.step == "institution"
    chat.text("Mercy Hospital")
    chat.command("skip")
    chat.tap("A conference")
    chat.command("skip")
    chat.text("next tuesday")  # a meeting can't be in the future
    assert chat.step == "met"
    chat.text("banana")
    assert chat.step == "met"
    chat.tap("Today")
    assert chat.step == "next_step"
    chat.command("skip")
    assert _contact(chat, "Dr. Sam Okafor")["met"] == "2026-03-25"


def test_a_double_tap_and_stale_or_forged_buttons_change_nothing(chat: CoachChat) -> None:
    _add(chat, "Dr. Sam Okafor")
    meeting = chat.button("Log a meeting")
    chat.send(Press(meeting.data))
    before = _contact(chat, "Dr. Sam Okafor")
    chat.send(Press(meeting.data))  # the same tap again, the same day
    assert chat.last is not None and chat.last.toast == texts.ALREADY_SAVED
    assert _contact(chat, "Dr. Sam Okafor") == before
    for forged in ("@nw.t.bogus.c1", "@nw.zz.c1", "@nw.f.bogus.c1"):
        chat.send(Press(forged))
        assert "couldn't read that button" in chat.said
    for stale in ("@nw.t.meeting.c9", "@nw.c.c9", "@nw.em.c9", "@nw.ed.c9", "@nw.rm.c9"):
        chat.send(Press(stale))
        assert "can't find that person" in chat.said
    assert _contact(chat, "Dr. Sam Okafor") == before


def test_network_needs_a_profile_first() -> None:
    chat = CoachChat()
    chat.command("network")
    assert "profile" in chat.said.lower()


# ---------------------------------------------------------------- the advice email


# The seed's template (Step 8B), which the draft must never paste.
SEED_TEMPLATE = (
    "Follow-up and Request for Brief Advice",
    "We met at",
    "I am planning to reapply to",
    "this upcoming cycle after not matching on my first attempt",
    "I would be grateful for 10",
    "either by Zoom or phone",
    "to briefly review my plan for the coming year and get your perspective on how to be a "
    "stronger applicant",
    "Thank you for considering this.",
    "Sincerely,",
)


def test_the_advice_email_is_built_from_the_users_data(chat: CoachChat) -> None:
    chat.command("role")
    chat.tap("Research fellow or position")
    _add(chat, "Dr. Sam Okafor")
    chat.tap("Draft the advice email")
    assert chat.last is not None
    tip, draft = chat.last.replies
    assert "make it sound like you" in tip.text
    email = draft.text
    assert email.startswith("Subject: Maya: a request for brief advice on my Internal Medicine")
    assert "Dear Dr. Okafor," in email
    assert "at the ACP Illinois chapter meeting on March 20" in email
    assert (
        "My name is Maya, and I am a US MD graduate, working this year as a research fellow."
        in email
    )
    assert "applying to Internal Medicine again this cycle" in email
    assert "did not end in a match" in email
    assert "10-15 minutes" in email and "video or phone" in email and "plan" in email
    assert "Thank you" in email and email.rstrip().endswith("Maya")
    assert "sorry" not in email.lower() and "failed" not in email.lower()
    for words in SEED_TEMPLATE:
        assert words.casefold() not in email.casefold(), words
    assert "Dear Dr. [X]" not in email and "[Your Name]" not in email
    # Its button logs the email as sent.
    chat.tap("Email sent")
    assert _contact(chat, "Dr. Sam Okafor")["touches"] == [{"kind": "email", "on": "2026-03-25"}]


def test_the_email_greets_each_kind_of_contact_sensibly() -> None:
    assert salutation(Contact("a", "Dr. Ana Reyes")) == "Dr. Reyes"
    assert salutation(Contact("a", "Sam Okafor", role="faculty")) == "Dr. Okafor"
    assert salutation(Contact("a", "Prof. Lee Chen", role="pd")) == "Professor Chen"
    assert salutation(Contact("a", "Jo Smith", role="other")) == "Jo Smith"
    at_job = Contact("a", "Dr. Kim", where="job", where_detail="Lakeside Hospital")
    email = advice_email(
        at_job, sender="Omar", degree="img", specialty="Family Medicine", current_role="none"
    )
    assert "We spoke through my work at Lakeside Hospital, and" in email.body
    assert "I am an international medical graduate. We spoke" in email.body
    assert "Family Medicine" in email.subject
    unknown = advice_email(
        Contact("a", "Dr. Kim"), sender="Omar", degree="", specialty="", current_role=None
    )
    assert "We spoke recently" in unknown.body and "my specialty" in unknown.body


# ---------------------------------------------------------------- the conference goal


def test_the_conference_goal_counts_faculty_in_the_specialty_met_at_conferences(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Sam Okafor")  # a PD in IM at a conference: counts
    _add(chat, "Dr. Lee", role="Faculty or attending", specialty="Surgery")  # another field
    _add(chat, "Priya", role="Resident")  # not faculty
    _add(chat, "Dr. Ng", role="Faculty or attending", where="My institution", detail=None)
    chat.command("network")
    assert "Conference goal: 1 of 2-3 faculty in Internal Medicine met at conferences" in (
        chat.said
    )
    _add(chat, "Dr. Diaz", role="Associate program director", specialty="internal medicine")
    chat.command("network")
    assert "Conference goal: 2 faculty in Internal Medicine met at conferences" in chat.said
    assert "one more is a bonus" in chat.said
    _add(chat, "Dr. Wu", role="Faculty or attending")
    chat.command("network")
    assert "Conference goal: 3 faculty" in chat.said and "bonus" not in chat.said


def test_the_seed_example_a_research_fellow_meeting_im_faculty_before_applying(
    chat: CoachChat,
) -> None:
    # The worked example: an IM research fellow meets faculty at weekly IM conferences, and
    # near applications asks the PI and letter writers to send notes to PDs they know.
    chat.command("role")
    chat.tap("Research fellow or position")
    _add(chat, "Dr. Ana Reyes", role="Faculty or attending", where="My institution", detail=None)
    _add(chat, "Dr. Sam Okafor", detail="the regional ACP meeting")
    chat.command("network")
    said = chat.said
    assert "Conference goal: 1 of 2-3 faculty in Internal Medicine" in said
    assert "ask your PI and letter writers" in said and "program directors they know" in said
    opens = _eras_opens(chat)
    assert introductions_season(opens - timedelta(days=120), opens)
    assert not introductions_season(opens - timedelta(days=121), opens)
    assert not introductions_season(opens + timedelta(days=61), opens)
    assert not introductions_season(opens, None)


def test_conference_faculty_is_a_pure_count() -> None:
    im = "Internal Medicine"
    people = [
        Contact("a", "A", role="pd", specialty=im, where="conference"),
        Contact("b", "B", role="faculty", specialty="IM", where="conference"),
        Contact("c", "C", role="chief", specialty=im, where="conference"),
        Contact("d", "D", role="faculty", specialty=im, where="home"),
        Contact("e", "E", role="faculty", specialty="", where="conference"),
    ]
    assert conference_faculty(people, im) == 2
    assert conference_faculty([], im) == 0


# ---------------------------------------------------------------- reminders over weeks


def test_the_thank_you_reminder_comes_a_week_after_a_meeting_and_logging_it_cancels_it(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Sam Okafor", next_step=None)
    assert chat.nudges("network:") == []  # nothing to follow up yet
    chat.tap("Log a meeting")  # Wed, Mar 25
    (thanks,) = chat.nudges("network:c1:")
    assert thanks.kind == "contact_thanks"
    assert _local(thanks.due_at) == datetime(2026, 4, 1, 7, 0, tzinfo=CHICAGO)
    assert "I'll remind you on Wed, Apr 1" in chat.said
    reply = catalog.render_nudge(thanks.kind, thanks.payload)
    assert reply is not None and "a week since you met Dr. Sam Okafor" in reply.text
    # The week passes; the reminder's own button logs the thank-you, and it is gone.
    chat.now = thanks.due_at + timedelta(hours=2)
    chat.send(Press(next(b.data for row in reply.buttons for b in row if "Thank" in b.label)))
    assert _contact(chat, "Dr. Sam Okafor")["touches"] == [
        {"kind": "meeting", "on": "2026-03-25"},
        {"kind": "thanks", "on": "2026-04-01"},
    ]
    assert chat.nudges("network:") == []
    # Three weeks later, another meeting: a new thank-you reminder a week on.
    chat.now += timedelta(weeks=3)
    chat.command("network")
    chat.tap("Dr. Sam Okafor")
    chat.tap("Log a meeting")
    (again,) = chat.nudges("network:c1:")
    assert _local(again.due_at) == datetime(2026, 4, 29, 7, 0, tzinfo=CHICAGO)
    # Thanked the day after the meeting: cancelled before it is due.
    chat.now += timedelta(days=1)
    chat.command("network")
    chat.tap("Dr. Sam Okafor")
    chat.tap("Thank-you sent")
    assert chat.nudges("network:") == []


def test_a_meeting_logged_long_ago_without_thanks_is_said_on_the_card(chat: CoachChat) -> None:
    _add(chat, "Dr. Sam Okafor", next_step=None)
    chat.tap("Log a meeting")
    chat.now += timedelta(weeks=2)
    chat.command("network")
    chat.tap("Dr. Sam Okafor")
    assert "A short thank-you for your last meeting is still open." in chat.said


def test_the_check_in_comes_two_weeks_before_eras_opens_while_a_next_step_is_open(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Sam Okafor")
    (check,) = chat.nudges("network:c1:")
    assert check.kind == "contact_check_in"
    opens = _eras_opens(chat)
    assert _local(check.due_at).date() == opens - timedelta(days=14)
    assert _local(check.due_at).time() == time(7, 0)
    reply = catalog.render_nudge(check.kind, check.payload)
    assert reply is not None and "ERAS opens in about two weeks" in reply.text
    assert "Ask for a short advice call" in reply.text
    # The next step is cleared: no check-in.
    chat.tap("Edit details")
    chat.tap("Next step")
    chat.command("skip")
    assert chat.nudges("network:") == []
    assert "Next step: none for now." in chat.said


def test_reminder_dates_are_pure_rules() -> None:
    met = Contact("a", "A", touches=(("meeting", date(2026, 5, 1)),))
    assert thanks_day(met) == date(2026, 5, 8)
    thanked = Contact(
        "a", "A", touches=(("meeting", date(2026, 5, 1)), ("thanks", date(2026, 5, 1)))
    )
    assert thanks_day(thanked) is None
    met_again = Contact(
        "a",
        "A",
        touches=(("thanks", date(2026, 4, 1)), ("meeting", date(2026, 5, 1))),
    )
    assert thanks_day(met_again) == date(2026, 5, 8)
    assert thanks_day(Contact("a", "A", met_on=date(2026, 5, 1))) is None
    open_step = Contact("a", "A", next_step="Send my CV")
    assert check_in_day(open_step, date(2026, 6, 3)) == date(2026, 5, 20)
    assert check_in_day(open_step, None) is None
    assert check_in_day(Contact("a", "A"), date(2026, 6, 3)) is None


def test_a_check_in_day_already_gone_is_not_planned(chat: CoachChat) -> None:
    chat.now = datetime.combine(_eras_opens(chat), time(12), tzinfo=UTC) - timedelta(days=5)
    _add(chat, "Dr. Sam Okafor", met="yesterday")
    assert chat.nudges("network:") == []


def test_the_reminders_list_names_the_contact(chat: CoachChat) -> None:
    _add(chat, "Dr. Sam Okafor")
    chat.tap("Log a meeting")
    chat.command("reminders")
    assert "Thank Dr. Sam Okafor for the meeting" in chat.said
    assert "Check in with Dr. Sam Okafor before ERAS opens" in chat.said


def test_a_time_zone_changed_in_the_profile_moves_the_reminders_at_the_next_visit(
    chat: CoachChat,
) -> None:
    _add(chat, "Dr. Sam Okafor", next_step=None)
    chat.tap("Log a meeting")
    chat.answers["onboarding"]["timezone"] = "Europe/Berlin"
    (still,) = chat.nudges("network:")
    assert _local(still.due_at).hour == 7
    chat.command("network")
    (moved,) = chat.nudges("network:")
    assert moved.due_at.astimezone(ZoneInfo("Europe/Berlin")).time() == time(7, 0)
    chat.command("network")
    assert chat.last is not None and chat.last.effects == (), "nothing to move twice"


# ---------------------------------------------------------------- stored and exported


def test_a_stored_contact_is_read_forgivingly() -> None:
    c = contact_of("c1", {"role": "boss", "where": "moon", "touches": [{"kind": "x"}, 3, None]})
    assert (c.name, c.role, c.where, c.touches) == ("A contact", "other", "other", ())


async def test_contacts_are_in_the_export(db: Database, chat: CoachChat) -> None:
    _add(chat, "Dr. Sam Okafor")
    chat.tap("Log a meeting")
    (record,) = chat.records["contact"]
    async with db.unit_of_work() as repo:
        maya = await repo.users.get_or_create("telegram", "1", "Maya")
        now = datetime(2026, 3, 25, 15, 0, tzinfo=UTC)
        await apply(Store(repo, maya.id, now), (PutRecord("contact", "c1", record.content),))
    async with db.unit_of_work() as repo:
        exported = await export_file(repo, maya.id, now)
        assert b'"Dr. Sam Okafor"' in exported.content
        assert b'"meeting"' in exported.content
        await repo.delete_user(maya.id)
    async with db.unit_of_work() as repo:
        assert await repo.records.of_kinds(maya.id, {"contact"}) == []
