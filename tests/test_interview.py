"""Tests for conversations.rules.interview: the explainable rules behind interview-practice feedback.

Every answer here is written for the test; each check is tried on answers that should pass
and answers that should not, and the quoted words are asserted exactly.
"""

from __future__ import annotations

import json
import re

import pytest

from conversations.rules.crisis import is_crisis
from conversations.rules.interview import (
    BLANK_DOING,
    BLANK_RESULTS,
    BLANK_ROLE,
    BLANK_SPECIALTY,
    PRIORITY,
    QUESTIONS,
    QUOTE_CHARS,
    REPORT_LIMIT,
    Check,
    Report,
    compare,
    duration_check,
    question_text,
    questions_for,
    report_text,
    review_answer,
    review_past_year,
    review_red_flag,
    review_where_matched,
    scaffold,
    speaking_seconds,
)

PROFILE = {
    "specialty": "Internal Medicine",
    "degree": "us_md",
    "red_flags": ["none"],
    "abstracts": 2,
    "posters": 0,
    "papers": 1,
}
FLAGGED = {**PROFILE, "red_flags": ["course_fail"]}
RESEARCH = {"kind": "research", "end_date": None}
IM = "Internal Medicine (community-heavy list)"  # as the /target flow stores it

STRONG = (
    "I did not match last cycle. It was a hard moment, but it gave me a clear list of what to "
    "fix. Since then I have been working full-time as a research fellow in the Department of "
    "Internal Medicine at a midwestern academic center. I run the data for an outcomes study on "
    "heart failure readmissions, and I was responsible for screening and enrolling 180 "
    "patients. That work led to two abstracts, one presented as a poster at the regional ACP "
    "meeting, and a manuscript that we submitted in August. I also lead a QI project on "
    "discharge follow-up calls, which raised completed calls from 52 to 71 percent over six "
    "months. Every week I attend morning report and grand rounds, and I presented at journal "
    "club twice. Sitting in on clinic with my PI, I saw how much a good discharge plan changes "
    "the next admission for someone with diabetes and kidney disease. Following patients over "
    "months, instead of days, has deepened my interest in internal medicine, especially the "
    "care of chronic illness. My letters come from the two attendings who supervised me most "
    "closely. I feel much better prepared clinically, and I am ready to bring that same "
    "organized, steady work to your program as an intern."
)
SELF_PITY = (
    "I did not match last cycle and honestly I was devastated. It was so hard to watch "
    "everyone post their match photos, and I felt like a failure for months. Eventually I "
    "started working as a research assistant in a cardiology lab, where I helped with two "
    "abstracts. It still feels unfair to me, but I want to be an internal medicine resident "
    "next year."
)
BLAMING = (
    "I did not match last cycle. Honestly, the programs never gave me a chance, and my advisor "
    "told me to apply to derm when I should have applied to medicine. Since then I have been "
    "working as a research assistant in a cardiology lab, where I helped write two abstracts. "
    "I am ready to start residency in internal medicine next year."
)
ADJECTIVES = (
    "I did not match last cycle. I am hardworking, passionate and resilient, and I have stayed "
    "dedicated to medicine. I worked as a scribe this year. I am ready for residency."
)
NO_TIE = (
    "I did not match last cycle. Since then I have worked full-time as a research fellow, "
    "where I co-wrote two abstracts and submitted a manuscript. I also led a QI project on "
    "discharge phone calls that reached 300 patients. The project ended in June."
)
HEDGING = (
    "I think I maybe just kind of did not match last cycle. I guess I sort of worked in a "
    "research lab, probably helping with some projects. I think it was kind of good for "
    "internal medicine, maybe."
)
EXTRA = (
    " Beyond the research, I also spent a lot of time thinking about the resident I want to be. "
    "I went to every noon conference I could, and I took notes on how the senior residents ran "
    "their teams. I volunteered at a free clinic on Saturdays, where I helped with intake and "
    "translated for Spanish-speaking families. I tutored second-year students for Step 1 in the "
    "evenings, which reminded me how much I enjoy teaching. I also studied for Step 3 in the "
    "mornings before work, and I plan to take it in the spring. On weekends I worked on a case "
    "report about an unusual presentation of sarcoidosis that my PI and I hope to submit. I "
    "learned how to use R for the statistics, which took a while, but now I can run the analyses "
    "on my own. I also helped write the IRB amendment for the study, and I presented our interim "
    "results at the division meeting. The research team trusted me with more over time, and by "
    "the end I was training the new coordinator. All of this research made me a better "
    "communicator, and the research meetings taught me to explain research findings simply."
)
TOO_LONG = STRONG + EXTRA

