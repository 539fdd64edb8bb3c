"""Abbreviation definitions, "Low-Rank Adaptation (LoRA)", after Schwartz & Hearst (2003).

Schwartz, A. S. and Hearst, M. A. (2003). "A simple algorithm for identifying abbreviation definitions in
biomedical text." Pacific Symposium on Biocomputing 8:451-462. Structure follows scispaCy's
`scispacy/abbreviation.py`: `find_abbreviation` is the algorithm, `short_form_filter` and `filter_matches`
choose candidates, `pair_label` types a pair; the `paperkg_abbreviations` component only wires them together,
writes `doc._.abbreviations` (short-form spans, definitions and later uses) and `span._.long_form`, and adds
labelled candidate spans (long form, short form and its later uses, all with the long form as canonical
name) to `doc.spans[spans_key]`. The long form names the pair because an acronym means what each paper defines
it to mean ("CL" is continual learning in one paper, curriculum learning in another); resolution joins a bare
acronym to a long form only where that is the one thing papers define it as.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from paperkg.extract.lexicon import read_jsonl
from paperkg.extract.resolve import spells_initials
from paperkg.extract.sentences import title_end_token

# Stored as plain ints in `doc.user_data` (so docs cross process boundaries in `nlp.pipe(n_process=2)` and
# survive `Doc.to_bytes`); the extensions are getters that turn them back into spans.
USER_DATA_KEY = "paperkg.abbreviations"  # [[short_start, short_end, long_start, long_end], ...] token offsets


def _abbreviations(doc: Doc) -> list[Span]:
    return [doc[row[0] : row[1]] for row in doc.user_data.get(USER_DATA_KEY, ())]


def _long_form(span: Span) -> Span | None:
    for row in span.doc.user_data.get(USER_DATA_KEY, ()):
        if row[0] == span.start and row[1] == span.end:
            return span.doc[row[2] : row[3]]
    return None


if not Doc.has_extension("abbreviations"):
    Doc.set_extension("abbreviations", getter=_abbreviations)
if not Span.has_extension("long_form"):
    Span.set_extension("long_form", getter=_long_form)


def find_abbreviation(long_form_candidate: Span, short_form: Span) -> tuple[Span, Span | None]:
    """Schwartz & Hearst: the shortest end of `long_form_candidate` whose characters spell `short_form`.

    Walks both strings right to left; every alphanumeric character of the short form must be found in the
    long form, the first one at the start of a word. Returns `(short_form, long_form)`, with `None` as long
    form when the characters cannot be matched.
    """
    long_text = long_form_candidate.text
    short_text = short_form.text
    long_index = len(long_text) - 1
    short_index = len(short_text) - 1
    while short_index >= 0:
        char = short_text[short_index].lower()
        if not char.isalnum():
            short_index -= 1
            continue
        while long_index >= 0 and (
            long_text[long_index].lower() != char
            or (short_index == 0 and long_index > 0 and long_text[long_index - 1].isalnum())
        ):
            long_index -= 1
        if long_index < 0:
            return short_form, None
        long_index -= 1
        short_index -= 1
    long_index += 1  # char offset of the long form's first character within long_text
    base = long_form_candidate.start_char
    for token in long_form_candidate:
        if token.idx - base + len(token.text) > long_index:
            long_form = long_form_candidate.doc[token.i : long_form_candidate.end]
            return short_form, _initials_extension(long_form_candidate, long_form, short_text) or long_form
    return short_form, None


def _initials_extension(candidate: Span, long_form: Span, short_text: str) -> Span | None:
    """Schwartz & Hearst's shortest match can start inside the name: "self-supervised learning (SSL)" gives
    "supervised learning" (S from "superviSed"). The same end extended up to three tokens to the left within the
    candidate, when that and not the shortest match spells the short form's initials."""
    if spells_initials(short_text, long_form.text):
        return None
    for start in range(long_form.start - 1, max(candidate.start, long_form.start - 3) - 1, -1):
        extended = candidate.doc[start : long_form.end]
        if spells_initials(short_text, extended.text):
            return extended
    return None


def short_form_filter(span: Span) -> bool:
    """A plausible short form: 2-10 characters, starts alphanumeric, has a capital letter, not a number."""
    text = span.text.replace(" ", "")
    if not 2 <= len(text) <= 10 or not text[0].isalnum():
        return False
    if not any(c.isupper() for c in text):
        return False
    return any(c.isalpha() for c in text)


def filter_matches(matches: Iterable[tuple[int, int]], doc: Doc) -> list[tuple[Span, Span]]:
    """(long-form candidate, short form) for each "( SF )" whose inside passes `short_form_filter`.

    `matches` are (start, end) token offsets of the inside of the parentheses. The long-form candidate is
    up to min(|SF| + 5, 2 |SF|) tokens before "(", within the sentence, stopping at an earlier parenthesis.
    """
    pairs = []
    for start, end in matches:
        short = doc[start:end]
        if end - start > 3 or start < 2 or not short_form_filter(short):
            continue
        n_chars = len(short.text.replace(" ", ""))
        max_words = min(n_chars + 5, n_chars * 2)
        lo = max(start - 1 - max_words, doc[start].sent.start if doc.has_annotation("SENT_START") else 0)
        first = start - 1
        while first > lo and doc[first - 1].text not in {"(", ")", ";", ":", "[", "]"}:
            first -= 1
        candidate = doc[first : start - 1]
        if len(candidate):
            pairs.append((candidate, short))
    return pairs


