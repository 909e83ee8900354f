"""What the rules look for, in words shared by several questions.

The acknowledgement of the non-match, the year's role and results, tone (self-pity, blame,
frustration, excuses, softeners), adjectives, fillers, what the year deepened and a line that looks ahead.
Each question's own words live in its module.
"""

from __future__ import annotations

from conversations.rules.interview.text import _nt, _rx

_ACK = _rx(
    rf"\b(?:{_nt('did')}|never)\s+(?:get\s+(?:a\s+)?|end\s+up\s+)?match(?:ed|ing)?\b",
    r"\b(?:went|was|were|am|I'm|remained)\s+unmatched\b",
    r"\bunmatched\b",
    r"\bnot\s+matching\b",
    r"\bnon-?match\b",
    rf"\b{_nt('was')}\s+matched\b",
    rf"\b{_nt('did')}\s+(?:get|secure|land|obtain)\s+(?:a\s+)?(?:residency\s+)?(?:position|spot|match)\b",
    r"\b(?:re-?applying|re-?apply|applying\s+again|apply\s+again)\b",
)

_NUM = (
    r"(?:\d[\d,]*(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"fifteen|twenty|thirty|forty|fifty|sixty|a\s+hundred|hundreds\s+of|a\s+dozen|dozens\s+of|"
    r"several|a\s+couple\s+of|both)"
)
_COUNTABLE = (
    r"(?:abstracts?|posters?|manuscripts?|papers?|publications?|case\s+reports?|case\s+series|"
    r"presentations?|talks?|(?:QI|quality[- ]improvement)\s+projects?|projects?|patients?|"
    r"hours?|days?|weeks?|months?|charts?|participants?|subjects?|studies|study|"
    r"grand\s+rounds|journal\s+clubs?|letters?|lectures?|sessions?|students?|clinics?|"
    r"shifts?|consults?|encounters?|records?|programs?|applications?|chapters?|grants?|"
    r"protocols?|databases?|datasets?|notes?|times)"
)
_NAMED_OUTPUT = (
    r"(?:abstract|poster|manuscript|paper|publication|case\s+report|(?:QI|quality[- ]improvement)"
    r"\s+project|IRB\s+(?:submission|application|protocol)|database|registry|grand\s+rounds\s+"
    r"(?:talk|presentation)|journal\s+club|book\s+chapter|grant|review\s+article)"
)
# Numbers and named outputs: the evidence that can stand next to (or instead of) an adjective.
_OUTPUTS = _rx(
    rf"\b{_NUM}\s+(?:[\w-]+\s+){{0,2}}?{_COUNTABLE}\b",
    rf"\b(?:an?|the|my|our|one)\s+(?:[\w-]+\s+){{0,2}}?{_NAMED_OUTPUT}s?\b",
    r"\b(?:QI|quality[- ]improvement)\s+projects?\b",
    r"\b\d+(?:\.\d+)?\s*(?:%|percent\b)",
    r"\b(?:USMLE\s+|COMLEX\s+)?(?:Step|Level)\s*3\b",
    # Any other number, except an exam's name ("Step 1" is not a result).
    r"(?<!Step )(?<!Level )\b\d[\d,]*(?:\.\d+)?\b",
)
# Responsibilities, said as things done: concrete, though not countable.
_DUTIES = _rx(
    r"\bresponsible\s+for\b",
    r"\bin\s+charge\s+of\b",
    r"\bI\s+(?:led|lead|ran|run|managed|manage|coordinated|coordinate|presented|present|wrote|"
    r"built|analy[sz]ed|enrolled|enroll|screened|screen|taught|teach|trained|supervised)\b",
)
_ROLE = _rx(
    r"\b(?:full|part)[- ]time\s+(?:as\s+)?(?:an?\s+)?(?:[\w-]+\s+){0,2}?(?:position|role|job|"
    r"fellowship|fellow|coordinator|assistant|associate|scribe|researcher|observer|extern)\b",
    r"\bresearch\s+(?:fellow(?:ship)?|assistant|associate|coordinator|position|role|job|year|"
    r"scholar|trainee|lab)\b",
    r"\b(?:clinical\s+)?research\s+coordinator\b",
    r"\b(?:clinical|medical|hospitalist|research)\s+(?:fellow|assistant|extern|observer)\b",
    r"\b(?:observership|externship|scribe|scribing|sub-?internship)s?\b",
    r"\bworking\s+(?:full[- ]time\s+|part[- ]time\s+)?(?:as|in|at|with)\s+(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:lab|department|clinic|hospital|program|team|group|service|practice)\b",
    r"\b(?:department|division)\s+of\s+[A-Za-z]+(?:\s+[A-Z][a-z]+)?",
)
_SELF_PITY = _rx(
    r"\bdevastat(?:ed|ing)\b",
    r"\bheartbroken\b",
    # "I crushed Step 3" is a win; only being crushed is self-pity.
    r"\bI\s+(?:was|felt)\s+(?:so\s+|completely\s+|just\s+)?crushed\b",
    r"\bhumiliat(?:ed|ing)\b",
    r"\bembarrass(?:ed|ing)\b",
    r"\b(?:it|this|that)(?:\s+was|\s+has\s+been|\s+is|'s|'s\s+been)\s+(?:so|really|very|"
    r"incredibly|extremely)\s+"
    r"(?:hard|difficult|painful|tough)\b",
    r"\bI\s+(?:felt|feel)\s+like\s+(?:a|such\s+a|a\s+total|a\s+complete)\s+failure\b",
    r"\bI(?:'m|\s+am|\s+was)\s+(?:a|such\s+a)\s+failure\b",
    r"\b(?:so\s+)?unfair\s+to\s+me\b",
    r"\bworst\s+(?:year|time|thing|moment)\b",
    r"\bwhy\s+me\b",
    r"\bmy\s+(?:life|world)\s+(?:fell\s+apart|collapsed|ended)\b",
    r"\bI\s+(?:lost|wasted)\s+(?:a|the|this)\s+(?:whole\s+)?year\b",
    r"\bnobody\s+(?:understands|cared)\b",
)
_STOP_TAIL = (
    r"(?:and|but|when|because|so|which|who|after|before|since|while|even|although|though|then)"
)
_BLAME = _rx(
    r"\b(?:the\s+)?(?:programs?|they|nobody|no\s+one|PDs|program\s+directors|residencies)\s+"
    r"(?:(?:just|simply|really)\s+)?"
    rf"(?:never|{_nt('did')}|{_nt('would')}|refused\s+to)\s+(?:even\s+)?(?:give|gave)\s+me\s+"
    r"(?:a|an|any)\s+(?:real\s+|fair\s+)?(?:chance|shot)\b",
    r"\bnever\s+(?:gave|given)\s+me\s+(?:a|an)\s+(?:real\s+|fair\s+)?(?:chance|shot)\b",
    # Advice blamed for the application ("told me to apply to derm"), not advice followed
    # gladly ("my mentor told me to keep going").
    r"\bmy\s+(?:advisors?|advisers?|mentors?|deans?|school|medical\s+school|PI)\s+(?:told|pushed|"
    r"convinced|made|advised|had|said|let)\s+me\s+(?:to\s+(?:only\s+|just\s+)?(?:apply|aim|rank|"
    r"skip|go\s+for|stick|target)|not\s+to|I\s+(?:was|would|had|could)|that\s+I)\b"
    rf"(?:\s+(?!{_STOP_TAIL}\b)[\w/'-]+){{0,5}}",
    r"\b(?:the\s+)?(?:match|algorithm|system|NRMP)\s+(?:is|was)\s+(?:\w+\s+)?(?:rigged|broken|"
    r"unfair|biased|random|a\s+lottery|against\s+me)\b",
    r"\b(?:the\s+)?algorithm\s+(?:screwed|failed|cheated|hurt|punished|ignored)\b",
    r"\bblame\s+(?:the\s+)?(?:match|algorithm|programs?|system|school|advisors?)\b",
    r"\b(?:bad|terrible|pure|dumb)\s+luck\b",
    r"\bunlucky\b",
    r"\bluck\s+of\s+the\s+draw\b",
    r"\bunfair(?:ly)?\b",
    r"\b(?:programs?|they|PDs)\s+(?:are|were)\s+(?:biased|prejudiced|unfair)\b",
    r"\b(?:(?:was|is|it's)\s+not|wasn't|isn't|not)\s+my\s+fault\b",
    # "because the professor ..." only when something negative follows; "because my attending
    # let me present" is gratitude, not blame.
    r"\bbecause\s+(?:of\s+)?(?:the|my)\s+(?:[\w-]+\s+)?(?:professor|attending|preceptor|director|"
    r"resident|advisor|adviser|school|dean|program|evaluator)s?\b"
    r"(?=(?:\s+[\w']+){0,3}?\s+(?:didn't|did\s+not|never|wouldn't|would\s+not|refused|failed|only|"
    r"unfair(?:ly)?|biased|disliked|ignored|hated|graded|marked|screwed|wasn't|was\s+not|"
    r"don't|doesn't|lost|strict|harsh|picky|gave\s+me\s+a\s+(?:bad|low|poor))\b)",
    r"\b(?:the|my)\s+(?:[\w-]+\s+)?(?:director|professor|attending|preceptor|resident|evaluator|"
    r"dean|school|program)s?\s+failed\s+me\b",
    rf"\b(?:had\s+it\s+out\s+for\s+me|singled\s+me\s+out|{_nt('did')}\s+like\s+me|out\s+to\s+get\s+me)\b",
)
# Frustration said out loud: understandable, and not calm. (Crisis language is caught before
# any of this, by the crisis rules; "killing me" as an idiom is frustration, not a crisis.)
_FRUSTRATION = _rx(
    r"\b(?:ugh+|argh+)\b",
    r"\b(?:is|was|it's|it\s+is|has\s+been|been)\s+killing\s+me\b",
    r"\bfed\s+up\b",
    r"\bsick\s+(?:and\s+tired\s+)?of\b",
    r"\bdriv(?:es|ing|en)\s+me\s+(?:crazy|insane|nuts|mad|up\s+the\s+wall)\b",
    r"\bI\s+(?:hate|hated)\s+(?:this|it|that|the\s+whole|every)\b",
    r"\bfrustrat(?:ed|ing|ion)\b",
    r"\b(?:pissed|furious|so\s+angry|so\s+annoyed)\b",
    r"\bI(?:'m|\s+am)\s+(?:so\s+)?(?:done|over)\s+(?:with\s+)?(?:this|it|all)\b",
    r"\bscrew\s+(?:this|it|them|that)\b",
    r"\b(?:a\s+(?:joke|nightmare|circus)|ridiculous|absurd)\b",
    r"\b(?:damn|dammit|crap|shit\w*|fuck\w*)\b",
)
_EXCUSE = _rx(
    rf"\bI\s+{_nt('did')}\s+have\s+(?:enough\s+)?time\b",
    r"\bthere\s+was\s+nothing\s+I\s+could\s+(?:do|have\s+done)\b",
    r"\bif\s+only\b",
    r"\bI\s+(?:couldn't|could\s+not)\s+help\s+it\b",
)
_HEDGE = _rx(
    r"\bI\s+think\b(?!\s+(?:about|of|back)\b)",
    r"\bmaybe\b",
    r"\bI\s+guess\b",
    # "just" as a softener; "I just submitted" (recently) is not one.
    r"\bjust\b(?!\s+(?:finished|completed|submitted|started|got|had|returned|published|presented|"
    r"began|moved|joined|heard|received|passed|wrapped)\b)",
    r"(?<!what )(?<!the )(?<!this )(?<!that )(?<!any )\bkind\s+of\b",
    r"(?<!what )(?<!the )(?<!this )(?<!that )(?<!any )\bsort\s+of\b",
    r"\bprobably\b",
    r"\bI\s+suppose\b",
    r"\bI\s+feel\s+like\b",
)
_ADJECTIVES = _rx(
    r"\bhard[- ]?working\b",
    r"\bpassionate\b",
    r"\bresilient\b",
    # "dedicated time" or "a dedicated clinic" describe a thing, not the speaker.
    r"\bdedicated\b(?!\s+(?:time|space|clinic|unit|team|hours?|research\s+time)\b)",
    r"\bmotivated\b(?!\s+(?:me|us|him|her|them)\b)",
    r"(?<!-)\bdriven\b",
    r"\bteam\s+player\b",
)
_FILLERS = _rx(
    r"\bbasically\b",
    r"\byou\s+know\b(?!\s+(?:how|what|that|when|where|why|who|whether|if|the|a|about|it|him|"
    r"her|them|me|this)\b)",
    r"\bu+m+\b",
    r"\bu+h+\b",
    r"\bliterally\b",
    r"\bactually\b",
    # "like" only when it is set off by commas or leans on an intensifier: "I'd like to",
    # "felt like" and "things like" are ordinary English, not filler.
    r"(?<=,\s)like\b",
    r"(?<=,)like\b",
    r"\blike(?=,)",
    r"\blike(?=\s+(?:really|so|totally|super|very|literally|basically|um|uh)\b)",
)
# What the year deepened, said as a change in the speaker.
_DEEPENED = _rx(
    r"\b(?:deepened|deepen|reinforced|strengthened|confirmed|solidified|sharpened|affirmed|"
    r"cemented|clarified)\b",
    r"\b(?:taught|showed|reminded)\s+me\b",
    r"\bmade\s+me\s+(?:more|even|surer|sure|certain)\b",
    r"\b(?:more|even\s+more)\s+(?:sure|certain|committed|convinced|confident|drawn)\b",
    r"\bdr[ae]wn?\s+(?:me\s+)?to\b",
    r"\bcommitment\s+to\b",
    r"\binterest\s+in\b",
)
# A last sentence that looks ahead.
_FORWARD = _rx(
    r"\bI(?:'m|\s+am)\s+(?:now\s+|much\s+|more\s+|so\s+|truly\s+)?(?:ready|excited|eager|"
    r"prepared|confident|looking\s+forward)\b",
    r"\bI\s+look\s+forward\b",
    r"\blooking\s+forward\b",
    r"\bready\s+to\b",
    r"\bexcited\s+to\b",
    r"\bas\s+an?\s+(?:resident|intern)\b",
    r"\bnext\s+year\b",
    r"\bin\s+residency\b",
    r"\bthis\s+(?:coming\s+)?cycle\b",
    r"\bI\s+(?:want|hope|plan|intend|aim)\s+to\s+(?:bring|build|continue|keep|grow|train|become|"
    r"join|start|use|carry)\b",
    r"\bI(?:'ll|\s+will)\b",
    r"\b(?:at|in|to|into)\s+your\s+program\b",
)
