"""Share a batch out to forked copies of this process, this one taking its share too.

The children inherit everything they need (rules, catalogue, settings, warm caches): nothing is
pickled on the way in, and only their results come back, through a pipe each. No pool, no extra
process waiting on the others: on two cores, two processes lint.

Tasks are handed out as they are asked for, not dealt in advance: every process takes the next
task number from one shared pipe when it is free, so a process that is slowed down (a busy core,
a page copied on write) takes fewer tasks instead of leaving the others waiting for it at the end.
A child sends each result as soon as it has it, and a thread here reads it while this process
works, so little is left to do once the last task is done.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["ChildDied", "map_forked"]

T = TypeVar("T")
R = TypeVar("R")

#: A task number in the ticket pipe, and the length before each result frame.
_NUMBER = struct.Struct("<I")
#: Task numbers are written in blocks of at most this many bytes: a pipe takes a write of up to
#: PIPE_BUF bytes (512 on macOS) whole, and a pipe's buffer may be no larger than that.
_TICKET_BLOCK = 512


class ChildDied(Exception):
    """A child process ended without handing back its results (killed, out of memory...)."""


def map_forked(tasks: Sequence[T], work: Callable[[T], R], processes: int,
               pack: Callable[[R], Any], unpack: Callable[[Any], R]) -> list[R]:
    """``work(task)`` for every task, results in the order of ``tasks``.

    ``processes - 1`` children and this process take tasks from one queue until it is empty. A
    child hands back ``pack(result)`` (something cheap to pickle), which is turned back with ``unpack``
    (in a thread of this process, while it works).
    """
    results: dict[int, R] = {}
    children: list[int] = []  # pids, until reaped
    unread: list[int] = []  # read ends no reader thread has taken yet (closed here after an error)
    tickets_in, tickets_out = os.pipe()
    try:
        gc.freeze()  # the children's collector leaves the inherited objects (and their pages) alone
        try:
            for _ in range(1, processes):
                pid, read_end = _fork(tasks, tickets_in, tickets_out, unread, work, pack)
                children.append(pid)
                unread.append(read_end)
        except OSError as exc:  # no process left to start
            raise ChildDied(f"cannot start a process: {exc.strerror or exc}") from None
        finally:
            gc.unfreeze()
        # Written by a thread while the processes read: a pipe may hold fewer numbers than there are.
        writer = threading.Thread(target=_write_tickets, args=(tickets_out, len(tasks)), daemon=True)
        tickets_out = -1  # the writer closes it when all numbers are written
        writer.start()
        failed: list[BaseException] = []
        lock = threading.Lock()
        readers = [threading.Thread(target=_receive, args=(fd, unpack, results, lock, failed), daemon=True)
                   for fd in unread]
        unread.clear()
        for reader in readers:
            reader.start()
        for j in _tickets(tickets_in):
            result = work(tasks[j])
            with lock:
                results[j] = result
        for reader in readers:
            reader.join()
        for pid in list(children):
            _, status = os.waitpid(pid, 0)
            children.remove(pid)
            if status != 0:
                code = os.waitstatus_to_exitcode(status)
                raise ChildDied(f"process {pid} ended with {'signal ' + str(-code) if code < 0 else 'status ' + str(code)}")
        if failed or len(results) != len(tasks):
            raise ChildDied("a process ended without handing back all its results") from (failed[0] if failed else None)
    finally:
        os.close(tickets_in)
        for fd in (tickets_out, *unread):
            if fd >= 0:
                os.close(fd)
        for pid in children:  # only after an error: stop and reap what is left
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
    return [results[j] for j in range(len(tasks))]


def _write_tickets(fd: int, count: int) -> None:
    """Every task number into the ticket pipe, in blocks each process reads whole numbers from."""
    data = b"".join(_NUMBER.pack(j) for j in range(count))
    try:
        done = 0
        while done < len(data):
            done += os.write(fd, data[done:done + _TICKET_BLOCK])
    except OSError:
        pass  # every reader is gone (an error stopped the batch): nothing is left to hand out
    finally:
        os.close(fd)


def _tickets(fd: int) -> Any:
    """Task numbers from the shared pipe until it is empty (each read takes one whole number: a pipe
    hands a read of a few bytes to one reader at a time)."""
    while True:
        data = os.read(fd, _NUMBER.size)
        if len(data) < _NUMBER.size:
            return
        yield _NUMBER.unpack(data)[0]


def _fork(tasks: Sequence[T], tickets_in: int, tickets_out: int, inherited: Sequence[int],
          work: Callable[[T], R], pack: Callable[[R], Any]) -> tuple[int, int]:
    """Start a child that takes tasks from the ticket pipe; returns its pid and the read end of its
    result pipe. ``inherited``: the earlier children's read ends, which this child closes."""
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        raise
    if pid == 0:  # the child: work, hand back, and leave without running the parent's exit code
        status = 3
        try:
            for fd in (read_end, tickets_out, *inherited):
                os.close(fd)
            with open(write_end, "wb") as out:
                for j in _tickets(tickets_in):
                    frame = pickle.dumps((j, pack(work(tasks[j]))), pickle.HIGHEST_PROTOCOL)
                    out.write(_NUMBER.pack(len(frame)) + frame)
                    out.flush()
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _receive(fd: int, unpack: Callable[[Any], R], results: dict[int, R], lock: threading.Lock,
             failed: list[BaseException]) -> None:
    """Read a child's result frames until it closes its pipe."""
    try:
        with open(fd, "rb") as pipe:
            while True:
                head = pipe.read(_NUMBER.size)
                if len(head) < _NUMBER.size:
                    return
                (size,) = _NUMBER.unpack(head)
                frame = pipe.read(size)
                if len(frame) < size:
                    raise EOFError("a result frame was cut short")
                j, packed = pickle.loads(frame)
                result = unpack(packed)
                with lock:
                    results[j] = result
    except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises ChildDied
        failed.append(exc)
