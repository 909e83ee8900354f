"""The crisis-language detector, pinned with real sentences both ways.

A missed crisis message can cost a life; a false alarm costs a kind check-in. The positives
are what a struggling applicant might type on a phone; the negatives are what a stressed but
safe applicant says every day. Each case is a real assertion on ``is_crisis``.
"""

from __future__ import annotations

import time

import pytest

from conversations.rules.crisis import GUARDS, PATTERNS, is_crisis, matched_pattern, normalize

MUST_FIRE = [
    # direct
    "I want to die",
    "i wanna die",
    "I just want to kill myself",
    "im going to kill myself",
    "I feel suicidal",
    "I’m thinking about suicide",
    "I want to end my life",
    "I'm planning to take my own life",
    "I want to end it all",
    "I keep thinking about ending it",
    "I wish I were dead",
    "I'd be better off dead",
    "everyone would be better off without me",
    "My family would be better off if I was dead",
    "i think everyone would be happier if i was gone",
    "It’d be easier for everyone if I wasn’t around",
    "I want to hurt myself",
    # indirect / passive
    "there's no reason to live",
    "theres no reason to live anymore",
    "I have nothing left to live for",
    "What's the point of living?",
    "whats the point of living if I cant even match",
    "Life isn't worth living",
    "I'm so tired of being alive",
    "Everything is pointless. I'm done with life.",
    "I don't want to wake up tomorrow",
    "I hope I don't wake up",
    "I wish I could go to sleep and never wake up",
    "i dont want to be here anymore",
    "I DONT WANT TO LIVE ANYMORE",
    "i don't want to be alive anymore",
    "I don't want to exist anymore",
    "I wish I was never born",
    "I want to disappear forever",
    "I just want to disappear",
    "no one would care if I died",
    "Nobody would even notice if I disappeared",
    "Honestly I wouldn't mind if I never woke up",
    "I wish a bus would hit me on the way to work",
    "I think about dying every day",
    "I'm a burden to everyone",
    "I'm such a burden to my family",
    "I’ve lost all hope",
    "I feel hopeless.",
    # "I can't go on"
    "I can't do this anymore",
    "I can't do this anymore lol",
    "I can't go on",
    "Third cycle without a match. I can't go on like this.",
    "I can't take it anymore",
    "i cant keep living like this",
    # plans and means
    "I'm thinking of taking all my pills",
    "after the SOAP failed i took a bunch of pills",
    "I've been stockpiling my sleeping pills",
    "Thinking about overdosing on my insulin",
    "I looked up how many pills it takes to die",
    "I'm going to jump",
    "I want to jump off the roof of the hospital",
    "My plan is to jump off the parking garage",
    "i wanna step in front of a train",
    "I'm going to drive my car into a wall",
    "I'm standing on the bridge right now",
    "I bought a rope today",
    "I tied a noose",
    "i want to slit my wrists",
    # goodbye for good
    "This is goodbye. Thank you for everything.",
    "Goodbye forever",
    "You won't hear from me again",
    "By the time you read this I'll be gone",
    "Wrote my goodbye letter to my parents",
    "i want to give away all my stuff and disappear",
    # self-harm
    "I've been self harming again",
    "relapsed on SH last night",
    "I started cutting myself again",
    "I’m cutting again",
    # shorthand, filter-dodging and typos
    "kms",
    "honestly kms, 0 interviews",
    "I keep thinking I should just kms lol",
    "should i just kys",
    "I want to unalive myself",
    "thinking about sewerslide tbh",
    "su1cide is all I think about",
    "been having sucidal thoughts",
    "I've been having passive SI since Match Day",
    "I want to d1e",
    "I want to dieee",
    "I want to killlll myself",
    "I   want   to    die",
    # case, curly quotes, missing apostrophes
    "I’M GOING TO END IT TONIGHT",
    "im ready to end it",
    "I dont want to wake up",
    "i cant go on anymore",
    "Whats the point of anything anymore",
    # denial mixed with crisis, and "yet"
    "I’m not suicidal but I want to die",
    "I'm not suicidal yet but I'm getting close",
    # inside longer messages about the match
    "Unmatched, unemployed, and I want to die",
    "I didn't match again and honestly I just want to end my life",
    "I got zero interviews and I keep thinking about killing myself",
    "Match Day was a disaster. My parents spent everything on med school. "
    "They'd be better off without me.",
    "SOAP went nowhere, my visa is running out, and honestly I don't see the point "
    "of living anymore.",
    "I've been killing myself studying and honestly I want to kill myself",
    # more ways people say it
    "I want to kill my self",
    "i am going to end my life tonight",
    "I've been thinking about ending things",
    "I can’t keep going",
    "I cant cope anymore",
    "I don't want to live like this",
    "I wish I could just stop existing",
    "i should just die",
    "I deserve to die",
    "I'm such a failure, I don't deserve to live",
    "nobody will miss me when im gone",
    "the world would be better without me",
    "I just want the pain to stop",
    "I want everything to end",
    "I'm going to hang myself",
    "I wrote a suicide note",
    "gonna od tonight",
    "I OD'd last night",
    "no one would notice if i was gone",
    "Is it normal to think about suicide after not matching?",
    "what's the suicide hotline number",
    "I hope I get hit by a car",
    "I feel like dying",
    "I burned myself on purpose",
    "I keep scratching my arms until they bleed",
    "Been looking up ways to die",
    "I've got a bottle of pills next to me",
    "honestly ready to give up on life",
    "There's no way out",
    "I'm sorry for everything. Goodbye.",
    "please take care of my cat when i'm gone",
    "Sometimes I wish I would just not wake up",
    "I want to die 😭😭",
    "I want to die!!!!!",
    "i want 2 die",
    "iwanttodie",
    "i wnat to die",
    "i want to commit sudoku",
    "goodbyeeee everyone",
    "better offff dead",
    "nooooo one would miss meeee",
    "end it alllll",
]

