"""Bounded reads and atomic writes.

Reads: only regular files are read (a FIFO would block forever, ``/dev/zero`` would fill memory),
and the size limit is enforced while reading, so a file that grows or lies about its size cannot
take more than the limit. Standard input gets a limit too.

Writes: a reader sees the old file or the whole new one, never half of it. New files get the
user's umask (not the 0600 of a temporary file); a file that is replaced keeps its mode. Any
failure is one :class:`OutputError` line and leaves nothing behind. A write never leaves the folder
the user named through a symbolic link (:func:`check_inside`): a link on the way that points out of
it is refused, and a link in the file's own place is replaced, never written through.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path

from .errors import InputError, LnmError, OutputError
from .i18n import N_, Text

__all__ = ["atomic_write_bytes", "atomic_write_text", "check_inside", "check_output_dir",
           "check_output_file", "json_text", "read_regular_file", "read_stdin"]

_CHUNK = 1 << 16


def _kind(mode: int) -> Text:
    if stat.S_ISDIR(mode):
        return N_("a directory")
    if stat.S_ISFIFO(mode):
        return N_("a FIFO (named pipe)")
    if stat.S_ISCHR(mode):
        return N_("a character device")
    if stat.S_ISBLK(mode):
        return N_("a block device")
    if stat.S_ISSOCK(mode):
        return N_("a socket")
    return N_("not a regular file")


def _too_large(limit: int) -> Text:
    if limit >= 1 << 20:
        return N_("file is too large (more than {size:g} MB)", size=limit / 1048576)
    return N_("file is too large (more than {size} bytes)", size=limit)


def read_regular_file(path: str | os.PathLike[str], limit: int,
                      error: type[LnmError] = InputError) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes.

    Anything else (missing, a directory, a FIFO, a device, a socket, too large, unreadable) raises
    ``error`` with one line. The file is checked before it is opened (opening some devices does
    something) and again after (it may have been swapped in between); the limit holds while
    reading, whatever the size said.
    """
    name = os.fspath(path)
    try:
        before = os.stat(name)
        if not stat.S_ISREG(before.st_mode):
            # Translators: {kind} names what the path is ("a directory", "a FIFO (named pipe)"...).
            raise error(N_("is {kind}, not a regular file; not read", kind=_kind(before.st_mode)), path=name)
        if before.st_size > limit:
            raise error(_too_large(limit), path=name)
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error(N_("no such file or directory"), path=name) from None
    except PermissionError:
        raise error(N_("permission denied"), path=name) from None
    except OSError as exc:
        # Translators: {reason} is the operating system's own explanation, in English.
        raise error(N_("cannot read: {reason}", reason=exc.strerror or str(exc)), path=name) from None
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode):
            raise error(N_("is {kind}, not a regular file; not read", kind=_kind(after.st_mode)), path=name)
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise error(_too_large(limit), path=name)
        return b"".join(chunks)
    except OSError as exc:
        raise error(N_("cannot read: {reason}", reason=exc.strerror or str(exc)), path=name) from None
    finally:
        os.close(fd)


def read_stdin(limit: int, what: str = N_("standard input")) -> bytes:
    """At most ``limit`` bytes of standard input, to its end (one line from a terminal).

    A device other than a terminal (``< /dev/zero``) is refused; more than ``limit`` bytes is an
    error rather than a silent cut.
    """
    try:
        fd = sys.stdin.fileno()
        mode = os.fstat(fd).st_mode
    except (AttributeError, OSError, ValueError):
        fd, mode = -1, 0
    if fd >= 0 and (stat.S_ISCHR(mode) or stat.S_ISBLK(mode)) and not os.isatty(fd):
        # Translators: {what} is "standard input" or a longer name of it; {kind} what it is ("a directory"...).
        raise InputError(N_("{what} is {kind}; give the value through a pipe or a file", what=what, kind=_kind(mode)))
    stream = sys.stdin.buffer
    if fd >= 0 and os.isatty(fd):
        data = stream.readline(limit + 1)
    else:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(N_("{what} holds more than {limit} bytes; not read", what=what, limit=limit))
    return bytes(data)


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # no other way to read it; set it straight back
    os.umask(mask)
    return mask


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def check_output_file(path: str | os.PathLike[str]) -> None:
    """Fail early, with one line, when ``path`` cannot be a file lnm writes (before any work).

    Missing folders on the way are fine (they are created when the file is written); a file in
    their place, or a folder that cannot be written, is an :class:`OutputError`.
    """
    name = os.fspath(path)
    parent = os.path.dirname(os.path.abspath(name))
    if os.path.isdir(name):
        raise OutputError(N_("is a directory; give a file name"), path=name)
    if os.path.lexists(name) and not os.path.isfile(name):
        raise OutputError(N_("exists and is not a regular file; not written"), path=name)
    _check_creatable(parent, name)


