"""Approvals tied to content: who approved which message, recorded by what the message sends.

The record is ``.lnm/approvals.json`` at the repository root (the nearest folder upwards from the
current one holding ``.lnm/`` or ``.git``), a sorted, indented text file meant to be reviewed in a
pull request. One entry per message file, keyed by its path relative to that root:

``contentHash``
    sha256 of the canonical JSON (sorted keys, no spaces) of every sample's built request body with
    the recipient ``to`` removed, and the delivery tag, and of the spec's templates themselves: the
    normal form of each value holding a placeholder (:func:`toolkit.spec.branches.normal_form`), so
    that text in a branch no sample takes is approved too. Reformatting a spec, reordering its
    keys or the spacing inside ``{{ }}`` and ``{% %}`` leaves the hash alone; changing any sent
    text, key, URL, sample value or template branch changes it.
``hashVersion``
    2 for that hash. An entry without it was made by an lnm whose hash covered the built bodies only:
    for a message with placeholders it no longer counts as an approval (``outdated``), since it
    never covered the branches no sample takes; review the message and approve it again. For a
    message without placeholders it still counts: the bodies were all it could send.
``approvedBy``, ``approvedAt`` (UTC), ``note``
``renderer`` and ``catalogue``
    The lnm version with the preview renderer's fingerprint, and a fingerprint of the catalogue
    entries, that the reviewer saw the message with (informative; they do not void an approval).

No recipient goes into the file: ``to`` is dropped before hashing and never stored, and a note that
holds something shaped like a phone number is refused.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._io import atomic_write_text
from ..errors import InputError, UsageError
from ..findings import Severity
from ..i18n import N_, _, localize, ngettext
from ..spec.catalogue import Catalogue

__all__ = ["APPROVALS_FILE", "ApprovalCheck", "RejectedContent", "approve", "check_approvals", "content_hash",
           "find_approvals_file", "load_approvals", "message_files"]

APPROVALS_FILE = Path(".lnm") / "approvals.json"
FORMAT_VERSION = 2
#: What ``contentHash`` covers: 1 the built bodies, 2 the bodies and the templates of every branch.
HASH_VERSION = 2


class RejectedContent(InputError):
    """A message LINE's API would reject: nothing to approve (exit 1, as ``lnm build`` does)."""

    exit_code = 1


def _holds_phone_number(text: str) -> bool:
    """True when ``text`` holds a valid phone number of Japan, Thailand or Taiwan (or an E.164 one)."""
    import phonenumbers

    return any(True for region in ("JP", "TH", "TW")
               for _ in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.VALID))


def find_approvals_file(start: str | os.PathLike[str] | None = None) -> Path:
    """``.lnm/approvals.json`` in the nearest folder upwards holding ``.lnm`` or ``.git``, else here."""
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / ".lnm").is_dir() or (folder / ".git").exists():
            return folder / APPROVALS_FILE
    return here / APPROVALS_FILE


def _key(path: str, root: Path) -> str:
    real = Path(path).resolve()
    try:
        return real.relative_to(root).as_posix()
    except ValueError:
        raise UsageError(_("{path} is outside the repository at {root}; approvals name files inside it", path=path,
                           root=str(root))) from None


def message_files(paths: Iterable[str]) -> list[str]:
    """The message files (specs and API bodies) under ``paths``, in the order ``lnm lint`` finds them."""
    from ..lint.engine import discover
    from ..spec.message import document_shape
    from ..spec.source import load_source

    out = []
    for path, named in discover(list(paths)):
        if not named:
            try:
                data = load_source(path).data
            except InputError:
                out.append(path)  # reported when it is read again
                continue
            if document_shape(data) is None:
                continue
        out.append(path)
    return out