SEED_RED_FLAG = (
    "During my third year I failed my medicine clerkship after struggling with time management "
    "and documentation. I met with my clerkship director, completed a remediation rotation with "
    "closer supervision, and have since completed all subsequent rotations successfully without "
    "concerns."
)
OWN_RED_FLAG = (
    "In my third year I failed my surgery clerkship because I fell behind on my notes and did "
    "not ask for help early. I worked with my clerkship director on a written plan, completed a "
    "four-week remediation rotation, and passed it. Since then I have passed every rotation and "
    "Step 2 on the first attempt, with no further concerns."
)
NO_OWNERSHIP = (
    "The clerkship director failed me in surgery because she did not like me. I had to repeat "
    "the rotation, and I passed it."
)
SECOND_PROBLEM = (
    "During my third year I failed my medicine clerkship after struggling with time "
    "management. I also failed Step 1, and then I also took a leave of absence. I completed a "
    "remediation rotation and have since passed all subsequent rotations."
)
WHERE_GOOD = (
    "I didn't match this year, so I'm doing research in cardiology while I reapply. How's the "
    "new job?"
)
WHERE_LONG = (
    "Well, I didn't match, which was honestly so unfair because the programs only look at "
    "scores, and my Step 2 was low because I was sick that week, and then SOAP didn't work out "
    "either, so now I'm doing research and reapplying, and I'm not sure what will happen, it's "
    "been really hard on me and my family."
)

# Words that would shame the user; no feedback text may use them.
SHAMING = ("lazy", "weak", "pathetic", "stupid", "terrible", "bad answer", "you failed", "wrong")


def past_year(answer: str, specialty: str | None = IM) -> Report:
    return review_past_year(answer, specialty=specialty, profile=PROFILE, role=RESEARCH)


def statuses(report: Report) -> dict[str, str]:
    return {c.key: c.status for c in report.checks}


def check(report: Report, key: str) -> Check:
    found = report.check(key)
    assert found is not None, key
    return found


def assert_sound(report: Report, answer: str) -> None:
    """Quotes are verbatim; texts are kind; the chat report is short."""
    for c in report.checks:
        for q in c.quotes:
            assert q in answer, (c.key, q)
    texts = [report.suggestion, report.scaffold, *(c.detail for c in report.checks)]
    for text in texts:
        for word in SHAMING:
            assert word not in text.lower(), (word, text)
    assert len(report_text(report)) <= REPORT_LIMIT


# ---------------------------------------------------------------- the questions


def test_questions_are_the_interviewers_words_and_the_red_flag_one_is_asked_only_when_needed() -> (
    None
):
    assert set(QUESTIONS) == {
        "past_year",
        "not_matching",
        "why_specialty",
        "red_flag",
        "where_matched",
    }
    assert question_text("why_specialty", specialty="psych") == "Why Psychiatry?"
    assert question_text("why_specialty", specialty=IM) == "Why Internal Medicine?"
    assert question_text("why_specialty", profile={"specialty": "Pediatrics"}) == "Why Pediatrics?"
    assert "red_flag" not in questions_for(PROFILE)
    assert "red_flag" in questions_for(FLAGGED)
    assert "leave of absence" in question_text("red_flag", profile={"red_flags": ["loa"]})
    with pytest.raises(ValueError):
        question_text("red_flag", profile=PROFILE)
    with pytest.raises(ValueError):
        question_text("nope")
    assert set(PRIORITY) == set(QUESTIONS)


def test_speaking_time_is_about_130_words_a_minute() -> None:
    assert speaking_seconds(130) == 60
    assert speaking_seconds(260) == 120
    assert speaking_seconds(0) == 0
    assert speaking_seconds(100, wpm=100) == 60
    with pytest.raises(ValueError):
        speaking_seconds(10, wpm=0)


# ---------------------------------------------------------------- the past-year answer


