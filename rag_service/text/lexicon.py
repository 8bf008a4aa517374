"""English word lists, as data in one place (no list here names a file or a question): what the question parser,
the claim checks and the output filters read."""

from __future__ import annotations

import re

from rag_service.index.bm25 import Tokenizer

PRONOUN_I = frozenset({"i", "i'm", "i've", "i'd", "i'll"})

# "I" only as the capital pronoun: "i.e." and the "IM" of "ReAct-IM" are not the user
PERSONAL = re.compile(r"(?i:\b(?:my|mine|myself|me)\b)|\bI(?:['’](?:m|ve|d|ll))?\b(?![-.'’]\w)")

# Kinds of document a user keeps: "my <document>" asks what the notes hold
_DOCUMENTS = (
    r"notes?|notebook|table|list|reading list|summary|summaries|post|posts|blog|write-?ups?|article|guide|page|docs?|"
    r"handbook|wiki|cheat ?sheet|section|bookmarks|jottings|code|script|snippet|example|slides"
)
ABOUT_NOTES = re.compile(rf"\b(?:my|our)\s+(?:[\w-]+\s+){{0,2}}?(?:{_DOCUMENTS})\b", re.I)

# Verbs of note-taking: "do I list", "did we write", "I remember" ask what the notes hold, not what the user did
NOTE_VERBS = (
    r"list|note|noted|write|wrote|written|jot|jotted|mention|bookmark|save|saved|recommend|read|say|said|describe|"
    r"summari[sz]e|call|explain|cite|link|keep|kept|put|have|compare|find|found|collect|collected|gather|record|"
    r"recorded|track|log|highlight|remember|recall|think|believe|learn|learned|understand"
)
NOTES_HOLD = re.compile(
    rf"\b(?:(?:do|did|have|had|does)\s+(?:I|we)|I|we)\s+(?:(?:once|already|first)\s+)?(?:{NOTE_VERBS})\b", re.I
)
# "should I", "can I": first person asking for advice, not about own work
ADVICE = re.compile(r"\b(?:should|shall|can|could|might|would|must|may)\s+(?:I|we)\b|\b(?:do|would)\s+I\s+need\b", re.I)

# A record of the user's own doing: first person, or an experiment written down; not "we", which notes copy from
# papers and textbooks
OWN_WORK = re.compile(r"(?i:\b(?:my|experiments?|tried|measured)\b)|\bI\b(?![-.'’]\w)")

# A question that asks for an amount: "how many / much / long ...", or "what / which" and a measure within its
# first few words ("what was the learning rate", "which batch size")
_MEASURES = (
    r"score|accuracy|rate|size|cost|speed-?up|latency|throughput|perplexity|bleu|rouge\S*|f1|elo|rank|"
    r"temperature|count|percentage|length|epochs?|budget|memory|gpus?|tokens|recall|precision|value|"
    r"dimensions?|parameters?|params"
)
HOW = re.compile(r"\bhow (?:many|much|long|large|big|fast|often|high|low)\b", re.I)
# ("what does the cost measure" asks about the cost, not for it)
ASKS_VALUE = re.compile(
    rf"{HOW.pattern}|\b(?:what|which)(?:\s+(?!(?:do|does|did)\b)[\w-]+){{0,3}}?\s+(?:{_MEASURES})\b", re.I
)

# Words that say how a question is asked, not what it asks about.
GENERIC = frozenset(
    Tokenizer()(
        "what which who whom whose when where why how many much did does do use used using get got reach reached "
        "value number kind type way according note notes paper papers source sources say said mention mentioned "
        "describe explain tell give list main key final exact exactly own actual actually example called "
        "post posts blog article write wrote written remember recall quick again also just "
        "et al etc vs"  # "Wei et al." names authors by a Latin tag, not a term to find
    )
)

# Month names and their numbers: a date is one date however written ("April 2024", "09/04/2024", "2024-04")
_MONTHS = "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|september sep sept|october oct"
MONTHS = {m: i for i, names in enumerate(f"{_MONTHS}|november nov|december dec".split("|"), 1) for m in names.split()}
MONTH_NAMES = ("", *[next(k for k, v in MONTHS.items() if v == i) for i in range(1, 13)])

# Cardinals a source may spell out ("twenty four for the Large version")
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
ONES = {w: i for i, w in enumerate(f"{_ONES} seventeen eighteen nineteen".split())}
TENS_WORDS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
TENS = {w: 10 * i for i, w in enumerate(TENS_WORDS, 2)}

# a number after one of these names a part of a document ("Table 5", "Fig. 2", "Section 3.1"): a label, not an amount
PART_LABELS = (
    "table",
    "figure",
    "fig.",
    "section",
    "sec.",
    "chapter",
    "ch.",
    "appendix",
    "equation",
    "eq.",
    "algorithm",
)
# A unit spelled out, as its symbol: "140 gigabytes" and "140 GB" state one amount
UNIT_NAMES = {"kilobyte": "KB", "megabyte": "MB", "gigabyte": "GB", "terabyte": "TB", "gibibyte": "GiB"}

# Words that state an amount without digits ("two hidden layers", "a third"): an answer giving one gives a value
AMOUNT_WORDS = (
    *list(ONES)[1:13],
    *TENS_WORDS,
    *[
        "hundreds?",
        "thousands?",
        "millions?",
        "billions?",
        "trillions?",
        "half",
        "third",
        "quarter",
        "twice",
        "double",
        "triple",
        "dozens?",
    ],
)

# English closed-class words of three letters or more: a sentence of six or more lowercase words without one is not
# English prose (jargon notes keep "the", "and", "around"; German and Spanish sentences keep none)
FUNCTION_WORDS = frozenset(
    re.findall(
        r"\w+",
        "the and for with from are was were been not its this that these those which what how each per than into over "
        "around about can will has have had",
    )
)

# Words that open an English question
QUESTION_WORDS = frozenset(re.findall(r"\w+", "what which who whom whose when where why how does do did"))

# A model saying the sources hold no answer (the answer step then refuses with its own words)
DECLINE = re.compile(
    r"sources don.?t say|sources do not (say|answer|contain|mention)|not (mentioned|covered) in "
    r"the sources|i (do not|don.?t) know|cannot answer",
    re.I,
)

# A message that leans on the one before it: opened by "and" / "what about", or pointing back ("it", "they")
FOLLOW_UP = re.compile(
    r"^(and|also|what about|how about|but|so|then)\b|\b(it|its|that|this|those|these|they|them|"
    r"their|the same|he|she)\b",
    re.I,
)
