"""The three ways a placeholder is filled give the same text and the same errors: the plainest
values without Jinja's render machinery (toolkit/spec/_direct.py), other bounded ones through the
compiled template in process, the rest in the worker process (toolkit/spec/_worker.py)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from toolkit.errors import PlaceholderError
from toolkit.limits import RenderBudget
from toolkit.spec import placeholders
from toolkit.spec._direct import quick_tree
from toolkit.spec._sandbox import rendering
from toolkit.spec._worker import render_batch

from .conftest import EXAMPLES

DATA: dict[str, Any] = {
    "order": {"id": "A1", "total": 12000, "items": ["x"], "date": "2024-08-10", "bad": "2024-08-10（変更）",
              "nested": {"deep": [1, {"k": "v"}]}},
    "when": "2024-08-10T09:30", "n": 3, "flag": True, "none": None, "text": "abc",
}
#: Plain templates (filled by toolkit/spec/_direct.py), with the cases where Jinja's semantics are
#: easy to get wrong: a dict's method names, missing names and fields, globals, the locale variable.
PLAIN = [
    "{{ order.id }}", "注文{{ order.id }}の合計{{ order.total | money('JPY') }}", "{{ order['id'] }}",
    "{{ order.nested.deep[1]['k'] }}", "{{ order.items }}", "{{ order.keys }}", "{{ missing }}",
    "{{ order.missing }}", "{{ missing.field }}", "{{ order.id.missing }}", "{{ range }}", "{{ __locale__ }}",
    "{{ order.date | date('yMMMEd') }}", "{{ order.date | date }}", "{{ order.bad | date('MMMEd') }}",
    "{{ when | datetime('MMMEd') }}", "{{ order.total | number(2) }}", "{{ order.total | number(25) }}",
    "{{ n | money('THB') }}", "{{ flag }}", "{{ none }}", "{{ order }}", "{{ 'lit' }}", "{{ 3 }}",
    "{{- order.id -}} x", "{% raw %}{{ raw }}{% endraw %}{{ text }}", "{{ text | date(era='gregorian') }}",
    "{{ when | time_range(when) }}", "{{ order.date | date_range(order.date, 'MMMd') }}",
    "{{ order.total | money }}", "{{ order.total | number(decimals=1) }}", "{{ order.__class__ }}",
    "{{order.id}}", "{{ order.id }}\n", "a\nb {{ text }}\n\n", "}} {{ text }} }}", "{{ order['nested'][\"deep\"][0] }}",
    "{{ order.date | date('MMMEd', era='buddhist') }}", "{{ order.date | date(era='gregorian', fmt='yMd') }}",
    "{{ when | time_range(order.date, 'short') }}", "{{ order.total|number }}", "{{ order.nested.deep[0] }}",
]
#: Values the quick reader leaves to Jinja's parser: whitespace control, other syntax, escapes.
NOT_QUICK = ["{{- text }}", "{{ text -}}", "{{ none }}", "{{ true }}", "{{ text | upper }}", "{{ 'a\\'b' }}",
             "{{ text }}\r\n", "{# c #}{{ text }}", "{{ order.date | date('x', era='g', 1) }}", "{{ x.0 }}",
             "{{ text | date('}}') }}", "{{ -1 }}", "{{ n | number(007) }}", "{{ text\t}}"]


@pytest.mark.parametrize("text", PLAIN)
def test_the_quick_reader_gives_jinjas_own_tree(text: str) -> None:
    quick = quick_tree(text)
    if quick is not None:
        assert quick == placeholders._environment().parse(text)
    else:  # a constant, or the keyword form Jinja reads in its own way: still plain after parsing
        assert text in ("{{ 'lit' }}", "{{ 3 }}", "{% raw %}{{ raw }}{% endraw %}{{ text }}", "{{- order.id -}} x",
                        "{{ none }}", "{{ flag }}") or text.startswith("{{ order.__"), text


@pytest.mark.parametrize("text", NOT_QUICK)
def test_the_quick_reader_leaves_everything_else_to_jinja(text: str) -> None:
    assert quick_tree(text) is None


def _outcome(prepared: placeholders.Prepared, data: dict[str, Any], locale: str) -> tuple[str, str]:
    try:
        with rendering(RenderBudget()):
            return "ok", prepared.render(data, locale)
    except Exception as exc:  # noqa: BLE001 - the very exception is what is compared
        return type(exc).__name__, str(exc)


@pytest.mark.parametrize("text", PLAIN)
@pytest.mark.parametrize("locale", ["ja_JP", "th_TH"])
def test_plain_values_fill_as_the_compiled_template_fills_them(text: str, locale: str) -> None:
    prepared = placeholders.prepare(text)
    assert prepared is not None and prepared.parts is not None, text
    compiled = placeholders.Prepared(None, placeholders._environment().from_string(text))
    assert _outcome(prepared, DATA, locale) == _outcome(compiled, DATA, locale)


def test_other_bounded_values_are_compiled_and_the_rest_go_to_the_worker() -> None:
    compiled = placeholders.prepare("{% if order.id %}{{ order.id | upper }}{% endif %}")
    assert compiled is not None and compiled.parts is None and compiled.template is not None
    assert placeholders.prepare("{% for i in order.items %}{{ i }}{% endfor %}") is None
    assert placeholders.prepare("{{ order.id ~ 'x' }}") is None


def test_the_worker_gives_the_same_results_and_names_the_value_a_filter_could_not_read() -> None:
    texts = [t for t in PLAIN if "__class__" not in t]
    here: list[tuple[str, str, Any]] = []
    for text in texts:
        try:
            here.append(("ok", placeholders.render_here(text, DATA, "ja", RenderBudget()), None))
        except PlaceholderError as exc:
            here.append(("budget" if isinstance(exc, placeholders.BudgetExceeded) else "error", exc.message,
                         exc.value))
    assert render_batch("ja", 2.0, [DATA], [(0, t) for t in texts]) == here
    assert ("error", "not an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM): '2024-08-10（変更）'",
            ("2024-08-10（変更）",)) in here


def test_every_shipped_example_value_is_plain() -> None:
    for path in sorted(EXAMPLES.rglob("*.json")):
        stack: list[Any] = [json.loads(path.read_text(encoding="utf-8"))]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(v for k, v in value.items() if k != "samples")
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str) and placeholders.has_placeholder(value):
                prepared = placeholders.prepare(value)
                assert prepared is not None and prepared.parts is not None, (path.name, value)
