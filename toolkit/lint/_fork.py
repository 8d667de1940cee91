"""Share a batch out to forked copies of this process, this one taking its share too.

The children inherit everything they need (rules, catalogue, settings, warm caches): nothing is
pickled on the way in, and only their results come back, through a pipe each. No pool, no task
queue, no extra process waiting on the others: on two cores, two processes lint.
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["ChildDied", "map_forked"]

T = TypeVar("T")
R = TypeVar("R")


class ChildDied(Exception):
    """A child process ended without handing back its results (killed, out of memory...)."""


def map_forked(tasks: Sequence[T], work: Callable[[T], R], processes: int,
               pack: Callable[[R], Any], unpack: Callable[[Any], R]) -> list[R]:
    """``work(task)`` for every task, results in the order of ``tasks``.

    Task ``j`` runs in process ``j % processes``; process 0 is this one. A child hands back
    ``pack(result)`` (something cheap to pickle), which is turned back with ``unpack``.
    """
    children: dict[int, int] = {}  # pid -> read end of its pipe, until reaped
    try:
        gc.freeze()  # the children's collector leaves the inherited objects (and their pages) alone
        try:
            for k in range(1, processes):
                pid, read_end = _fork(tasks[k::processes], work, pack)
                children[pid] = read_end
        except OSError as exc:  # no process left to start
            raise ChildDied(f"cannot start a process: {exc.strerror or exc}") from None
        finally:
            gc.unfreeze()
        boxes: dict[int, list[bytes]] = {pid: [] for pid in children}
        readers = [threading.Thread(target=_drain, args=(fd, boxes[pid]), daemon=True)
                   for pid, fd in children.items()]
        for reader in readers:
            reader.start()
        shares: list[list[R]] = [[work(task) for task in tasks[0::processes]]]
        for reader in readers:
            reader.join()
        for pid in list(children):
            _, status = os.waitpid(pid, 0)
            del children[pid]
            if status != 0 or not boxes[pid] or not boxes[pid][0]:
                raise ChildDied(f"process {pid} ended with status {status}")
            shares.append([unpack(packed) for packed in pickle.loads(boxes[pid][0])])
    finally:
        for pid in children:  # only after an error: stop and reap what is left
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass
    return [shares[j % processes][j // processes] for j in range(len(tasks))]


def _fork(share: Sequence[T], work: Callable[[T], R], pack: Callable[[R], Any]) -> tuple[int, int]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: work, hand back, and leave without running the parent's exit code
        status = 3
        try:
            os.close(read_end)
            data = pickle.dumps([pack(work(task)) for task in share], pickle.HIGHEST_PROTOCOL)
            with open(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return pid, read_end


def _drain(fd: int, box: list[bytes]) -> None:
    with open(fd, "rb") as pipe:
        box.append(pipe.read())