def _sent(document: Mapping[str, Any], catalogue: Catalogue, path: str) -> list[dict[str, Any]]:
    """What each sample sends: body without the recipient, delivery tag; refuses what LINE rejects."""
    from ..builder import build
    from ..rules import default_table
    from ..spec.message import Shape, document_shape

    table = default_table()
    samples = document.get("samples") if document_shape(document) == Shape.SPEC else None
    names: list[str | None] = sorted(samples) if isinstance(samples, dict) and samples else [None]
    out = []
    for name in names:
        request = build(document, catalogue, table, path=path, sample=name)
        errors = [f for f in request.findings if f.severity >= Severity.ERROR]
        if errors:
            first = errors[0]
            raise RejectedContent(ngettext("not approvable: {n} error LINE's API would reject: {code} {message} "
                                           "(see {command})",
                                           "not approvable: {n} errors LINE's API would reject, first {code} {message} "
                                           "(see {command})", len(errors), code=first.code,
                                           message=localize(first.message), command="lnm lint " + path), path=path)
        body = {k: v for k, v in request.body.items() if k != "to"}
        out.append({"sample": name, "body": body, "deliveryTag": request.delivery_tag})
    return out


def _digest(value: Any) -> str:
    canonical = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _templates(document: Mapping[str, Any]) -> dict[str, str]:
    """The normal form of every value holding a placeholder, by its JSON pointer."""
    from ..spec.branches import normal_form, template_values

    if "kind" not in document:
        return {}  # an API body: what it sends is all there is
    return {"/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path): normal_form(value)
            for path, value in template_values(document)}


def _hashes(document: Mapping[str, Any], catalogue: Catalogue, path: str) -> tuple[str, str, bool]:
    """The hash of one message, its hash as lnm made it before templates were hashed (version 1),
    and whether it has templates (without any, version 1 covered all it can send)."""
    sent = _sent(document, catalogue, path)
    templates = _templates(document)
    return _digest({"sent": sent, "templates": templates}), _digest(sent), bool(templates)


def content_hash(document: Mapping[str, Any], catalogue: Catalogue, *, path: str = "<spec>") -> str:
    """``sha256:<hex>`` of what the message sends for every sample (recipient removed) and of its
    templates, every branch included, in their normal form."""
    return _hashes(document, catalogue, path)[0]


def _catalogue_version(catalogue: Catalogue) -> str:
    entries = sorted((e.kind, e.key, json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True))
                     for e in catalogue.entries())
    return "sha256:" + hashlib.sha256(json.dumps(entries, ensure_ascii=False).encode()).hexdigest()[:16]


def _renderer_version() -> str:
    from .._paths import lnm_version
    from ..render.preview import code_fingerprint

    return f"lnm {lnm_version()}, chat screen {code_fingerprint(sheets=False)[:12]}"


def load_approvals(file: Path) -> dict[str, dict[str, Any]]:
    """The entries of an approvals file by key ({} when there is none yet)."""
    from .._io import read_regular_file

    if not os.path.lexists(file):
        return {}
    raw = read_regular_file(file, 64 * 1024 * 1024)  # a FIFO or device here is one line, not a hang
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(_("cannot read approvals: {reason}", reason=str(exc)), path=str(file)) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(_("invalid JSON: {reason}", reason=exc.msg), path=str(file), line=exc.lineno,
                         column=exc.colno) from None
    except RecursionError:
        raise InputError(N_("not an lnm approvals file: nested too deeply to read"), path=str(file)) from None
    entries = data.get("approvals") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        raise InputError(_("not an lnm approvals file: expected {shape}", shape='{"approvals": {key: entry}}'),
                         path=str(file))
    return entries


