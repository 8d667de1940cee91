"""Fuzzing (issue 8): structured random specs, API bodies and catalogue files through the real entry
points (``lnm lint``, ``lnm build`` and the preview's HTML stage), each case in a forked child with a
time and a memory cap. A case passes when every entry point ends with exit 0, 1 or 2, prints no
traceback and no internal error, and stays within both caps.

``make test`` runs a small, derandomized budget (the same cases every run); ``make fuzz`` runs
many more (``LNM_FUZZ_EXAMPLES``, and ``LNM_FUZZ_SEED`` for a different but repeatable draw).
"""

from __future__ import annotations

import io
import json
import os
import resource
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from toolkit.cli import main
from toolkit.errors import LnmError
from toolkit.render import build_html
from toolkit.spec.catalogue import load_catalogue

EXAMPLES = int(os.environ.get("LNM_FUZZ_EXAMPLES", "10"))
SEED = int(os.environ.get("LNM_FUZZ_SEED", "0"))
#: Per case (all entry points together). Generous: the machine is shared; a hang takes forever.
TIME_CAP = float(os.environ.get("LNM_FUZZ_SECONDS", "60"))
#: Address space a case may add to what the test process already has.
MEMORY_CAP = 1024 * 1024 * 1024
DIGEST = "0" * 64

FUZZ = settings(max_examples=EXAMPLES, derandomize=SEED == 0, database=None, deadline=None,
                suppress_health_check=list(HealthCheck), print_blob=True)

CATALOGUE = load_catalogue()
TEMPLATE_KEYS = sorted(CATALOGUE.templates)
ITEM_KEYS = sorted(CATALOGUE.items)
BUTTON_KEYS = sorted(CATALOGUE.buttons)


# --- strategies ------------------------------------------------------------------------------------

_names = st.sampled_from(["name", "order", "count", "n", "items", "url", "date", "total", "x"])
_placeholders = st.one_of(
    st.builds("{{{{ {} }}}}".format, _names),
    st.builds("{{{{ {}.{} }}}}".format, _names, _names),
    st.builds("{{{{ {} | {} }}}}".format, _names, st.sampled_from(
        ["number", "money('JPY')", "money('THB')", "date('yMMMEd')", "date('long')", "upper", "length",
         "default('x')", "truncate(5)", "e"])),
    st.sampled_from(["{{", "}}", "{% if x %}a{% endif %}", "{% for i in items %}{{ i }}{% endfor %}",
                     "{{ name ~ name }}", "{{ count + 1 }}", "{{ 7 // 2 }}", "{# c #}", "{{ x[0] }}",
                     "{{ name.__class__ }}", "{% raw %}{{{% endraw %}",
                     # sizes estimated before they are made, and steps the worker process runs (issue 14)
                     "{{ items | join(name) }}", "{{ items | sum(start=[]) }}", "{{ items == order }}",
                     "{{ items | tojson }}", "{{ items ~ name }}", "{{ '%s' % items }}", "{{ items | string }}",
                     "{{ '{}'.format(items) }}", "{{ items | sort | first }}", "{{ x is eq(items) }}"]),
)
_words = st.sampled_from(["お届け", "予定", "2024年8月10日(土)", "12,000円", "限定", "セール", "今すぐ", "ส่ง",
                          "訂單", "https://example.com/a?b=c", "http://x", "090-1234-5678", "a@b.jp",
                          "\u200b", "\u202e", "🎉", " ", "\n", "\t", "%", "&amp;", "<b>", "'", '"', "\\"])
_text = st.one_of(
    st.text(max_size=40),
    st.lists(st.one_of(_words, _placeholders, st.text(max_size=6)), max_size=8).map("".join),
)
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                     st.floats(allow_nan=False, allow_infinity=False, width=32), _text)
_json = st.recursive(_scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                      st.dictionaries(st.text(max_size=8), kids, max_size=4)),
                     max_leaves=12)
_samples = st.dictionaries(st.sampled_from(["default", "longest", "other"]),
                           st.dictionaries(_names, _json, max_size=6), max_size=3)


def _keyed(keys: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(keys), st.text(max_size=12)) if keys else st.text(max_size=12)


_item = st.fixed_dictionaries({"itemKey": _keyed(ITEM_KEYS), "content": _text})
_button = st.fixed_dictionaries({"buttonKey": _keyed(BUTTON_KEYS), "url": _text})
_template_body = st.fixed_dictionaries({}, optional={
    "emphasizedItem": _item, "items": st.lists(_item, max_size=6), "buttons": st.lists(_button, max_size=3)})
