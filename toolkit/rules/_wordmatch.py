"""Word matching for the guideline rules: the promotional and pressure word lists of every language.

Thai, Chinese and Japanese are written without spaces, so their words are found anywhere in the
text (minus listed exclusions that merely contain a word); English words only as whole words;
amount patterns ("50% off", "8折") around numbers. Text is folded first (NFKC, casefold).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any, NamedTuple

from ._text import LANGUAGES, _folded, script_counts, wordlist

__all__ = ["Match", "WordMatcher", "matcher"]


class Match(NamedTuple):
    word: str
    language: str
    start: int


class WordMatcher:
    """Finds listed words in text: substrings for Thai and CJK (no spaces to split on), whole words
    for English, regular-expression patterns for amounts ("50% off"), minus listed exclusions
    ("お得意" is not "お得", "โปรด" is not "โปร") that contain a match.

    Words are looked up through an index by first character and found with ``str.find`` rather than
    one large regular expression: compiling such an expression costs tens of milliseconds, which a
    one-file lint would pay on every run.
    """

    def __init__(self, entries: list[tuple[str, str, list[str], list[str], list[str]]]) -> None:
        self._language: dict[str, str] = {}
        anywhere: set[str] = set()
        whole: set[str] = set()
        excludes: set[str] = set()
        patterns: list[str] = []
        for language, mode, words, extra_patterns, exclude in entries:
            for word in {_folded(w) for w in words if w.strip()}:
                self._language.setdefault(word, language)
                (whole if mode == "word" else anywhere).add(word)
            patterns.extend(extra_patterns)
            excludes.update(_folded(e) for e in exclude if e.strip())
        self._anywhere = _index(anywhere)
        self._whole = _index(whole)
        self._excludes = _index(excludes)
        # Every pattern is about an amount or a count, so it is tried only on text with a digit: one
        # that starts with the number is tried at the start of each number, the others ("ポイント
        # 10倍", "save $5") on their own, so that their leading words make the search quick.
        at_number = [f"(?:{p})" for p in patterns if p.startswith("\\d")]
        self._at_number = re.compile("|".join(at_number)) if at_number else None
        self._amounts = [(_literal_prefix(p), re.compile(p)) for p in patterns if not p.startswith("\\d")]
        self._words = anywhere | whole
        self._calls = 0
        self._screen: re.Pattern[str] | None = None
        self._seen: dict[str, tuple[Match, ...]] = {}

    def find(self, text: str) -> list[Match]:
        """Listed words and amounts in ``text``, outermost first."""
        if self._screen is None:
            return self._find(text)
        # In a batch the same texts come back again and again (labels, catalogue example values,
        # fixed phrases of a team's specs): remember what each one held.
        seen = self._seen.get(text)
        if seen is None:
            if len(self._seen) >= _SEEN_MAX:
                self._seen.clear()
            seen = self._seen[text] = tuple(self._find(text))
        return list(seen)

    def _find(self, text: str) -> list[Match]:
        folded = _folded(text)
        words_possible = True
        if self._screen is None:
            self._calls += 1
            if self._calls == _SCREEN_AFTER:
                self._screen = re.compile(_trie(self._words) or r"(?!x)x")
        else:
            words_possible = self._screen.search(folded) is not None
        chars = set(folded)
        hits = []
        if words_possible:
            hits += _occurrences(folded, chars, self._anywhere, whole=False)
            hits += _occurrences(folded, chars, self._whole, whole=True)
        if _DIGIT.search(folded):
            if self._at_number is not None:
                for number in _NUMBER.finditer(folded):
                    amount = self._at_number.match(folded, number.start())
                    if amount:
                        hits.append((amount.start(), amount.end(), amount.group(0)))
            for prefix, pattern in self._amounts:
                if prefix in folded:
                    hits += [(m.start(), m.end(), m.group(0)) for m in pattern.finditer(folded)]
        if not hits:
            return []
        excluded = _occurrences(folded, chars, self._excludes, whole=False)
        kept = _outermost(hits, [(s, e) for s, e, _ in excluded])
        return [Match(word, self._language.get(word, _language_of(word)), start) for start, _, word in kept]


def _literal_prefix(pattern: str) -> str:
    """The plain text a pattern starts with ("ポイント" of "ポイント\\s*\\d+\\s*倍"), or "" if none."""
    pattern = pattern.removeprefix("\\b")
    match = re.match(r"[^\\.\[\](){}*+?|^$]*", pattern)
    prefix = match.group(0) if match else ""
    # A quantifier after the prefix makes its last character optional.
    return prefix[:-1] if prefix and pattern[len(prefix):len(prefix) + 1] in ("*", "?", "{") else prefix


def _outermost(hits: list[tuple[int, int, str]], excluded: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Hits not inside an exclusion, and not inside a longer hit ("セール" in "タイムセール"), in order.

    One sweep over spans sorted by start (longest first): a span is inside another exactly when it
    ends no later than the furthest end seen so far.
    """
    spans = sorted([(s, -e, 0, "") for s, e in excluded] + [(s, -e, 1, w) for s, e, w in set(hits)])
    kept = []
    reach = -1
    for start, negative_end, is_hit, word in spans:
        end = -negative_end
        if end <= reach:
            continue
        reach = end
        if is_hit:
            kept.append((start, end, word))
    return kept