def test_a_strong_past_year_answer_passes_every_check() -> None:
    report = past_year(STRONG)
    assert statuses(report) == dict.fromkeys(PRIORITY["past_year"], "pass")
    assert 90 <= report.seconds <= 110
    assert report.seconds == speaking_seconds(report.words) == round(report.words * 60 / 130)
    assert report.target == (60, 120)
    assert report.question == QUESTIONS["past_year"]
    assert check(report, "acknowledgement").quotes == ("I did not match last cycle.",)
    growth = check(report, "growth").quotes
    for words in (
        "full-time as a research fellow",
        "180 patients",
        "two abstracts",
        "a manuscript",
        "a QI project",
        "71 percent",
    ):
        assert words in growth
    assert check(report, "tie").quotes == ("Internal Medicine", "deepened", "I am ready")
    assert check(report, "tone").quotes == ()
    assert check(report, "evidence").quotes == ("180 patients", "two abstracts", "a poster")
    assert check(report, "length").quotes == ()
    assert report.suggestion.startswith("Keep this version")
    assert_sound(report, STRONG)


def test_self_pity_is_flagged_with_each_phrase_quoted() -> None:
    report = past_year(SELF_PITY)
    tone = check(report, "tone")
    assert tone.status == "flag"
    assert tone.quotes == ("devastated", "It was so hard", "I felt like a failure", "unfair to me")
    # The acknowledgement is there and first, but not yet calm.
    ack = check(report, "acknowledgement")
    assert ack.status == "partly"
    assert ack.quotes == ("I did not match last cycle and honestly I was devastated.",)
    assert "devastated" in report.suggestion
    assert_sound(report, SELF_PITY)


@pytest.mark.parametrize(
    ("opening", "quote"),
    [
        ("Ugh, honestly this whole thing is killing me.", "Ugh"),
        ("Honestly I'm so fed up with this whole process, it drives me crazy.", "fed up"),
        ("It was frustrating and I hated every minute of it.", "frustrating"),
    ],
)
def test_frustration_is_not_a_calm_factual_tone(opening: str, quote: str) -> None:
    # "killing me" is an idiom here: the crisis rules leave it to the practice report.
    assert not is_crisis(opening)
    answer = f"{opening} {STRONG}"
    report = past_year(answer)
    tone = check(report, "tone")
    assert tone.status == "flag", tone
    assert quote in tone.quotes
    assert "frustration" in tone.detail
    assert "✅ Calm, factual tone" not in report_text(report)
    assert_sound(report, answer)


def test_blame_is_flagged_with_the_exact_words() -> None:
    report = past_year(BLAMING)
    tone = check(report, "tone")
    assert tone.status == "flag"
    assert tone.quotes == (
        "the programs never gave me a chance",
        "my advisor told me to apply to derm",
    )
    assert check(report, "acknowledgement").status == "pass"
    assert "the programs never gave me a chance" in report.suggestion
    assert_sound(report, BLAMING)


@pytest.mark.parametrize(
    ("sentence", "quote"),
    [
        ("Honestly the match is rigged against people like me.", "the match is rigged"),
        ("It came down to bad luck in the algorithm.", "bad luck"),
        ("They didn't give me a chance at all.", "They didn't give me a chance"),
        ("The whole process was unfair.", "unfair"),
    ],
)
def test_other_kinds_of_blame(sentence: str, quote: str) -> None:
    answer = f"I did not match last cycle. {sentence} Since then I have worked as a scribe."
    tone = check(past_year(answer), "tone")
    assert tone.status == "flag" and quote in tone.quotes


@pytest.mark.parametrize(
    "sentence",
    [
        "I grew a lot because my attending let me present at morning report.",
        "My mentor told me to keep going, and I crushed Step 3.",
        "I felt like I belonged on the wards.",
    ],
)
def test_gratitude_and_wins_are_not_mistaken_for_blame_or_self_pity(sentence: str) -> None:
    answer = f"I did not match last cycle. {sentence}"
    assert check(past_year(answer), "tone").status == "pass"


def test_adjectives_without_evidence_are_flagged() -> None:
    report = past_year(ADJECTIVES)
    evidence = check(report, "evidence")
    assert evidence.status == "flag"
    assert evidence.quotes == ("hardworking", "passionate", "resilient", "dedicated")
    growth = check(report, "growth")
    assert growth.status == "partly" and growth.quotes == ("scribe",)
    assert "hardworking" in report.suggestion
    assert_sound(report, ADJECTIVES)


def test_an_adjective_with_proof_in_the_same_sentence_passes() -> None:
    answer = (
        "I did not match last cycle. I am hardworking: I screened 400 patients for the registry. "
        "I ran it as a full-time research coordinator."
    )
    evidence = check(past_year(answer), "evidence")
    assert evidence.status == "pass" and evidence.quotes == ("400 patients", "the registry")
    # "motivated me" and "data-driven" describe something else, not the speaker.
    answer = (
        "I did not match last cycle. The year motivated me to build a data-driven QI project "
        "with 3 nurses."
    )
    assert check(past_year(answer), "evidence").status == "pass"


