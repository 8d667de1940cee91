"""What a rule is: small check functions with stable codes, and the immutable table they form.

A rule looks at one :class:`~toolkit.spec.message.Message` and yields :class:`Hit` objects; the lint
engine turns hits into :class:`~toolkit.findings.Finding` objects with the rule's code, name and
severity, the JSON pointer, the LINE-style property and the source position.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from ..findings import Severity
from ..i18n import DEFAULT, Text, _, current, localize

if TYPE_CHECKING:
    from ..spec.message import Message

__all__ = ["DOCS_URL", "Check", "Hit", "Rule", "RuleSet", "RuleTable", "per_message"]

_T = TypeVar("_T")


def per_message(compute: Callable[[Message], _T]) -> Callable[[Message], _T]:
    """``compute(msg)``, remembered for the last message asked about: many rules ask the same of
    one message in a row. The last answer is kept as one (message, value) pair, read once per call,
    so threads linting different messages at the same time (``lnm serve``) never mix them up."""
    last: list[tuple[Message | None, Any]] = [(None, None)]

    def cached(msg: Message) -> _T:
        seen, value = last[0]
        if seen is not msg:
            value = compute(msg)
            last[0] = (msg, value)
        return value  # type: ignore[no-any-return]

    return functools.wraps(compute)(cached)


def _installed_docs() -> str:
    """``file://`` URI of the rule documentation installed with lnm (``docs/rules.md``)."""
    from .._paths import data_root

    return (data_root() / "docs" / "rules.md").as_uri()


#: Where rule documentation links point unless ``docs-url`` is configured: the installed copy,
#: which exists wherever lnm runs (the project publishes no web copy of its documentation).
DOCS_URL = _installed_docs()

Path = tuple[str | int, ...]


class Hit(NamedTuple):
    """What a rule reports: where, what, and optionally a fix hint specific to this case."""

    path: Path
    message: str
    fix: str | None = None


Check = Callable[["Message"], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """One check. Its docstring is its documentation page."""

    code: str
    name: str
    group: str
    severity: Severity
    fix: str
    check: Check = field(repr=False)
    applies_to: tuple[str, ...] = ("template", "flexible")
    #: Reported once per lint run (the first finding, counting the rest), not once per place.
    once_per_run: bool = False
    #: Also reads the literal text of placeholder branches no sample takes (words, numbers and
    #: links that mean something on their own; not widths, emptiness or whole values).
    branches: bool = False
    #: For a ``once_per_run`` rule: how many hits ``check`` would give a message, found without
    #: building them (the engine only counts them once a run shows the rule's first finding).
    count: Callable[[Message], int] | None = field(default=None, repr=False)

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.check.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0].strip()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """The documentation as the catalogue holds it: the summary line, then each paragraph of the
        docstring with its lines joined (``lnm_rules`` domain, one entry per paragraph)."""
        head, _, rest = self.doc.partition("\n")
        body = [" ".join(line.strip() for line in p.splitlines() if line.strip()) for p in rest.split("\n\n") if p.strip()]
        return (head.strip(), *body)

    @property
    def doc_url(self) -> str:
        return self.doc_url_at(None)

    def doc_url_at(self, base: str | None) -> str:
        """This rule's section in the rule documentation at ``base`` (default: the installed copy)."""
        return f"{base or DOCS_URL}#{self.code.lower()}-{self.name}"

    def local_summary(self) -> str:
        """The summary in the current UI language (the ``lnm_rules`` catalogue; English without one)."""
        return _(self.summary)

    def local_paragraphs(self) -> tuple[str, ...]:
        """:attr:`paragraphs` in the current UI language, each one translated on its own."""
        return tuple(_(p) for p in self.paragraphs)

    def local_fix(self) -> str:
        return localize(Text(self.fix))

    def local_doc(self) -> str:
        """The documentation in the current UI language: the docstring itself in English, else the
        translated summary and paragraphs, a blank line between each."""
        if current() == DEFAULT:
            return self.doc
        return "\n\n".join(self.local_paragraphs())

    def to_dict(self) -> dict[str, Any]:
        """The rule as ``lnm rules --format json`` gives it: summary and fix in the UI language."""
        return {
            "code": self.code,
            "name": self.name,
            "group": self.group,
            "severity": str(self.severity),
            "summary": self.local_summary(),
            "fix": self.local_fix(),
            "applies_to": list(self.applies_to),
            "doc_url": self.doc_url,
        }


class RuleSet:
    """Collects the rules of one module through a decorator; frozen into a tuple on use."""

    def __init__(self, group: str) -> None:
        self.group = group
        self._rules: list[Rule] = []

    def rule(self, code: str, name: str, severity: str, fix: str,
             applies_to: tuple[str, ...] = ("template", "flexible"),
             once_per_run: bool = False, branches: bool = False) -> Callable[[Check], Check]:
        def register(func: Check) -> Check:
            if not (func.__doc__ or "").strip():
                raise TypeError(f"rule {code} needs a docstring: it is the rule's documentation")
            self._rules.append(Rule(code, name, self.group, Severity.parse(severity), Text(fix), func,
                                    applies_to, once_per_run, branches))
            return func

        return register

    def counts(self, code: str) -> Callable[[Callable[[Message], int]], Callable[[Message], int]]:
        """Give the ``once_per_run`` rule ``code`` its :attr:`Rule.count`."""
        def register(func: Callable[[Message], int]) -> Callable[[Message], int]:
            for i, found in enumerate(self._rules):
                if found.code == code:
                    if not found.once_per_run:
                        raise TypeError(f"rule {code} is not once_per_run: it has nothing to count")
                    self._rules[i] = replace(found, count=func)
                    return func
            raise KeyError(code)

        return register

    def freeze(self) -> tuple[Rule, ...]:
        return tuple(self._rules)


class RuleTable(Mapping[str, Rule]):
    """Every rule by code, in code order; look-ups accept a code or a name."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        by_code: dict[str, Rule] = {}
        by_name: dict[str, Rule] = {}
        for rule in sorted(rules, key=lambda r: r.code):
            if rule.code in by_code or rule.name in by_name:
                raise ValueError(f"rule {rule.code} {rule.name} is defined twice")
            by_code[rule.code] = rule
            by_name[rule.name] = rule
        self._by_code = by_code
        self._by_name = by_name

    def __getitem__(self, key: str) -> Rule:
        rule = self._by_code.get(key.upper()) or self._by_name.get(key.lower())
        if rule is None:
            raise KeyError(key)
        return rule

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def rules(self) -> tuple[Rule, ...]:
        return tuple(self._by_code.values())

    def resolve(self, selector: str) -> list[Rule]:
        """Rules matched by a code, a name, a code prefix (``G1``) or a group (``api``)."""
        selector = selector.strip()
        if selector.lower() in ("all", "api", "guideline"):
            return [r for r in self.rules() if selector.lower() in ("all", r.group)]
        if selector in self:
            return [self[selector]]
        prefixed = [r for r in self.rules() if r.code.startswith(selector.upper())]
        if prefixed:
            return prefixed
        raise KeyError(selector)