_flex_box: st.SearchStrategy[Any] = st.recursive(
    st.fixed_dictionaries({"type": st.sampled_from(["text", "image", "button", "icon", "separator", "filler"])},
                          optional={"text": _text, "url": _text, "wrap": st.booleans(),
                                    "size": st.sampled_from(["xs", "md", "xxl", "5px", "huge", "99999px",
                                                             "1e9px"]),
                                    "height": st.sampled_from(["10px", "99999px", "50%", "-1px"]),
                                    "action": st.fixed_dictionaries({"type": st.just("uri"), "uri": _text})}),
    lambda kids: st.fixed_dictionaries({"type": st.just("box"),
                                        "layout": st.sampled_from(["vertical", "horizontal", "baseline"]),
                                        "contents": st.lists(kids, max_size=4)}),
    max_leaves=10)
_message = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": _text}),
    st.fixed_dictionaries({"type": st.just("flex"), "altText": _text,
                           "contents": st.fixed_dictionaries({"type": st.just("bubble")},
                                                             optional={"body": _flex_box, "header": _flex_box})}),
    st.dictionaries(st.text(max_size=8), _json, max_size=4),
)
_extras = st.dictionaries(st.sampled_from(["sampels", "templatekey", "language", "deliveryTag", "title",
                                           "notificationDisabled", "to", "suppress", "preview"]), _json, max_size=2)

template_specs = st.builds(
    lambda key, body, samples, extra: {**extra, "kind": "template", "templateKey": key, "body": body,
                                       "samples": samples},
    _keyed(TEMPLATE_KEYS), _template_body, _samples, _extras)
flexible_specs = st.builds(
    lambda messages, samples, extra: {**extra, "kind": "flexible", "messages": messages, "samples": samples},
    st.lists(_message, max_size=3), _samples, _extras)
bodies = st.one_of(
    st.builds(lambda key, body, to: {"to": to, "templateKey": key, "body": body},
              _keyed(TEMPLATE_KEYS), _template_body, st.one_of(st.just(DIGEST), _text)),
    st.builds(lambda messages: {"to": DIGEST, "messages": messages}, st.lists(_message, max_size=3)),
    st.dictionaries(st.sampled_from(["kind", "templateKey", "body", "messages", "to", "x"]), _json, max_size=4),
)
documents = st.one_of(template_specs, flexible_specs, bodies)


# --- one case in a forked child with caps ---------------------------------------------------------