def test_a_far_too_long_answer_is_flagged_with_its_overused_word() -> None:
    report = past_year(TOO_LONG)
    assert 380 <= report.words <= 430 and report.seconds > 180
    length = check(report, "length")
    assert length.status == "flag"
    assert length.quotes == ("research",)
    assert "“research” ×6" in length.detail
    assert "3:" in length.detail and "aim 1:00-2:00" in length.detail
    # Length is the one flag, so it is the suggestion.
    assert report.suggestion.startswith("Trim it to under 2:00")
    assert_sound(report, TOO_LONG)


def test_an_answer_without_the_tie_to_the_specialty() -> None:
    report = past_year(NO_TIE)
    tie = check(report, "tie")
    assert tie.status == "missing" and tie.quotes == ()
    assert "name Internal Medicine" in tie.detail
    assert {k: s for k, s in statuses(report).items() if k != "tie" and k != "length"} == {
        "acknowledgement": "pass",
        "growth": "pass",
        "tone": "pass",
        "evidence": "pass",
    }
    assert "Internal Medicine" in report.suggestion
    assert_sound(report, NO_TIE)


def test_the_tie_is_partly_there_when_one_piece_is_missing() -> None:
    # Named and deepened, but the look ahead is not the last sentence.
    answer = NO_TIE.replace(
        "The project ended in June.",
        "I am ready for residency. It deepened my interest in IM. The project ended in June.",
    )
    tie = check(past_year(answer), "tie")
    assert tie.status == "partly"
    assert tie.quotes == ("IM", "deepened")
    assert "move the forward-looking line to the very end" in tie.detail


@pytest.mark.parametrize(
    ("specialty", "said"),
    [
        ("Internal Medicine", "IM"),
        ("Internal Medicine", "medicine"),
        ("Psychiatry", "psych"),
        ("Pediatrics", "peds"),
        ("Family Medicine", "FM"),
        ("Family Medicine", "primary care"),
        ("psych", "psychiatry"),
    ],
)
def test_the_specialty_may_be_named_by_a_clear_synonym(specialty: str, said: str) -> None:
    answer = f"It deepened my interest in {said}. I look forward to training in it."
    tie = check(past_year(answer, specialty=specialty), "tie")
    assert tie.status == "pass" and tie.quotes[0] == said


def test_lowercase_im_is_not_internal_medicine_and_another_field_is_not_the_target() -> None:
    answer = "It deepened my interest in derm, so im ready. I look forward to it."
    tie = check(past_year(answer), "tie")
    assert tie.status == "partly" and "name Internal Medicine" in tie.detail


def test_hedging_is_flagged_and_a_single_softener_is_only_partly() -> None:
    report = past_year(HEDGING)
    tone = check(report, "tone")
    assert tone.status == "flag"
    assert tone.quotes == ("I think", "maybe", "just", "kind of", "I guess", "sort of", "probably")
    assert report.suggestion.startswith("Drop the softeners (“I think”, “maybe”, “just”)")
    one = check(past_year(STRONG.replace("I run the data", "I think I run the data")), "tone")
    assert one.status == "partly" and one.quotes == ("I think",)
    # "just submitted" is about time, and "I think about" is reflection: neither is hedging.
    calm = "I did not match last cycle. I just submitted a manuscript, and I think about it often."
    assert check(past_year(calm), "tone").status == "pass"
    assert_sound(report, HEDGING)


@pytest.mark.parametrize("answer", ["", "   ", "Research.", "um"])
def test_an_empty_or_one_word_answer_has_everything_missing(answer: str) -> None:
    report = past_year(answer)
    assert statuses(report) == dict.fromkeys(PRIORITY["past_year"], "missing")
    assert report.suggestion.startswith("Start with the acknowledgement")
    assert report.words <= 1 and report.seconds == 0
    text = report_text(report)
    assert text.count("⭕") == 6 and "Next time: Start with the acknowledgement" in text
    assert_sound(report, answer)