# Genuinely ambiguous: hyperbole for many people, a real signal for some. The brief says to
# prefer firing, so these fire on purpose (a caring check-in costs little).
AMBIGUOUS_BUT_FIRES = [
    "I'd rather die than do another prelim year",
    "My life is over",
    "One of my classmates died by suicide last year",
    "I don't want to be here.",
    "I'm not suicidal right now, just really sad",
    "I'm not going to kill myself, don't worry",
    "I'm a financial burden on my parents",
]

MUST_NOT_FIRE = [
    # listed in the brief
    "this killed my chances",
    "I am dying to match",
    "I'm dead tired",
    "killing it at work",
    "the deadline is killing me",
    "I could kill for a coffee",
    "my PD will kill me if I'm late",
    "I'd die for an IM spot",
    "that interview was murder",
    "I bombed step 2",
    "my hopes died",
    "dead last in my class",
    "kill the interview",
    "the patient died on my shift",
    "I studied suicide risk assessment for psych",
    "we had a suicide prevention lecture",
    "research on self-harm in adolescents",
    "I'm not suicidal, just exhausted",
    "I can't go on vacation this year",
    "I can't do this anymore without coffee lol",
    # idioms
    "I need to cut myself some slack after this cycle",
    "I really shot myself in the foot by applying to only 12 programs",
    "I've been killing myself studying for Step 3",
    "I wanted to die of embarrassment when I blanked on the attending's name",
    "I'm ready to die on this hill: FM is a great specialty",
    "I'm dying to know if I got any interview invites",
    "Burnout is killing me but I'm fine",
    "I killed that OSCE",
    "The attending said my research idea was dead on arrival",
    "I could sleep forever after that night float",
    "I'm so done with ERAS",
    "I'm thinking of dying my hair before interview season",
    "I could OD on coffee during dedicated",
    # schedules, places, plans
    "I don't want to wake up at 4am for surgery rounds again",
    "I don't want to live in Ohio for residency",
    "What's the point of living in NYC on a resident salary?",
    "I can't keep going to these expensive interviews",
    "I'm going to jump on a call with my mentor tonight",
    "I think I'll jump into research for a year",
    "Should I jump ship to family medicine?",
    "I want to disappear from social media until Match Day",
    "I take all my meds every morning before clinic",
    "I'm ending it with my boyfriend because of the long distance",
    "This is goodbye to my surgery dreams, hello anesthesia!",
    "No one would notice if I skipped the conference",
    "I gave up hope of matching derm, pivoting to IM",
    "I'm hopeless at interviews, need practice",
    "I can't take it personally when programs ghost me",
    "I don't see a future in dermatology for me",
    "I'm not going to give up, I'll apply again next year",
    # patients, psych, research, small accidents
    "My patient with a Tylenol overdose finally went home",
    "The patient endorsed passive SI so we called psych",
    "Our psych attending taught us how to screen for suicidal ideation",
    "We had a lecture on physician suicide rates",
    "I read an article about burnout and suicide among residents",
    "The ED was slammed with overdoses last night",
    "The ICU patient coded and died despite everything",
    "I cut myself shaving before the interview",
    "I hurt myself at the gym, can I still do away rotations?",
    "We ran suicides at basketball practice in college",
    "The self-deleting messages feature in Telegram is handy",
    "My SI joint pain is back after the long flight",
    "Pt with hx of SI, now denies",
    "Patient s/p suicide attempt by hanging",
    "My patient has a history of deliberate self-harm",
    "Screening for suicidality is part of every psych intake",
    "UWorld questions on overdose management are hard",
    "We covered suicide screening in our psych rotation",
    # and the rest of everyday talk
    "I need to take my life insurance exam",
    "End of life care is my passion",
    "I'm going to end my rotation early",
    "Don't jump to conclusions",
    "I'm killing this qbank",
    "I can't cope with this heat",
    "I'm so done with life admin",
    "I don't want to live with my parents anymore",
    "I wish I could disappear for a few days",
    "I can't go on rounds tomorrow, I have an interview",
    "I am not suicidal. I'm just angry.",
    "My step score killed my dreams",
    "I want to end this cycle on a high note",
    "I hope someone takes me seriously this time",
    "Nobody would care if I reapplied to FM",
    "I'd be happier if I were in a different specialty",
    "My program would be better off with a bigger class",
    "I'm at the end of my rope with ERAS",
    "You won't see me at the conference next week",
    "This is my last message for tonight, thanks",
    "I'll die if I don't get coffee",
    "I'm dying here, this call shift is brutal",
    "I hate myself for not applying to more programs",
    "This cycle is hopeless",
    "I'm drowning in paperwork",
    "Thanks for everything, bye!",
    # names typed during onboarding
    "Hi, I'm Sui",
    "My name is Kym Di",
]


