"""Guideline rules on links (G020-G025): button URLs, URI actions and URLs written in text."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import SplitResult, unquote, urlsplit

from ..i18n import N_
from ..spec.branches import HOLE
from ..spec.message import Message
from ..spec.placeholders import has_placeholder
from ._base import Hit, RuleSet, per_message
from ._text import SHOWN, fields, load_data, option

__all__ = ["RULES"]

_rules = RuleSet("guideline")
rule = _rules.rule

Path = tuple[str | int, ...]

_IN_TEXT = re.compile(r"(?i)\b(?:https?://|www\.)[!#-;=?-~]+")
_TRAILING = ".,;:!?)]}'\""


class Link(NamedTuple):
    """A URL of a message: a link target, or a URL written inside a text (``in_text``)."""

    path: Path
    url: str
    in_text: bool
    parts: SplitResult | None
    host: str = ""


#: Size of the caches of what a URL is (its parts, what is wrong with it): a team's messages link to
#: the same pages again and again (its shop, its help desk), and each is worked out once per run.
_URLS_CACHED = 1024


def _link(path: Path, url: str, in_text: bool) -> Link:
    return Link(path, url, in_text, *_parse(url))


@lru_cache(maxsize=_URLS_CACHED)
def _parse(url: str) -> tuple[SplitResult | None, str]:
    """The URL's parts (None when it cannot be parsed) and its host, lower case without a final dot."""
    parts = _split(url)
    try:
        host = (parts.hostname or "") if parts is not None else ""
    except ValueError:
        host = ""
    return parts, host.rstrip(".").lower()