def test_the_acknowledgement_must_come_first_and_stay_brief() -> None:
    late = (
        "Over the past year I worked full-time as a research fellow and wrote two abstracts, "
        "which deepened my interest in internal medicine. I did not match last cycle. I am "
        "ready for residency."
    )
    ack = check(past_year(late), "acknowledgement")
    assert ack.status == "partly" and ack.quotes == ("I did not match last cycle.",)
    assert "Move the acknowledgement to your very first sentence" in past_year(late).suggestion
    # A short courtesy before it is fine.
    polite = "Thank you for asking. I did not match last cycle. I joined a research lab."
    assert check(past_year(polite), "acknowledgement").status == "pass"
    retold = (
        "I did not match last cycle. I had four interviews in the fall. I waited all through "
        "March. Then SOAP came and went. Since then I have been a research fellow with 2 posters."
    )
    ack = check(past_year(retold), "acknowledgement")
    assert ack.status == "partly" and "runs long" in ack.detail
    seed_style = "I did not match last cycle, which was difficult but clarifying."
    assert check(past_year(seed_style), "acknowledgement").status == "pass"


def test_growth_needs_results_and_room() -> None:
    no_results = "I did not match last cycle. I have been working as a research assistant."
    growth = check(past_year(no_results), "growth")
    assert growth.status == "partly" and growth.quotes == ("research assistant",)
    small = (
        "I did not match last cycle, and it has been a long, strange and humbling year for me "
        "and for my whole family, who have stood by me the entire time without a single doubt. "
        "I learned patience, I learned to ask for help, and I learned to keep going when the "
        "news was not what I had hoped to hear from anyone at all. "
        "I work as a research assistant with 2 posters."
    )
    growth = check(past_year(small), "growth")
    assert growth.status == "partly" and "biggest part" in growth.detail
    assert growth.quotes == ("research assistant", "2 posters")


def test_fillers_are_counted_but_id_like_to_is_not_one() -> None:
    answer = (
        "I did not match last cycle. I'd like to say that I worked as a scribe, and it was, "
        "like, really busy, um, with 20 shifts a month, you know, basically. I felt like I "
        "grew. I look forward to residency in medicine."
    )
    length = check(past_year(answer), "length")
    assert length.quotes == ("like", "um", "you know", "basically")
    assert "(4 in all)" in length.detail
    assert length.status == "partly"


def test_curly_apostrophes_are_read_and_quoted_as_typed() -> None:
    answer = "I didn’t match last cycle. I’m ready to start residency in internal medicine."
    report = past_year(answer)
    assert check(report, "acknowledgement").quotes == ("I didn’t match last cycle.",)
    assert "I’m ready" in check(report, "tie").quotes
    assert_sound(report, answer)


# ---------------------------------------------------------------- other questions


def test_not_matching_asks_for_what_you_learned_and_did_not_for_growth_share() -> None:
    answer = (
        "I didn't match last cycle. Looking back, my program list was too short: I applied to "
        "30 programs, mostly academic ones on the coasts. So I took a job as a clinical "
        "research coordinator and rebuilt the list with 90 programs, most of them community "
        "programs. I'm ready to bring that to residency."
    )
    report = review_answer(
        "not_matching", answer, specialty=IM, profile=PROFILE, role={"kind": "crc"}
    )
    assert [c.key for c in report.checks] == [
        "acknowledgement",
        "learned",
        "acted",
        "forward",
        "tone",
        "evidence",
        "length",
    ]
    assert check(report, "learned").quotes == ("Looking back", "my program list was")
    assert check(report, "acted").quotes == (
        "30 programs",
        "clinical research coordinator",
        "90 programs",
    )
    assert check(report, "forward").quotes == ("I'm ready",)
    assert statuses(report)["length"] == "partly"  # 55 words is under a minute
    short = review_answer(
        "not_matching", "I didn't match. It happens.", specialty=IM, profile=PROFILE, role=None
    )
    assert statuses(short)["learned"] == "missing" and statuses(short)["acted"] == "missing"
    assert short.suggestion.startswith("Add what you learned")
    assert_sound(report, answer)


def test_why_specialty_wants_a_real_moment_not_a_cliche() -> None:
    story = (
        "I chose psych because of a patient I met during my third-year rotation, a 19-year-old "
        "admitted after a first episode of psychosis. I sat with him and his mother every "
        "morning for two weeks, and I saw how a clear, kind explanation changed how they took "
        "the plan. This year, as a clinical research coordinator, I screened 120 patients for "
        "a depression study."
    )
    report = review_answer(
        "why_specialty", story, specialty="Psychiatry", profile=PROFILE, role=None
    )
    assert report.question == "Why Psychiatry?"
    assert check(report, "specialty").quotes == ("psych",)
    assert check(report, "story").quotes == ("a patient", "I met", "during my")
    assert check(report, "evidence").status == "pass"
    cliche = "I have always wanted to help people and I love continuity of care."
    report = review_answer(
        "why_specialty", cliche, specialty="Psychiatry", profile=PROFILE, role=None
    )
    assert check(report, "specialty").status == "missing"
    story_check = check(report, "story")
    assert story_check.status == "partly"
    assert story_check.quotes == (
        "I have always wanted",
        "help people",
        "I love",
        "continuity of care",
    )
    assert_sound(report, cliche)


