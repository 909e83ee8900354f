"""Spot crisis language in a user's message, so the bot can answer with care first.

Who writes to this bot: medical graduates who did not match, often in their worst week. A few
of them will say, plainly or in passing, that they want to die, hurt themselves, or stop
existing. When that happens the bot must stop coaching and show crisis support.

This module is a safety net, not a diagnosis. It cannot tell who is at risk and who is not; it
only notices words that deserve a caring check-in. A false positive costs a kind message; a
missed one can cost a life, so where a phrase is genuinely ambiguous the rules lean towards
firing. The module keeps nothing: it reads a message and returns a rule name or None.

Why rules and not a model:

* Explainable. Every decision comes from a named pattern (``PATTERNS``) or a named guard
  (``GUARDS``); :func:`matched_pattern` says which pattern fired. Anyone on the team can read
  why a sentence fired or did not, and change it in review.
* Offline and private. Standard library only (``re``, ``unicodedata``): the user's words never
  leave the process, there is nothing to download, load or keep warm, and no result varies
  between runs.
* Testable. ``tests/test_crisis.py`` pins each decision with real sentences, both ways.

How a message is read:

1. :func:`normalize` turns messy phone text into one canonical spelling: case folded, accents
   and zero-width characters dropped, every apostrophe removed (so "can't", "can’t" and
   "cant" are all ``cant``; "I'm" and "im" are ``im``), "cannot"/"do not"/"I am"/"wanna"...
   written one way, number-for-letter swaps undone ("su1cide"), letters repeated three or more
   times shortened ("dieeee" -> ``die``, "killlll" -> ``kill``), and all runs of spaces made one.
2. Guards blank out ordinary uses that would otherwise look like crisis language: a topic of
   study ("suicide prevention lecture", "research on self-harm"), a patient's history, a plain
   denial ("I'm not suicidal"), and idioms ("cut myself some slack", "die on this hill",
   "I can't go on vacation"). A guard only blanks the words it matched, never the whole
   message, so "I'm not suicidal but I want to die" still fires on "want to die".
3. The crisis patterns are tried on what is left; the first that matches is the answer.

No regex repeats a group without a bound: gaps between words are "up to three words", and a
word and the space after it can only be split one way, so even a very long message is read in
linear time (tests feed 50,000-character messages).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["GUARDS", "PATTERNS", "is_crisis", "matched_pattern", "normalize"]


# --------------------------------------------------------------------------- shared fragments

# One word that is not the writer: guards may step over a few words, never over "I" or "my",
# so "my therapist discussed my suicidal thoughts" is not mistaken for a lecture topic.
_NOT_ME = r"(?!(?:i|im|ive|id|ill|me|my|myself|mine)\b)\w+"
# The end of a sentence or of the message (punctuation is kept as separate tokens).
_END = r"(?=\s*(?:[.!?]|$))"
_ANYMORE = r"(?:anymore|any longer|no more|no longer)"
# "live"/"living" as in being alive, not "live in Ohio" / "living with my parents".
_PLACE_NOT_LIFE = (
    r"(?! (?:in|near|at|with|there|here|so|downtown|abroad|close|far|on|off|alone|together"
    r"|out|paycheck|by|under|next|nearby|like (?:a|an|that|them|him|her))\b)"
)
_LIVE = r"live\b" + _PLACE_NOT_LIFE
_LIVING = r"living\b" + _PLACE_NOT_LIFE
_BEING_ALIVE = (
    rf"(?:{_LIVE}|{_LIVING}|life|being alive|be alive|existing|exist|going on|go on|keep living"
    r"|carrying on|carry on|staying alive|stay alive|being here|be here|waking up|wake up)"
)
# Words a lecture, a chart or a guard may be about.
_TOPIC = r"(?:suicid\w*|self harm\w*|self injur\w*|nssi|si|overdos\w*|pills|meds|tablets)"
_PILLS = (
    r"(?:pills|meds|medication|medications|tablets|sleeping pills|sleeping tablets|painkillers"
    r"|tylenol|paracetamol|acetaminophen|xanax|ambien|insulin|opioids|oxy|oxycodone|benzos"
    r"|antidepressants|lithium|sleep aids)"
)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


# --------------------------------------------------------------------------- crisis patterns

# (name, regex), tried in order on the normalized, guarded text. Names are stable: tests and
# counters use them. Never log the text that matched, only the name.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        # suicide / suicidal and their misspellings, and the words used to get past filters.
        "suicide_word",
        _rx(
            r"\bsu+i?[cs]+i?d\w*"
            r"|\bsewer ?slides?\b"
            r"|\bcommit(?:s|ted|ting)? sudoku\b"
            r"|\bun ?aliv(?:e|ed|es|ing)\b"
            r"|\bself ?delet(?:e|ed|es|ing)\b"
            r"(?! (?:messages?|chats?|timer|feature|option|photos?|pictures?|posts?|stories)\b)"
            r"|\b(?:feeling|feel|felt|so|very|kinda|pretty|been) sui\b"
        ),
    ),
    (
        # "SI" (suicidal ideation) said about oneself, as clinicians say it.
        "si_about_self",
        _rx(
            r"\b(?:i have|i had|ive had|ive been having|been having|im having|having|i get"
            r"|i keep having|i keep getting|getting|struggling with|dealing with|fighting|my)"
            r" (?:passive |active |some |bad |constant |intrusive |recurring |occasional |strong"
            r" |more |really bad |a lot of )?si\b"
            r"(?! (?:joint|joints|unit|units|pain|dysfunction|injection|belt|prefix|system)\b)"
        ),
    ),
    (
        "kill_self",
        _rx(
            r"\b(?:kil+(?:s|ed|ing)?|kiling|end|ending|ended|off|offing|hang|hanging|hung"
            r"|shoot|shooting|shot|drown|drowning|poison|poisoning|unalive|unaliving|hurt"
            r"|hurting|harm|harming|cut|cutting|stab|stabbing|burn|burning|suffocate"
            r"|suffocating|starve|starving|strangle|strangling|overdose) myself\b"
            r"|\b(?:hurt|cut|burned|burnt|hit|punched|scratched|bit|starved) myself on purpose\b"
        ),
    ),
    (
        "self_harm",
        _rx(
            r"\bself ?(?:harm|injur)\w*"
            r"|\bnssi\b"
            # "SH" only where it can only mean self-harm.
            r"|\b(?:relaps\w*(?: on| into| with)?|urges? to|urge|want to|wanted to|thinking about"
            r"|started|start|back to|went back to|go back to|did|stop|stopped|clean from|craving"
            r"|tempted to|need to|cant stop) sh\b"
            r"|\bsh (?:again|urges?|scars?|relapse|wounds?|cuts?|marks)\b"
            r"|\b(?:started|start|been|keep|kept|back to|went back to|relapsed|urges? to|want to"
            r"|wanted to|thinking about|cant stop|stop|stopped|caught myself) cutting\b"
            r"(?! (?:back|down|corners|costs?|class|classes|it close|out|ties|carbs|sugar|calories"
            r"|the|my|a|an|through|in|into|up|off|onions|hair|weight|loose|school|lectures?"
            r"|expenses|spending|caffeine|coffee|alcohol|meat|dairy|gluten|it|them|people|him"
            r"|her)\b)"
            r"|\b(?:cuts|cutting|scratches|burns) (?:on|into) my"
            r" (?:arms?|wrists?|thighs?|legs?|skin|stomach|hips?)\b"
            r"|\bcutting (?:myself )?again\b"
            r"|\b(?:make|made|making) myself bleed\b"
            r"|\b(?:scratch|scratching|scratched|cut|cutting|hit|hitting|bite|biting|pick"
            r"|picking|dig|digging)(?: \w+){0,3}? until (?:i|they|it) (?:bleed|bleeds|bled)\b"
            r"|\b(?:ive|i have|i had|i) (?:already )?attempted (?:before|once|twice"
            r"|in the past|last year|years ago)\b"
        ),
    ),
    (
        "want_to_die",
        _rx(
            r"\b(?:want|wanted|wanting|wish|wished|wishing|ready|deserve|deserved|need|prefer"
            r"|plan|planning|trying|tried|try|rather|desire|long|longing|let me|let myself"
            r"|i should|i must|i ought to)"
            r" (?:to )?(?:just |simply |honestly |really |fucking |literally |finally |already"
            r" |quietly )?die\b"
            r"(?! for (?:a|an|the|this|that|one|some|my|your|his|her|their|it|them|him)\b)"
            r"|\bfeel(?:s|ing)? like (?:dying|i want to die|i should die)\b"
            r"|\b(?:hope|hoping|pray|praying|wish|wishing|wished) (?:that )?i (?:would |could"
            r" |will |might |just |would just |could just |can |had )?(?:die|died|drop dead)\b"
        ),
    ),
    (
        "wish_dead",
        _rx(
            r"\bwish (?:that )?i (?:was|were|could be|would be|was just|were just) dead\b"
            r"|\b(?:i should|i would|id|i might as well|might as well|i want to|want to|i need to"
            r"|i deserve to|deserve to|im ready to|rather) (?:just )?be dead\b"
        ),
    ),
    (
        "not_exist",
        _rx(
            r"\bwish (?:that )?(?:i|id)(?: was| were| had| could have)? never (?:been )?born\b"
            r"|\bwish(?:ed)? (?:that )?i (?:didnt|did not|wouldnt|could stop|could just stop"
            r"|would stop|would just stop|couldnt|no longer) (?:to )?exist(?:ed|ing)?\b"
            rf"|\bwish (?:that )?i (?:wasnt|werent) (?:alive|born|(?:here|around) {_ANYMORE}"
            r"|(?:here|around) (?:on this earth|in this world))\b"
            r"|\b(?:want|wanted|need|wish|trying|try|going|ready) to (?:just )?(?:stop existing"
            r"|not exist|not be alive|cease to exist|cease existing|no longer exist"
            r"|not be here anymore|vanish forever"
            r"|disappear (?:forever|for good|for ever|permanently|completely))\b"
            r"|\bshouldnt (?:exist|be alive|have been born)\b"
            r"|\bdont deserve to (?:live|be alive|exist|be here)\b"
            r"|\b(?:dont|no longer) (?:want|wish) to (?:exist|be alive|keep living|go on living"
            rf"|continue living|be on this earth|be in this world|be here {_ANYMORE}"
            rf"|be around {_ANYMORE}|be here (?:on this earth|in this world))\b"
            rf"|\b(?:dont|no longer) (?:want|wish) to {_LIVE}"
            rf"|\bdont want to be here{_END}"
        ),
    ),
    (
        "disappear",
        _rx(
            r"\b(?:want to|wanted to|wish i could|wish to|need to|going to|ill|i could just"
            r"|ready to) (?:just )?(?:disappear|vanish)\b"
        ),
    ),
    (
        "cant_go_on",
        _rx(
            r"\b(?:cant|dont think i can|not sure i can|dont know if i can|dont know how to"
            r"|unable to|no longer able to|can no longer|cant even)"
            r" (?:go on\b|carry on\b|keep living\b|continue living\b|go on living\b"
            r"|keep going\b(?! (?:to|back|over|through|with|for|into|out|up|down|in|around|there"
            r"|home)\b| on (?!like\b|living\b|anymore\b)\w)"
            r"|live (?:like this|this way|with myself|with this (?:pain|shame)"
            rf"|with (?:the|my) (?:pain|shame)|with this {_ANYMORE})\b"
            rf"|take (?:it|this)(?= {_ANYMORE}\b|\s*(?:[.!?]|$))"
            rf"|take (?:it|this|the pain|life|living) {_ANYMORE}\b|take much more\b"
            r"|cope\b(?! with (?:the|this|that|these|those|all the|my) (?!pain\b|shame\b|life\b"
            r"|feelings\b|thoughts\b|emotions\b|grief\b|loss\b|rejection\b|failure\b)\w+)"
            rf"|do (?:this|it|life|this life) {_ANYMORE}\b"
            rf"|handle (?:this|it|life|anything|the pain|everything) {_ANYMORE}\b"
            r"|survive (?:this|another (?:day|year|cycle|rejection))\b"
            rf"|be (?:here|alive) {_ANYMORE}\b"
            rf"|keep doing this {_ANYMORE}\b)"
            r"|\bdont (?:want|wish) to (?:do (?:this|it|life) (?:anymore|any longer|no more)"
            r"|go on|carry on|try anymore|fight anymore|keep fighting"
            r"|keep going(?! (?:to|back|over|through|with|for|into|out|up|down|in|around|there"
            r"|home|on)\b))\b"
            r"|\b(?:give|gives|giving|gave|given) up on (?:life|living|myself|everything|it all"
            r"|this life|the world)\b"
        ),
    ),
    (
        "hopeless",
        _rx(
            rf"\bno (?:reason|point|purpose|will) (?:left )?(?:to|in|for|of) {_BEING_ALIVE}"
            r"|\bnothing (?:left )?to live for\b"
            r"|\b(?:whats|wheres|what is) (?:even )?the point (?:of |in |to )?(?:even )?"
            rf"(?:{_LIVING}|{_LIVE}|life\b|being alive|existing|going on|anything|it all"
            r"|being here|waking up|getting up|trying anymore|my life|continuing|carrying on"
            rf"|staying alive|me(?= *(?:[.!?,;]|$|anymore|existing|being alive|being here"
            r"|living)))"
            rf"|\bwhats (?:even )?the point {_ANYMORE}\b"
            rf"|\b(?:dont|cant|no longer) see (?:the|a|any) (?:point|reason) (?:of|in|to|for)"
            rf" {_BEING_ALIVE}"
            r"|\b(?:life|living|my life|existence|it all|everything) (?:isnt|is not|aint"
            r"|doesnt feel|doesnt seem|no longer feels|no longer seems|is no longer)"
            r"(?: really| even)? worth (?:it|living|anything)\b"
            r"|\b(?:not|no longer) worth living\b"
            r"|\blife has no (?:meaning|point|purpose)\b"
            r"|\bmy life is (?:over|finished|ruined forever)\b"
            r"|\b(?:life|everything|my life|it all|existence|living) (?:is|feels|seems)"
            r" (?:so |completely |totally |utterly |just |really |absolutely |fucking )?"
            r"(?:pointless|meaningless|hopeless)\b"
            rf"|\b(?:tired|sick|exhausted|weary) of (?:{_LIVING}|being alive|existing|life|being"
            r" me|this life|waking up)\b"
            r"|\bdone with (?:life|living|existing|being alive|it all|everything|this life"
            r"|this world)\b(?! (?:admin|insurance|stuff|chores|tasks"
            r"|for (?:today|tonight|now|the day|the week|the night|this week)"
            r"|in (?:the|this|my) \w+)\b)"
            r"|\b(?:lost all|lost any|no|given up all|gave up all|given up|gave up|giving up all"
            r"|giving up|out of|without) hope\b(?! (?:of|for|that|about|in|on|to|with)\b)"
            r"|\b(?:no|lost all|lost any) hope (?:for|in) (?:me|myself|my life|my future"
            r"|the future|life|living|anything)\b"
            r"|\b(?:i feel|feel|feeling|im feeling|i felt|ive been feeling|been feeling|im)"
            r"(?: so| completely| totally| utterly| just| really| very| absolutely| fucking"
            r"| pretty| kind of| kinda){0,3} hopeless\b"
            r"(?! (?:about|at|with|when|regarding|re|in|on|as|for)\b"
            r"(?! (?:everything|life|my life|the future|living|myself|it all|anything)\b))"
            r"|\b(?:i have|theres|there is|ive got|i see|i got) no future\b"
            r"(?! (?:in|as|with|at|here)\b| for (?!me\b|myself\b))"
            r"|\bdont see (?:a|any) future (?:for me|for myself)\b(?! in\b)"
            r"|\bno (?:way out|other way out|escape for me|way to escape)\b"
            r"(?! (?:of|from) (?:the|my|this|that|a|an) (?:\w+ )?(?:contract|lease|prelim|loans?"
            r"|obligation|commitment|deal|job|program|position|rotation|call|schedule|shift"
            r"|agreement)\b)"
            rf"|\bnothing matters {_ANYMORE}\b"
        ),
    ),
    (
        "better_off_without_me",
        _rx(
            r"\bbetter off (?:dead|gone|without me|with me gone|with me dead)\b"
            r"|\b(?:better|happier|easier|lighter|relieved|fine)(?: off)?(?: for (?:everyone"
            r"|everybody|them|my family|my parents|all|the world|everyone else|everybody else))?"
            r" if i (?:(?:was|were) (?:dead|gone|never born|not (?:here|around|alive))"
            r"|(?:wasnt|werent) (?:here|around|alive)(?! (?:for|on|during|at|in)\b)"
            r"|died|disappeared|didnt exist|never existed|killed myself|had never been born"
            r"|never woke up)\b"
            r"|\b(?:better|happier|easier)(?: off)? without me\b"
            r"(?! (?:on|at|in|for|during|while|this|next|tonight|today|tomorrow)\b)"
            # Feeling a burden to others is a classic warning sign.
            r"|\b(?:im|i feel like|i feel like im|feel like im|feel like|i feel|ive become"
            r"|i have become|i became|ive been)(?: just| such| only| nothing but| always| really"
            r"| a| an| the| huge| big| massive| constant| total| emotional| financial| heavy)"
            r"{0,4} burden\b(?! of\b)"
            r"|\bburden (?:to|on|for) (?:everyone|everybody|all of you|my family|my parents"
            r"|my wife|my husband|my partner|my friends|my kids|my children|my mom|my dad"
            r"|the people i love|those around me|others|the world|them|you all)\b"
        ),
    ),
    (
        "not_wake_up",
        _rx(
            r"\b(?:dont|never|no longer) (?:want|wish) to wake up\b"
            r"|\b(?:hope|hoping|wish|wishing|pray|praying) (?:that )?(?:i |id |i could |i would )?"
            r"(?:just )?(?:dont|never|wont|wouldnt|didnt|not|could not|couldnt) (?:ever )?"
            r"wake up\b"
            r"|\b(?:sleep|fall asleep|go to sleep|close my eyes|go to bed|lie down|lay down)"
            r" and (?:never|not|dont) (?:wake up|open them|get up)\b"
            r"|\bnever wake up again\b"
            r"|\b(?:want to|wish i could|need to|going to|ready to|wish to|let me) (?:just )?"
            r"(?:go to )?sleep (?:forever|for ever|permanently|eternally|and never wake)\b"
        ),
    ),
    (
        "end_my_life",
        _rx(
            r"\bend(?:s|ed|ing)? (?:it all|everything|my life|my own life|my existence|this life"
            r"|my suffering|it for good|it once and for all|things for good|all of this|all this)\b"
            r"|\b(?:take|taking|took) my (?:own )?life\b"
            r"(?! (?:back|insurance|in (?:a|my|another|the) \w+|into my own hands|seriously)\b)"
            r"|\bput an end to (?:it all|everything|my life|myself|me|this life|my suffering"
            r"|my existence)\b"
            r"|\b(?:i|im|ill|id|just|going to|want to|need to|ready to|planning to|plan to"
            r"|planning on|thinking about|thinking of|thought about|think about|decided to"
            r"|about to|should|might|could|will|tempted to|urge to|time to|considering"
            r"|contemplating|ready) (?:just |finally |really |seriously )?end(?:ing|ed)?"
            r" (?:it|things|everything)\b"
            r"(?! (?:early|off|here|there|on|for|at|by|after|before|with|w|between|up|quickly"
            r"|politely|gracefully|professionally|nicely|in|and start)\b)"
            r"|\bending it(?= (?:tonight|today|tomorrow|now|soon|all|for good|forever|this week"
            rf"|this weekend)\b)|\bending it{_END}"
            r"|\bend it (?:tonight|soon|for good|forever)\b"
            r"|\b(?:want|wish|need) (?:for )?(?:it all|everything|all of (?:it|this)|the pain"
            r"|this pain|my life|life) to (?:end|stop|be over|go away)\b"
        ),
    ),
    (
        "plan_or_means",
        _rx(
            # pills
            r"\b(?:take|taking|took|taken|swallow|swallowing|swallowed|down|downing|downed|chug"
            r"|chugging|pop|popping|popped|overdose on|od on) (?:all|every one|every last one"
            r"|the whole bottle|a whole bottle|whole bottles|the bottle|a bottle|bottles"
            r"|a handful|handfuls|a bunch|a lot|too many|enough|lots|all the rest|the rest)"
            rf"(?: of)?(?: my| the| these| those| her| his)?(?: \w+)? {_PILLS}\b"
            r"|\b(?:take|taking|took|swallow|swallowing|swallowed|down|downed|popped)"
            r" (?:like |about |around |over |maybe )?\d{2,} (?:of (?:my|the|these) )?(?:\w+ )?"
            rf"{_PILLS}\b"
            r"|\b(?:saving|saved|stockpiling|stockpiled|hoarding|hoarded|collecting|collected"
            r"|stashing|stashed) (?:up )?(?:all )?(?:of )?(?:my |the |some |these )?(?:\w+ )?"
            r"(?:pills|meds|medication|tablets|sleeping pills|painkillers)\b"
            r"|\b(?:pills|meds|tablets) (?:saved|stockpiled|hoarded|stashed)\b"
            # overdose, said about oneself
            r"|\b(?:i|im|ill|ive|id|going to|want to|thinking about|thinking of|thought about"
            r"|planning to|plan to|planning on|tempted to|about to|trying to|tried to|decided to"
            r"|ready to|might|should|could|just|will|urge to|considering|can)"
            r" (?:just )?(?:overdos(?:e|ed|ing)|od|odd|oded|oding)\b"
            r"|\boverdos(?:e|ing) on my\b"
            # how much would it take
            r"|\bhow (?:many|much)(?: \w+){1,5}? to (?:kill (?:me|myself|a person|someone"
            r"|a human)|die|overdose|od)\b"
            r"|\b(?:painless|easiest|easy|quick|quickest|fastest|best|surest|peaceful"
            r"|least painful|most effective) (?:way|ways|method|methods) to (?:die|kill myself"
            r"|end it|end my life|commit suicide|od|overdose|end things)\b"
            r"|\blethal dose (?:for|of \w+ for) (?:me|myself|my weight|someone my size)\b"
            r"|\b(?:ways?|methods?|how) to (?:die|kill myself|end my life|end it all"
            r"|commit suicide)\b"
            rf"|\b(?:a bottle|bottles|a handful|a pile|a stack|enough) of {_PILLS}"
            r" (?:next to me|beside me|in front of me|in my hand|ready|lined up)\b"
            # jumping, traffic, water
            r"|\b(?:going to|want to|about to|ready to|thinking about|thinking of|thought about"
            r"|planning to|plan to|planning on|tempted to|urge to|should|might|could|will|ill|i"
            r"|just|decided to|trying to|considering|ready) (?:just )?jump(?:ing)?\b"
            r"(?! (?:in|into|on|onto|at|to|ship|back|right|start|the gun|the queue|through|over"
            r"|ahead|around|for|from|up|down|aboard|across|the line|out of|programs?|specialt\w+"
            r"|rope|between|higher|head first|headfirst|the fence|the shark|on board"
            r"|off (?:the|this|a|my) (?:call|zoom|meeting|phone|chat))\b)"
            r"|\b(?:jump|jumping|leap|leaping|throw myself|throwing myself|hurl myself)"
            r" (?:off|from|out of|out)(?: a| an| the| my| this| that| our| some)?(?: \w+)?"
            r" (?:bridge|roof|rooftop|building|balcony|cliff|ledge|overpass|window|tower"
            r"|garage|skyscraper)\b"
            r"|\b(?:jump|jumping|step|stepping|walk|walking|run|running|throw myself"
            r"|throwing myself|lie down|lying down|lay down) (?:in front of|under)(?: a| an| the"
            r"| some| oncoming)?(?: \w+)? (?:train|trains|bus|truck|car|cars|subway|traffic"
            r"|metro|tram)\b"
            r"|\b(?:jump|jumping|step|stepping|walk|walking|run|running) (?:into|onto)"
            r" (?:the |oncoming )?(?:traffic|tracks|train tracks|highway|freeway)\b"
            r"|\b(?:lay|lie|lying|laying) (?:down )?on the (?:train |subway )?tracks\b"
            r"|\b(?:walk|walking|wade|wading) into (?:the|a) (?:ocean|sea|river|lake)\b"
            r"(?! (?:for|to) (?:a )?(?:swim|swimming)\b)"
            r"|\b(?:drive|driving|crash|crashing|swerve|swerving|steer|steering)"
            r"(?: my car| the car| it| myself)? (?:off|into|in front of|under)(?: a| an| the"
            r"| my| this| that| some| oncoming)?(?: \w+)? (?:bridge|cliff|wall|tree|truck|traffic"
            r"|river|lake|ocean|semi|pole|train)\b"
            r"|\bcrash(?:ing)? (?:my|the) car (?:on purpose|deliberately|intentionally)\b"
            r"|\b(?:standing|sitting|stood|sat|climbing|climbed|im) (?:on|onto|up on|at)"
            r" (?:the|a|this) (?:ledge|edge of (?:the|a|this) (?:roof|bridge|building|cliff"
            r"|balcony)|roof edge|railing|bridge railing|rooftop ledge)\b"
            r"|\b(?:standing|sitting) on (?:the|a|this) (?:bridge|roof|rooftop)\b"
            r"(?! (?:of|deck|bar)\b)"
            # rope, gun, blades
            r"|\bnoose\b"
            r"|\b(?:buy|bought|buying|got|get|getting|have|tie|tied|tying|found|made|make"
            r"|making|hang|hung|hanging|put) (?:a|the|some|my) rope\b"
            r"(?! (?:for (?:climbing|camping|the gym|hiking|moving|my dog|the boat|crossfit"
            r"|a swing|the tent)|to (?:climb|tie down|secure))\b)"
            r"|\brope (?:around|round|on) my neck\b|\b(?:rope|noose) (?:is )?ready\b"
            r"|\b(?:gun|pistol|barrel|revolver) (?:to|in|against|into) my"
            r" (?:head|mouth|temple|chin)\b"
            r"|\bblow my (?:brains|head) (?:out|off)\b"
            r"|\b(?:bullet|round) (?:in|into|through) my (?:head|brain|skull)\b"
            r"|\bput a (?:gun|bullet) (?:to|in|through) (?:my|me)\b"
            r"|\b(?:slit|slice|slicing|slitting|cut|cutting|open|opening|slash|slashing)"
            r" (?:my |both |my own )?wrists?\b"
            r"|\b(?:razor|razors|blade|blades|knife) (?:to|on|against|across|into) my"
            r" (?:wrists?|arms?|skin|thighs?|throat)\b"
        ),
    ),
    (
        "wish_for_harm",
        _rx(
            r"\b(?:wish|hope|hoping|pray|praying|want|wanted|waiting for) (?:that )?(?:someone"
            r"|somebody|something|a (?:car|bus|truck|train|plane|meteor|stranger)|god"
            r"|the universe|cancer|a disease|a heart attack|an accident) (?:would |will |could"
            r" |to |might )?(?:just )?(?:(?:kill|kills|hit|hits|run over|runs over|shoot"
            r"|shoots|end|ends) me\b|(?:take|takes) me\b(?! (?:seriously|out|to|with|on|for"
            r"|home|in|back|under|up|along|away|through)\b))"
            r"|\b(?:hope|hoping|wish|wishing|pray|praying) (?:that )?(?:i|id) (?:get|got"
            r"|would get|could get|will get|might get) (?:hit by|run over|killed|shot|terminal"
            r"|a terminal|a fatal|in a (?:fatal|car) (?:crash|accident))\b"
            r"|\b(?:hope|hoping|wish|pray|praying) (?:that )?(?:my |the )?(?:plane|flight|car"
            r"|bus|train) (?:crashes|crash|goes down|would crash)\b"
            r"|\b(?:wouldnt|would not|wont|will not|dont|do not|doesnt) (?:even )?(?:mind|care)"
            r" (?:if i |about )?(?:dying|died|die|being dead|not waking up|never waking up"
            r"|live or die|lived or died|if i (?:died|die|was dead|didnt wake up|never woke up"
            r"|got hit))\b"
            r"|\bif i (?:died|was dead|were dead|killed myself|wasnt alive|werent alive"
            r"|never woke up|didnt wake up|stopped existing|didnt exist|never existed|ended it"
            r"|ended my life|was gone forever|were gone forever|disappeared forever"
            r"|wasnt here anymore|werent here anymore)\b"
            r"|\b(?:care|notice|miss me|cry|matter|be sad|be happier|be relieved|be fine"
            r"|even know|even notice|even care|realize|realise)(?: if| when)? i (?:was gone"
            r"|were gone|disappeared|vanished|wasnt here|werent here|wasnt around|werent around"
            r"|left this world|died|die|was dead|were dead)\b"
            r"(?! (?:for|on|from|to|during|over|at|in)\b)"
            r"|\b(?:nobody|no one|not a soul)(?: would| will| is going to| even)?(?: even)?"
            r" miss me\b(?! (?:at|in|during|on|when i (?:leave|move))\b)"
            r"|\b(?:thoughts|thinking|think|thought|dreaming|fantasi[sz]ing|obsessing)"
            r" (?:about|of) (?:dying\b(?! (?:my|her|his|the|your) (?:hair|beard)\b)"
            r"|killing myself|ending it|ending my life|ending things|not existing"
            r"|not being alive|not being here|not waking up|my (?:own )?(?:death|funeral)"
            r"|being dead|death\b(?! (?:certificates?|pronouncements?|rates?|and dying)\b))"
        ),
    ),
    (
        "goodbye",
        _rx(
            r"\b(?:goodbye|good bye|farewell) (?:forever|for good|for ever|for the last time"
            r"|cruel world|world|everyone|everybody|all|my friends|my loved ones|my family)\b"
            r"|\bbye (?:forever|for good|for ever|for the last time|cruel world|world)\b"
            r"|\bthis is (?:my |the )?(?:final |last )?(?:goodbye|farewell)\b"
            r"|\b(?:final|last) (?:goodbye|goodbyes|farewell)\b"
            r"|\bsaying (?:my )?goodbyes\b"
            r"|\bsay(?:ing)? (?:my )?goodbyes? (?:to (?:everyone|everybody|the world|my family"
            r"|you all|all of you|my loved ones)|for good|forever|for the last time)\b"
            r"|\b(?:wont|will not|wouldnt) be (?:here|around|alive) (?:anymore|any longer"
            r"|much longer|for much longer|by (?:tomorrow|morning|the morning|next week|then"
            r"|the time))\b"
            rf"|\bwont be alive\b|\bwont be (?:here|around) tomorrow{_END}"
            r"|\b(?:you|youll|you will|anyone|nobody|no one|you all|yall)"
            r"(?: will| is going to| are going to)? (?:never|wont|will not|wont ever|will never"
            r"|not) (?:hear from me|see me|talk to me) (?:again|anymore|ever again)\b"
            r"(?! (?:until|till|til|before|for|this|today|tonight|tomorrow)\b)"
            r"|\bthis (?:is|will be) my (?:last|final) (?:message|text|words|goodbye"
            r"|time (?:talking|writing|texting|messaging))\b"
            r"(?! (?:for|of|until|till|til|before|today|tonight|this)\b)"
            r"|\bby the time (?:you|anyone|someone|somebody|they) (?:read|reads|see|sees|find"
            r"|finds|get|gets) this\b"
            r"|\b(?:suicide|goodbye|farewell) (?:note|notes|letter|letters|video)\b"
            r"|\bsorry for everything(?: [.!,;]){0,5} (?:goodbye|bye|farewell)\b"
            r"|\bsorry for being (?:a burden|such a burden|so much trouble|alive|born)\b"
            r"|\btell (?:my (?:mom|mum|dad|mother|father|parents|family|wife|husband|partner"
            r"|sister|brother|kids|friends)|everyone) (?:that )?(?:im sorry|i love (?:her|him"
            r"|them|you|everyone)|i said goodbye)\b"
            r"|\b(?:wrote|writing|written|write|left|leaving|leave|drafted|drafting) (?:a |my )?"
            r"(?:final|last) (?:note|letter|message)s? (?:to|for) (?:my (?:family|parents|mom"
            r"|dad|wife|husband|partner|kids|children|friends|loved ones)|everyone|everybody"
            r"|the people i love)\b"
            r"|\b(?:giving|gave|give|given) away (?:all )?(?:of )?my (?:stuff|things|belongings"
            r"|possessions|cat|dog|pets?)\b"
            r"(?! (?:before|because|since|to make room|for the move|when i move)\b)"
            r"|\b(?:take care of|look after|watch|feed) my (?:cat|dog|pets?|kids|children|family"
            r"|parents|mom|dad) (?:for me )?(?:when|after|once) (?:im|i am|i) (?:gone|dead|die"
            r"|no longer here)\b"
            r"|\b(?:when|after|once) (?:im|i am) (?:dead|no longer (?:here|around|alive)"
            r"|not (?:here|around) anymore)\b"
            r"|\b(?:when|after|once) (?:im|i am) gone\b(?! (?:for|on|to|at|from|in|during|this"
            r"|next|tomorrow|over|away)\b)"
        ),
    ),
    (
        "shorthand",
        _rx(
            r"\bkms\b"
            r"|\b(?:i ?)?(?:want|wanna) ?(?:to ?)?die\b|\b(?:kill|end) ?my ?(?:self|life)\b"
            # "kys" is nearly always aimed at someone else; only count it said about oneself.
            r"|\b(?:i|ill|im|should i|i should|i might|i will|i want to|want to|going to"
            r"|about to|might as well|time to|ready to) (?:just )?kys\b"
        ),
    ),
)


# --------------------------------------------------------------------------- guards

# (name, regex): ordinary uses that are blanked out before the crisis patterns run. A guard
# removes only the words it matched. Keep this list short and every entry obviously benign.
GUARDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        # "I'm not suicidal, just exhausted". Not "not suicidal yet / right now", not
        # "not not suicidal".
        "plain_denial",
        _rx(
            r"(?<!\bnot )\bnot (?:feeling |really |actually |at all |remotely |even )?suicidal\b"
            r"(?! (?:yet|right now|now|at the moment|atm|today|tonight|currently|lately)\b)"
            r"|\bno suicidal (?:thoughts|ideation|intent|plans?)\b"
            r"(?! (?:yet|right now|now|at the moment|atm|today|tonight|currently|lately)\b)"
            r"|\bnever (?:been )?suicidal\b"
            # chart language, not the writer's own: "denies SI", "negative for SI"
            r"|(?<!\bi )\b(?:denies|denied|denying|negative for|neg for) (?:any )?(?:active |passive )?"
            r"(?:suicidal ideation|suicidality|suicidal thoughts|si|self harm)\b"
        ),
    ),
    (
        # A subject of study or policy: "suicide prevention lecture", "suicide risk
        # assessment", "self-harm in adolescents"; "my suicide risk" is not blanked.
        "topic_of_study",
        _rx(
            r"(?<!\bmy )\b(?:suicid\w*|self harm\w*|self injur\w*|nssi) (?:prevention|awareness"
            r"|screening|screen|assessment|assessments|risk (?:assessment|assessments|factors?"
            r"|screening|stratification|scores?|scales?|tools?|models?)|rates?|statistics|stats"
            r"|research|epidemiology|lecture|lectures|module|modules|questions|protocols?"
            r"|precautions|training|policy|policies|prevalence|incidence|data|literature"
            r"|didactics?|curriculum|guidelines?|deaths?|safety planning"
            r"|(?:in|among) (?:\w+ )?(?:adolescents|teens|teenagers|youth|young people|children"
            r"|kids|patients|students|physicians|doctors|residents|veterans|prisoners|adults"
            r"|women|men|the elderly|older adults))\b"
            r"|\b(?:adolescent|teen|teenage|youth|pediatric|paediatric|physician|resident"
            r"|student|veteran|geriatric) (?:suicid\w*|self harm\w*|self injur\w*)\b"
            # other senses of the word: sprints, car doors, a hopeless plan
            r"|\bsuicid\w* (?:squad|doors?|drills?|sprints?|runs?|missions?|king|lane)\b"
            r"|\b(?:ran|run|running|do|did|doing) suicides\b"
            r"|\bsuicid\w* (?:hotline|line|number)(?: \w+){0,2}? for (?:a|my|our|the)"
            r" (?:patient|patients|pt|client|clients)\b"
        ),
    ),
    (
        # "research on self-harm", "a lecture on physician suicide", "screen for SI".
        "academic_context",
        _rx(
            r"\b(?:research|study|studies|paper|papers|article|articles|lecture|lectures"
            r"|didactic|didactics|grand rounds|journal club|literature|statistics|stats|poster"
            r"|abstract|thesis|module|chapter|qbank|uworld|course|curriculum|training|workshop"
            r"|seminar|presentation|guideline|guidelines|policy|protocol|epidemiology|prevalence"
            r"|incidence|data|rates?|screen|screening|screened|assess|assessed|assessing"
            rf"|counsel|counseling|counselling|discussed|discussing|covered|taught|teaching)(?: {_NOT_ME}){{0,3}}?"
            rf" (?:on|about|of|in|into|regarding|re|for|around) (?:{_NOT_ME} ){{0,3}}?{_TOPIC}\b"
        ),
    ),
    (
        # Someone else's chart: "patient with passive SI", "pt took a handful of pills".
        "patient_history",
        _rx(
            r"\b(?:patient|patients|pt|pts|client|clients|\d+ ?(?:yo|y o|yr old|year old)\w*)"
            rf"(?: {_NOT_ME}){{0,6}}? {_TOPIC}\b"
        ),
    ),
    (
        # Overwork: "I've been killing myself studying for Step 3".
        "overwork_idiom",
        _rx(
            r"\bkil+(?:s|ed|ing)? myself (?:studying|working|at (?:work|the gym|the hospital)"
            r"|on (?:rotations?|step \w+|boards|shifts?|call|nights|night float"
            r"|this (?:application|essay|personal statement|research)"
            r"|the (?:wards|floors|application|personal statement))"
            r"|to (?:study|match|get|finish|prepare|learn|pass|make|keep up|impress|meet)"
            r"|for (?:this|these|that|the|my) (?:exam|exams|test|boards|step|interview|interviews"
            r"|application|applications|program|specialty|match|job|pd|attending|attendings"
            r"|residency)"
            r"|over (?:this|these|that|the|my) (?:exam|exams|application|applications"
            r"|personal statement|essay|research|paper))\b"
        ),
    ),
    (
        # "cut myself some slack", "shot myself in the foot", "cut myself shaving".
        "self_idiom",
        _rx(
            r"\bcut (?:myself|me) (?:some |a little |a bit of )?slack\b"
            r"|\b(?:shoot|shot|shooting) myself in the (?:foot|feet)\b"
            r"|\bburn(?:s|ing|ed|t)? myself out\b"
            r"|\b(?:kil+(?:ed|ing)? myself|die|died|dying) (?:laughing|with laughter)\b"
            r"|\b(?:hurt|hurting|injured|injuring|strained|pulled) myself (?:at the gym|lifting"
            r"|running|playing \w+|working out|skiing|hiking|climbing|exercising|doing \w+"
            r"|on (?:a|the|my) (?:run|bike|hike|stairs|ice))\b"
            r"|\b(?:cut|cutting) myself (?:shaving|cooking|chopping \w+"
            r"|while (?:cooking|shaving|chopping|suturing|opening)"
            r"|on (?:a|the) (?:scalpel|knife|can|paper|glass|blade)"
            r"|with (?:a|the) (?:scalpel|knife) (?:while|during|in the (?:or|lab|anatomy lab)))\b"
            r"|\b(?:accidentally|by accident) (?:cut|hurt|burned|burnt) myself\b"
            r"|\b(?:cut|hurt|burned|burnt) myself (?:accidentally|by accident)\b"
            r"|\bburn(?:ed|t)? myself (?:on (?!purpose\b)|with|cooking|ironing)\b"
        ),
    ),
    (
        # "die of embarrassment", "ready to die on this hill", "dying my hair" (meant dyeing),
        # "I could OD on coffee".
        "die_idiom",
        _rx(
            r"\b(?:die|died|dying|dead) (?:of|from) (?:embarrassment|laughter|laughing|cringe"
            r"|boredom|curiosity|jealousy|envy|excitement|anticipation|suspense|cuteness)\b"
            r"|\b(?:die|dying|died) on (?:this|that|the|every|a) hill\b"
            r"|\b(?:die|died|dying) (?:my |her |his |the |your )?(?:hair|beard|clothes|shirt"
            r"|eyebrows)\b"
            r"|\b(?:od|oding|odd|overdos\w*) on (?:coffee|caffeine|energy drinks|red bull|monster"
            r"|sugar|chocolate|candy|netflix|anki|uworld|questions|qbank|cat videos|tiktok|memes"
            r"|carbs|pizza|cheese)\b"
        ),
    ),
    (
        # "I don't want to wake up at 4am for rounds".
        "early_alarm",
        _rx(
            r"\b(?:wake|waking|woke|get|getting) up (?:so |too |super |really )?(?:early|late"
            r"|in time|on time|at (?!all\b)\w+|before \w+|for (?:rounds|work|clinic|call|the|my"
            r"|an?|interviews?|shifts?|surgery|pre ?rounds|sign out|class)"
            r"|tomorrow (?:at|for|early|morning)|\d+)\b"
        ),
    ),
    (
        # "I can't go on vacation / leave / a trip / interviews this year".
        "go_on_something",
        _rx(
            r"\bgo on (?:a|an|vacation|holiday|holidays|leave|maternity leave|paternity leave"
            r"|medical leave|rotations?|call|interviews?|dates?|rounds|social media|twitter|reddit"
            r"|instagram|linkedin|tiktok|eras|sdn|about|and on|break|strike|trips?|tour|nights"
            r"|night float|the (?!way\b|same\b)\w+"
            r"|another (?:interview|date|trip|rotation|vacation|call shift|away|audition)"
            r"|my (?!own\b)\w+|(?:this|that) (?:trip|site|website|app|rotation|platform|program"
            r"|diet))\b"
        ),
    ),
    (
        # "I can't do this anymore without coffee lol": a condition, not despair.
        "anymore_without",
        _rx(
            r"\b(?:cant|dont want to) (?:do|handle|take) (?:this|it) (?:anymore|any longer"
            r"|no more) (?:without|unless|w o|until|before)\b"
        ),
    ),
    (
        # "ending it with my boyfriend".
        "ending_a_relationship",
        _rx(r"\bend(?:s|ed|ing)? (?:it|things) (?:with|w) (?!myself\b|life\b|everything\b)\w+"),
    ),
    (
        # "This is goodbye to my surgery dreams".
        "goodbye_to_a_plan",
        _rx(
            r"\b(?:goodbye|farewell|bye) to (?:my |the |this |that |all )?(?:\w+ )?(?:dream"
            r"|dreams|career|plans?|specialty|specialties|medicine|surgery|residency|match"
            r"|program|hopes?|idea|chances?|apartment|city|team|colleagues|classmates|rotation"
            r"|patients|med school|medical school|social life|weekends|sleep)\b"
        ),
    ),
    (
        # "I want to disappear from social media / for a week / into my books".
        "disappear_for_a_while",
        _rx(
            r"\b(?:disappear|vanish) (?:from (?:social media|the internet|linkedin|twitter"
            r"|instagram|facebook|reddit|sdn|the group chat|the chat|this group|work|campus"
            r"|the hospital)"
            r"|for (?:a|the|this|one|two|a couple of|a few) (?:week|weeks|weekend|day|days"
            r"|few days|month|months|holiday|holidays|summer|break)"
            r"|on (?:a |an )?(?:vacation|holiday|trip|retreat|road trip)"
            r"|to (?:a|an|the) (?:beach|island|cabin|mountains?|countryside|lake|spa|library)"
            r"|into (?:my|the) (?:books|work|research|library|studying|qbank|anki))\b"
        ),
    ),
    (
        # "I take all my meds every morning".
        "medication_routine",
        _rx(
            r"\b(?:take|taking|took) all (?:of )?my (?:meds|medications?|pills|vitamins"
            r"|supplements) (?:every (?:day|morning|night|evening)|daily|each (?:day|morning"
            r"|night)|on time|as prescribed|regularly|with (?:breakfast|food|meals|dinner|lunch)"
            r"|in the morning)\b"
        ),
    ),
)

_BLANK = " | "


# --------------------------------------------------------------------------- normalization

_APOSTROPHES = re.compile(r"['’‘ʼ`´′‛]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060\ufeff]")
# Number-for-letter swaps: between letters ("su1cide", "k!ll"), at the start of a word
# ("0verdose") or at its end ("di3"). "!" only between letters, so "die!" stays "die !".
_LEET = str.maketrans("0134579@$!", "oieastgasi")
_LEET_INSIDE = re.compile(r"(?<=[a-z])[013457@$!](?=[a-z])")
_LEET_START = re.compile(r"(?<![a-z0-9])[013457@$](?=[a-z]{3})")
_LEET_END = re.compile(r"(?<=[a-z]{2})[013457](?![a-z0-9])")
_CENSORED_SWEAR = re.compile(r"\bsh[*#%]+t\b")
_NOT_KEPT = re.compile(r"[^\w.!?,;]+|_+")
_PUNCT = re.compile(r"([.!?,;])")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"[a-z]+")
_RUN3 = re.compile(r"([a-z])\1{2,}")

# One spelling per contraction and shorthand (applied after apostrophes are gone).
_CANON: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\b(?:cannot|can not)\b", "cant"),
        (r"\bdo not\b", "dont"),
        (r"\bdoes not\b", "doesnt"),
        (r"\bdid not\b", "didnt"),
        (r"\bwill not\b", "wont"),
        (r"\bwould not\b", "wouldnt"),
        (r"\bcould not\b", "couldnt"),
        (r"\bshould not\b", "shouldnt"),
        (r"\bis not\b", "isnt"),
        (r"\bare not\b", "arent"),
        (r"\bwas not\b", "wasnt"),
        (r"\bwere not\b", "werent"),
        (r"\bhave not\b", "havent"),
        (r"\bi am\b", "im"),
        (r"\bi have\b", "ive"),
        (r"\bi would\b", "id"),
        (r"\bi will\b", "ill"),
        (r"\bwhat is\b", "whats"),
        (r"\bthere is\b", "theres"),
        (r"\bwanna\b", "want to"),
        (r"\bgonna\b", "going to"),
        (r"\bgotta\b", "got to"),
        (r"\btryna\b", "trying to"),
        (r"\bdnt\b", "dont"),
        (r"\b(?:wnat|wnt|wamt|watn|wan)\b", "want"),
        (r"\bu\b", "you"),
        (r"\bur\b", "your"),
        (r"\brn\b", "right now"),
        (r"\babt\b", "about"),
        (r"\bnoone\b", "no one"),
        (r"\bany more\b", "anymore"),
        (r"\b(?:my self|meself|myslef|mysef|myslf|mself|myselff)\b", "myself"),
        (r"(?<=[a-z] )2(?= [a-z])", "to"),
    )
)


def _double_letter_words() -> frozenset[str]:
    """Words our own rules spell with a double letter ("all", "sleep", "off", "goodbye")."""
    words: set[str] = set()
    for _, rx in PATTERNS + GUARDS:
        source = re.sub(r"\\.", " ", rx.pattern)
        words.update(w for w in re.findall(r"[a-z]{2,}", source) if re.search(r"(.)\1", w))
    return frozenset(words)


_KEEP_DOUBLE = _double_letter_words()


def _shorten_repeats(match: re.Match[str]) -> str:
    """Shorten a run of 3+ letters: "dieeee" -> "die", but "alllll" -> "all"."""
    word = match.group(0)
    if not _RUN3.search(word):
        return word
    doubled = _RUN3.sub(r"\1\1", word)
    stems = [doubled] + [
        doubled[: -len(end)] for end in ("s", "ed", "ing") if doubled.endswith(end)
    ]
    if any(stem in _KEEP_DOUBLE for stem in stems):
        return doubled
    return _RUN3.sub(r"\1", word)


def normalize(text: str) -> str:
    """The canonical spelling the patterns are written against (see the module docstring)."""
    t = unicodedata.normalize("NFKC", text).casefold()
    t = "".join(c for c in unicodedata.normalize("NFKD", t) if not unicodedata.combining(c))
    t = _INVISIBLE.sub("", t)
    t = _APOSTROPHES.sub("", t)
    t = t.replace("w/o", " without ").replace("w/", " with ")
    t = _CENSORED_SWEAR.sub("shit", t)
    for rx in (_LEET_INSIDE, _LEET_START, _LEET_END):
        t = rx.sub(lambda m: m.group(0).translate(_LEET), t)
    t = _NOT_KEPT.sub(" ", t)
    t = _PUNCT.sub(r" \1 ", t)
    t = _WORD.sub(_shorten_repeats, t)
    t = _SPACES.sub(" ", t).strip()
    for rx, replacement in _CANON:
        t = rx.sub(replacement, t)
    return t


def _blank_guarded(t: str) -> str:
    """Blank every span a guard matches. All guards read the same text, so one guard's blank
    never hides words another guard needed."""
    pieces: list[str] = []
    kept_until = 0
    for start, end in sorted(m.span() for _, guard in GUARDS for m in guard.finditer(t)):
        if start >= kept_until:
            pieces += (t[kept_until:start], _BLANK)
        kept_until = max(kept_until, end)
    pieces.append(t[kept_until:])
    return "".join(pieces)


# --------------------------------------------------------------------------- public API


def matched_pattern(text: str) -> str | None:
    """The name of the crisis pattern ``text`` matches, or None.

    For tests and for counting how often each rule fires; never log ``text`` itself.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    t = _blank_guarded(normalize(text))
    for name, rx in PATTERNS:
        if rx.search(t):
            return name
    return None


def is_crisis(text: str) -> bool:
    """True when ``text`` expresses suicidal thoughts, self-harm, a wish to die or not to exist,
    "I can't go on" hopelessness, a plan or means, or a goodbye for good."""
    return matched_pattern(text) is not None