def _check_creatable(folder: str, name: str) -> None:
    """``folder`` exists and is writable, or can be made: its nearest existing ancestor is a
    writable folder (missing folders are created on writing, as ``mkdir -p`` would)."""
    probe = folder
    while not os.path.lexists(probe):
        up = os.path.dirname(probe)
        if up == probe:
            break
        probe = up
    if not os.path.isdir(probe):
        raise OutputError(N_("cannot write: {folder} is not a folder", folder=probe), path=name)
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(N_("cannot write: folder {folder} is not writable", folder=probe), path=name)


def check_output_dir(path: str | os.PathLike[str]) -> None:
    """Create the output folder ``path`` (and its parents); one line when that is not possible.

    ``os.makedirs`` is not enough on its own: as root it "succeeds" in ``/proc``-like places
    that then refuse every file.
    """
    name = os.fspath(path)
    if os.path.lexists(name) and not os.path.isdir(name):
        raise OutputError(N_("exists and is not a folder; give a folder for the output"), path=name)
    _check_creatable(os.path.abspath(name), name)
    try:
        os.makedirs(name, exist_ok=True)
    except OSError as exc:
        raise OutputError(N_("cannot create the output folder: {reason}", reason=_reason(exc)), path=name) from None
    if not os.access(name, os.W_OK | os.X_OK):
        raise OutputError(N_("cannot write: the output folder is not writable"), path=name)


def check_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> None:
    """Refuse, with one :class:`OutputError` line, when the folder ``path`` (which need not exist
    yet) leaves the folder ``root`` once the symbolic links on the way are followed.

    ``root`` is the folder the user named: a link *to* it is the user's choice and is followed; a
    link inside it that points elsewhere (``approved/sub -> ../outside``) is not.
    """
    real_root = os.path.realpath(root)
    lexical = os.path.abspath(path)
    if _within(os.path.realpath(lexical), real_root):
        return
    # Name the first link on the way that leads out, for a line the user can act on.
    probe, shown = os.path.abspath(root), os.fspath(root)
    for part in Path(os.path.relpath(lexical, os.path.abspath(root))).parts:
        probe, shown = os.path.join(probe, part), os.path.join(shown, part)
        if os.path.islink(probe) and not _within(os.path.realpath(probe), real_root):
            raise OutputError(N_("is a symbolic link to {target}, outside the output folder {folder}; not written "
                                 "through", target=os.path.realpath(probe), folder=os.fspath(root)), path=shown)
    raise OutputError(N_("is outside the output folder {folder}; not written", folder=os.fspath(root)),
                      path=os.fspath(path))


def _within(real: str, real_root: str) -> bool:
    return real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)


#: A lone surrogate: how Python spells a byte of a file name that is not UTF-8 (``os.fsdecode``).
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_text(text: str) -> str:
    """JSON text (as ``json.dumps(..., ensure_ascii=False)`` gives it) that can be written as UTF-8:
    each lone surrogate, which only a string can hold, becomes its ``\\udcXX`` escape, so that a
    file name that is not UTF-8 reads back exactly."""
    return _LONE_SURROGATE.sub(lambda match: f"\\u{ord(match.group(0)):04x}", text)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *,
                       root: str | os.PathLike[str] | None = None) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    Missing parent folders are created (callers writing a user's ``-o FILE`` check it first with
    :func:`check_output_file`). ``root`` is the output folder the user named (default: the file's
    own folder): the file's folder must stay inside it (:func:`check_inside`), checked before any
    folder is made and again before the file is. A symbolic link where the file goes is replaced.
    Any failure raises :class:`OutputError` and removes the temporary file.
    """
    import tempfile

    target = Path(path)
    tmp: str | None = None
    try:
        if target.is_dir():
            raise OutputError(N_("is a directory; not written"), path=str(target))
        if root is not None:
            check_inside(target.parent, root)
        target.parent.mkdir(parents=True, exist_ok=True)
        if root is not None:
            check_inside(target.parent, root)
        try:
            mode = (stat.S_IMODE(os.stat(target).st_mode) if target.is_file() and not target.is_symlink()
                    else 0o666 & ~_umask())
        except OSError:
            mode = 0o666 & ~_umask()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(N_("cannot write: {reason}", reason=_reason(exc)), path=str(target)) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def atomic_write_text(path: str | os.PathLike[str], text: str, *,
                      root: str | os.PathLike[str] | None = None) -> None:
    """:func:`atomic_write_bytes` of ``text`` in UTF-8; a file name that is not UTF-8, quoted in the
    text, is written back as the bytes it was read from (as a terminal shows it)."""
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name gives
        data = text.encode("utf-8", "replace")
    atomic_write_bytes(path, data, root=root)