def test_review_answer_dispatches_and_refuses_unknown_questions() -> None:
    assert review_answer(
        "past_year", STRONG, specialty=IM, profile=PROFILE, role=RESEARCH
    ) == past_year(STRONG)
    assert review_answer(
        "red_flag", SEED_RED_FLAG, specialty=IM, profile=FLAGGED, role=None
    ) == review_red_flag(SEED_RED_FLAG, profile=FLAGGED)
    assert review_answer(
        "where_matched", WHERE_GOOD, specialty=None, profile={}, role=None
    ) == review_where_matched(WHERE_GOOD)
    with pytest.raises(ValueError):
        review_answer("nope", "x", specialty=None, profile={}, role=None)
    with pytest.raises(ValueError):
        review_answer("past_year", "x", specialty=None, profile={}, role=None, target=(90, 30))


# ---------------------------------------------------------------- red flags


def test_the_seeds_own_red_flag_example_passes_every_check() -> None:
    report = review_red_flag(SEED_RED_FLAG, profile=FLAGGED)
    assert statuses(report) == dict.fromkeys(PRIORITY["red_flag"], "pass")
    assert check(report, "acknowledgement").quotes == ("failed my medicine clerkship",)
    assert check(report, "ownership").quotes == ("I failed",)
    assert check(report, "resolution").quotes == (
        "met with my clerkship director",
        "completed a remediation rotation",
        "completed all subsequent rotations",
    )
    assert check(report, "stability").quotes == (
        "have since",
        "all subsequent rotations",
        "without concerns",
    )
    assert report.question == (
        "Your application mentions a course or clerkship you had to retake. "
        "Could you walk me through it?"
    )
    assert_sound(report, SEED_RED_FLAG)


def test_an_owned_and_resolved_red_flag_in_other_words_passes() -> None:
    report = review_red_flag(OWN_RED_FLAG, profile=FLAGGED)
    assert statuses(report) == dict.fromkeys(PRIORITY["red_flag"], "pass")
    assert check(report, "ownership").quotes == ("I failed", "I fell behind")
    assert check(report, "stability").quotes == ("Since then I have", "no further concerns")
    leave = (
        "I took a leave of absence in my second year to care for my father during his cancer "
        "treatment. I worked with my dean on a return plan and returned full-time the next "
        "fall. I have since completed every rotation on schedule, and I am now in my research "
        "job full-time."
    )
    report = review_red_flag(leave, profile={"red_flags": ["loa"]})
    assert statuses(report) == dict.fromkeys(PRIORITY["red_flag"], "pass")
    assert check(report, "acknowledgement").quotes == ("took a leave of absence",)


def test_a_red_flag_told_without_ownership() -> None:
    report = review_red_flag(NO_OWNERSHIP, profile=FLAGGED)
    assert check(report, "ownership").status == "missing"
    tone = check(report, "tone")
    assert tone.status == "flag"
    assert tone.quotes == ("The clerkship director failed me", "did not like me")
    assert check(report, "stability").status == "missing"
    assert "The clerkship director failed me" in report.suggestion
    assert_sound(report, NO_OWNERSHIP)
    excuse = (
        "I failed my surgery clerkship because the professor was harsh, and it wasn't my fault. "
        "I passed the remediation, and I am now doing well."
    )
    tone = check(review_red_flag(excuse, profile=FLAGGED), "tone")
    assert tone.status == "flag" and tone.quotes == ("because the professor", "wasn't my fault")


def test_a_second_problem_volunteered_is_flagged() -> None:
    report = review_red_flag(SECOND_PROBLEM, profile=FLAGGED)
    one = check(report, "one_problem")
    assert one.status == "flag"
    assert one.quotes == ("failed Step 1", "and then I also", "took a leave of absence")
    assert report.suggestion.startswith(
        "Keep this answer to the one event: take out “failed Step 1”"
    )
    # With two flags on the profile, explaining both is not "volunteering" one.
    both = "I failed my surgery clerkship. Separately, I took a leave of absence. I have since passed all."
    two_flags = review_red_flag(both, profile={"red_flags": ["course_fail", "loa"]})
    assert check(two_flags, "one_problem").status == "pass"
    assert check(review_red_flag(both, profile=FLAGGED), "one_problem").quotes == (
        "took a leave of absence",
    )
    assert_sound(report, SECOND_PROBLEM)


