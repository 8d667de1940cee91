"""Which ``Host`` headers ``lnm serve`` answers: the names it was started for, on every address.

A page on any web site can make the browser send requests to ``lnm serve``; the same-origin policy
only stops it reading the answers until DNS rebinding points the attacker's own name at the
server's address. The answer to that is the ``Host`` header: such a request carries the attacker's
name, which the server was not started for, and gets a 400.

Accepted, whatever address is bound: the ``--host`` value itself and the address it resolved to;
``localhost``, ``127.0.0.1`` and ``[::1]`` when the loopback interface is reachable (a loopback or
all-interfaces address); for an all-interfaces address (``0.0.0.0``, ``::``) also an IP address
literal (a rebinding page cannot send one) and the machine's own host name; and every name given
with ``--allow-host`` (a leading ``*.`` allows the subdomains of a name).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

from ..i18n import _

__all__ = ["HostCheck", "HostPolicy", "host_name", "host_policy"]

_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")


def _literal(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]").split("%")[0])
    except ValueError:
        return None


def _spelled(address: str) -> str:
    """An address as a ``Host`` header spells it (IPv6 in brackets), lower case."""
    literal = _literal(address)
    if literal is not None and literal.version == 6:
        return f"[{literal.compressed}]"
    return address.lower().rstrip(".")


def host_name(header: str) -> str | None:
    """The name of a ``Host`` header without its port (``[::1]:8321`` -> ``[::1]``), or None when
    it is not one."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        name, rest = value[: end + 1], value[end + 1:]
        literal = _literal(name)
        if literal is None:
            return None
        name = f"[{literal.compressed}]"
    else:
        name, colon, port = value.partition(":")
        rest = colon + port
    if rest and not (rest.startswith(":") and rest[1:].isdigit()):
        return None
    name = name.rstrip(".")
    return name or None


@dataclass(frozen=True)
class HostPolicy:
    """The names a server answers to."""

    names: frozenset[str]
    suffixes: tuple[str, ...] = ()
    any_address: bool = False
    loopback_only: bool = True

    def allows(self, header: str) -> bool:
        name = host_name(header)
        if name is None:
            return False
        if name in self.names or any(name.endswith(suffix) for suffix in self.suffixes):
            return True
        return self.any_address and _literal(name) is not None


def host_policy(host: str, allow: Iterable[str] = (), bound: str | None = None) -> HostPolicy:
    """The policy of a server started with ``--host host`` (bound to ``bound``, when known) and
    ``--allow-host`` names ``allow``."""
    names = {_spelled(host)}
    addresses = [bound] if bound else []
    literal = _literal(host)
    if literal is None and not bound:
        try:
            addresses = [str(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)]
        except (socket.gaierror, UnicodeError):
            addresses = []
    elif literal is not None:
        addresses.append(str(literal))
    parsed = [a for a in (_literal(str(address)) for address in addresses) if a is not None]
    names.update(_spelled(str(address)) for address in parsed)
    any_address = any(address.is_unspecified for address in parsed)
    loopback = any_address or host.lower() == "localhost" or any(address.is_loopback for address in parsed)
    if loopback:
        names.update(_LOOPBACK_NAMES)
    if any_address:
        names.update(name.lower() for name in {socket.gethostname(), socket.getfqdn()} if name)
    suffixes = []
    for raw in allow:
        value = raw.strip().lower().rstrip(".")
        if value.startswith("*.") and len(value) > 2:
            suffixes.append(value[1:])
        elif value:
            names.add(_spelled(value))
    return HostPolicy(frozenset(names), tuple(suffixes), any_address,
                      loopback_only=bool(parsed) and all(address.is_loopback for address in parsed))


_Scope = MutableMapping[str, Any]
_Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
_Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class HostCheck:
    """ASGI middleware: a request whose ``Host`` the policy does not allow gets a 400 and nothing else."""

    def __init__(self, app: Callable[[_Scope, _Receive, _Send], Awaitable[None]], policy: HostPolicy) -> None:
        self.app = app
        self.policy = policy

    async def __call__(self, scope: _Scope, receive: _Receive, send: _Send) -> None:
        if scope["type"] in ("http", "websocket"):
            headers = dict(scope.get("headers") or [])
            header = headers.get(b"host", b"").decode("latin-1")
            if not self.policy.allows(header):
                body = (_("Invalid host header: lnm serve answers only the names it was started for ({option})",
                          option="--allow-host") + "\n").encode("utf-8")
                await send({"type": "http.response.start", "status": 400, "headers": [
                    (b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
                    (b"cache-control", b"no-store")]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
