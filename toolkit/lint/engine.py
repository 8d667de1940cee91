"""The lint engine: find message files, run the rule table over each, locate the findings."""

from __future__ import annotations

import fnmatch
import gc
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Set
from dataclasses import dataclass, field, replace
from typing import Any

from .. import limits
from ..errors import InputError, InternalError, LnmError
from ..findings import Finding, Severity
from ..i18n import N_
from ..rules import Hit, Rule, RuleTable
from ..rules._text import message_language
from ..spec.branches import branch_message
from ..spec.catalogue import Catalogue
from ..spec.message import Message, Shape, document_shape, messages_from_document
from ..spec.source import Source, load_source
from ._once import fold_once_per_run, once_per_run
from ._selection import doc_url, file_rules, plan

__all__ = ["FileResult", "LintReport", "LintSettings", "discover", "fold_once_per_run", "lint_message",
           "lint_paths", "lint_source"]

_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".lnm-cache", ".pytest_cache"}


@dataclass(frozen=True)
class LintSettings:
    """Which rules run and how loud they are. Built from configuration and the command line."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_file_ignores: tuple[tuple[str, frozenset[str]], ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Folder that ``per_file_ignores`` globs are relative to (the configuration file's folder).
    root: str | None = None
    #: Where rule documentation links point (``docs-url``); None: the installed ``docs/rules.md``.
    docs_url: str | None = None
    #: BCP 47 language of flexible messages that name none (``language`` or ``country``); None: en.
    default_language: str | None = None

    def enabled(self, code: str, path: str | None = None) -> bool:
        if self.select is not None and code not in self.select:
            return False
        if code in self.ignore:
            return False
        return path is None or code not in self.ignored_for(path)

    def ignored_for(self, path: str) -> frozenset[str]:
        """Codes that ``per_file_ignores`` switches off for ``path``."""
        if not self.per_file_ignores:
            return frozenset()
        names = {path.replace(os.sep, "/")}
        if self.root is not None:
            relative = os.path.relpath(os.path.abspath(path), self.root)
            if not relative.startswith(".."):
                names.add(relative.replace(os.sep, "/"))
        codes: set[str] = set()
        for pattern, ignored in self.per_file_ignores:
            if any(fnmatch.fnmatchcase(name, pattern) or fnmatch.fnmatchcase(name, "*/" + pattern)
                   for name in names):
                codes |= ignored
        return frozenset(codes)

    def active_rules(self, table: RuleTable, path: str | None = None) -> tuple[Rule, ...]:
        """The enabled rules for one file, worked out once per file rather than per rule and message."""
        off = self.ignored_for(path) if path is not None else frozenset()
        return tuple(rule for rule in table.rules()
                     if (self.select is None or rule.code in self.select)
                     and rule.code not in self.ignore and rule.code not in off)


@dataclass
class FileResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    error: LnmError | None = None
    messages: int = 0
    #: True for a spec (its messages are its samples), False for an API body.
    spec: bool = False
    #: Findings of ``once_per_run`` rules left out before they were made (code -> count): an
    #: earlier file of the batch holds the one that will be shown (see :func:`fold_once_per_run`).
    folded: dict[str, int] = field(default_factory=dict)
    #: The source lines the findings point at (number -> text), kept from the text that was linted,
    #: so a report shows that text without reading the file again; None when they were too long to
    #: keep (or the result was made without them): the report then reads the file.
    lines: dict[int, str] | None = None


#: At most this many characters of source lines are kept per file for the report (a minified file
#: is one long line; its report reads the file again instead).
_KEPT_LINES_CHARS = 64 * 1024


def _finding_lines(text: str, findings: list[Finding]) -> dict[int, str] | None:
    wanted = {f.line for f in findings if f.line}
    if not wanted:
        return {}
    lines = text.split("\n")
    kept = {n: lines[n - 1] for n in wanted if n <= len(lines)}
    return kept if sum(map(len, kept.values())) <= _KEPT_LINES_CHARS else None


@dataclass
class LintReport:
    files: list[FileResult]
    #: Findings left out because a baseline already records them.
    baselined: int = 0
    #: Findings left out because they are below the severity shown (info notes by default).
    hidden: int = 0
    #: JSON files found in folders that are not messages (catalogue files, configs...).
    skipped: int = 0

    def hide_below(self, severity: Severity) -> None:
        """Leave out findings less severe than ``severity``, counting them in :attr:`hidden`."""
        for result in self.files:
            kept = [f for f in result.findings if f.severity >= severity]
            self.hidden += len(result.findings) - len(kept)
            result.findings = kept

    def findings(self) -> Iterator[Finding]:
        for result in self.files:
            yield from result.findings

    def errors(self) -> list[LnmError]:
        return [r.error for r in self.files if r.error is not None]

    def summary(self) -> dict[str, Any]:
        counts = {str(s): 0 for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}
        by_code: dict[str, int] = {}
        # Counted per (code, severity) pair first: a report may hold a hundred thousand findings.
        for (code, severity), n in Counter((f.code, f.severity) for f in self.findings()).items():
            counts[str(severity)] += n
            by_code[code] = by_code.get(code, 0) + n
        return {
            "files": len(self.files),
            "messages": sum(r.messages for r in self.files),
            "samples": sum(r.messages for r in self.files if r.spec),
            "bodies": sum(r.messages for r in self.files if not r.spec),
            "unreadable": len(self.errors()),
            "baselined": self.baselined,
            "hidden": self.hidden,
            "skipped": self.skipped,
            "findings": sum(counts.values()),
            **counts,
            "by_code": dict(sorted(by_code.items())),
        }


def discover(paths: Iterable[str]) -> Iterator[tuple[str, bool]]:
    """Files to lint: ``(path, named)``; ``named`` is False for files found inside a directory."""
    for path in paths:
        if os.path.isdir(path):
            found = False
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if name.endswith(".json"):
                        found = True
                        yield os.path.join(root, name), False
            if not found:
                raise InputError(N_("directory holds no .json files"), path=path)
        elif os.path.exists(path):
            yield path, True
        else:
            raise InputError(N_("no such file or directory"), path=path)


def lint_message(msg: Message, table: RuleTable, settings: LintSettings, path: str | None = None,
                 rules: tuple[Rule, ...] | None = None) -> list[Finding]:
    """Findings of every enabled rule on one message (not yet located in a file).

    ``rules`` is the file's :meth:`LintSettings.active_rules`, when the caller has it already.
    """
    return [Finding(rule.code, rule.name, severity, hit.message, tuple(hit.path), hit.fix or rule.fix,
                    doc_url=doc_url(rule, settings.docs_url))
            for rule, severity, hit in _hits(msg, table, settings, rules or settings.active_rules(table, path))]


def _hits(msg: Message, table: RuleTable, settings: LintSettings, rules: tuple[Rule, ...],
          counted: dict[str, tuple[Rule, Severity, int]] | None = None,
          shown: Set[str] = frozenset()) -> Iterator[tuple[Rule, Severity, Hit]]:
    """Each rule's hits on ``msg``. With ``counted``, the rules in ``shown`` that can count their
    hits are not run: how many hits each would give is added to ``counted`` instead."""
    skip = _suppressed(msg, table)
    msg.options = settings.options
    planned, counting = plan(rules, msg.kind, settings)
    if counted is not None and shown:
        for rule, severity in counting:
            if rule.code in shown and rule.code not in skip:
                skip = skip | {rule.code}
                count = rule.count(msg)  # type: ignore[misc]  # the counting rules all have a count
                if count:
                    counted[rule.code] = (rule, severity, counted.get(rule.code, (rule, severity, 0))[2] + count)
    for rule, severity in planned:
        if skip and rule.code in skip:
            continue
        for hit in rule.check(msg):
            yield rule, severity, hit


def _suppressed(msg: Message, table: RuleTable) -> set[str]:
    """Guideline rules the spec switches off for itself, each with a written reason."""
    codes: set[str] = set()
    entries = msg.spec.get("suppress") if msg.spec else None
    if not isinstance(entries, list):
        return codes
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
            continue
        reason = entry.get("reason")
        if not isinstance(reason, str) or len(reason.strip()) < 10:
            continue
        try:
            rule = table[entry["rule"]]
        except KeyError:
            msg.spec_errors.append((("suppress", index, "rule"), N_("unknown rule {rule}", rule=repr(entry["rule"]))))
            continue
        if rule.group == "api":
            msg.spec_errors.append((("suppress", index, "rule"),
                                    N_("{code} {name} is an API check; LINE would still reject the message, so it "
                                       "cannot be suppressed", code=rule.code, name=rule.name)))
            continue
        codes.add(rule.code)
    return codes


def lint_source(source: Source, table: RuleTable, catalogue: Catalogue, settings: LintSettings) -> tuple[int, list[Finding]]:
    """Lint one parsed file: every sample of a spec, or the body itself. Returns (messages, findings)."""
    count, findings, _ = _lint_source(source, table, catalogue, settings, frozenset())
    return count, findings


def _lint_source(source: Source, table: RuleTable, catalogue: Catalogue, settings: LintSettings,
                 shown: Set[str]) -> tuple[int, list[Finding], dict[str, int]]:
    """:func:`lint_source`, with the findings of the ``once_per_run`` rules in ``shown`` (an earlier
    file of the batch holds their first finding) only counted: :func:`fold_once_per_run` would
    keep none of them. Returns (messages, findings, counts of those left out by code)."""
    messages = messages_from_document(source.data, catalogue, path=source.path,
                                      default_language=settings.default_language)
    rules = file_rules(settings, table, source.path)
    seen: set[tuple[str, tuple[str | int, ...], str]] = set()
    findings: list[Finding] = []
    left_out: list[tuple[Rule, Severity, Hit, str]] = []
    # A body's hits of a rule are all different, so the rules in ``shown`` need only count theirs;
    # a spec's samples may repeat a hit, which must be seen to be counted once.
    counted: dict[str, tuple[Rule, Severity, int]] | None = {} if shown and len(messages) == 1 else None
    for msg in messages:
        for rule, severity, hit in _hits(msg, table, settings, rules, counted, shown):
            where = tuple(hit.path)
            key = (rule.code, where, hit.message)
            if key in seen:  # the same finding in another sample of a spec
                continue
            seen.add(key)
            if rule.code in shown:
                left_out.append((rule, severity, hit, hit.message))
                continue
            findings.append(_finding(source, rule, severity, hit, hit.message, settings))
    branch = _branch_message(source.data, messages, rules)
    if branch is not None:
        for rule, severity, hit in _hits(branch, table, settings, tuple(r for r in rules if r.branches)):
            # Translators: {message} is a finding's message, about the text of a placeholder branch.
            message = N_("in a branch no sample takes: {message}", message=hit.message)
            if rule.code in shown:
                left_out.append((rule, severity, hit, message))
                continue
            findings.append(_finding(source, rule, severity, hit, message, settings))
    if counted and len(findings) + len(left_out) + sum(n for *_, n in counted.values()) > limits.FINDINGS_PER_FILE:
        left_out += [(rule, severity, hit, hit.message) for rule, severity, _ in counted.values()
                     for hit in rule.check(messages[0])]  # the cap's summary below needs them after all
        counted = None
    folded: dict[str, int] = dict(Counter(rule.code for rule, *_ in left_out)) if left_out else {}
    if counted:
        for code, (*_, n) in counted.items():
            folded[code] = folded.get(code, 0) + n
    if len(findings) + len(left_out) > limits.FINDINGS_PER_FILE:  # the cap's summary counts them all
        findings += [_finding(source, *entry, settings) for entry in left_out]
        folded = {}
    if len(findings) > 1:
        findings.sort(key=_place)
    return len(messages), _capped(findings), folded


def _place(finding: Finding) -> tuple[int, int, str]:
    return finding.line or 0, finding.column or 0, finding.code


def _finding(source: Source, rule: Rule, severity: Severity, hit: Hit, message: str,
             settings: LintSettings) -> Finding:
    where = tuple(hit.path)
    line, column = source.locate(where)
    return Finding(rule.code, rule.name, severity, message, where, hit.fix or rule.fix, source.path, line, column,
                   doc_url(rule, settings.docs_url))


def _capped(findings: list[Finding]) -> list[Finding]:
    """The first :data:`~toolkit.limits.FINDINGS_PER_FILE` findings of a file, then one that says how
    many more there are (by rule), at the first one left out, as severe as the worst of them."""
    cap = limits.FINDINGS_PER_FILE
    if len(findings) <= cap:
        return findings
    rest = findings[cap:]
    counts = Counter(f.code for f in rest)
    common = counts.most_common(5)
    first = next(f for f in rest if f.code == common[0][0])
    by_rule = ", ".join(f"{n:,} {code}" for code, n in common) + (", ..." if len(counts) > len(common) else "")
    summary = replace(first, severity=max(f.severity for f in rest), message=N_(
        "{count} more findings in this file are not shown ({rules}): lnm reports at most {limit} per file",
        count=format(len(rest), ","), rules=by_rule, limit=format(cap, ",")),
        fix=N_("Fix the findings shown, then lint again to see the rest."),
        path=rest[0].path, line=rest[0].line, column=rest[0].column)
    return [*findings[:cap], summary]


def _branch_message(data: Any, messages: list[Message], rules: tuple[Rule, ...]) -> Message | None:
    """The text of placeholder branches no sample takes, for the rules that read it (None: none)."""
    if not messages or not messages[0].is_spec or not any(rule.branches for rule in rules):
        return None
    branch = branch_message(data, messages)
    if branch is not None:
        branch.language = message_language(messages[0])
    return branch


#: Batches at least this large are split over worker processes (one per core).
PARALLEL_THRESHOLD = 256
_CHUNK = 32
#: At most this many tasks in a batch, however large: smaller tasks cost more than they balance.
_MAX_CHUNKS = 2048
_WARM_UP = 24


def lint_paths(paths: Iterable[str], table: RuleTable, catalogue: Catalogue, settings: LintSettings,
               *, jobs: int | None = None, skip_other_json: bool = False) -> LintReport:
    """Lint files and directories; unreadable files are reported and the rest still linted.

    Results come in the order of ``paths`` (files inside a folder sorted by name) whether or not
    the batch ran in parallel. ``jobs`` caps the worker processes (default: the usable cores;
    1 means no workers). With ``skip_other_json``, a named JSON file that is no message (a
    ``package.json`` handed over by a pre-commit hook) is passed over, as it is inside a folder.
    """
    planned: list[tuple[str, list[tuple[str, bool]] | FileResult]] = []
    for raw_path in paths:
        try:
            files = list(discover([raw_path]))
        except InputError as exc:
            planned.append((raw_path, FileResult(raw_path, error=exc)))
            continue
        planned.append((raw_path, [(path, named and not skip_other_json) for path, named in files]))
    work = [entry for _, files in planned if isinstance(files, list) for entry in files]
    linted = iter(_run_batch(work, table, catalogue, settings, jobs))
    results: list[FileResult] = []
    skipped = 0
    for raw_path, entry in planned:
        if isinstance(entry, FileResult):
            results.append(entry)
            continue
        before = len(results)
        for _ in entry:
            found = next(linted)
            skipped += not found
            results.extend(found)
        if len(results) == before and os.path.isdir(raw_path):
            skipped -= len(entry)
            results.append(FileResult(raw_path, error=InputError(
                N_("directory holds no LINE notification messages (specs or API bodies)"), path=raw_path)))
    fold_once_per_run(results, table)
    return LintReport(results, skipped=skipped)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_batch(work: list[tuple[str, bool]], table: RuleTable, catalogue: Catalogue,
               settings: LintSettings, jobs: int | None) -> list[list[FileResult]]:
    """Lint each file; a large batch is shared out to forked processes (this one too), in order."""
    workers = min(jobs or _usable_cores(), -(-len(work) // _CHUNK))
    if workers >= 2 and len(work) >= PARALLEL_THRESHOLD and hasattr(os, "fork"):
        return _run_forked(work, table, catalogue, settings, workers)
    shown: set[str] = set()
    return [_lint_file(path, named, table, catalogue, settings, shown) for path, named in work]


_Chunk = list[tuple[int, tuple[str, bool]]]


def _chunks(rest: _Chunk, workers: int) -> list[_Chunk]:
    """``rest`` cut into tasks, smaller towards the end (a quarter of what is left shared by the
    processes, but at least 8 files and a quarter of a full task), so that the processes finish
    within a few files of each other. At most :data:`_MAX_CHUNKS` tasks."""
    size = max(_CHUNK, -(-len(rest) // (_MAX_CHUNKS // 2)))
    least = max(8, size // 4)
    sharing = 4 * min(workers, 16)
    chunks: list[_Chunk] = []
    start = 0
    while start < len(rest):
        step = min(size, max(least, (len(rest) - start) // sharing))
        chunks.append(rest[start:start + step])
        start += step
    return chunks


def _run_forked(work: list[tuple[str, bool]], table: RuleTable, catalogue: Catalogue, settings: LintSettings,
                workers: int) -> list[list[FileResult]]:
    from ._fork import ChildDied, map_forked

    # Lint a spread of files here first: the caches the rules build on first use (value patterns
    # and word lists per language, compiled placeholders) are then built once and inherited.
    step = max(1, len(work) // _WARM_UP)
    warm = {i: _lint_file(*work[i], table, catalogue, settings, set()) for i in range(0, len(work), step)}
    rest = [(i, entry) for i, entry in enumerate(work) if i not in warm]
    chunks = _chunks(rest, workers)

    def lint_chunk(chunk: _Chunk) -> list[tuple[int, list[FileResult]]]:
        shown: set[str] = set()  # chunks come back in order: each file's "earlier file" is in its own chunk
        return [(i, _lint_file(path, named, table, catalogue, settings, shown)) for i, (path, named) in chunk]

    # The results unpacked hold no reference cycles: walking them again and again as they pile up
    # was half the cost of unpacking.
    gc_was_on = gc.isenabled()
    try:
        linted = map_forked(chunks, lint_chunk, workers, _pack_chunk, _unpack_chunk)
    except ChildDied:
        raise LnmError(N_("a lint worker process died (out of memory?); try again with --jobs 1")) from None
    finally:
        if gc_was_on:
            gc.enable()
    done = {i: results for chunk in linted for i, results in chunk}
    return [warm[i] if i in warm else done[i] for i in range(len(work))]


#: A file's results as plain tuples: far cheaper to pickle and unpickle than dataclasses, and
#: unpickling happens in the parent, on the critical path.
_Packed = list[tuple[str, int, bool, "LnmError | None", list[tuple[Any, ...]], dict[str, int], dict[int, str] | None]]


def _pack_chunk(chunk: list[tuple[int, list[FileResult]]]) -> list[tuple[int, _Packed]]:
    return [(i, _pack(results)) for i, results in chunk]


def _unpack_chunk(chunk: list[tuple[int, _Packed]]) -> list[tuple[int, list[FileResult]]]:
    gc.disable()  # turned back on by _run_forked
    return [(i, _unpack(packed)) for i, packed in chunk]


def _pack(results: list[FileResult]) -> _Packed:
    return [(r.path, r.messages, r.spec, r.error,
             [(f.code, f.name, int(f.severity), f.message, f.path, f.fix, f.file, f.line, f.column, f.doc_url)
              for f in r.findings], r.folded, r.lines) for r in results]


def _unpack(packed: _Packed) -> list[FileResult]:
    return [FileResult(path, [Finding(code, name, Severity(level), *rest) for code, name, level, *rest in found],
                       error, messages, spec, folded, lines)
            for path, messages, spec, error, found, folded, lines in packed]


def _lint_file(path: str, named: bool, table: RuleTable, catalogue: Catalogue, settings: LintSettings,
               shown: set[str]) -> list[FileResult]:
    """Lint one file of a batch. ``shown``: the ``once_per_run`` rules whose first finding an earlier
    file of the batch holds (their findings here are only counted); this file's are added to it."""
    try:
        source = load_source(path)
        shape = document_shape(source.data)
        if not named and shape is None:
            return []  # other JSON in a directory (catalogue files, configs): not a message
        count, findings, folded = _lint_source(source, table, catalogue, settings, shown)
    except LnmError as exc:
        if exc.path is None:
            exc.path = path
        return [FileResult(path, error=exc)]
    except Exception as exc:  # a bug met on this file: exit 3, and the rest of the batch goes on
        if os.environ.get("LNM_DEBUG", "") not in ("", "0"):
            import traceback

            traceback.print_exc()
        return [FileResult(path, error=InternalError.from_exception(exc, path))]
    if findings:
        once = once_per_run(table)
        shown.update(f.code for f in findings if f.code in once)
    return [FileResult(path, findings=findings, messages=count, spec=shape == Shape.SPEC, folded=folded,
                       lines=_finding_lines(source.text, findings))]
