"""Entity resolution: one thing, one node.

Pure functions over names and entities; `paperkg.graph.resolution.apply_resolution` applies them to a store.

- `resolution_key`: the spelling-insensitive key (`entity_key` plus quotes, unicode dashes, a generic head and a
  plural folded away), so "GPT-4" = "GPT4" = "gpt 4" and "LLaMA 2" = "Llama-2" = "LLaMA–2".
- `abbreviation_of`: a short form against a long form, after Schwartz & Hearst, "A Simple Algorithm for
  Identifying Abbreviation Definitions in Biomedical Text" (PSB 2003), in a strict variant (every content word of
  the long form gives the next letter of the short form) and the original relaxed one (for pairs a paper recorded).
- `same_entity`: the pairwise decision that the labelled set in `tests/data/alias_pairs.jsonl` measures.
- `family_of` / `variant_ancestors`: size/checkpoint variants ("LLaMA-2-70B" → "LLaMA-2").
- `plan_merges` / `plan_variants`: graph-wide plans, blocked by key, never all pairs.

Boundary rules (each detailed in its function's docstring):
versions and sizes are never merged (GPT-3 ≠ GPT-3.5 ≠ GPT-4, LLaMA ≠ LLaMA-2, ResNet-50 ≠ ResNet-101,
CIFAR-10 ≠ CIFAR-100, ImageNet ≠ ImageNet-1k: the latter are linked by VARIANT_OF instead); a name is never merged
with a longer name that contains it (BERT ≠ RoBERTa ≠ ALBERT, T5 ≠ mT5 ≠ Flan-T5, OPT ≠ OPT-IML) unless all
that differs is a generic head or a plural ("BERT model", "LLMs").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from functools import cache, lru_cache
from importlib.resources import files

from paperkg.graph.schema import Entity, EntityType, Evidence, Relation, RelationType, entity_key  # noqa: F401 - doctests use Evidence

LEXICON = "lexicons/resolution.jsonl"
# Tie-break for cross-type merges: Model, Method, Dataset, Benchmark, Task, Metric.
TYPE_ORDER = tuple(EntityType)

_DROPPED_CHARS = "\"'`´‘’‚‛“”„‟«»‹›\u200b\u200c\u200d\u00ad\u2060\ufeff"
_DASH_CHARS = "\u00b7\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"  # and DALL·E's dot
_CLEAN = str.maketrans({**dict.fromkeys(_DROPPED_CHARS), **dict.fromkeys(_DASH_CHARS, "-")})
_EDGE_PUNCT = " .,;:()[]{}"
_POSSESSIVE = re.compile(r"['’]s$")
_WORD_SEP = re.compile(r"[\s\-_/]+")
_DIGIT_GAP = re.compile(r"(?<=\d)[\s\-_/]+(?=\d)")  # "Llama 2 70B" must not collide with "Llama 270B"
_NAME_SHAPED = re.compile(r".[A-Z]|\d")  # BERT, ImageNet, GSM8K, mT5; not "Pile", "diffusion"
_LAST_WORD = re.compile(r"[A-Za-z]+$")
_NOT_PLURAL = ("ss", "us", "is", "as", "ics", "news", "series", "species")


@cache
def lexicon() -> dict[str, frozenset[str]]:
    """Word lists of `extract/lexicons/resolution.jsonl` by kind (casefolded)."""
    kinds: dict[str, set[str]] = defaultdict(set)
    text = files("paperkg.extract").joinpath(LEXICON).read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip():
            row = json.loads(line)
            kinds[row["kind"]].add(row["text"].casefold())
    return {kind: frozenset(words) for kind, words in kinds.items()}


# --- keys ----------------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def clean_name(name: str) -> str:
    """NFKC, a possessive "'s" dropped, quotes and invisible characters dropped, unicode dashes → "-", a leading
    "the" dropped.

    >>> clean_name("  “The Pile” "), clean_name("GPT-3's")
    ('Pile', 'GPT-3')
    """
    text = _POSSESSIVE.sub("", unicodedata.normalize("NFKC", name)).translate(_CLEAN)
    text = " ".join(text.split()).strip(_EDGE_PUNCT)
    if text[:4].casefold() == "the " and len(text) > 4:
        text = text[4:]
    return text


def strip_generic_head(name: str) -> str:
    """Drop a trailing generic head ("model", "dataset", "benchmark", "score", …) that is not part of the name.

    Only when the rest is name-shaped: lower-case head after a token with an inner capital or a digit
    ("GSM8K benchmark", "the BERT model", "F1 score"), or any head after a lone acronym ("GLUE Benchmark").
    Title-case heads of multi-word names stay ("Segment Anything Model", "Stanford Question Answering Dataset"),
    and so do heads of plain phrases ("language model", "diffusion model").

    >>> [strip_generic_head(n) for n in ("GSM8K benchmark", "GLUE Benchmark", "language model", "OPT-IML Bench")]
    ['GSM8K', 'GLUE', 'language model', 'OPT-IML Bench']
    """
    words = name.split(" ")
    if len(words) < 2 or words[-1].casefold() not in lexicon()["generic_head"]:
        return name
    head, rest = words[-1], words[:-1]
    if (head.islower() and any(_NAME_SHAPED.search(w) for w in rest)) or (
        len(rest) == 1 and looks_like_acronym(rest[0])
    ):
        return " ".join(rest)
    return name


def singular(name: str) -> str:
    """Fold a plural last word: "Large Language Models", "LLMs", "ResNets", "Transformers".

    >>> [singular(n) for n in ("Graph Neural Networks", "LLMs", "ResNets", "Atlas", "AG News", "GPT-3")]
    ['Graph Neural Network', 'LLM', 'ResNet', 'Atlas', 'AG News', 'GPT-3']
    """
    match = _LAST_WORD.search(name)
    if not match or not name.endswith("s"):
        return name
    word = match.group()
    if word.casefold().endswith(_NOT_PLURAL) or len(word) < 3:
        return name
    stem = word[:-1]
    if stem.isupper() or sum(c.isupper() for c in stem) >= 2:  # LLMs, GNNs, ResNets, ViTs
        return name[:-1]
    if (word.islower() or word.istitle()) and len(word) >= 4:
        return name[:-3] + "y" if word.endswith("ies") and len(word) > 4 else name[:-1]
    return name


@lru_cache(maxsize=1 << 16)
def resolution_key(name: str) -> str:
    """The key two spellings of one thing share (`entity_key` after `clean_name`, head and plural folding).

    >>> {resolution_key(n) for n in ("LLaMA 2", "Llama-2", "LLaMA–2", "llama2")}
    {'llama2'}
    >>> resolution_key("Llama 2 70B") == resolution_key("Llama 270B")
    False
    """
    text = singular(strip_generic_head(clean_name(name)))
    return entity_key(_DIGIT_GAP.sub("|", text))


# --- abbreviations -------------------------------------------------------------------------------


def looks_like_acronym(text: str) -> bool:
    """One token, at least half capitals or digits: LoRA, RLHF, ViT, GPT-4, mT5, LLMs; not ImageNet, Llama2.

    >>> [looks_like_acronym(t) for t in ("LoRA", "RoBERTa", "mT5", "ImageNet", "Low-Rank", "BIG-Bench")]
    [True, True, True, False, False, True]
    """
    if " " in text:
        return False
    chars = [c for c in text if c.isalnum()]
    strong = sum(c.isupper() or c.isdigit() for c in chars)
    return (
        2 <= len(chars) <= 12 and strong >= 2 and 2 * strong >= len(chars) and any(c.isalpha() for c in chars)
    )


def looks_like_long_form(text: str) -> bool:
    """Two or more words, at least one of them a plain word: "Low-Rank Adaptation", "chain-of-thought".

    >>> [looks_like_long_form(t) for t in ("Low-Rank Adaptation", "multilingual T5", "GPT-3.5", "LLaMA-2-70B")]
    [True, True, False, False]
    """
    words = [w for w in _WORD_SEP.split(text) if w]
    plain = [w for w in words if w.isalpha() and len(w) >= 2 and not looks_like_acronym(w)]
    if " " not in text:  # one hyphenated compound: only plain words ("text-to-speech", not "Flan-T5-XL")
        return len(words) >= 2 and len(plain) == len(words)
    return len(words) >= 2 and bool(plain)


def _short_letters(short: str) -> str:
    """The letters an acronym spells: "LLMs" → "llm"; "C4"/"T5" (a letter repeated) → "cccc"/"ttttt"."""
    chars = "".join(c for c in short if c.isalnum())
    if len(chars) == 2 and chars[0].isupper() and chars[1] in "23456789":
        return chars[0].casefold() * int(chars[1])
    if len(chars) > 2 and chars.endswith("s") and chars[:-1].isupper():
        chars = chars[:-1]
    return chars.casefold()


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def _initials_match(letters: str, words: tuple[str, ...], stopwords: frozenset[str]) -> bool:
    """Strict Schwartz–Hearst: each non-stopword gives the next letter by its initial, then maybe more
    letters from inside it (LoRA ← Low-Rank Adaptation); stopwords may give a letter or none."""
    size = len(letters)

    @cache
    def match(i: int, w: int) -> bool:
        if w == len(words):
            return i == size
        word = words[w]
        if word in stopwords and match(i, w + 1):
            return True
        if i == size or word[0] != letters[i]:
            return False
        j, pos = i + 1, 1
        while True:
            if match(j, w + 1):
                return True
            if j == size or (pos := word.find(letters[j], pos)) < 0:
                return False
            j, pos = j + 1, pos + 1

    return match(0, 0)


def _relaxed_match(letters: str, long: str) -> bool:
    """Original Schwartz–Hearst: letters appear right to left in the long form, the first at a word start."""
    pos = len(long)
    for k in range(len(letters) - 1, -1, -1):
        while True:
            pos = long.rfind(letters[k], 0, pos)
            if pos < 0:
                return False
            if k > 0 or pos == 0 or not long[pos - 1].isalnum():
                break
    return True


def abbreviation_of(short: str, long: str, *, strict: bool = True) -> bool:
    """True when `short` abbreviates `long`: "LoRA" ↔ "Low-Rank Adaptation", "RLHF" ↔ "Reinforcement Learning
    from Human Feedback", "T5" ↔ "Text-to-Text Transfer Transformer".

    `short` must look like an acronym and `long` like a long form that does not contain `short` as a word
    (so "BERT" never abbreviates "BERT-base" or "BERT model"), with the same digits in the same order, and with
    at most `len + 5` words (Schwartz–Hearst).
    `strict=False` is the original, looser alignment, for pairs a paper itself defined.

    >>> abbreviation_of("LoRA", "Low-Rank Adaptation"), abbreviation_of("GAN", "Low-Rank Adaptation")
    (True, False)
    """
    short, long = clean_name(short), strip_generic_head(clean_name(long))
    if not looks_like_acronym(short) or not looks_like_long_form(long):
        return False
    letters = _short_letters(short)
    words = tuple(w.casefold() for w in long.split(" ") if any(c.isalnum() for c in w))
    short_key, long_key = entity_key(singular(short)), entity_key(long)
    # BERT vs BERT-base, BIG-Bench vs BIG-Bench Hard
    if short_key in long_key or len(words) > len(letters) + 5:
        return False
    if _digits(letters) != _digits(long):  # Llama-3-8B vs Llama 3.1 8B
        return False
    if strict:
        return _initials_match(letters, words, lexicon()["stopword"])
    return _relaxed_match(letters, " ".join(words))


def _without_shared_tail(a: str, b: str) -> tuple[str, str]:
    """ "CoT prompting", "chain-of-thought prompting" → "CoT", "chain-of-thought"."""
    wa, wb = a.split(" "), b.split(" ")
    while len(wa) > 1 and len(wb) > 1 and wa[-1].casefold() == wb[-1].casefold():
        wa, wb = wa[:-1], wb[:-1]
    return " ".join(wa), " ".join(wb)


def same_entity(a: str, b: str) -> bool:
    """Whether two names denote one entity: same `resolution_key`, or one abbreviates the other (strict).

    >>> same_entity("GPT-4", "gpt 4"), same_entity("LoRA", "Low-Rank Adaptation")
    (True, True)
    >>> same_entity("BERT", "RoBERTa"), same_entity("GPT-3", "GPT-3.5"), same_entity("LLaMA", "LLaMA-2")
    (False, False, False)
    """
    key_a, key_b = resolution_key(a), resolution_key(b)
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    a, b = _without_shared_tail(clean_name(a), clean_name(b))
    return abbreviation_of(a, b) or abbreviation_of(b, a)


# --- variants ------------------------------------------------------------------------------------

_SIZE = re.compile(r"^(\d+(\.\d+)?|\d+x\d+(\.\d+)?)[bmkt]$|^[sblhg]/\d+$", re.IGNORECASE)
_DATE_CODE = re.compile(r"^(0[1-9]|1[0-2])\d\d$")  # gpt-4-0613, gpt-3.5-turbo-1106
_VERSION_TAG = re.compile(r"^v\d+(\.\d+)*$", re.IGNORECASE)
_PART = re.compile(r"[^\s\-_]+")


def _is_tail(part: str) -> bool:
    word = part.casefold()
    words = lexicon()
    return bool(
        _SIZE.match(part)
        or _DATE_CODE.match(part)
        or word in words["size_word"]
        or word in words["tuning_word"]
    )


def _depth_family(name: str) -> str | None:
    """ "ResNet-50" → "ResNet", "EfficientNet-B7" → "EfficientNet": families whose number is a depth."""
    match = re.match(r"^([A-Za-z]+)[\s\-_]?(\d+|[Bb]\d)([\s\-_]\d+)*$", name)
    if match and match.group(1).casefold() in lexicon()["depth_family"]:
        return match.group(1)
    return None


def variant_ancestors(name: str) -> list[str]:
    """Families of a size/checkpoint variant, nearest first, by stripping tails from the right.

    Tails: sizes (70B, 1.3B, 8x7B, 400M, 1k, 16k, B/16), size words (base, large, XXL, mini, ViT-L's "L"),
    checkpoint words (Instruct, chat, turbo, it, hf, uncased), date codes (0613) and a version tag after another
    tail (Instruct-v0.2). A version number is part of the family (GPT-4, LLaMA-2, Qwen2.5, CIFAR-10), except for
    depth families (ResNet-50, VGG-16).

    >>> variant_ancestors("LLaMA-2-70B-chat")
    ['LLaMA-2-70B', 'LLaMA-2']
    """
    text = clean_name(name)
    parts = list(_PART.finditer(text))
    ancestors: list[str] = []
    while len(parts) > 1:
        last = parts[-1].group()
        version_after_tail = _VERSION_TAG.match(last) and _is_tail(parts[-2].group())
        if not (_is_tail(last) or version_after_tail):
            break
        parts.pop()
        if any(c.isalpha() for c in text[: parts[-1].end()]):
            ancestors.append(text[: parts[-1].end()])
    base = ancestors[-1] if ancestors else text
    if depth := _depth_family(base):
        ancestors.append(depth)
    return ancestors


def family_of(name: str) -> str | None:
    """The family a size/version variant belongs to, or None for names that are not variants.

    >>> [family_of(n) for n in ("Qwen2.5-7B-Instruct", "GPT-3.5-turbo", "OPT-IML 175B", "GPT-4", "RoBERTa")]
    ['Qwen2.5', 'GPT-3.5', 'OPT-IML', None, None]
    """
    ancestors = variant_ancestors(name)
    return ancestors[-1] if ancestors else None


# --- plans over a graph's entities ---------------------------------------------------------------


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        parent = self.parent.setdefault(item, item)
        if parent != item:
            parent = self.parent[item] = self.find(parent)
        return parent

    def union(self, a: str, b: str) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)

    def groups(self) -> list[list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        for item in sorted(self.parent):
            members[self.find(item)].append(item)
        return list(members.values())


def merge_spellings(entity: Entity) -> list[str]:
    """Name and the aliases trusted for merging: same key, or an abbreviation pair with the name (relaxed
    Schwartz–Hearst, since a paper recorded it). Other aliases stay on the entity but never merge it.

    An acronym that papers define differently ("CL": continual learning in one, curriculum learning in
    another) is ambiguous: none of its long forms is trusted, so it joins neither and they stay apart.

    >>> merge_spellings(Entity(id="method:cl", type="Method", name="CL",
    ...                        aliases=("continual learning", "curriculum learning")))
    ['CL']
    >>> merge_spellings(Entity(id="method:lora", type="Method", name="LoRA", aliases=("Low-Rank Adaptation",)))
    ['LoRA', 'Low-Rank Adaptation']
    """
    spellings = [entity.name]
    name_key = resolution_key(entity.name)
    for alias in entity.aliases:
        if resolution_key(alias) == name_key:
            spellings.append(alias)
    if not _ambiguous_acronym(entity):
        spellings.extend(a for a in entity.aliases if _recorded_pair(entity.name, a) and a not in spellings)
    return spellings


def _ambiguous_acronym(entity: Entity) -> bool:
    """Papers recorded long forms for this acronym that are not spellings of one another ("CL": continual
    learning, curriculum learning)."""
    return things_named(a for a in entity.aliases if _recorded_pair(entity.name, a)) > 1


def same_long_form(a: str, b: str) -> bool:
    """Two long forms of one acronym that name one thing: their content words (no stopwords, hyphen parts apart)
    agree in order on their first four letters, the longer having at most one word more or the shorter (two
    words or more) being its start.

    >>> same_long_form("learning from human feedback", "Learning through Human Feedback")
    True
    >>> same_long_form("Continual Pre-Training", "continued pre-training"), same_long_form("NER", "NER")
    (True, False)
    >>> same_long_form("continual learning", "curriculum learning")
    False
    >>> same_long_form("dense retrieval", "domain randomization")
    False
    >>> same_long_form("localized fine-tuning", "Localized Fine-Tuning on LLM Representations")
    True
    """
    stop = lexicon()["stopword"]

    def content(text: str) -> list[str]:
        return [
            w for w in _WORD_SEP.split(clean_name(text).casefold().replace(" ", "-")) if w and w not in stop
        ]

    def agree(x: list[str], y: list[str]) -> bool:
        return all(u[:4] == v[:4] for u, v in zip(x, y, strict=True))

    short, long = sorted((content(a), content(b)), key=len)
    if len(short) >= 2 and agree(short, long[: len(short)]):
        return True  # the title's full name and the abstract's start of it: "localized fine-tuning" (LoFiT)
    if len(short) < 2 or len(long) - len(short) > 1:
        return False
    if len(long) == len(short):
        return agree(short, long)
    return any(agree(short, long[:i] + long[i + 1 :]) for i in range(len(long)))


def recorded_pairs(spellings: Iterable[str]) -> list[tuple[str, str]]:
    """(acronym, long form) pairs among one entity's spellings that a paper could have recorded (relaxed
    Schwartz–Hearst): "LoRA" and "Low-Rank Adaptation"."""
    spellings = list(spellings)
    if len(spellings) < 2:
        return []
    shorts = [s for s in spellings if looks_like_acronym(clean_name(s))]
    return [(short, s) for s in spellings if s not in shorts for short in shorts if _recorded_pair(short, s)]


def recorded_long_forms(entity: Entity) -> list[str]:
    """The entity's spellings that pair with one of its acronym spellings as a long form ("Low-Rank Adaptation"
    beside "LoRA")."""
    longs = {long for _, long in recorded_pairs((entity.name, *entity.aliases))}
    return [s for s in (entity.name, *entity.aliases) if s in longs]


def things_named(long_forms: Iterable[str]) -> int:
    """How many different things `long_forms` name: groups of `same_long_form` spellings."""
    groups: list[str] = []
    for long in sorted(set(long_forms)):
        if not any(resolution_key(long) == resolution_key(g) or same_long_form(long, g) for g in groups):
            groups.append(long)
    return len(groups)


def _recorded_pair(a: str, b: str) -> bool:
    return abbreviation_of(a, b, strict=False) or abbreviation_of(b, a, strict=False)


def _survivor(members: list[Entity], paper_counts: Mapping[str, int]) -> Entity:
    """Type with most papers (ties: `TYPE_ORDER`), then the shortest id of that type (an acronym's, which is
    what papers write most), the least on a tie.

    Within a type the survivor depends on ids alone, never on counts: counts after a merge are the merged
    entity's, so a count-based pick would depend on which papers an earlier build had already merged, and
    building B then A would keep another id than building A and B at once.
    """
    by_type: dict[EntityType, int] = defaultdict(int)
    for entity in members:
        by_type[entity.type] += paper_counts.get(entity.id, 0)
    best_type = min(by_type, key=lambda t: (-by_type[t], TYPE_ORDER.index(t)))
    return min((e for e in members if e.type is best_type), key=lambda e: (len(e.id), e.id))


def _acronym_signatures(long: str) -> set[str]:
    """Blocking keys of a long form: initials of its words, with and without stopwords and hyphen parts."""
    stop = lexicon()["stopword"]
    words = [w for w in clean_name(long).casefold().split(" ") if w[:1].isalnum()]
    signatures = set()
    for with_parts in (False, True):
        pieces = [p for w in words for p in (_WORD_SEP.split(w) if with_parts else [w]) if p]
        signatures.add("".join(p[0] for p in pieces))
        signatures.add("".join(p[0] for p in pieces if p not in stop))
    return signatures


def spells_initials(short: str, long: str) -> bool:
    """`short` is the initials of `long`'s words or hyphen parts, stopwords counted or not: SSL for
    "self-supervised learning", LLP for "Learning from Label Proportions"; not SSL for "supervised learning".

    >>> spells_initials("SSL", "self-supervised learning"), spells_initials("SSL", "supervised learning")
    (True, False)
    """
    return _short_letters(clean_name(short)) in _acronym_signatures(long)


def _strong_letters(short: str) -> str:
    return "".join(c for c in short if c.isupper() or c.isdigit()).casefold()


def plan_merges(entities: Iterable[Entity], paper_counts: Mapping[str, int]) -> dict[str, str]:
    """Which entity merges into which: `{merged id: surviving id}`, deterministic whatever the input order.

    1. Union by `resolution_key` over names and trusted aliases (`merge_spellings`), across types, so every
       long form a paper recorded next to its acronym maps the acronym's entity corpus-wide; an acronym whose
       recorded long forms name different things joins nothing (`_contested_acronyms`).
    2. An acronym and a long form no paper paired are merged only within one type, only when the acronym's group
       has no long form yet, the long form's group no acronym, and exactly one candidate matches (strict rule).
    The survivor is chosen by `_survivor`. Linear in the number of spellings: blocked by key and initials.
    """
    by_id = {e.id: e for e in sorted(entities, key=lambda e: e.id)}
    union = _UnionFind()
    spellings = {entity_id: merge_spellings(entity) for entity_id, entity in by_id.items()}
    contested = _contested_acronyms(spellings.values())
    defined = _defined_by_key(spellings)
    first_with_key: dict[str, str] = {}
    for entity_id, entity_spellings in spellings.items():
        union.find(entity_id)
        for spelling in entity_spellings:
            if not (key := resolution_key(spelling)) or key in contested:
                continue
            if key in defined and _letters_as_written(spelling) in defined[key][1]:
                union.union(defined[key][0], entity_id)
            else:  # a bare spelling no definition writes this way: joins the others like it only
                union.union(first_with_key.setdefault(key, entity_id), entity_id)
    _merge_unrecorded_acronyms(by_id, spellings, union)
    plan: dict[str, str] = {}
    for group in union.groups():
        if len(group) > 1:
            survivor = _survivor([by_id[i] for i in group], paper_counts).id
            plan.update({i: survivor for i in group if i != survivor})
    return plan


def _letters_as_written(spelling: str) -> str:
    return "".join(c for c in singular(clean_name(spelling)) if c.isalnum())


def _defined_by_key(spellings: Mapping[str, list[str]]) -> dict[str, tuple[str, set[str]]]:
    """For each key of an acronym a paper defined: the first entity defining it and the letters it is written
    with (case kept, plural folded). An acronym joins a bare name of its key only when written the same way:
    "Cross-action Modeling (CoCo)" does not take the COCO dataset, while LoRA defined in one paper and written
    bare in another is one thing."""
    found: dict[str, tuple[str, set[str]]] = {}
    for entity_id, entity_spellings in spellings.items():
        for spelling, _ in recorded_pairs(entity_spellings):
            if key := resolution_key(spelling):
                found.setdefault(key, (entity_id, set()))[1].add(_letters_as_written(spelling))
    return found


def _contested_acronyms(spellings: Iterable[list[str]]) -> set[str]:
    """Keys of acronyms that entities spell beside long forms naming different things ("DR": dense retrieval in
    one paper, domain randomization in another): such an acronym joins nothing."""
    long_forms: dict[str, list[str]] = defaultdict(list)
    for entity_spellings in spellings:
        longs = [s for s in entity_spellings if looks_like_long_form(clean_name(s))]
        for short in entity_spellings:
            if longs and looks_like_acronym(clean_name(short)):
                long_forms[resolution_key(short)].extend(longs)
    return {key for key, longs in long_forms.items() if things_named(longs) > 1}


def _merge_unrecorded_acronyms(
    by_id: Mapping[str, Entity], spellings: Mapping[str, list[str]], union: _UnionFind
) -> None:
    groups = defaultdict(list)
    for entity_id in by_id:
        groups[union.find(entity_id)].append(entity_id)
    acronyms: dict[tuple[EntityType, str], list[tuple[str, str]]] = defaultdict(list)
    long_forms: list[tuple[str, str]] = []
    for root, members in groups.items():
        if any(_ambiguous_acronym(by_id[m]) for m in members):
            continue  # papers define it differently: it joins no long form
        names = [s for m in members for s in spellings[m]]
        shorts = [s for s in names if looks_like_acronym(clean_name(s))]
        longs = [s for s in names if looks_like_long_form(clean_name(s))]
        types = {by_id[m].type for m in members}
        if len(types) != 1:
            continue
        if shorts and not longs:
            for short in shorts:
                acronyms[(next(iter(types)), _strong_letters(clean_name(short)))].append((root, short))
        elif longs and not shorts:
            long_forms.extend((root, long) for long in longs)
    candidates: dict[str, set[str]] = defaultdict(set)  # acronym group → long-form groups
    takers: dict[str, set[str]] = defaultdict(set)  # long-form group → acronym groups
    for root, long in long_forms:
        entity_type = by_id[root].type
        for signature in _acronym_signatures(long):
            for short_root, short in acronyms.get((entity_type, signature), ()):
                if abbreviation_of(short, long):
                    candidates[short_root].add(root)
                    takers[root].add(short_root)
    for short_root, roots in sorted(candidates.items()):
        if len(roots) == 1 and len(takers[next(iter(roots))]) == 1:
            union.union(short_root, next(iter(roots)))


def written_spellings(entities: Iterable[Entity], relations: Iterable[Relation]) -> dict[str, Counter]:
    """`{entity id: Counter(spelling)}`: how many papers write each spelling of an entity mid-sentence in an
    abstract, read from its MENTIONS evidence (a spelling of the mention's length found in the evidence sentence;
    titles, which have no closing full stop, and a sentence's first word, capitalised by grammar, do not count).

    >>> lora = Entity(id="method:lora", type="Method", name="LoRA", aliases=("lora",))
    >>> said = Evidence(sentence="We tune with LoRA.", start=13, end=17)
    >>> written_spellings([lora], [Relation(source_id="p", target_id="method:lora", type="MENTIONS",
    ...                                     evidence=(said,))])
    {'method:lora': Counter({'LoRA': 1})}
    """
    spellings = {entity.id: (entity.name, *entity.aliases) for entity in entities}
    counts: dict[str, Counter] = defaultdict(Counter)
    for relation in relations:
        if relation.type is not RelationType.MENTIONS or relation.target_id not in spellings:
            continue
        in_paper = set()
        for evidence in relation.evidence:
            sentence = evidence.sentence.strip()
            if not sentence.endswith((".", "!", "?")):
                continue
            length = evidence.end - evidence.start
            found = [
                s
                for s in spellings[relation.target_id]
                if len(s) == length and s in sentence and not sentence.startswith(s)
            ]
            if len(found) == 1:
                in_paper.add(found[0])
        counts[relation.target_id].update(in_paper)
    return {entity_id: count for entity_id, count in counts.items() if count}


def canonical_name(entity_id: str, spellings: Iterable[str], written: Mapping[str, int] | None = None) -> str:
    """The name an entity shows, from its spellings and how often papers write each (`written`, see
    `written_spellings`), never from the order papers were read in: among the spellings of its id (same
    `entity_key`; all of them when none is) and the long forms that spell the same words (`same_long_form`:
    "named entity recognition" for an id made from "name entity recognition"), the one most papers
    write, then the first in case-folded order with spaces read as hyphens, then the one with fewer spaces, then
    capitals first; an acronym gives way to its long form (an alias it abbreviates) when more papers write that;
    and of the spellings with that one's letters, the one that writes the most breaks out (`written_out`:
    "fine-tuning", not "finetuning"; "Llama-2", not "Llama2").

    >>> canonical_name("model:gpt4", ["gpt 4", "GPT-4", "gpt4"]), canonical_name("method:lora", ["LoRA", "lora"])
    ('GPT-4', 'LoRA')
    >>> canonical_name("method:incontextlearning", ["In-Context Learning", "in-context learning"],
    ...                {"in-context learning": 3})
    'in-context learning'
    >>> canonical_name("task:qa", ["QA", "question answering", "question-answering"],
    ...                {"QA": 4, "question answering": 8, "question-answering": 3})
    'question answering'
    """
    spellings = set(spellings)
    written = written or {}
    key = entity_id.partition(":")[2]
    own = [s for s in spellings if entity_key(s) == key] or spellings
    own += [s for s in spellings - set(own) if any(same_long_form(s, o) for o in own)]

    by_letters = Counter()
    for s in set(own):
        by_letters[_letters(s)] += written.get(s, 0)

    def preference(s: str) -> tuple:
        return (-written.get(s, 0), s.casefold().replace(" ", "-"), s.count(" "), s)

    # the spelling most papers write, its case and hyphen variants counted together ("named entity recognition"
    # and "Named-Entity Recognition" outnumber one paper's "name entity recognition")
    best = min(own, key=lambda s: (-by_letters[_letters(s)], preference(s)))
    candidates, letters = own, _letters(best)
    # an acronym gives way to its long form where more papers write that: "question answering", not "QA"
    long_forms = Counter()
    if looks_like_acronym(best):
        for s in spellings - set(own):
            if abbreviation_of(best, s, strict=False):
                long_forms[_letters(s)] += written.get(s, 0)
    if long_forms and max(long_forms.values()) > by_letters[letters]:
        candidates, letters = list(spellings), min(long_forms, key=lambda k: (-long_forms[k], k))
    same_letters = [s for s in candidates if _letters(s) == letters]
    return min(same_letters, key=lambda s: (-written_out(s), preference(s)))


def _letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


_BREAK = re.compile(r"(?<=[^\W_])[ -](?=[^\W_])")


def written_out(spelling: str) -> int:
    """How many breaks a spelling writes out: spaces and hyphens between letters or digits. Among spellings of
    the same letters, the name shows the most: "fine-tuning", not "finetuning"; "Llama-2", not "Llama2".

    >>> [written_out(s) for s in ("fine-tuning", "finetuning", "LLaMA-2", "Llama2", "instruction tuning")]
    [1, 0, 1, 0, 1]
    """
    return len(_BREAK.findall(spelling))


def plan_names(
    entities: Iterable[Entity], written: Mapping[str, Mapping[str, int]] | None = None
) -> dict[str, str]:
    """`{entity id: canonical name}` for each entity whose name is not its `canonical_name` yet; `written`: the
    spellings' counts per entity id (`written_spellings`)."""
    written = written or {}
    names = {}
    for entity in entities:
        name = canonical_name(entity.id, (entity.name, *entity.aliases), written.get(entity.id))
        if name != entity.name:
            names[entity.id] = name
    return names


def plan_variants(entities: Iterable[Entity]) -> list[Relation]:
    """VARIANT_OF from each size/checkpoint variant to its nearest family entity of the same type, when that
    family is in the graph (by name or alias); nothing is created otherwise. Sorted, so deterministic."""
    entities = sorted(entities, key=lambda e: e.id)
    family_ids: dict[tuple[EntityType, str], str] = {}
    for entity in entities:
        for spelling in (entity.name, *entity.aliases):
            family_ids.setdefault((entity.type, resolution_key(spelling)), entity.id)
    relations = []
    for entity in entities:
        for ancestor in variant_ancestors(entity.name):
            target = family_ids.get((entity.type, resolution_key(ancestor)))
            if target and target != entity.id:
                relations.append(
                    Relation(source_id=entity.id, target_id=target, type=RelationType.VARIANT_OF)
                )
                break
    return relations