@pytest.mark.parametrize("text", MUST_FIRE)
def test_crisis_language_fires(text: str) -> None:
    assert is_crisis(text), f"missed: {text!r} (normalized: {normalize(text)!r})"


@pytest.mark.parametrize("text", AMBIGUOUS_BUT_FIRES)
def test_ambiguous_phrasings_fire_by_design(text: str) -> None:
    assert is_crisis(text), f"missed: {text!r} (normalized: {normalize(text)!r})"


@pytest.mark.parametrize("text", MUST_NOT_FIRE)
def test_ordinary_talk_does_not_fire(text: str) -> None:
    assert not is_crisis(text), f"false alarm: {text!r} fired {matched_pattern(text)!r}"


def test_there_are_enough_cases_both_ways() -> None:
    assert len(MUST_FIRE) >= 60 and len(MUST_NOT_FIRE) >= 40
    assert len(set(MUST_FIRE)) == len(MUST_FIRE)
    assert len(set(MUST_NOT_FIRE)) == len(MUST_NOT_FIRE)


def test_every_pattern_is_exercised_and_named_once() -> None:
    names = [name for name, _ in PATTERNS]
    assert len(names) == len(set(names))
    assert {name for name, _ in GUARDS}.isdisjoint(names)
    fired = {matched_pattern(text) for text in MUST_FIRE}
    assert fired == set(names), f"patterns without a firing example: {set(names) - fired}"


def test_matched_pattern_names_the_rule() -> None:
    assert matched_pattern("I want to kill myself") == "kill_self"
    assert matched_pattern("kms") == "shorthand"
    assert matched_pattern("I'm not suicidal, just exhausted") is None


@pytest.mark.parametrize("text", ["", " ", "   \n\t  ", "\u200b", "\n\n"])
def test_empty_or_blank_text_is_not_a_crisis(text: str) -> None:
    assert is_crisis(text) is False
    assert matched_pattern(text) is None


def test_normalize_reads_phone_text() -> None:
    assert normalize("I’M   NOT okay!!") == "im not okay ! !"
    assert normalize("I cannot go on") == normalize("i can't go on") == "i cant go on"
    assert normalize("I don’t wanna die") == "i dont want to die"
    assert normalize("su1c1de") == "suicide"
    assert normalize("dieeeee") == "die"
    assert normalize("killlll") == "kill"
    assert normalize("self-harm") == "self harm"
    assert normalize("alllll") == "all"
    assert normalize("goodbyeeee") == "goodbye"


def test_a_long_message_with_the_phrase_at_the_end_still_fires_quickly() -> None:
    filler = " ".join(MUST_NOT_FIRE) + " "
    body = (filler * (50_000 // len(filler) + 1))[:50_000]
    assert len(body) == 50_000
    started = time.perf_counter()
    assert not is_crisis(body)
    assert is_crisis(body + " and honestly I want to die")
    assert time.perf_counter() - started < 2.0


@pytest.mark.parametrize(
    "text",
    [
        "a" * 50_000,
        "i want to " * 5_000,
        "su" * 25_000,
        "kill " * 10_000,
        "patient " * 6_000 + "suicide",
        "no " * 16_000,
        "dont want to live in " * 2_500,
        "x" + " " * 50_000 + "y",
        "!" * 50_000,
        "1" * 50_000,
        "e" * 25_000 + "a" * 25_000,
    ],
    ids=lambda t: f"{t[:12]!r}x{len(t)}",
)
def test_adversarial_long_inputs_run_in_linear_time(text: str) -> None:
    started = time.perf_counter()
    is_crisis(text)
    assert time.perf_counter() - started < 2.0