def test_red_flag_length_is_two_or_three_sentences() -> None:
    three = SEED_RED_FLAG + " I now use a checklist for every note."
    assert check(review_red_flag(three, profile=FLAGGED), "length").status == "pass"
    report = review_red_flag(three + " It helps.", profile=FLAGGED)
    assert check(report, "length").status == "partly"
    six = three + " It helps. I am proud of it. It works."
    assert check(review_red_flag(six, profile=FLAGGED), "length").status == "flag"
    one = review_red_flag("I failed my medicine clerkship.", profile=FLAGGED)
    assert check(one, "length").status == "partly"
    assert check(one, "resolution").status == "missing"
    empty = review_red_flag("", profile=FLAGGED)
    assert set(statuses(empty).values()) <= {"missing"}
    assert empty.suggestion.startswith("Open by naming it in plain words")


def test_stability_must_come_last() -> None:
    answer = (
        "Since then I have done well. I failed my medicine clerkship after falling behind. "
        "I completed a remediation rotation."
    )
    stability = check(review_red_flag(answer, profile=FLAGGED), "stability")
    assert stability.status == "partly" and stability.quotes == ("Since then I have",)


# ---------------------------------------------------------------- where did you match?


def test_a_good_where_matched_script_passes() -> None:
    report = review_where_matched(WHERE_GOOD)
    assert statuses(report) == dict.fromkeys(PRIORITY["where_matched"], "pass")
    assert check(report, "plain_answer").quotes == ("didn't match",)
    assert check(report, "change_subject").quotes == ("How's the new job?",)
    assert report.target[0] == 0 and "keep it short" in report_text(report)
    assert_sound(report, WHERE_GOOD)


def test_an_over_explained_where_matched_answer() -> None:
    report = review_where_matched(WHERE_LONG)
    assert report.words > 45
    assert statuses(report) == {
        "plain_answer": "pass",
        "tone": "flag",
        "brief": "flag",
        "change_subject": "missing",
    }
    assert check(report, "tone").quotes == (
        "unfair",
        "because the programs",
        "it's been really hard",
    )
    assert report.suggestion.startswith("Leave out “unfair”")
    anyway = "I'm doing a research year and applying again. Anyway, how about you?"
    assert check(review_where_matched(anyway), "change_subject").status == "pass"
    assert_sound(report, WHERE_LONG)


# ---------------------------------------------------------------- voice notes


@pytest.mark.parametrize(
    ("seconds", "status"),
    [
        (90, "pass"),
        (60, "pass"),
        (120, "pass"),
        (45, "partly"),
        (150, "partly"),
        (200, "flag"),
        (0, "missing"),
    ],
)
def test_duration_check_for_a_voice_note(seconds: int, status: str) -> None:
    result = duration_check(seconds, (60, 120))
    assert result.key == "duration" and result.status == status and result.quotes == ()
    if seconds:
        assert result.detail.startswith(f"{seconds} seconds (")
    if status == "pass":
        assert "inside your 1:00-2:00 aim" in result.detail


# ---------------------------------------------------------------- scaffolds


def test_scaffold_uses_the_stored_role_counts_and_specialty() -> None:
    text = scaffold("past_year", specialty=IM, profile=PROFILE, role=RESEARCH)
    assert "a full-time research position" in text
    assert "2 abstracts and 1 paper" in text and "poster" not in text
    assert "Internal Medicine" in text
    for blank in (BLANK_ROLE, BLANK_RESULTS, BLANK_SPECIALTY):
        assert blank not in text
    assert "[" in text, "always a structure to fill, never a finished answer"