def reverse_definitions(matches: Iterable[tuple[int, int]], doc: Doc) -> list[tuple[Span, Span | None]]:
    """(short form, long form or None) for each "SF ( long form )", the other order Schwartz & Hearst read:
    "CaseHOLD (Case Holdings On Legal Decisions)". The short form is the one word before "(" and passes
    `short_form_filter`; the inside (two words or more, at most min(|SF| + 5, 2 |SF|)) is the long form only
    when all of it spells the short form, from its first word on."""
    pairs: list[tuple[Span, Span | None]] = []
    for start, end in matches:
        if start < 2 or end - start < 2 or doc[start - 2].is_punct:
            continue
        short = doc[start - 2 : start - 1]
        if not short_form_filter(short):
            continue
        n_chars = len(short.text)
        if len([t for t in doc[start:end] if not t.is_punct]) > min(n_chars + 5, n_chars * 2):
            continue
        inside = doc[start:end]
        _, long_form = find_abbreviation(inside, short)
        pairs.append((short, long_form if long_form is not None and long_form.start == start else None))
    return pairs


def _word_parts(doc: Doc, start: int, stop: int) -> list[str]:
    """The parts of the hyphenated word that ends at token `stop` - 1 ("Fine-tuning" → Fine, tuning)."""
    i, parts = stop - 1, [doc[stop - 1].text]
    while (
        i - 2 >= start
        and doc[i - 1].text == "-"
        and not doc[i - 2].whitespace_
        and not doc[i - 1].whitespace_
    ):
        parts.insert(0, doc[i - 2].text)
        i -= 2
    return parts


def title_definition(doc: Doc) -> tuple[Span, Span] | None:
    """(long form, short form) of a title that opens with its name and spells it out after the colon:
    "CLIMB: Curriculum Learning for Infant-inspired Model Building", "HFT: Half Fine-Tuning for Large Language
    Models". The long form is the shortest run of the subtitle's first words that spells the name (Schwartz &
    Hearst, from its first word) and whose last word gives the name's last letter, so it ends on a word of the
    name ("... Model Building", not "... Model"); a subtitle that does not spell the name defines nothing."""
    title_end = title_end_token(doc)
    if title_end is None:
        title_end = len(doc)
    colon = next((token.i for token in doc[: min(title_end, 4)] if token.text == ":"), None)
    if not colon or not short_form_filter(doc[:colon]):
        return None
    short = doc[:colon]
    start = colon + 1
    while start < title_end and doc[start].lower_ in {"a", "an", "the"}:
        start += 1
    last_char = next(c for c in reversed(short.text) if c.isalnum())
    n_chars = len(short.text.replace(" ", ""))
    for stop in range(start + 1, min(title_end, start + 2 * n_chars + 2) + 1):
        if stop < title_end and not doc[stop - 1].whitespace_ and doc[stop].text == "-":
            continue  # "Fine" of "Fine-tuning" is not a word
        parts = _word_parts(doc, start, stop)
        if parts[-1].lower() in HEAD_BOUNDARIES or not any(
            part[:1].lower() == last_char.lower() or (last_char.isupper() and last_char in part[1:])
            for part in parts
        ):
            continue
        _, long_form = find_abbreviation(doc[start:stop], short)
        if long_form is not None and long_form.start == start:
            return long_form, short
    return None


HEAD_BOUNDARIES = frozenset(["for", "with", "via", "of", "in", "on", "using", "by", "from", "to"])


def long_form_head(long_form: Span) -> int:
    """Token index of the head word: the last word before the first preposition, else the last word.
    "Rationale Adaptor for Few-shoT classification" → "Adaptor"."""
    for token in long_form[1:]:
        if token.lower_ in HEAD_BOUNDARIES:
            return token.i - 1
    return long_form.end - 1


# Cue rules that label what follows "we propose" / "called" METHOD for want of anything better: they say a
# name is there, not what it is, so a pair's head word ("... Dialog Understanding": a task) types it first.
GUESSING_RULES = frozenset(["we_propose", "called_name"])


