"""Clitic-aware lexicon matching: one Aho-Corasick automaton over normalised forms.

Why this shape: analysts edit plain word lists in `config/topics.toml` and
`config/entities.toml`; they should not have to list every spelling a news site may use.
Arabic glues conjunctions, prepositions and the article to the front of a word (وبالقيود) and
gender, number and pronouns to its end (قيوداً، صينية، شريحتين); English inflects (bans, banned,
pricing). So each entry is searched as a *substring* of the normalised text with one
automaton pass, and a hit is kept only when what surrounds it inside the same word is an
allowed affix: a proclitic chain in front (و، ف، ب، ك، ل، ال، لل …), an allowed suffix behind.

Entry syntax (in any `terms` list):

    قيود            a noun/adjective: clitics in front, gender/number/pronoun endings behind
    =ين             exact word only, no affixes (for short, ambiguous words)
    tariff*         any ending (tariff, tariffs, tariffed …); also works for Arabic stems
    "export control"  several words; an inner Arabic word also matches with/without ال

Arabic *verbs* go in a separate `verbs` list: they also accept imperfect prefixes (يحظر،
تحظر، ستحظر) and past-tense endings (حظرت، حظروا). Nouns do not, so that "سهم" (a share)
never matches "يسهم" (contributes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import ahocorasick

from extractors.core.arabic import (
    ENGLISH_SUFFIXES,
    NOUN_PREFIXES,
    NOUN_SUFFIXES,
    VERB_PREFIXES,
    VERB_SUFFIXES,
    normalize,
)
from extractors.core.errors import ConfigError

ANY = None  # suffix set meaning "any ending" (entries written with a trailing *)
_EMPTY = frozenset({""})
_LATIN = re.compile(r"[a-z]")
# Suffixes allowed after a ta-marbuta stem once the final ه is cut (شريحه → شريحتين، تكلفتها).
_TA_SUFFIXES = frozenset(s for s in NOUN_SUFFIXES if s[:1] in ("ه", "ت") or s.startswith("ات"))
_E_SUFFIXES = frozenset({"e", "es", "ed", "ing", "er", "ers", "ion", "ions", "e's"})
_Y_SUFFIXES = frozenset({"ies", "ied", "ier", "iest"})
# Pronouns after a defective verb's past form (محتها، هوت)
_DEFECTIVE_SUFFIXES = frozenset({"", "ه", "ها", "هم", "هما"})
# The word around a hit: letters, digits and apostrophes (Nvidia's). A longer run before the hit
# than any proclitic chain is cut at _MAX_PREFIX + 1 characters and then fails the prefix check.
_MAX_PREFIX = 5
# at most this many (form, prefix, suffix) verdicts are remembered (bounded memory on odd text)
_MAX_MEMO = 200_000
_TAIL = re.compile(r"[\w'’]*$")
_HEAD = re.compile(r"[\w'’]*")


@dataclass(frozen=True, slots=True)
class _Key:
    """One searchable form of an entry and what may surround it."""

    group: int
    length: int
    prefixes: frozenset[str] | None  # None = a raw substring: no boundary checks at all
    suffixes: frozenset[str] | None  # None = any ending
    english: bool


# A lexicon group found in the normalised text at [start, end): (group, start, end).
# A plain tuple, because the tagger makes thousands of them per second.
Hit = tuple[str, int, int]


class Matcher:
    """Finds lexicon groups in normalised text; built once, used for every article."""

    def __init__(
        self,
        groups: Mapping[str, tuple[Sequence[str], Sequence[str]]],
        raw: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        """`groups` maps a group name to (noun/English terms, Arabic verb terms); `raw` maps
        a group name to substrings found anywhere, without word-boundary checks."""
        raw = raw or {}
        self.names: list[str] = [*groups, *raw]
        self._auto = ahocorasick.Automaton()
        table: dict[str, list[_Key]] = {}
        for gi, name in enumerate(groups):
            terms, verbs = groups[name]
            for term in terms:
                for form, key in _compile_term(gi, term, name, verb=False):
                    table.setdefault(form, []).append(key)
            for term in verbs:
                for form, key in _compile_term(gi, term, name, verb=True):
                    table.setdefault(form, []).append(key)
        for gi, name in enumerate(self.names[len(groups):], start=len(groups)):
            for term in raw[name]:
                table.setdefault(term, []).append(_Key(gi, len(term), None, None, False))
        # Every key of one form has that form's length, so a candidate's prefix and suffix are
        # computed once, and which groups accept them depends only on (form, prefix, suffix):
        # `_accepted` memoises that (a few thousand combinations; whole articles repeat them).
        self._keys: list[tuple[_Key, ...]] = []
        for form, keys in table.items():
            self._auto.add_word(form, (len(self._keys), len(form)))
            self._keys.append(tuple(dict.fromkeys(keys)))
        self._accepted: dict[tuple[int, str, str], tuple[str, ...]] = {}
        self.size = len(table)
        if table:
            self._auto.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """All accepted hits in `text` (already normalised), in order of their end."""
        if not self.size:
            return []
        hits: list[Hit] = []
        add = hits.append
        accepted = self._accepted
        n = len(text)
        for end, (fi, length) in self._auto.iter(text):
            stop = end + 1
            start = stop - length
            # rest of the word after the hit (fast path: the hit ends the word)
            if stop == n or not (text[stop].isalnum() or text[stop] in "'’"):
                suffix = ""
            else:
                m = _HEAD.match(text, stop)  # always matches ([…]* may be empty)
                # a closing quote is no ending: 'public morals' (but Nvidia's keeps its 's)
                suffix = m.group().rstrip("'’") if m else ""
            if start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "'’"):
                prefix = ""
            else:  # the word starts before the hit: what precedes it must be a proclitic
                t = _TAIL.search(text, max(0, start - _MAX_PREFIX - 1), start)
                prefix = t.group().lstrip("'’") if t else ""  # nor is an opening quote a proclitic
            key = (fi, prefix, suffix)
            names = accepted.get(key)
            if names is None:
                names = self._accept(fi, prefix, suffix, text[stop - 1])
                if len(accepted) < _MAX_MEMO:
                    accepted[key] = names
            for name in names:
                add((name, start, stop))
        return hits

    def _accept(self, fi: int, prefix: str, suffix: str, last: str) -> tuple[str, ...]:
        """The groups of form `fi` whose affix rules allow this prefix and suffix."""
        out = []
        for key in self._keys[fi]:
            if key.prefixes is not None:  # None: a raw substring group (claim hints)
                if prefix not in key.prefixes:
                    continue
                if key.suffixes is not None and suffix not in key.suffixes and not (
                    key.english and _doubled(last, suffix)
                ):
                    continue
            out.append(self.names[key.group])
        return tuple(out)


def _doubled(last: str, suffix: str) -> bool:
    """English consonant doubling: ban → banned, banning; cut → cutting."""
    return len(suffix) > 2 and suffix[0] == last and suffix[1:] in ("ed", "ing", "er", "ers")


def _compile_term(gi: int, raw: str, group: str, *, verb: bool) -> Iterable[tuple[str, _Key]]:
    if not isinstance(raw, str) or not raw.strip():
        raise ConfigError(f"lexicon {group!r}: every term must be a non-empty string, got {raw!r}")
    term = raw.strip()
    exact = term.startswith("=")
    star = term.endswith("*")
    term = normalize(term.strip("=*"))
    if not term:
        raise ConfigError(f"lexicon {group!r}: term {raw!r} is empty after normalisation")
    english = bool(_LATIN.search(term))
    if exact:
        yield term, _Key(gi, len(term), _EMPTY, _EMPTY, english)
        return
    prefixes = VERB_PREFIXES if verb else NOUN_PREFIXES
    if english:
        suffixes: frozenset[str] | None = ANY if star else ENGLISH_SUFFIXES | _EMPTY
        yield term, _Key(gi, len(term), prefixes, suffixes, True)
        for variant in {term.replace(" ", "-"), term.replace("-", " ")} - {term}:
            yield variant, _Key(gi, len(variant), prefixes, suffixes, True)  # export-control, sell off
        if not star and " " not in term[-3:] and len(term) > 3:
            if term.endswith("e"):
                yield term[:-1], _Key(gi, len(term) - 1, prefixes, _E_SUFFIXES, True)
            elif term.endswith("y"):
                yield term[:-1], _Key(gi, len(term) - 1, prefixes, _Y_SUFFIXES, True)
        return
    suffixes = ANY if star else (VERB_SUFFIXES if verb else NOUN_SUFFIXES | _EMPTY)
    if verb and suffixes is not ANY and term.endswith("ي"):
        suffixes = suffixes - {"ه"}  # ى+ه reads as the -ية ending once folded: هوى is not هوية
    derived = term.startswith(("ان", "است")) or (term[0] == "ا" and len(term) > 3 and term[2] == "ت")
    if verb and " " not in term and len(term) > 3 and derived:
        # Form VII/VIII/X verbs lose their initial alif after a prefix: ارتفع → يرتفع، انخفض →
        # ينخفض، استورد → يستورد. (Not Form IV: أزال → يزيل, so "لا يزال" is not "removed".)
        yield term[1:], _Key(gi, len(term) - 1, VERB_PREFIXES - {"", "و", "ف"}, suffixes, False)
    if verb and " " not in term and len(term) > 2 and term[-1] in "يا":
        # Defective verbs drop their final ى/ا before the past endings: هوى → هوت، هووا;
        # تهاوى → تهاوت; محا → محت، محوا (the imperfect يهوي already matches the entry).
        stem = term[:-1]
        for ending in ("ت", "تا", "وا"):
            yield stem + ending, _Key(gi, len(stem) + len(ending), prefixes, _DEFECTIVE_SUFFIXES, False)
    for form in _arabic_forms(term):
        yield form, _Key(gi, len(form), prefixes, suffixes, False)
        if not star and not verb and form.endswith("ه") and len(form) > 3:
            yield form[:-1], _Key(gi, len(form) - 1, prefixes, _TA_SUFFIXES, False)


_FIRST_WORD_ENDINGS = ("ا", "ه", "ها", "هم", "نا")  # tanween alif and attached pronouns


def _arabic_forms(term: str) -> list[str]:
    """The entry with its leading article dropped (the prefix check re-allows it), each
    inner word with and without ال ("ضوابط التصدير" also finds "ضوابط تصدير"), and, for
    several words, the first one with tanween alif or an attached pronoun ("رسوماً جمركية",
    "مساعدها الذكي", "تكلفتها الحقيقية")."""
    words = term.split(" ")
    if words[0].startswith("ال") and len(words[0]) > 4:
        words[0] = words[0][2:]
    forms = [words[0]]
    if len(words) > 1 and len(words[0]) > 2:
        if words[0].endswith("ه"):  # ta marbuta: تكلفة → تكلفتها (no alif: tanween is a diacritic)
            forms += [words[0][:-1] + "ت" + p for p in _FIRST_WORD_ENDINGS[1:]]
        else:  # رسوماً جمركية، مساعدها الذكي
            forms += [words[0] + p for p in _FIRST_WORD_ENDINGS]
    for w in words[1:]:
        bare = w[2:] if w.startswith("ال") and len(w) > 4 else w
        options = [bare, "ال" + bare] if bare != w or not _LATIN.search(w) else [w]
        if w.startswith("لل"):
            options = [w]
        forms = [f"{f} {o}" for f in forms for o in dict.fromkeys(options)][:16]
    return forms
