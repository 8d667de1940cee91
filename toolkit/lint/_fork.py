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

__all__ = ["MAX_TASKS", "ChildDied", "map_forked"]

T = TypeVar("T")
R = TypeVar("R")

#: A task number in the ticket pipe, and the length before each result frame.
_NUMBER = struct.Struct("<I")
#: Every task number is written to the pipe before any process reads it: 4,096 of them fill 16 KiB,
#: the smallest buffer a pipe has on the systems lnm runs on.
MAX_TASKS = 4096


class ChildDied(Exception):
    """A child process ended without handing back its results (killed, out of memory...)."""


def map_forked(tasks: Sequence[T], work: Callable[[T], R], processes: int,
               pack: Callable[[R], Any], unpack: Callable[[Any], R]) -> list[R]:
    """``work(task)`` for every task, results in the order of ``tasks``.

    ``processes - 1`` children and this process take tasks from one queue until it is empty. A
    child hands back ``pack(result)`` (something cheap to pickle), which is turned back with ``unpack``.
    """
    if len(tasks) > MAX_TASKS:
        raise ValueError(f"at most {MAX_TASKS} tasks: their numbers must fit the ticket pipe's buffer")
    results: dict[int, R] = {}
    children: dict[int, int] = {}  # pid -> read end of its pipe, until reaped
    tickets_in, tickets_out = os.pipe()
    try:
        os.write(tickets_out, b"".join(_NUMBER.pack(j) for j in range(len(tasks))))  # a few hundred bytes
        gc.freeze()  # the children's collector leaves the inherited objects (and their pages) alone
        try:
            for _ in range(1, processes):
                pid, read_end = _fork(tasks, tickets_in, tickets_out, work, pack)
                children[pid] = read_end
        except OSError as exc:  # no process left to start
            raise ChildDied(f"cannot start a process: {exc.strerror or exc}") from None
        finally:
            gc.unfreeze()
        os.close(tickets_out)
        tickets_out = -1
        failed: list[BaseException] = []
        lock = threading.Lock()
        readers = [threading.Thread(target=_receive, args=(fd, unpack, results, lock, failed), daemon=True)
                   for fd in children.values()]
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
            del children[pid]
            if status != 0:
                raise ChildDied(f"process {pid} ended with status {status}")
        if failed or len(results) != len(tasks):
            raise ChildDied("a process ended without handing back all its results")
    finally:
        os.close(tickets_in)
        if tickets_out >= 0:
            os.close(tickets_out)
        for pid in children:  # only after an error: stop and reap what is left
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
    return [results[j] for j in range(len(tasks))]


def _tickets(fd: int) -> Any:
    """Task numbers from the shared pipe until it is empty (each read takes one whole number: a pipe
    hands a read of a few bytes to one reader at a time)."""
    while True:
        data = os.read(fd, _NUMBER.size)
        if len(data) < _NUMBER.size:
            return
        yield _NUMBER.unpack(data)[0]


def _fork(tasks: Sequence[T], tickets_in: int, tickets_out: int, work: Callable[[T], R],
          pack: Callable[[R], Any]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, hand back, and leave without running the parent's exit code
        status = 3
        try:
            os.close(read_end)
            os.close(tickets_out)
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