def _split(url: str) -> SplitResult | None:
    try:
        parts = urlsplit(url if "://" in url or ":" in url.split("/", 1)[0] else "https://" + url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return None
    return parts


@per_message
def links(msg: Message) -> tuple[Link, ...]:
    """Every link target and every URL written in shown text, parsed once per message."""
    found: list[Link] = []
    if msg.branch_paths is not None:
        return _branch_links(msg)
    for field in fields(msg):
        if has_placeholder(field.text):
            continue  # unfilled placeholder: A090 reports it
        if field.role == "uri":
            found.append(_link(field.path, field.text.strip(), False))
        elif field.role in SHOWN and ("://" in field.text or "www." in field.text.lower()):
            for match in _IN_TEXT.finditer(field.text):
                url = match.group(0).rstrip(_TRAILING)
                found.append(_link(field.path, url, True))
    return tuple(found)


def _branch_links(msg: Message) -> tuple[Link, ...]:
    """The URLs written in the literal text of branches no sample takes (links and shown text alike).

    Such text is a piece of a value: only what reads as a URL on its own (``https://``, ``www.``)
    counts, as in text, and a URL whose host a computed part completes (``https://shop{{ x }}``) is
    left to the samples.
    """
    found = []
    for field in fields(msg):
        if "://" not in field.text and "www." not in field.text.lower():
            continue
        for match in _IN_TEXT.finditer(field.text):
            url = match.group(0).rstrip(_TRAILING)
            link = _link(field.path, url, True)
            cut = field.text.startswith(HOLE, match.end())
            if cut and not link.host or cut and link.parts is not None and not (
                    link.parts.path or link.parts.query or link.parts.fragment):
                continue
            found.append(link)
    return tuple(found)


@lru_cache(maxsize=32)
def _domain_set(domains: tuple[str, ...]) -> frozenset[str]:
    return frozenset(d.strip().lower().lstrip("*").strip(".") for d in domains if d.strip())


def _matches(host: str, domains: tuple[str, ...]) -> bool:
    """True when ``host`` is one of ``domains`` or a subdomain of one."""
    if len(host) > 253:
        return False  # longer than any DNS name; G022 reports the URL
    wanted = _domain_set(domains)
    if host in wanted:
        return True
    dot = host.find(".")
    while dot >= 0:
        if host[dot + 1:] in wanted:
            return True
        dot = host.find(".", dot + 1)
    return False


def _web(link: Link) -> bool:
    return link.parts is not None and link.parts.scheme.lower() in ("http", "https") and bool(link.host)


@rule("G020", "insecure-url", "warning", "Link to the https:// address of the page.", branches=True)
def insecure_url(msg: Message) -> Iterator[Hit]:
    """A link uses plain `http://`.

    What it does: checks button URLs, URI actions and URLs written in text for the `http` scheme.

    Why: a notification message often leads to an order, a payment or an account page; over plain
    HTTP the page and anything typed into it can be read or changed on the way, and phones warn
    about such pages. LINE's review expects HTTPS.

    Example: `http://shop.example.jp/orders/1234567`.

    Use instead: `https://shop.example.jp/orders/1234567`.
    """
    for link in links(msg):
        if link.parts is not None and link.parts.scheme.lower() == "http":
            yield Hit(link.path, N_("{url} is not encrypted (http://); use https://.", url=_short(link.url)))


@lru_cache(maxsize=8)
def _shorteners(extra: tuple[str, ...]) -> tuple[str, ...]:
    return (*load_data("urls")["shorteners"], *extra)


@rule("G021", "shortened-url", "warning", "Use the full address on your own domain.", branches=True)
def shortened_url(msg: Message) -> Iterator[Hit]:
    """A link goes through a URL shortener (bit.ly, t.co, reurl.cc...).

    What it does: compares each link's host with the shorteners listed in
    `toolkit/rules/wordlists/urls.json`, plus the option `extra-shorteners`.

    Why: a short link hides where it leads, so readers cannot tell a genuine notice from phishing,
    and reviewers cannot check the destination. Shorteners also add a third party that can change
    or lose the link.

    Example: `https://bit.ly/3xYz`. Use instead: `https://shop.example.jp/orders/1234567`.
    """
    extra = option(msg, "extra-shorteners", list) or []
    shorteners = _shorteners(tuple(str(s) for s in extra if isinstance(s, str)))
    for link in links(msg):
        if _web(link) and _matches(link.host, shorteners):
            yield Hit(link.path, N_("{host} is a URL shortener: the reader cannot see where the link leads.",
                                    host=link.host))


_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*")


@lru_cache(maxsize=_URLS_CACHED)
def _malformed_url(url: str, in_text: bool) -> str | None:
    """What is wrong with the URL, as a sentence that names it; None when nothing is."""
    if in_text:
        return N_("{url} has a % that does not start a percent-encoded byte (%XX).",
                  url=_short(url)) if _BAD_ESCAPE.search(url) else None
    shown = _short(url)
    parts, host = _parse(url)
    if parts is None:
        return N_("{url} cannot be parsed as a URL (check the port and brackets).", url=shown)
    scheme = parts.scheme.lower()
    schemes = load_data("urls")["schemes"]
    if not scheme or "://" not in url and scheme in ("http", "https"):
        return N_("{url} has no scheme; write the full address starting with https://.", url=shown)
    if scheme not in schemes:
        return N_("{url} uses the scheme {scheme}, which LINE does not open (use {schemes}).", url=shown,
                  scheme=repr(scheme), schemes=", ".join(schemes))
    if scheme in ("http", "https"):
        if not host:
            return N_("{url} has no host name.", url=shown)
        name = _ip(host) is None
        if name and (len(host) > 253 or not _HOST.fullmatch(host) or "." not in host and host != "localhost"):
            return N_("{url} has an invalid host name {host}.", url=shown, host=repr(host))
    return None


@rule("G022", "malformed-url", "error",
      "Write the full https:// address, as a browser's address bar shows it.", branches=True)
def malformed_url(msg: Message) -> Iterator[Hit]:
    """A link is not a valid URL: no scheme, a scheme LINE does not open, a broken host or port.

    What it does: checks that each button URL and URI action has a scheme LINE opens (`https`,
    `http`, `line`, `tel`) and a valid host name and port, and that every `%` of a URL written in
    text starts a `%XX` escape. (Characters that must be percent-encoded in a button URL or URI
    action are the API check A020.)

    Why: a broken URL fails to open, or opens the wrong page, on some phones.

    Example: `shop.example.jp/orders` or `javascript:alert(1)`.

    Use instead: `https://shop.example.jp/orders`.
    """
    for link in links(msg):
        problem = _malformed_url(link.url, link.in_text)
        if problem:
            yield Hit(link.path, problem)


_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_PHONE_VALUE = re.compile(r"(?:\+|00)?[0-9][0-9\-. ()]{8,18}[0-9]")


@lru_cache(maxsize=1)
def _sensitive_names() -> frozenset[str]:
    return frozenset(n.lower().replace("-", "").replace("_", "") for n in load_data("urls")["sensitiveQueryNames"])


@lru_cache(maxsize=_URLS_CACHED)
def _personal_in(url: str) -> tuple[str, ...]:
    """What personal data or credentials the URL carries, each as a phrase that does not quote it."""
    parts = _parse(url)[0]
    if parts is None or parts.scheme.lower() not in ("http", "https"):
        return ()
    problems: list[str] = []
    if "@" in parts.netloc:
        problems.append(N_("a user name or password before the host"))
    names = _sensitive_names()
    for pair in re.split(r"[&;]", parts.query):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        name = unquote(name).strip()
        value = unquote(value.replace("+", " ")).strip()
        if name.lower().replace("-", "").replace("_", "") in names and value:
            problems.append(N_("the parameter {name}", name=repr(name)))
        elif _EMAIL.search(value):
            problems.append(N_("an e-mail address in {name}", name=repr(name)))
        elif _PHONE_VALUE.fullmatch(value) and sum(c.isdigit() for c in value) in range(9, 16) and (
                value.startswith(("+", "0"))):
            problems.append(N_("a phone number in {name}", name=repr(name)))
    if _EMAIL.search(unquote(parts.path)):
        problems.append(N_("an e-mail address in the path"))
    return tuple(problems)


@rule("G023", "personal-data-in-url", "error",
      "Link with an opaque reference (order number, signed short-lived code) and look the rest up server-side.", branches=True)
def personal_data_in_url(msg: Message) -> Iterator[Hit]:
    """A link carries credentials or personal data: a password, a token, an e-mail or phone number.

    What it does: flags a user name or password before the host (`https://user:pass@host`), query
    parameters whose names say they hold credentials or personal data (`email`, `tel`, `token`,
    `password`, `api_key`... listed in `toolkit/rules/wordlists/urls.json`), and e-mail addresses or phone
    numbers in any parameter value or in the path. The finding never repeats the value.

    Why: URLs are written to browser histories, server and proxy logs and analytics, are shared
    by forwarding the message, and reach third parties in the Referer header. A token in a link
    lets anyone with the link act as the reader.

    Example: `https://shop.example.jp/orders?email=taro%40example.jp&token=abc123`.

    Use instead: `https://shop.example.jp/orders/1234567` behind a login.
    """
    for link in links(msg):
        for problem in _personal_in(link.url):
            yield Hit(link.path, N_("the link carries {problem} (value not shown).", problem=problem))


@rule("G024", "domain-not-allowed", "error",
      "Link only to your team's domains (option allowed-domains), or add the domain there.", branches=True)
def domain_not_allowed(msg: Message) -> Iterator[Hit]:
    """A link leads to a domain outside the team's allowed list.

    What it does: when the option `allowed-domains` is set (for example
    `["shop.example.jp", "example-pay.jp"]`), every http(s) link must be on one of those domains or
    a subdomain of one. Without the option the rule does nothing.

    Why: readers trust a notice because of who sends it; a link elsewhere (a partner's campaign
    site, a test server, a typo) is how notices get abused, and reviewers ask where each link goes.

    Example: with `allowed-domains = ["shop.example.jp"]`, the link `https://campaign.example.com/`.
    """
    allowed = option(msg, "allowed-domains", list)
    if not allowed:
        return
    domains = tuple(str(d) for d in allowed if isinstance(d, str))
    for link in links(msg):
        if _web(link) and not _matches(link.host, domains):
            yield Hit(link.path, N_("{host} is not one of the allowed domains ({domains}).", host=link.host,
                                    domains=", ".join(domains)))


#: The first ":" is matched by the ":" of the pattern (the part before it holds none), so a failing
#: host costs one pass, not one pass per colon.
_IP_LIKE = re.compile(r"[\d.]+|\[?[0-9a-f.]*:[0-9a-f:.]*\]?")


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host is written as, or None for a name (cheaply: most hosts are names)."""
    if not _IP_LIKE.fullmatch(host):
        return None
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


@lru_cache(maxsize=_URLS_CACHED)
def _placeholder_host(host: str) -> bool:
    data = load_data("urls")
    if _matches(host, tuple(data["placeholderDomains"])):
        return True
    if host.rsplit(".", 1)[-1] in data["placeholderTlds"]:
        return True
    address = _ip(host)
    if address is None:
        return False
    return address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified


@rule("G025", "placeholder-domain", "warning", "Put your real domain in the link before sending.", branches=True)
def placeholder_domain(msg: Message) -> Iterator[Hit]:
    """A link points to an example or placeholder host (example.com, localhost, *.test, 192.168.x.x).

    What it does: compares each link's host with the example domains in
    `toolkit/rules/wordlists/urls.json` (example.com, example.jp and their country variants), the
    reserved top-level domains (`.test`, `.example`, `.invalid`, `.localhost`) and private or
    loopback IP addresses.

    Why: such links work in a draft but not on a reader's phone; a message sent with one is broken.
    A spec may keep example links while it is a draft: this is a warning.

    Example: `https://example.com/CheckDeliveryStatus/`.
    """
    for link in links(msg):
        if _web(link) and _placeholder_host(link.host):
            yield Hit(link.path, N_("{host} is an example or local address, not a real site.", host=link.host))


_LONG_NUMBER = re.compile(r"\d[\d\-.]{7,}\d")


def _short(url: str) -> str:
    """The URL for a message, with nothing personal: no query or fragment, e-mail addresses and
    long numbers (a phone number, perhaps) masked, at most 60 characters."""
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=-1)
    if cut >= 0:
        url = url[:cut] + "?..."
    url = _LONG_NUMBER.sub("...", _EMAIL.sub("...", unquote(url) if "%40" in url else url))
    return url if len(url) <= 60 else url[:57] + "..."


RULES = _rules.freeze()