#: Texts looked at before the words are compiled into one screening expression. Compiling costs
#: tens of milliseconds, more than a one-file lint spends on matching; in a batch it pays back at
#: once (a clean text is then screened out in a few microseconds).
_SCREEN_AFTER = 200
#: Texts whose matches a matcher remembers at most (then it starts afresh).
_SEEN_MAX = 8192


def _trie(words: set[str]) -> str:
    """One regular expression matching any of ``words``, with shared prefixes merged."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(root)


def _index(words: set[str]) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for word in words:
        index.setdefault(word[0], []).append(word)
    return {first: tuple(sorted(group, key=len, reverse=True)) for first, group in index.items()}


def _is_word_char(char: str) -> bool:
    """A letter or digit that continues a Latin word. Thai and CJK characters do not: "夏のSALE" and
    "SALEเริ่มแล้ว" hold the word "sale", "wholesale" does not."""
    return char == "_" or (char.isalnum() and not ("\u0e00" <= char <= "\u0e7f" or char >= "\u2e80"))


def _occurrences(text: str, chars: set[str], index: dict[str, tuple[str, ...]],
                 whole: bool) -> list[tuple[int, int, str]]:
    found = []
    for first in chars.intersection(index):
        for word in index[first]:
            start = text.find(word)
            while start >= 0:
                end = start + len(word)
                if not whole or ((start == 0 or not _is_word_char(text[start - 1]))
                                 and (end == len(text) or not _is_word_char(text[end]))):
                    found.append((start, end, word))
                start = text.find(word, start + 1)
    return found


_DIGIT = re.compile(r"\d")
_NUMBER = re.compile(r"\d+")


def _language_of(text: str) -> str:
    counts = script_counts(text)
    if counts["thai"]:
        return "th"
    if counts["kana"]:
        return "ja"
    if counts["han"]:
        return "zh"
    return "en"


@lru_cache(maxsize=32)
def _matcher(category: str, extra: tuple[tuple[str, tuple[str, ...]], ...]) -> WordMatcher:
    entries = []
    extra_map = dict(extra)
    for language in LANGUAGES:
        data = wordlist(language)
        section = data.get(category, {})
        mode = "word" if data.get("matching") == "word" else "substring"
        entries.append((language, mode, list(section.get("words", ())) + list(extra_map.get(language, ())),
                        list(section.get("patterns", ())), list(section.get("exclude", ()))))
    for language, words in extra_map.items():
        if language not in LANGUAGES:
            entries.append((language, "word" if language.startswith("en") else "substring", list(words), [], []))
    return WordMatcher(entries)


def matcher(category: str, extra: Mapping[str, Any] | list[Any] | None = None) -> WordMatcher:
    """The matcher for ``promotional`` or ``pressure`` words of every language, plus extra words."""
    frozen: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if isinstance(extra, list):  # one list for every language: Latin words whole, others anywhere
        words = [w for w in extra if isinstance(w, str)]
        frozen = (("en", tuple(w for w in words if w.isascii())), ("*", tuple(w for w in words if not w.isascii())))
    elif extra:
        frozen = tuple(sorted((str(k), tuple(str(w) for w in v if isinstance(w, str)))
                              for k, v in extra.items() if isinstance(v, list)))
    return _matcher(category, frozen)
