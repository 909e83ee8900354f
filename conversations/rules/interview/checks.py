"""The rules shared by several questions: acknowledgement, growth, the tie to the specialty,
tone, evidence and length. Each gives its ``Check`` and the one suggestion it would make.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from conversations.rules.interview.patterns import (
    _ACK,
    _ADJECTIVES,
    _BLAME,
    _DEEPENED,
    _DUTIES,
    _EXCUSE,
    _FILLERS,
    _FORWARD,
    _FRUSTRATION,
    _HEDGE,
    _OUTPUTS,
    _ROLE,
    _SELF_PITY,
)
from conversations.rules.interview.profile import ROLE_WORDS, _role_kind, _specialty_terms
from conversations.rules.interview.report import (
    _EMPTY_DETAIL,
    MIN_WORDS,
    Check,
    Status,
    _clock,
    _length_status,
    _quoted,
    _Rule,
    speaking_seconds,
    word_count,
)
from conversations.rules.interview.text import _WORD, _merge, _quotes, _Span, _Text

# The acknowledgement is "brief": at most two sentences before the growth starts, and no single
# acknowledgement sentence longer than this (a run-on is a retelling, not an acknowledgement).
ACK_MAX_SENTENCES = 2
ACK_MAX_WORDS = 35
# Growth is the largest part: with a one-sentence acknowledgement and a one- or two-sentence
# close, sentences carrying the role and results need at least this share of the words.
GROWTH_SHARE = 0.4
# One or two soft words are normal speech (partly); three or more make the work sound small.
HEDGE_FLAG_AT = 3
# Fillers: up to two slip into any natural spoken answer; three or more are worth a slower take.
FILLER_LIMIT = 3
# A content word said this many times is worth varying; the top three are reported.
REPEAT_AT = 4
REPEAT_SHOWN = 3


def _acknowledgement(t: _Text, growth_like: set[int]) -> _Rule:
    """Present, first, brief and plain."""
    key, label = "acknowledgement", "Brief acknowledgement first"
    spans = t.find(_ACK)
    if not spans:
        return (
            Check(
                key,
                label,
                "missing",
                "The non-match isn't named. One calm sentence saying it lets the listener "
                "relax and hear the rest.",
            ),
            "Start with the acknowledgement: one calm sentence, such as “I didn't match last "
            "cycle,” then go straight to what you did.",
        )
    first = t.sentence_index(spans[0].start)
    quote = (t.sentence_text(first),)
    opener_ok = first == 1 and 0 not in growth_like and t.sentences[0].words <= 10
    if first != 0 and not opener_ok:
        return (
            Check(
                key,
                label,
                "partly",
                "You name it, but not at the start. Said first, it's over with quickly and "
                "the year gets the spotlight.",
                quote,
            ),
            "Move the acknowledgement to your very first sentence, so everything after it can "
            "be about the year.",
        )
    lead = next((i for i in range(len(t.sentences)) if i in growth_like), len(t.sentences))
    tone = t.find((*_SELF_PITY, *_BLAME, *_FRUSTRATION), within=first)
    if tone:
        return (
            Check(
                key,
                label,
                "partly",
                "It's there and it's first, but the sentence carries more than the fact. "
                "Calm and factual is enough.",
                quote,
            ),
            "Keep your first sentence to the fact alone, like “I didn't match last cycle.” "
            "How it felt is real, and it can stay out of the interview room.",
        )
    if lead > ACK_MAX_SENTENCES or t.sentences[first].words > ACK_MAX_WORDS:
        return (
            Check(
                key,
                label,
                "partly",
                "It's first, but it runs long. The non-match needs naming, not retelling.",
                quote,
            ),
            "Cut the opening to one or two short sentences, then move on to what you did.",
        )
    return (
        Check(key, label, "pass", "Named first, briefly and plainly. Well done.", quote),
        "",
    )


def _concrete(t: _Text) -> tuple[list[_Span], list[_Span]]:
    """The role phrases and the results (numbers, named outputs, responsibilities)."""
    roles = t.find(_ROLE)
    results = t.find((*_OUTPUTS, *_DUTIES))
    return roles, results


def _growth(t: _Text, role: Mapping[str, Any] | None) -> _Rule:
    """A concrete role and concrete results, as the largest part of the answer."""
    key, label = "growth", "Growth, with concrete results"
    roles, results = _concrete(t)
    role_words = ROLE_WORDS.get(_role_kind(role), "")
    quotes = _quotes(t, _merge([*roles, *results]))
    if not roles and not results:
        hint = f" (for you, {role_words.split(',')[0]})" if role_words else ""
        return (
            Check(
                key,
                label,
                "missing",
                "The year itself isn't described yet: no role and no results to point to.",
            ),
            f"Say what your role is{hint} and one result you can count or name: abstracts, "
            "patients, hours, a QI project.",
        )
    if not results:
        return (
            Check(
                key,
                label,
                "partly",
                "You name the role, but not what came of it. A number or a named piece of "
                "work makes it real.",
                quotes,
            ),
            "Add one result you can count or name to your role: how many abstracts, patients "
            "or hours, or the project's name.",
        )
    if not roles:
        return (
            Check(
                key,
                label,
                "partly",
                "There are concrete results, but not the role they came from.",
                quotes,
            ),
            "Say what the role was (title and department), so your results have a home.",
        )
    growth_sentences = {t.sentence_index(s.start) for s in (*roles, *results)}
    share = sum(t.sentences[i].words for i in growth_sentences) / max(1, t.words)
    if share < GROWTH_SHARE:
        return (
            Check(
                key,
                label,
                "partly",
                f"The results are concrete, but they fill only about {round(share * 100)}% of "
                "the answer. The year should be the biggest part.",
                quotes,
            ),
            "Give the year more room: two or three sentences on what you did and what came "
            "of it, and less on the rest.",
        )
    return (
        Check(
            key,
            label,
            "pass",
            "A real role with results someone can check, and it's the heart of the answer.",
            quotes,
        ),
        "",
    )


def _forward_in_last(t: _Text) -> tuple[list[_Span], bool]:
    """Forward-looking phrases in the last sentence, and whether any appear elsewhere."""
    if not t.sentences:
        return [], False
    last = t.find(_FORWARD, within=len(t.sentences) - 1)
    return last, bool(t.find(_FORWARD))


def _tie(t: _Text, specialty: str) -> _Rule:
    """Names the specialty, says what the year deepened, and ends looking forward."""
    key = "tie"
    name = specialty or "your specialty"
    label = f"Tie to {specialty}, ending forward" if specialty else "Tie to the specialty"
    named = t.find(_specialty_terms(specialty))
    deepened = t.find(_DEEPENED)
    forward, forward_anywhere = _forward_in_last(t)
    # The fullest naming of the specialty ("internal medicine" over "medicine") is quoted.
    best = sorted(named, key=lambda s: (s.start - s.end, s.start))[:1]
    quotes = _quotes(t, [*best, *deepened[:1], *forward[:1]])
    gaps = []
    if not named:
        gaps.append(f"name {name}")
    if not deepened:
        gaps.append("say what this year deepened")
    if not forward:
        gaps.append(
            "move the forward-looking line to the very end"
            if forward_anywhere
            else "end with a sentence that looks ahead"
        )
    if not gaps:
        return (
            Check(
                key,
                label,
                "pass",
                f"You connect the year to {name} and finish looking ahead.",
                quotes,
            ),
            "",
        )
    status: Status = "missing" if len(gaps) == 3 and not forward_anywhere else "partly"
    todo = "; ".join(gaps)
    detail = f"To close the loop: {todo}."
    if status == "missing":
        suggestion = (
            f"Finish with two sentences: what this year showed you about {name} (one specific "
            "thing you saw or did), then what you're ready to bring as a resident."
        )
    elif not named:
        suggestion = f"Say {name} by name when you explain what this year deepened."
    elif not deepened:
        suggestion = (
            f"Add one sentence on what the year deepened about {name}: a patient group, a "
            "clinic, a question you kept working on."
        )
    else:
        suggestion = (
            "Make your last sentence look ahead: what you're ready to do as a resident, "
            "or what you look forward to."
        )
    return Check(key, label, status, detail, quotes), suggestion


def _tone(t: _Text, *, hedges: bool = True, blame: bool = True) -> _Rule:
    """No self-pity, no blame, no frustration, no excuses; few softeners."""
    key, label = "tone", "Calm, factual tone"
    kinds = [("pity", _SELF_PITY), ("frustration", _FRUSTRATION), ("excuse", _EXCUSE)]
    if blame:
        kinds.insert(1, ("blame", _BLAME))
    if hedges:
        kinds.append(("hedge", _HEDGE))
    # Spans of all kinds compete together, so "unfair to me" (self-pity) wins over "unfair".
    hits = _merge(
        _Span(m.start(), m.end(), kind)
        for kind, patterns in kinds
        for p in patterns
        for m in p.finditer(t.plain)
    )
    by_kind = {kind: [h for h in hits if h.kind == kind] for kind, _ in kinds}
    quotes = _quotes(t, hits)
    serious = [k for k in ("blame", "pity", "frustration", "excuse") if by_kind.get(k)]
    n_hedges = len(by_kind.get("hedge", []))
    if not hits:
        if t.words < MIN_WORDS:
            return (
                Check(key, label, "missing", _EMPTY_DETAIL),
                "Say a full answer out loud, then we'll look at the tone.",
            )
        return (
            Check(key, label, "pass", "Steady and factual all the way through.", ()),
            "",
        )
    details = {
        "blame": "Some words put the outcome on others. Even where there's truth in it, "
        "interviewers hear it as a risk; what you did next serves you better.",
        "pity": "Some lines dwell on how hard it was. It was hard, and that's real; in the "
        "interview it can sound like where you still are.",
        "frustration": "Some words carry frustration. It's fair to feel, and an interviewer "
        "hears it as where you still are; calm words let the year speak.",
        "excuse": "An excuse slipped in. Saying what happened and what you did next is "
        "stronger than why it was out of your hands.",
        "hedge": "Softening words make real work sound smaller. You did these things; say "
        "them plainly.",
    }
    detail = " ".join(details[k] for k in (*serious, *(["hedge"] if n_hedges else [])))
    status: Status = "flag" if serious or n_hedges >= HEDGE_FLAG_AT else "partly"
    if serious:
        worst = serious[0]
        q = t.quote(by_kind[worst][0])
        suggestion = {
            "blame": f"Leave out “{q}” and tell it from your side: what happened, with “I” as "
            "the subject, and what you did next. That part is yours.",
            "pity": f"Swap “{q}” for one steady line about what the year gave you. The "
            "feelings belong with people close to you, not in this answer.",
            "frustration": f"Leave “{q}” for the people close to you. In the room, say what "
            "happened in a few calm words, then what you did next.",
            "excuse": f"Drop “{q}”. Name what happened in a few words, then what you did about it.",
        }[worst]
    else:
        soft = _quotes(t, by_kind["hedge"], limit=3)
        suggestion = (
            f"Drop the softeners ({_quoted(soft)}): say “I did” and “I led”. You earned them."
        )
    return Check(key, label, status, detail, quotes), suggestion


def _evidence(t: _Text) -> _Rule:
    """Adjectives about oneself only count with a number or named output in the same sentence."""
    key, label = "evidence", "Evidence, not adjectives"
    adjectives = t.find(_ADJECTIVES)
    outputs = t.find(_OUTPUTS)
    backed = {t.sentence_index(s.start) for s in outputs}
    bare = [a for a in adjectives if t.sentence_index(a.start) not in backed]
    if bare:
        quotes = _quotes(t, bare)
        return (
            Check(
                key,
                label,
                "flag",
                "These describe you without proof next to them. Anyone can say them; a "
                "number or a named project shows them.",
                quotes,
            ),
            f"Swap “{quotes[0]}” for the proof behind it: a number or a piece of work, like "
            "how many patients you followed or what you pushed to submission.",
        )
    if not outputs or t.words < MIN_WORDS:
        return (
            Check(
                key,
                label,
                "missing",
                "No numbers or named work yet; those are what make an answer believable.",
            ),
            "Add one number or named piece of work: an abstract, a poster, patients, hours.",
        )
    return (
        Check(
            key,
            label,
            "pass",
            "Your results do the talking; no empty adjectives.",
            _quotes(t, outputs, limit=3),
        ),
        "",
    )


def _repeated(t: _Text) -> list[tuple[str, int]]:
    """The most repeated content words (REPEAT_AT times or more), as first written."""
    first_seen: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for m in _WORD.finditer(t.plain):
        word = m.group().lower()
        if len(word) < 3 or not word.isalpha() or word in _STOP_WORDS:
            continue
        counts[word] += 1
        first_seen.setdefault(word, t.raw[m.start() : m.end()])
    return [(first_seen[w], n) for w, n in counts.most_common(REPEAT_SHOWN) if n >= REPEAT_AT]


def _length(t: _Text, target: tuple[int, int]) -> _Rule:
    """Words and speaking time against the target, fillers, and over-used words."""
    key, label = "length", "Length and delivery"
    lo, hi = target
    seconds = speaking_seconds(t.words)
    aim = f"{_clock(lo)}-{_clock(hi)}"
    if t.words < MIN_WORDS:
        return (
            Check(key, label, "missing", _EMPTY_DETAIL),
            f"Aim for about {_clock(lo)} to {_clock(hi)} out loud.",
        )
    fillers = t.find(_FILLERS)
    repeats = _repeated(t)
    status = _length_status(seconds, target)
    said = f"{word_count(t.words)}, about {_clock(seconds)} at a calm pace (aim {aim})."
    notes = []
    if fillers:
        notes.append(f"Fillers: {_quoted(_quotes(t, fillers))} ({len(fillers)} in all).")
    if repeats:
        notes.append("Words you lean on: " + ", ".join(f"“{w}” ×{n}" for w, n in repeats) + ".")
    if status == "pass" and (len(fillers) >= FILLER_LIMIT or repeats):
        status = "partly"
    quotes = _quotes(t, fillers) + tuple(w for w, _ in repeats)
    detail = " ".join([said, *notes])
    if seconds > hi:
        suggestion = (
            f"Trim it to under {_clock(hi)}: keep the opening line, your two strongest "
            "results and the closing line; let the rest go."
        )
    elif seconds < lo:
        suggestion = (
            f"Add a sentence or two on what you did and what came of it; you have room up "
            f"to about {_clock(hi)}."
        )
    elif len(fillers) >= FILLER_LIMIT:
        suggestion = (
            f"Say it once more, slowly, and let a short pause take the place of "
            f"{_quoted(_quotes(t, fillers, limit=3))}."
        )
    elif repeats:
        suggestion = (
            f"Vary “{repeats[0][0]}” (you said it {repeats[0][1]} times): use a pronoun "
            "or a more specific word the second time round."
        )
    else:
        suggestion = ""
    return Check(key, label, status, detail, quotes), suggestion


# Common words that say nothing about content; repetition of these is normal speech.
_STOP_TEXT = """
    a about above after again against all also am an and any are aren't as at be because been
    before being below between both but by can can't could couldn't did didn't do does doesn't
    doing don't down during each few for from further had hadn't has hasn't have haven't having
    he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've
    if in into is isn't it it's its itself let's me more most mustn't my myself no nor not of off
    on once only or other ought our ours ourselves out over own same shan't she she'd she'll
    she's should shouldn't so some such than that that's the their theirs them themselves then
    there there's these they they'd they'll they're they've this those through to too under until
    up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
    where's which while who who's whom why why's with won't would wouldn't you you'd you'll you're
    you've your yours yourself yourselves just really also like um uh well much many every one
    two three since year last this past each get got now will
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())
