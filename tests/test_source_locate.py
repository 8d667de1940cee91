"""Locating a JSON path in its file: the lazy index (containers listed along the paths asked for)
gives the same line and column as one scan of every token, for every path, and for paths that do
not exist (their nearest existing parent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit.spec.source import Source, _line_col, _scan_offsets, parse_source

ROOT = Path(__file__).resolve().parent.parent


def _paths(value: Any, here: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [here]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*here, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*here, index))
    return found


def _expected(text: str, path: tuple[Any, ...]) -> tuple[int, int]:
    offsets = _scan_offsets(text)
    probe = path
    while probe and probe not in offsets:
        probe = probe[:-1]
    return _line_col(text, offsets[probe])


def _check(text: str) -> None:
    data = json.loads(text)
    wanted = _paths(data)
    wanted += [(*p, "missing") for p in wanted] + [(*p, 10**6) for p in wanted] + [(*p, 0, "x") for p in wanted]
    for order in (wanted, list(reversed(wanted))):  # each order opens the containers differently
        source = parse_source(text.encode("utf-8"), "doc.json")
        for path in order:
            assert source.locate(path) == _expected(text, path), path


_LEAF = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20), st.floats(allow_nan=False,
                  allow_infinity=False), st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=8))
_JSON = st.recursive(_LEAF, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(alphabet='ab"\\/\n\u00e9\u3042 ', max_size=4), inner, max_size=4), max_leaves=30)


@settings(max_examples=100, derandomize=True, deadline=None)
@given(_JSON.filter(lambda v: isinstance(v, (dict, list))), st.sampled_from([None, 0, 1, 2, "\t"]),
       st.booleans())
def test_lazy_index_matches_a_full_scan(value: Any, indent: int | str | None, ascii_only: bool) -> None:
    text = json.dumps({"root": value}, indent=indent, ensure_ascii=ascii_only)
    _check(text)
    _check(" \n" + json.dumps({"root": value}, separators=(" , ", " :\n ")) + "\n")


def test_shipped_examples_locate_as_a_full_scan() -> None:
    for path in sorted((ROOT / "template_library" / "examples").rglob("*.json"))[:12]:
        _check(path.read_text(encoding="utf-8"))


def test_a_deep_wide_document_falls_back_to_one_scan(monkeypatch: Any) -> None:
    text = json.dumps({"a": [[[[list(range(200))] * 5] * 5] * 5], "b": 1}, indent=1)
    source = parse_source(text.encode("utf-8"), "deep.json")
    source.locate(("b",))
    index = source._index
    assert index is not None and index.offsets is None
    index.budget = 10  # as if the document were far larger than what was re-read so far
    assert source.locate(("a", 0, 0, 0, 0, 0, 199)) == _expected(text, ("a", 0, 0, 0, 0, 0, 199))
    assert index.offsets is not None
    assert source.locate(("b",)) == _expected(text, ("b",))


def test_text_the_standard_decoder_refuses_still_locates() -> None:
    # lnm's reader refuses integers of more than 64 digits; a Source made by hand may hold one.
    text = '{"a": 1' + "0" * 5000 + ', "b": [1, 2]}'
    source = Source(path="x.json", text=text, data=None)
    assert source.locate(("b", 1)) == (1, text.index("2]") + 1)
    assert source._index is not None and source._index.offsets is not None