def _vm_size() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _run_capped(steps: list[Callable[[], str]]) -> list[str]:
    """Run ``steps`` in a forked child under the caps; each returns "" when fine, else a problem."""
    read_end, write_end = os.pipe()
    limit = _vm_size() + MEMORY_CAP
    pid = os.fork()
    if pid == 0:  # child: never returns into pytest
        try:
            os.close(read_end)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
            problems = [step() for step in steps]
            os.write(write_end, json.dumps(problems).encode())
        except BaseException as exc:  # noqa: BLE001 - anything here is a finding of the fuzzer
            os.write(write_end, json.dumps([f"child died: {type(exc).__name__}: {exc}"]).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    started = time.monotonic()
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - started > TIME_CAP:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(read_end)
            return [f"exceeded the time cap of {TIME_CAP:g} s"]
        time.sleep(0.01)
    with os.fdopen(read_end, "rb") as pipe:
        raw = pipe.read()
    if not raw:
        return [f"child ended without a result (status {status}; memory cap?)"]
    return [p for p in json.loads(raw) if p]


def _cli(args: list[str]) -> Callable[[], str]:
    """A step: the real ``lnm`` entry point in this (child) process, output to throwaway files."""
    def step() -> str:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            saved = os.dup(1), os.dup(2)
            sys.stdout.flush()
            sys.stderr.flush()
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            code: int | str | None = 0
            try:
                sys.stdin = io.StringIO("")
                main(args)
            except SystemExit as exc:
                code = exc.code
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
            err.seek(0)
            stderr = err.read().decode("utf-8", errors="replace")
        if code not in (0, 1, 2, None) or "Traceback" in stderr or "internal error" in stderr:
            return f"lnm {' '.join(args[:1])}: exit {code}: {stderr.strip()[-800:]}"
        return ""
    return step


def _html(document: Any, lang: str) -> Callable[[], str]:
    def step() -> str:
        try:
            build_html(document, lang=lang, catalogue=CATALOGUE)
        except LnmError:
            pass  # one clear line for the user: fine
        except Exception as exc:  # noqa: BLE001
            return f"build_html({lang}): {type(exc).__name__}: {exc}"
        return ""
    return step


def _case(tmp: Path, document: Any, raw: bytes | None = None, catalogue: Path | None = None,
          html: bool = True) -> None:
    path = tmp / "case.json"
    path.write_bytes(raw if raw is not None else json.dumps(document, ensure_ascii=False).encode("utf-8",
                                                                                          "surrogatepass"))
    extra = ["--catalogue", str(catalogue)] if catalogue else []
    steps = [_cli(["lint", "--no-config", "--format", "json", *extra, str(path)]),
             _cli(["build", str(path), "--to", DIGEST, *extra])]
    if html and isinstance(document, dict):
        steps.append(_html(document, "ja"))
        steps.append(_html(document, "en"))
    problems = _run_capped(steps)
    assert not problems, "\n".join(problems) + "\n--- case ---\n" + path.read_text("utf-8", "replace")[:2000]


# --- the tests --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> Any:
    """A scratch folder, and caches warmed in this process so that every forked case inherits them
    (rules, word lists, Babel locales, preview templates) instead of building them again."""
    from toolkit.builder import build
    from toolkit.lint.engine import LintSettings, lint_paths
    from toolkit.rules import default_table

    example = Path(__file__).resolve().parent.parent / "template_library" / "examples"
    lint_paths([str(example)], default_table(), CATALOGUE, LintSettings(), jobs=1)
    for spec in sorted(example.rglob("*.json"))[:6]:
        document = json.loads(spec.read_text(encoding="utf-8"))
        build(document, CATALOGUE, default_table())
        for lang in ("ja", "en"):
            build_html(document, lang=lang, catalogue=CATALOGUE)
    with tempfile.TemporaryDirectory(prefix="lnm-fuzz-") as folder:
        yield Path(folder)


@seed(SEED)
@FUZZ
@given(document=documents)
def test_fuzz_specs_and_bodies(scratch: Path, document: Any) -> None:
    _case(scratch, document)


@seed(SEED)
@FUZZ
@given(document=documents, cut=st.integers(0, 400), junk=st.binary(max_size=8))
def test_fuzz_damaged_files(scratch: Path, document: Any, cut: int, junk: bytes) -> None:
    """A valid document cut short or with bytes spliced in: a one-line error, never a crash."""
    raw = json.dumps(document, ensure_ascii=False).encode("utf-8", "surrogatepass")
    _case(scratch, None, raw=raw[:cut] + junk + raw[cut:cut + 40], html=False)


_catalogue_entry = st.fixed_dictionaries({
    "key": st.text(max_size=12), "country": st.sampled_from(["JP", "TH", "TW", "US", ""]),
    "language": st.sampled_from(["ja", "th", "zh-Hant", "en", "xx"]), "label": _text, "labelEn": _text,
    "title": _text, "titleEn": _text, "kind": st.sampled_from(["date", "price", "number", "text", "nope"]),
    "example": _text, "provenance": st.sampled_from(["documented", "illustrative", "rumour"]),
}, optional={"items": st.lists(_keyed(ITEM_KEYS), max_size=3), "buttons": st.lists(
    _keyed(BUTTON_KEYS), max_size=2), "category": _text, "description": _text,
    "descriptionEn": _text, "emphasizable": st.lists(_keyed(ITEM_KEYS), max_size=2)})
catalogue_files = st.dictionaries(
    st.sampled_from(["templates.json", "items.json", "buttons.json"]),
    st.one_of(st.builds(lambda kind, entries: {kind: entries}, st.sampled_from(["templates", "items", "buttons"]),
                        st.lists(_catalogue_entry, max_size=3)), _json),
    min_size=1, max_size=3)


@seed(SEED)
@FUZZ
@given(files=catalogue_files, document=template_specs)
def test_fuzz_catalogue_files(scratch: Path, files: dict[str, Any], document: Any) -> None:
    folder = scratch / "catalogue"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name, content in files.items():
        (folder / name).write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")
    _case(scratch, document, catalogue=folder, html=False)


@seed(SEED)
@FUZZ
@given(width=st.integers(0, 2**32 - 1), height=st.integers(0, 2**32 - 1), depth=st.sampled_from([1, 8, 16]),
       colour=st.sampled_from([0, 2, 6]), junk=st.binary(max_size=64), cut=st.integers(0, 80))
def test_fuzz_png_headers(width: int, height: int, depth: int, colour: int, junk: bytes, cut: int) -> None:
    """A PNG read back from disk with any header (a claimed size up to 2^32 x 2^32), data or cut:
    refused with one line or decoded within the memory cap, never a crash."""
    import struct
    import zlib

    from toolkit.render._images import load_png

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"\0" * 64 + junk)) + chunk(b"IEND", b""))
    data = raw[:len(raw) - cut] if cut else raw

    def step() -> str:
        try:
            load_png(data, name="case.png").close()
        except LnmError:
            pass
        except Exception as exc:  # noqa: BLE001
            return f"load_png: {type(exc).__name__}: {exc}"
        return ""

    problems = _run_capped([step])
    assert not problems, "\n".join(problems) + f"\n--- case: {width}x{height} depth {depth} colour {colour}"
