"""Numeric results read from abstracts: "achieves 85.2% accuracy on GSM8K", "outperforms GPT-4 by 3.1 points".

Pure functions over a sentence's text and the entity spans the pipeline found in it:

- `find_quantities`: every number with its unit (`%`, `points`, `x`, `absolute`), minus setup numbers ("7B
  parameters", "10k examples", "3 tasks", years, numbers inside names such as GPT-4 or NDCG@10).
- `kind_of`: `score` (an absolute result), `improvement` (a difference against a baseline) or `other` (any other
  quantified effect: a speed-up, a cost reduction, a share of parameters).
- `link_roles`: the system, benchmark, metric and baseline entity spans a quantity refers to; "our method" is
  the paper's proposed entity when it has one.

Rules were written from the seed-paper train split (`../shared/data/train/seed_results.jsonl`). The
`paperkg_results` component runs them on every sentence with a quantity and stores the results on `doc._.results`
as plain dicts (the fields of `Result`), so a Doc still serializes (`nlp.pipe(..., n_process=2)`); `doc_results(doc)`
gives them back as `Result`s.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from paperkg.extract.doc_cache import doc_text
from paperkg.extract.mentions import entity_id_of
from paperkg.graph.schema import Result, ResultKind

if not Doc.has_extension("results"):
    Doc.set_extension("results", default=None)

SYSTEM_LABELS = frozenset({"MODEL", "METHOD"})
DATA_LABELS = frozenset({"DATASET", "BENCHMARK"})
METRIC_LABELS = frozenset({"METRIC"})

_NUMBER = r"[+\-±]?\d+(?:,\d{3})*(?:\.\d+)?"
_UNIT = (
    r"(?P<unit>\s?\\?%|\s?(?:percentage points?|percent(?:age)?|points?|pts?|pp)\b|\s?p\.p\."
    r"|\s?(?:x|×)(?![a-wyz])|\s?(?:times|-?fold)\b)?"
)
QUANTITY = re.compile(
    rf"(?:(?<![\w@^./\-:])|(?<=sim)|(?<=%/))"  # "12.9%/11.4%" are two scores; "18/100" is no score
    rf"(?P<number>{_NUMBER})(?:\s?\\?%?\s?(?:-|–|~)\s?(?:{_NUMBER}))?{_UNIT}"
    r"(?![\w@]|(?<!%)/|-[A-Za-z])",
    re.IGNORECASE,
)
# What comes right before the data a system learned from, not what a result was measured on: "models trained on
# OpenWebMath refined by ProX outperform …"
TRAINED_ON = re.compile(
    r"\b(?:trained|tuned|pretrained|pre-trained)\s+(?:\w+\s+)?on\s+(?:the\s+)?$", re.IGNORECASE
)
# What comes right before a benchmark a sentence evaluates on: "results on two TREC …", "across the X benchmark"
EVALUATED_ON = re.compile(
    r"\b(?:on|across|over)\s+(?:the\s+|two\s+|three\s+|several\s+|both\s+)?$", re.IGNORECASE
)
# The share of tasks something wins ("new state-of-the-art on 4/9 tasks", "surpass T0 on 52/55 popular
# datasets"): a result of kind other, its number the count won
SHARE_OF_TASKS = re.compile(
    r"(?<![\w./\-])(?P<number>\d+)/\d+(?=\s+(?:[\w\-]+\s+){0,2}?(?:tasks|subtasks|datasets|benchmarks|languages)\b)"
)
SHARE = re.compile(r"\d+/\d+")  # the text of a quantity SHARE_OF_TASKS found (no other quantity has a slash)
# A quantity ending in one of these is an amount of something, not a result.
SETUP_AFTER = re.compile(
    r"^\s*(?:[kmbt]\b|k\+|billion|million|thousand|hundred|[-\s]?(?:b|m)\s+param)"
    r"|^\s*(?:(?!on |in |across |over |of |for |at |and )[a-z\-]+\s){0,2}?(?:sparsity|param\w*|examples?|samples?|tasks?|datasets?|languages?|benchmarks?|models?|"
    r"layers?|tokens?|images?|videos?|gpus?|tpus?|steps?|epochs?|shots?|instances?|questions?|documents?|"
    r"pairs?|categories|classes|domains?|subjects?|annotat\w*|participants?|users?|hours?|days?|minutes?|"
    r"seconds?|experts?|heads?|dimensions?|demonstrations?|prompts?|queries|problems?|articles?|papers?|"
    r"sentences?|words?|utterances?|dialogues?|conversations?|turns?|attributes?|skills?|rounds?|iterations?|"
    r"agents?|players?|methods?|baselines?|llms?|scales?|sizes?|types?|kinds?|ways?|levels?|stages?|"
    r"times? (?:smaller|larger|fewer|less|more data)|trillion|ms\b|gb\b|mb\b|tb\b|k\b)",
    re.IGNORECASE,
)
SETUP_BEFORE = re.compile(
    r"(?:table|figure|fig\.|section|sec\.|eq\.|top|pass@|@|k\s?=|n\s?=|budget of|length of|size of|"
    r"up to|only|using|with|in|from the|than)\s*$",
    re.IGNORECASE,
)
INTEGER_SCORE_AFTER = re.compile(
    r"^\s*(?:[\w\-]+\s)?(?:F1|BLEU|ROUGE|accuracy|score|mAP|AP|EM|points?|Elo|win rate)\b", re.IGNORECASE
)
# A number right after a name, or after a name's first version, is a version: "Llama 3.1", "Qwen 2, 2.5"
VERSION_BEFORE = re.compile(r"[A-Z][\w\-]*\s(?:\d+(?:\.\d+)?(?:,\s|\s(?:and|or)\s))?$")
_YEAR = re.compile(r"^(?:19|20)\d\d$")

# Cue words read in the 60 characters before a quantity; the nearest cue decides its kind.
KIND_CUES_BEFORE: dict[ResultKind, re.Pattern[str]] = {
    ResultKind.IMPROVEMENT: re.compile(
        r"\b(?:improv\w*|gains?|increas\w*|margin|boost\w*|outperform\w*|surpass\w*|enhanc\w*|by|higher|"
        r"better|exceed\w*|lead\w*|advantage)\b|\+\s*$",
        re.IGNORECASE,
    ),
    ResultKind.SCORE: re.compile(
        r"\b(?:accuracy|scor\w*|achiev\w*|reach\w*|attain\w*|obtain\w*|yield\w*|from|(?<!up )to|rate|f1|bleu|"
        r"performance of|at)\b|->|→|=|\(\s*$",
        re.IGNORECASE,
    ),
    ResultKind.OTHER: re.compile(
        r"\b(?:reduc\w*|accelerat\w*|faster|speed\w*|cost\w*|compress\w*|fewer|less|sav\w*|parameters?|"
        r"clos\w*|within|only|budget|latency|memory)\b",
        re.IGNORECASE,
    ),
}
# Words right after a quantity that fix its kind ("3.1 points higher", "2x faster", "30% reduction").
KIND_CUES_AFTER: dict[ResultKind, re.Pattern[str]] = {
    ResultKind.OTHER: re.compile(
        r"^\s*(?:[\w\-]+\s){0,1}?(?:reduction|faster|speed\w*|less|fewer|smaller|cheaper|lower|of (?:the )?"
        r"(?:total |model |trainable )?param\w*|of (?:the )?(?:performance|data|training|compute|cost))\b",
        re.IGNORECASE,
    ),
    ResultKind.IMPROVEMENT: re.compile(
        r"^\s*(?:[\w\-]+\s){0,2}?(?:improv\w*|gains?|increase\w*|boost|higher|better|more|relative\w*|"
        r"absolute|lift|enhance\w*|over|above|ahead)\b",
        re.IGNORECASE,
    ),
}
_LIST_SEPARATOR = re.compile(r"^\s*(?:,|/|and|or|,\s*and|,\s*or|->|→|rightarrow|to)\s*$")
# "23.5->26.9", "58.9 rightarrow 61.7", "from 36.2% to 40.7%": the number before the arrow is where it started
VERSUS = re.compile(r"^\s*(?:vs\.?|v\.s\.|versus)\s*$", re.IGNORECASE)
_BEFORE_AFTER = re.compile(r"^\s*(?:->|→|rightarrow|to)\s*$")
_RANGE = re.compile(r"\b(?:rang\w*|between|within)\b", re.IGNORECASE)

BASELINE_CUES = re.compile(
    r"\b(?:over|than|compared (?:to|with)|comparison (?:to|with)|outperform\w*|surpass\w*|beat\w*|vs\.?|versus|"
    r"against|relative to|exceed\w*)\s*(?:the\s+|strong\s+|previous\s+)*$",
    re.IGNORECASE,
)
BASELINE_PHRASE = re.compile(
    r"\b(?:over|than|upon|compared (?:to|with)|outperform\w*|surpass\w*|beat\w*|vs\.?|versus|against)\s+"
    r"(?P<baseline>(?:(?:the|a|an|all|most|several|many)\s+)?(?:[\w\-]+\s+){0,3}?baselines?)\b",
    re.IGNORECASE,
)
OUR_SYSTEM = re.compile(
    r"\b(?:our|the proposed|this)\s+(?:[\w\-]+\s+){0,3}?(?:method|model|approach|framework|system|algorithm|"
    r"technique|pipeline|agent|strateg(?:y|ies))\b|\\ours\b",  # "\ours": the LaTeX macro for the paper's system
    re.IGNORECASE,
)
WE_SUBJECT = re.compile(r"(?:^|(?<=[,;:] )|(?<=\bthat )|(?<=\band ))(?:we|it)\b", re.IGNORECASE)
SYSTEM_VERB = re.compile(
    r"^\s*,?\s*(?:\([^)]*\)\s*)?(?:[,\-–—]+[^,]*[,\-–—]+\s*)?(?:which\s+|that\s+)?(?:also\s+|further\s+|still\s+|even\s+|significantly\s+|"
    r"consistently\s+|substantially\s+|largely\s+|can\s+|could\s+|not only\s+|model\s+|models\s+|only\s+)*"
    r"(?:achiev\w*|outperform\w*|improv\w*|obtain\w*|yield\w*|reach\w*|surpass\w*|attain\w*|scor\w*|gets?|"
    r"exceed\w*|beat\w*|boost\w*|reduc\w*|provid\w*|demonstrat\w*|shows?|deliver\w*|sets?|establish\w*|"
    r"rais\w*|increas\w*|lead\w*|is|are|was|were|has|have|results?|perform\w*|matches|closes|enhanc\w*|"
    r"accelerat\w*|speeds?|brings?|ranks?|tops?|wins?|displays?|exhibits?|occup\w*|identif\w*)\b",
    re.IGNORECASE,
)
_METRIC_HEAD = (
    r"(?:score|accuracy|performance|rate|error|loss|gap|recall|precision|costs?|compute|flops|storage|"
    r"parameters|efficiency|latency|throughput|similarity|coherence|diversity|time|size|memory|usage)"
)
_APPROXIMATELY = r"(?:(?:up to|about|over|around|approximately|nearly|almost|roughly|~)\s*)?"
METRIC_PHRASE_BEFORE = [
    re.compile(r"(?P<metric>\b[A-Za-z][\w@^\-]*)\s*=\s*$"),  # "R^2=0.8", "pass@1 = 45.2"
    re.compile(  # "a total score of 134", "the accuracy of 85%"
        rf"(?:\b(?:a|an|the|its|of|in)\s+)(?P<metric>(?:[a-z][\w\-']*\s){{0,2}}?{_METRIC_HEAD})\s+"
        r"(?:of\s+)?(?:about\s+|approximately\s+|up to\s+)?$",
        re.IGNORECASE,
    ),
    re.compile(  # "improves FIM performance by up to 24%", "closes the performance gap by 96.4%",
        # "increasing answer similarity from 47% to 72%"
        rf"(?:\b(?:the|its)\s+|\b(?:improv|increas|reduc|boost|enhanc|clos)\w*\s+(?:the\s+|its\s+)?)"
        rf"(?P<metric>(?:(?!the\s|its\s)[\w\-']+\s){{0,3}}{_METRIC_HEAD})\s+(?:[\w\-]+\s+){{0,5}}?(?:by|from)\s+{_APPROXIMATELY}$",
        re.IGNORECASE,
    ),
    re.compile(  # "training time decreased by 14%"
        rf"\b(?P<metric>(?:(?!(?:and|or|the|of|with|while)\s)[a-z][\w\-']*\s){{0,2}}?{_METRIC_HEAD})\s+(?:is\s+|was\s+)?"
        rf"(?:decreas|increas|reduc|improv|dropp|fell|rose|grew|shr[ai]nk|cut)\w*\s+by\s+{_APPROXIMATELY}$",
        re.IGNORECASE,
    ),
]
METRIC_PHRASE_AFTER = [
    re.compile(  # "46.8% performance improvement", "a 30% memory reduction"
        r"^\s*(?:(?:absolute|relative|average|overall|point)\s+)?"
        r"(?P<metric>(?!(?:absolute|relative|average|overall|point)\b)(?:[a-z][\w\-']*\s){0,2}?[a-z][\w\-']*)\s+"
        r"(?:improvement|increase|gain|reduction|boost|drop)s?\b",
        re.IGNORECASE,
    ),
    re.compile(  # "35% increase in similarity", "2.5x reduction in pre-training FLOPs", "22% in coherence"
        r"^\s*(?:(?:absolute|relative|average|overall)\s+)?(?:(?:improvement|increase|gains?|reduction|drop|boost)\s+)?"
        rf"(?:in|on|of)\s+(?!(?:the\s+)?time\b)(?:the\s+)?(?P<metric>(?:[a-z][\w\-']*\s){{0,3}}?{_METRIC_HEAD})\b",  # not "80% of the time"
        re.IGNORECASE,
    ),
    re.compile(  # "saving over 20% memory", "only 1% storage"
        r"^\s*(?P<metric>(?:memory|storage|compute|flops|latency|inference time|training time))\b",
        re.IGNORECASE,
    ),
    re.compile(  # "10-100x less annotation cost"
        rf"^\s*(?:less|more|lower|higher|fewer)\s+(?P<metric>(?:[\w\-]+\s){{0,2}}?{_METRIC_HEAD})\b",
        re.IGNORECASE,
    ),
]
DATA_PHRASE = re.compile(
    r"\b(?:on|over|across|in)\s+(?:the\s+)?(?P<data>(?:two|three|four|five|six|seven|eight|nine|ten|multiple|"
    r"several|various)\s(?:[\w\-]+\s){0,3}?(?:tasks|benchmarks|datasets|test sets))\b"
    r"|\bfor\s+(?P<tasks>(?:[\w\-]+\s){0,2}?[\w\-]+\stasks)\b",  # "15% for classification tasks"
    re.IGNORECASE,
)
# A change in what something costs is "other", not an improvement: "training time decreased by 14%"
RESOURCE = re.compile(
    r"\b(?:time|memory|storage|compute|costs?|latency|param\w*|flops|size|budget|throughput)\b", re.IGNORECASE
)
NAME_BEFORE_SCORE = re.compile(r"(?P<data>\b[A-Z][\w\-]*\w)\s*\(\s*[+\-]?\d")  # "Zh-En (33.5)"
METRIC_IN_TERMS_OF = re.compile(r"\bin terms of (?:the\s+)?(?P<metric>[\w\-@]+(?:\s[A-Z][\w\-@]*)?)")
NAME_THEN_VALUE = re.compile(r"^\s*[(:]\s*$")  # the gap in "Zh-En (33.5)", "MMLU: 70.1"
_CLAUSE = re.compile(r"[;:]|,\s*(?:while|whereas|but|and)\b|\bwhile\b|\bwhereas\b")


@dataclass(frozen=True)
class Quantity:
    """A number as written in a sentence: character offsets into that sentence, the first number, its unit."""

    start: int
    end: int
    text: str
    number: float
    unit: str


@dataclass(frozen=True)
class EntitySpan:
    """An entity the pipeline found: character offsets into the same text as the sentence offset, its label,
    surface text and graph id (None when it names no graph entity, e.g. "our method")."""

    start: int
    end: int
    label: str
    text: str
    entity_id: str | None = None


def unit_of(raw: str | None) -> str:
    """`"%"`, `"points"`, `"x"` or `"absolute"` from the unit text `QUANTITY` matched."""
    raw = (raw or "").strip().lower().lstrip("\\")
    if not raw:
        return "absolute"
    if raw in {"%", "percent", "percentage"}:
        return "%"
    if raw[0] in "x×" or "fold" in raw or raw == "times":
        return "x"
    return "points"


def parse_number(text: str) -> float:
    """`"+3.1"` → 3.1, `"1,024"` → 1024.0, `"±0.5"` → 0.5 (the sign of a gain is its kind, not its value)."""
    return float(text.replace(",", "").lstrip("+±"))


def is_setup(sentence: str, start: int, end: int, number_text: str, unit: str) -> bool:
    """Whether the quantity at `sentence[start:end]` is a setup number (7B parameters, 10k examples, 3 tasks, a
    year, a table number) rather than a result."""
    after = sentence[end : end + 40]
    before = sentence[max(0, start - 20) : start]
    if unit == "absolute":
        if _YEAR.match(number_text):
            return True
        if float(number_text.replace(",", "")) >= 1000:
            return True  # counts, dates, arXiv ids
        if VERSION_BEFORE.search(before) and not re.match(r"\s*(?:->|→|rightarrow)", after):
            return True  # versions after a name ("Llama 3.1"), not a score that changes ("StrategyQA 58.9 -> 61.7")
        if (
            "." not in number_text
            and not sentence[start] in "+-"
            and not re.search(r"(?:score(?: of)?|->|→|(?<![kKnN])=)\s*$", before)
            and not INTEGER_SCORE_AFTER.match(after)
        ):
            return True  # bare integers are counts ("3 tasks", "100 languages") unless read as a score
        if SETUP_AFTER.match(after):
            return True
        return bool(SETUP_BEFORE.search(before))
    if unit == "x":
        if re.match(r"^\s+[A-Z0-9]", after):
            return True  # "8x V100s": a count of things
        return bool(
            re.match(
                r"^\s*(?:more|larger|bigger|fewer|smaller|less)\s+(?:data|param|train|token)",
                after,
                re.IGNORECASE,
            )
        )
    if unit == "%":
        return bool(
            re.match(
                r"^\s*(?:of\s+(?:the\s+)?(?:training\s+)?(?:data|examples|samples|labels))",
                after,
                re.IGNORECASE,
            )
        ) or bool(re.search(r"using\s+(?:only\s+)?$", before))
    return False


def find_quantities(sentence: str) -> list[Quantity]:
    """The quantities of a sentence that may be results, in order; setup numbers are left out.

    >>> [(q.text, q.number, q.unit) for q in find_quantities("It reaches 85.2% on GSM8K with 7B parameters.")]
    [('85.2%', 85.2, '%')]
    """
    found = []
    for match in QUANTITY.finditer(sentence):
        number_text = match.group("number")
        unit = unit_of(match.group("unit"))
        start, end = match.start(), match.end()
        if is_setup(sentence, start, end, number_text.lstrip("+-±"), unit):
            continue
        found.append(Quantity(start, end, match.group(), parse_number(number_text), unit))
    for match in SHARE_OF_TASKS.finditer(sentence):
        found.append(
            Quantity(match.start(), match.end(), match.group(), float(match.group("number")), "absolute")
        )
    return sorted(found, key=lambda quantity: quantity.start)


def kind_of(
    sentence: str, quantity: Quantity, last: Quantity | None = None, previous: ResultKind | None = None
) -> ResultKind:
    """score, improvement or other: a speed-up is other, a signed number or "points" gain an improvement, else
    the cue right after the quantity ("30% reduction") or the nearest cue before it ("by", "accuracy of").
    `last`: the last quantity of a list the quantity opens, whose cue after speaks for the list ("a 12.9%/11.4%
    relative gain"). `previous`: the kind of the sentence's result before this one, which a quantity no cue speaks
    for goes on with ("an improvement of 15% for classification tasks and 18% for generation tasks")."""
    if quantity.unit == "x":
        return ResultKind.OTHER
    list_end = (last or quantity).end
    after = sentence[list_end : list_end + 40]
    for kind, pattern in KIND_CUES_AFTER.items():
        if pattern.match(after):
            return kind
    if quantity.text.startswith("+"):
        return ResultKind.IMPROVEMENT
    before = sentence[max(0, quantity.start - 60) : quantity.start]
    best, best_end, best_word = _last_cue(before, KIND_CUES_BEFORE)
    if best_word == "by":  # "by" says what its verb says: "outperforms X by", "reduces the model size by"
        verb = _verb_before_by(before[: best_end - 2])
        if verb is not None:
            return verb
    if best is None and quantity.unit == "points":
        return ResultKind.IMPROVEMENT
    if best is None and previous is not None:
        return previous
    return best or ResultKind.SCORE


def _last_cue(
    text: str, cues: Mapping[ResultKind, re.Pattern[str]], skip: str | None = None
) -> tuple[ResultKind | None, int, str]:
    """(kind, end, lower-cased word) of the cue that ends last in `text` (earlier kinds win ties), a cue word
    equal to `skip` left out; (None, -1, "") when there is none."""
    best, best_end, best_word = None, -1, ""
    for kind, pattern in cues.items():
        for match in pattern.finditer(text):
            word = match.group().lower()
            if match.end() > best_end and word != skip:
                best, best_end, best_word = kind, match.end(), word
    return best, best_end, best_word


_QUALITY = re.compile(r"\b(?:loss|error|drop|performance|accuracy|scores?)\b", re.IGNORECASE)


def _verb_before_by(text: str) -> ResultKind | None:
    """The kind of the last improvement or other cue in `text` (the words before a "by"), other than "by":
    "reduces the model size by" is other, but what reduces a quality ("reduces the validation loss by",
    "reduces the average performance by") is an improvement, a change in a metric; None when there is none."""
    verbs = {kind: KIND_CUES_BEFORE[kind] for kind in (ResultKind.IMPROVEMENT, ResultKind.OTHER)}
    best, best_end, word = _last_cue(text, verbs, skip="by")
    if best is ResultKind.OTHER and word.startswith("reduc") and _QUALITY.search(text[best_end:]):
        return ResultKind.IMPROVEMENT
    return best


def _clause_bounds(sentence: str, start: int, end: int) -> tuple[int, int]:
    """The clause of the sentence around `start:end`: between the nearest breaks (";", ", while", …)."""
    left, right = 0, len(sentence)
    for match in _CLAUSE.finditer(sentence):
        if match.end() <= start:
            left = match.end()
        elif match.start() >= end:
            right = match.start()
            break
    return left, right


def _nearest(
    candidates: Sequence[EntitySpan], start: int, end: int, *, prefer_after: bool
) -> EntitySpan | None:
    """The candidate closest to `start:end` (offsets in the same text), ties broken by side."""

    def distance(e: EntitySpan) -> tuple[int, int]:
        gap = e.start - end if e.start >= end else start - e.end
        after = e.start >= end
        return (gap, 0 if after == prefer_after else 1)

    return min(candidates, key=distance) if candidates else None


def link_roles(
    sentence: str,
    sentence_start: int,
    quantity: Quantity,
    entities: Sequence[EntitySpan],
    proposed: EntitySpan | None = None,
) -> dict[str, EntitySpan | None]:
    """The system, benchmark, metric and baseline of one quantity, chosen among `entities` (offsets into the
    document; those of the sentence) by cue words and distance.

    The system is the model or method that does something in the sentence ("X achieves", "X outperforms"), else
    the paper's own system `proposed` when the sentence speaks of it ("our method", "we", "it") or names no other;
    the baseline is one after "over", "than", "compared to". Benchmark and metric are the nearest dataset /
    benchmark and metric entities of the clause; a metric written as a phrase ("total score of 134") is kept as
    written, without an entity."""
    q_start, q_end = sentence_start + quantity.start, sentence_start + quantity.end
    c_start, c_end = (sentence_start + b for b in _clause_bounds(sentence, quantity.start, quantity.end))
    in_sentence = [
        e for e in entities if sentence_start <= e.start and e.end <= sentence_start + len(sentence)
    ]

    def local(labels: frozenset[str]) -> list[EntitySpan]:
        inside = [e for e in in_sentence if e.label in labels and c_start <= e.start and e.end <= c_end]
        return inside or [e for e in in_sentence if e.label in labels]

    def is_baseline(e: EntitySpan) -> bool:
        return bool(
            BASELINE_CUES.search(sentence[max(0, e.start - sentence_start - 40) : e.start - sentence_start])
        )

    def verb_end(e: EntitySpan) -> int | None:
        """Where the verb `e` is the subject of ends (document offsets), None when it acts on nothing."""
        match = SYSTEM_VERB.match(sentence[e.end - sentence_start : e.end - sentence_start + 120])
        return e.end + match.end() if match else None

    candidates = [e for e in in_sentence if e.label in SYSTEM_LABELS]
    systems = [e for e in candidates if not is_baseline(e)]
    baselines = [e for e in candidates if is_baseline(e)]
    reach = {e: end for e in systems if e.end <= q_start and (end := verb_end(e)) is not None}
    # a name inside another one's aside ("ScaLearn, in addition to the benefits of MTL, outperforms") is not
    # the subject: the outer name is
    acting = [e for e in reach if not any(o.end <= e.start and e.end <= end for o, end in reach.items())]
    ours = OUR_SYSTEM.search(sentence[: quantity.start]) or WE_SUBJECT.search(sentence[: quantity.start])
    system: EntitySpan | None
    if acting:
        system = acting[-1]
    elif ours and proposed is not None:
        system = proposed
    elif ours and ours.group().lower() not in {"we", "it"}:
        system = EntitySpan(
            sentence_start + ours.start(), sentence_start + ours.end(), "SYSTEM", ours.group()
        )
    elif systems and systems[0].end <= q_start:
        system = systems[0]
    else:
        system = proposed
    metrics = local(METRIC_LABELS)
    metric = _metric_named_after(sentence, sentence_start, q_end, metrics)
    metric = metric or _nearest(metrics, q_start, q_end, prefer_after=False)
    if metric is None and (phrase := _metric_phrase(sentence, quantity)) is not None:
        metric = EntitySpan(
            sentence_start + phrase[0], sentence_start + phrase[1], "METRIC", sentence[phrase[0] : phrase[1]]
        )
    return {
        "system": system,
        "benchmark": _nearest(local(DATA_LABELS), q_start, q_end, prefer_after=True),
        "metric": metric,
        "baseline": _nearest([b for b in baselines if b is not system], q_start, q_end, prefer_after=True)
        or _baseline_phrase(sentence, sentence_start),
    }


def _baseline_phrase(sentence: str, sentence_start: int) -> EntitySpan | None:
    """A baseline written as a phrase, not a name: "improves upon strong comparable prior baselines"."""
    if match := BASELINE_PHRASE.search(sentence):
        return EntitySpan(
            sentence_start + match.start("baseline"),
            sentence_start + match.end("baseline"),
            "BASELINE",
            match.group("baseline"),
        )
    return None


_IMPROVEMENT_IN = re.compile(
    r"^\s*(?:points?\s+)?(?:absolute\s+|relative\s+)?(?:improvement|gain|increase|boost|drop|reduction|decrease)s?"
    r"\s+(?:in|on|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


def _metric_named_after(
    sentence: str, sentence_start: int, q_end: int, metrics: Sequence[EntitySpan]
) -> EntitySpan | None:
    """The metric a quantity is a change in: "a 9% improvement in P@1" (not the MRR named before it)."""
    for metric in metrics:
        if metric.start >= q_end and _IMPROVEMENT_IN.match(
            sentence[q_end - sentence_start : metric.start - sentence_start]
        ):
            return metric
    return None


def _metric_phrase(sentence: str, quantity: Quantity) -> tuple[int, int] | None:
    """Bounds of a metric written as a phrase next to the quantity: "a total score of 134", "35% increase in
    similarity"."""
    before = sentence[max(0, quantity.start - 80) : quantity.start]
    offset = quantity.start - len(before)
    for pattern in METRIC_PHRASE_BEFORE:
        if match := pattern.search(before):
            return offset + match.start("metric"), offset + match.end("metric")
    for pattern in METRIC_PHRASE_AFTER:
        if match := pattern.match(sentence[quantity.end : quantity.end + 50]):
            return quantity.end + match.start("metric"), quantity.end + match.end("metric")
    if match := METRIC_IN_TERMS_OF.search(sentence):
        return match.start("metric"), match.end("metric")
    return None


def list_groups(sentence: str, quantities: Sequence[Quantity]) -> list[list[int]]:
    """Indices of quantities written as one list ("68.5%, 60.1% and 51.9%"), in order; others alone."""
    groups: list[list[int]] = []
    for i, quantity in enumerate(quantities):
        if groups and _LIST_SEPARATOR.match(sentence[quantities[i - 1].end : quantity.start]):
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def is_before_value(sentence: str, quantities: Sequence[Quantity], index: int, group: Sequence[int]) -> bool:
    """Whether quantity `index` is the first of a before → after pair of its list ("23.5->26.9")."""
    following = index + 1
    if following not in group:
        return False
    gap = _BEFORE_AFTER.match(sentence[quantities[index].end : quantities[following].start])
    if gap is None:
        return False
    before = sentence[max(0, quantities[index].start - 30) : quantities[index].start]
    return gap.group().strip() != "to" or not _RANGE.search(before)  # "ranging from 4.11% to 64.69%": a range


def data_phrases(sentence: str, sentence_start: int, entities: Sequence[EntitySpan]) -> list[EntitySpan]:
    """Evaluation sets written as a phrase, not a name ("on six NLU tasks", "across various benchmarks"),
    where no entity overlaps them."""
    found = []
    for match in [*DATA_PHRASE.finditer(sentence), *NAME_BEFORE_SCORE.finditer(sentence)]:
        group = "data" if match.group("data") else "tasks"
        start, end = sentence_start + match.start(group), sentence_start + match.end(group)
        if not any(e.start < end and start < e.end for e in entities):
            found.append(EntitySpan(start, end, "DATA", match.group(group)))
    return found


def benchmark_of(
    sentence: str,
    sentence_start: int,
    quantities: Sequence[Quantity],
    index: int,
    group: Sequence[int],
    data: Sequence[EntitySpan],
) -> EntitySpan | None:
    """The dataset or benchmark of `quantities[index]`: the name it follows in parentheses or after a colon
    ("Zh-En (33.5)", "MMLU: 70.1") or right before a before → after pair ("StrategyQA 58.9 -> 61.7"), else by
    position when a list of quantities meets a list of names ("68.5% and 60.1% on A and B"), else the first one
    after its list and before the next quantity ("40% on AGIEval, 19% on MMLU"), else the nearest one before
    it."""
    quantity = quantities[index]
    before = [e for e in data if e.end <= sentence_start + quantity.start]
    if before and (
        NAME_THEN_VALUE.match(gap := sentence[before[-1].end - sentence_start : quantity.start])
        or (not gap.strip() and is_before_value(sentence, quantities, index, group))
    ):
        return before[-1]
    last = quantities[group[-1]]
    following_end = quantities[group[-1] + 1].start if group[-1] + 1 < len(quantities) else len(sentence)
    _, clause_end = _clause_bounds(sentence, last.start, last.end)
    following = [
        e
        for e in data
        if sentence_start + last.end <= e.start and e.end <= sentence_start + min(following_end, clause_end)
    ]
    if len(group) > 1 and len(following) >= len(group):
        return following[group.index(index)]
    if following:
        return following[0]
    if before:
        return before[-1]
    rest = [e for e in data if e.start >= sentence_start + following_end]
    return rest[0] if rest else None


def share_pair_roles(
    sentence: str, quantities: Sequence[Quantity], group: Sequence[int], roles_of: dict[int, dict]
) -> None:
    """A before → after pair of a list measures one thing ("A 58.9 -> 61.7 acc.", "similarity from 47% to 72%"):
    both take the metric written with either and the benchmark of the first; the number something had before is
    the baseline's, where the sentence names one, not the system's. Changes `roles_of` in place."""
    for index in group:
        if is_before_value(sentence, quantities, index, group):
            before, after = roles_of[index], roles_of[index + 1]
            before["metric"] = after["metric"] = after["metric"] or before["metric"]
            after["benchmark"] = before["benchmark"]
            before["system"], before["baseline"] = before["baseline"], None


def results_in_sentence(
    text: str,
    sentence_bounds: tuple[int, int],
    entities: Sequence[EntitySpan],
    proposed: EntitySpan | None = None,
) -> list[Result]:
    """Every result of one sentence of `text` (bounds are character offsets into it), linked to `entities`."""
    s_start, s_end = sentence_bounds
    sentence = text[s_start:s_end]
    in_sentence = [e for e in entities if s_start <= e.start and e.end <= s_end]
    named_data = [
        e for e in in_sentence if e.label in DATA_LABELS and not TRAINED_ON.search(text[s_start : e.start])
    ]
    data = sorted(named_data + data_phrases(sentence, s_start, in_sentence), key=lambda e: e.start)
    quantities = find_quantities(sentence)
    results: list[Result] = []
    kind = previous_baseline = None
    for group in list_groups(sentence, quantities):
        kind = kind_of(sentence, quantities[group[0]], quantities[group[-1]], kind)
        roles_of = {}
        for index in group:
            roles = link_roles(sentence, s_start, quantities[index], in_sentence, proposed)
            roles["benchmark"] = benchmark_of(sentence, s_start, quantities, index, group, data)
            roles_of[index] = roles
        share_pair_roles(sentence, quantities, group, roles_of)
        if group[0] > 0 and VERSUS.match(sentence[quantities[group[0] - 1].end : quantities[group[0]].start]):
            # "(90.6% vs. 89.8%)": the number after "vs." is the baseline's
            roles = roles_of[group[0]]
            roles["system"], roles["baseline"] = previous_baseline or roles["baseline"], None
        previous_baseline = roles_of[group[-1]]["baseline"]
        for index in group:
            quantity, roles = quantities[index], roles_of[index]
            metric = roles["metric"]
            resource = metric and RESOURCE.search(metric.text)
            kind_here = ResultKind.OTHER if resource or SHARE.fullmatch(quantity.text) else kind
            value = quantity.text.strip()
            results.append(
                Result(
                    value=value,
                    number=quantity.number,
                    unit=quantity.unit,
                    kind=kind_here,
                    sentence=sentence.strip(),
                    start=s_start + quantity.start,
                    end=s_start + quantity.start + len(value),
                    **{role: span.text if span else None for role, span in roles.items()},
                    **{f"{role}_id": span.entity_id if span else None for role, span in roles.items()},
                )
            )
    return results


def entity_spans(doc: Doc) -> list[EntitySpan]:
    """The doc's entities as `EntitySpan`s with their graph ids."""
    return [EntitySpan(e.start_char, e.end_char, e.label_, e.text, entity_id_of(e)) for e in doc.ents]


def proposed_entity(doc: Doc, text: str) -> EntitySpan | None:
    """The paper's own system: the first MODEL/METHOD entity the relation cues mark PROPOSES (a title that
    opens with a name first)."""
    from paperkg.extract.relations import typed_relations
    from paperkg.graph.schema import RelationType

    title_end = text.find("\n\n")
    for ent, relation, _ in typed_relations(doc, title_end=max(title_end, 0), text=text):
        if relation is RelationType.PROPOSES and ent.label_ in SYSTEM_LABELS:
            entity_id = entity_id_of(ent)
            # the name the paper calls it by: its acronym where it defined one ("EPT", not "Efficient Prompt
            # Tuning", the pair's canonical long form)
            called = min((e.text for e in doc.ents if entity_id_of(e) == entity_id), key=len)
            return EntitySpan(ent.start_char, ent.end_char, ent.label_, called, entity_id)
    return None


def title_system(text: str) -> EntitySpan | None:
    """The name a title opens with ("RAFT: Rationale adaptor for …" → RAFT) when the recognizer missed it."""
    title = text[: text.find("\n\n")] if "\n\n" in text else ""
    match = re.match(r"^\s*([^\s:][^:]{0,30}?)\s*:", title)
    if not match or len(match.group(1).split()) > 3:
        return None
    return EntitySpan(match.start(1), match.end(1), "SYSTEM", match.group(1))


def results_of(doc: Doc) -> list[Result]:
    """All results of a processed doc, in text order."""
    from paperkg.extract.sentences import sentence_spans

    text = doc_text(doc)
    if not QUANTITY.search(text):
        return []
    entities, proposed, found = entity_spans(doc), None, []
    previous_bounds = None
    for bounds in sentence_spans(doc):
        sentence = text[bounds[0] : bounds[1]]
        if not find_quantities(sentence):
            previous_bounds = bounds
            continue
        if proposed is None:
            proposed = proposed_entity(doc, text) or title_system(text)
        # a sentence that names no data goes on about the one benchmark the sentence before evaluated on, else
        # about the last result's; one that names data it did not measure on ("models trained on X") does not
        names_data = any(e.label in DATA_LABELS and bounds[0] <= e.start < bounds[1] for e in entities)
        evaluated = evaluated_benchmark(text, previous_bounds, entities) if previous_bounds else None
        for result in results_in_sentence(text, bounds, entities, proposed):
            if result.benchmark is None and not names_data:
                last = (found[-1].benchmark, found[-1].benchmark_id) if found else (None, None)
                name, entity_id = (evaluated.text, evaluated.entity_id) if evaluated else last
                if name is not None:
                    result = result.model_copy(update={"benchmark": name, "benchmark_id": entity_id})
            found.append(result)
        previous_bounds = bounds
    return found


def evaluated_benchmark(
    text: str, sentence_bounds: tuple[int, int], entities: Sequence[EntitySpan]
) -> EntitySpan | None:
    """The one benchmark a sentence evaluates on ("results on two TREC Deep Learning Track query sets"), if it
    names exactly one after "on", "across" or "over"."""
    start, end = sentence_bounds
    named = {
        e.entity_id or e.text: e
        for e in entities
        if e.label == "BENCHMARK"
        and start <= e.start
        and e.end <= end
        and EVALUATED_ON.search(text[start : e.start])
    }
    if len(named) != 1:
        return None
    [entity] = named.values()
    return entity


def doc_results(doc: Doc) -> list[Result]:
    """The results the `paperkg_results` component stored on a doc (none when it did not run)."""
    stored = doc._.results if Doc.has_extension("results") else None
    return [Result.model_validate(fields) for fields in stored or ()]


@Language.factory("paperkg_results", default_config={})
def make_results(nlp: Language, name: str):
    """Store the doc's results on `doc._.results` as dicts of `Result` fields (roles as written, with the linked
    entity ids); `doc_results` reads them back."""

    def extract_results(doc: Doc) -> Doc:
        doc._.results = [result.model_dump(mode="json", exclude={"id"}) for result in results_of(doc)]
        return doc

    return extract_results