def test_scaffold_shows_blanks_exactly_where_the_profile_is_empty() -> None:
    text = scaffold("past_year", specialty=None, profile={}, role=None)
    for blank in (BLANK_ROLE, BLANK_RESULTS, BLANK_SPECIALTY):
        assert text.count(blank) == 1
    no_counts = scaffold(
        "past_year", specialty="peds", profile={"abstracts": 0}, role={"kind": "crc"}
    )
    assert BLANK_RESULTS in no_counts and BLANK_ROLE not in no_counts
    assert "Pediatrics" in no_counts and "a clinical research coordinator job" in no_counts
    no_role = scaffold("past_year", specialty="peds", profile=PROFILE, role={"kind": "none"})
    assert BLANK_ROLE in no_role and BLANK_RESULTS not in no_role
    where = scaffold("where_matched", specialty="Neurology", profile={}, role=RESEARCH)
    assert "doing research in Neurology" in where and BLANK_DOING not in where
    assert BLANK_DOING in scaffold("where_matched", specialty=None, profile={}, role=None)
    red = scaffold("red_flag", specialty=None, profile={"red_flags": ["loa"]}, role=None)
    assert "leave of absence" in red
    for key in QUESTIONS:
        assert scaffold(key, specialty=None, profile={}, role=None)
    with pytest.raises(ValueError):
        scaffold("nope", specialty=None, profile={}, role=None)


# ---------------------------------------------------------------- round trips and text


def test_checks_and_reports_round_trip_through_json() -> None:
    for report in (
        past_year(STRONG),
        past_year(""),
        review_red_flag(SECOND_PROBLEM, profile=FLAGGED),
        review_where_matched(WHERE_LONG),
    ):
        data = json.loads(json.dumps(report.as_dict()))
        assert Report.from_dict(data) == report
        for c in report.checks:
            assert Check.from_dict(json.loads(json.dumps(c.as_dict()))) == c
    with pytest.raises(ValueError):
        Check("tone", "Tone", "great", "", ())  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        Check.from_dict({"key": "tone", "label": "Tone", "status": "great"})


def test_report_text_is_a_short_personal_message() -> None:
    text = report_text(past_year(ADJECTIVES))
    lines = text.splitlines()
    assert lines[0] == f"“{QUESTIONS['past_year']}”"
    assert "⚠️ Evidence, not adjectives: “hardworking”, “passionate”, “resilient”" in text
    assert "🟡 Growth, with concrete results: “scribe”" in text
    assert "✅ Brief acknowledgement first: “I did not match last cycle.”" in text
    assert "31 words, about 0:14 spoken (aim 1:00-2:00)." in text
    assert lines[-1].startswith("Next time: ")
    # Long quotes are trimmed, and the whole stays under the limit.
    rambling = "I did not match last cycle and " + "it was so hard and unfair to me, " * 40
    long_text = report_text(past_year(rambling))
    assert len(long_text) <= REPORT_LIMIT
    quoted = re.findall(r"“([^”]*)”", long_text)
    assert quoted and all(len(q) <= QUOTE_CHARS for q in quoted)
    assert any(q.endswith("…") for q in quoted)


def test_compare_names_what_improved() -> None:
    before, after = past_year(BLAMING), past_year(STRONG)
    text = compare(before, after)
    assert "Now in place: Growth, with concrete results" in text
    assert "Calm, factual tone" in text
    assert "Length: now about 1:" in text and "inside your 1:00-2:00 aim" in text
    assert compare(after, after).startswith("Same as last time: keep going")
    empty = past_year("")
    assert "Getting closer" in compare(empty, past_year(ADJECTIVES))
    # Something better and something that slipped: both said, the slip gently.
    mixed = compare(past_year(NO_TIE), past_year(ADJECTIVES))
    assert "Getting closer: Tie to Internal Medicine, ending forward." in mixed
    assert "Worth another look: Growth, with concrete results; Evidence, not adjectives" in mixed


def test_compare_says_kindly_when_an_attempt_slipped() -> None:
    strong = review_answer(
        "past_year",
        "I did not match last cycle, which was hard but clarifying. Since then I have worked "
        "full-time as a research fellow in internal medicine, where I submitted two abstracts "
        "and one manuscript. This year deepened my interest in internal medicine, and I am "
        "ready to bring that to residency.",
        specialty="Internal Medicine",
        profile={},
        role=None,
    )
    weak = review_answer(
        "past_year", "I was busy.", specialty="Internal Medicine", profile={}, role=None
    )
    said = compare(strong, weak)
    assert "Worth another look" in said and "Same as last time" not in said


def test_blame_softened_with_just_is_still_blame() -> None:
    report = review_past_year(
        "I guess the programs just didn't give me a chance.",
        specialty="Internal Medicine",
        profile={},
        role=None,
    )
    tone = report.check("tone")
    assert tone is not None and tone.status == "flag"
    assert any("didn't give me a chance" in q for q in tone.quotes)