def pair_label(
    long_form: Span,
    short_form: Span,
    labelled: Iterable[Span],
    head_labels: dict[str, str],
    default: str | None,
) -> str | None:
    """The label of a definition, from the first that applies: a labelled span equal to the long form, one
    equal to the short form, one ending at the long form's head word, the label the head word implies
    (`head_labels`), a guessing cue rule's span equal to either form (`GUESSING_RULES`), `default`."""
    head = long_form_head(long_form)
    exact = short = at_head = guessed = None
    for span in labelled:
        same_form = (span.start, span.end) in {
            (long_form.start, long_form.end),
            (short_form.start, short_form.end),
        }
        if span.kb_id_ in GUESSING_RULES:
            if same_form:
                guessed = span.label_
        elif span.start == long_form.start and span.end == long_form.end:
            exact = span.label_
        elif span.start == short_form.start and span.end == short_form.end:
            short = span.label_
        elif span.end == head + 1 and span.start >= long_form.start:
            at_head = span.label_
    return exact or short or at_head or head_labels.get(long_form.doc[head].lower_) or guessed or default


def use_key(text: str) -> str | None:
    """What a later use of a short form shares with its definition, case aside ("DePT" and "DEPT"); None for a
    word with fewer than two capitals ("it" is no use of "IT"). A plural is not the same use: "two other SOTA
    PSMs" after "password strength meter (PSM)" names a class, and the seed papers do not annotate it."""
    return text.casefold() if sum(c.isupper() for c in text) >= 2 else None


def later_uses(doc: Doc, short_forms: dict[str, Span]) -> list[tuple[Span, Span]]:
    """(use, defining short form) for each other occurrence of a defined short form in the paper (`use_key`),
    before its definition too: a title names "CaseHOLD" that the abstract then defines."""
    by_key: dict[str, Span] = {}
    for text, definition in short_forms.items():
        if (key := use_key(text)) is not None:
            by_key.setdefault(key, definition)
    uses = []
    for token in doc:
        definition = short_forms.get(token.text)
        if definition is None and (key := use_key(token.text)) is not None:
            definition = by_key.get(key)
        if definition is not None and not definition.start <= token.i < definition.end:
            uses.append((doc[token.i : token.i + 1], definition))
    return uses


class AbbreviationDetector:
    """Thin glue: finds "( SF )", applies the functions above, stores results on extensions and spans."""

    def __init__(
        self,
        nlp: Language,
        spans_key: str,
        read_keys: list[str],
        head_labels: dict[str, str],
        default_label: str | None,
    ):
        self.spans_key = spans_key
        self.read_keys = read_keys
        self.head_labels = head_labels
        self.default_label = default_label
        self.matcher = Matcher(nlp.vocab)
        # one pass for both orders: "long form ( SF )" reads insides of 1-3 tokens, "SF ( long form )" 2-15
        self.matcher.add(
            "parenthesis", [[{"ORTH": "("}, {"ORTH": {"NOT_IN": ["(", ")"]}, "OP": "{1,15}"}, {"ORTH": ")"}]]
        )

    def __call__(self, doc: Doc) -> Doc:
        inside = [(s + 1, e - 1) for _, s, e in self.matcher(doc)]
        labelled = [span for key in self.read_keys if key in doc.spans for span in doc.spans[key]]
        rows: list[list[int]] = []
        spans: list[Span] = []
        defined: dict[str, tuple[Span, Span]] = {}
        titled = title_definition(doc)
        found = [(titled[1], titled[0])] if titled else []
        for candidate, short in filter_matches(inside, doc):
            found.append(find_abbreviation(candidate, short))
        found.extend(reverse_definitions(inside, doc))
        for short, long_form in found:
            if long_form is None or (len(long_form) < 2 and long_form.text == short.text):
                continue
            label = pair_label(long_form, short, labelled, self.head_labels, self.default_label)
            if label is None:
                continue
            canonical = " ".join(long_form.text.split())
            rows.append([short.start, short.end, long_form.start, long_form.end])
            spans.append(Span(doc, long_form.start, long_form.end, label=label, span_id=canonical))
            spans.append(Span(doc, short.start, short.end, label=label, span_id=canonical))
            if len(short) == 1:
                defined.setdefault(short.text, (spans[-1], long_form))
        definitions = {row[0] for row in rows}
        long_form_at = {short.start: long_form for short, long_form in defined.values()}
        for use, definition in later_uses(doc, {text: pair[0] for text, pair in defined.items()}):
            if use.start in definitions:
                continue
            long_form = long_form_at[definition.start]
            rows.append([use.start, use.end, long_form.start, long_form.end])
            spans.append(Span(doc, use.start, use.end, label=definition.label_, span_id=definition.id_))
        doc.user_data[USER_DATA_KEY] = rows
        doc.spans[self.spans_key] = spans
        return doc


@Language.factory(
    "paperkg_abbreviations",
    default_config={
        "spans_key": "paperkg_abbreviations",
        "read_keys": ["paperkg_lexicon", "paperkg_rules"],
        "heads": "patterns/long_form_heads.jsonl",
        "default_label": "METHOD",
    },
)
def make_abbreviation_detector(
    nlp: Language, name: str, spans_key: str, read_keys: list[str], heads: str, default_label: str | None
) -> AbbreviationDetector:
    """Abbreviation definitions typed by the lexicon/rule spans they overlap or by their head word."""
    head_labels = {row["head"]: row["label"] for row in read_jsonl([heads])}
    return AbbreviationDetector(nlp, spans_key, read_keys, head_labels, default_label or None)