def _dump(entries: Mapping[str, Mapping[str, Any]]) -> str:
    data = {"generator": "lnm approve (edit only through lnm approve)", "version": FORMAT_VERSION,
            "approvals": {key: dict(sorted(entries[key].items())) for key in sorted(entries)}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _read(path: str) -> Mapping[str, Any]:
    from ..spec.source import load_source

    data = load_source(path).data
    assert isinstance(data, dict)
    return data


def approve(paths: Iterable[str], catalogue: Catalogue, *, by: str, note: str | None = None,
            file: Path | None = None, now: _dt.datetime | None = None) -> tuple[Path, list[str]]:
    """Record an approval of each message under ``paths``; returns the file and the keys approved."""
    if not by.strip():
        raise UsageError(_("{option} needs the reviewer's name", option="--by"))
    for text, option in ((by, "--by"), (note or "", "--note")):
        if _holds_phone_number(text):
            raise UsageError(_("{option} holds something shaped like a phone number; approvals never record one",
                               option=option))
    target = file or find_approvals_file()
    if file is None:
        from .._io import check_inside

        check_inside(target.parent, target.parent.parent)  # before the work: .lnm must not lead out
    root = target.resolve().parent.parent
    entries = load_approvals(target)
    stamp = (now or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC).replace(microsecond=0)
    renderer, catalogue_version = _renderer_version(), _catalogue_version(catalogue)
    keys = []
    files = message_files(paths)
    if not files:
        raise InputError(N_("no LINE notification messages (specs or API bodies) found"), path=", ".join(paths))
    for path in files:
        key = _key(path, root)
        entry: dict[str, Any] = {"contentHash": content_hash(_read(path), catalogue, path=path),
                                 "hashVersion": HASH_VERSION,
                                 "approvedBy": by.strip(), "approvedAt": stamp.isoformat().replace("+00:00", "Z"),
                                 "renderer": renderer, "catalogue": catalogue_version}
        if note:
            entry["note"] = note
        entries[key] = entry
        keys.append(key)
    try:  # the default file stays inside its repository: a .lnm link out of it is refused
        atomic_write_text(target, _dump(entries), root=None if file else target.parent.parent)
    except OSError as exc:
        raise UsageError(_("cannot write {path}: {reason}", path=str(target), reason=exc.strerror or exc)) from None
    return target, keys


@dataclass(frozen=True)
class ApprovalCheck:
    """The approval state of one message file."""

    path: str
    key: str
    status: str
    """``approved``, ``changed`` (content differs from what was approved), ``outdated`` (approved
    under the earlier hash, which did not cover the templates' branches) or ``unapproved``."""
    entry: Mapping[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.status == "approved"

    def line(self) -> str:
        """One line on the approval, in the UI language."""
        by = str(self.entry.get("approvedBy")) if self.entry is not None else "?"
        at = str(self.entry.get("approvedAt")) if self.entry is not None else "?"
        if self.status == "changed" and self.entry is not None:
            return _("{path}: content changed since {name} approved it on {date}; review it and run {command} again",
                     path=self.path, name=by, date=at, command="lnm approve")
        if self.status == "outdated" and self.entry is not None:
            return _("{path}: approved by {name} on {date} with an older lnm whose approvals did not cover template "
                     "branches no sample takes; review every branch and run {command} again",
                     path=self.path, name=by, date=at, command="lnm approve")
        if self.status == "unapproved":
            return _("{path}: not approved; review it and run {command}", path=self.path,
                     command="lnm approve " + self.path + " --by NAME")
        return _("{path}: approved by {name}", path=self.path, name=by)


def check_approvals(paths: Iterable[str], catalogue: Catalogue, *, file: Path | None = None) -> list[ApprovalCheck]:
    """Compare what each message under ``paths`` sends now with its recorded approval."""
    target = file or find_approvals_file()
    root = target.resolve().parent.parent
    entries = load_approvals(target)
    out = []
    for path in message_files(paths):
        key = _key(path, root)
        entry = entries.get(key)
        if entry is None:
            out.append(ApprovalCheck(path, key, "unapproved"))
            continue
        now: str | None = None
        before: str | None = None
        try:
            now, before, templated = _hashes(_read(path), catalogue, path)
        except InputError:
            templated = False  # unreadable or rejected by the API checks: not what was approved
        recorded = entry.get("contentHash")
        if entry.get("hashVersion") == HASH_VERSION:
            status = "approved" if now is not None and now == recorded else "changed"
        elif before is None or before != recorded:
            status = "changed"
        else:  # approved under version 1: it saw all there is only when nothing is templated
            status = "outdated" if templated else "approved"
        out.append(ApprovalCheck(path, key, status, entry))
    return out
