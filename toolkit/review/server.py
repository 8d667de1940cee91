"""``lnm serve``: the live preview a designer keeps open while editing specs.

A Starlette application served by uvicorn; watchfiles reports saved files and the page hears of them
over server-sent events, then reloads only the preview frame and the panels beside it (the chosen
language, theme, width and scroll stay). The chat screen is the very HTML the screenshots are made
from (:func:`toolkit.build_html`), shown in a sandboxed frame whose own policy forbids scripts and
every request, so message content stays inert text.

Files: only message files found under the PATHS given (see :mod:`toolkit.review.specs`); the page's
own script and style are fixed files shipped in the package.

Languages: the page speaks the UI language ``lnm serve`` started in, or the one a request asks for
(``?ui=ja``: the page's language switch); each request works in its own language
(:func:`toolkit.i18n.using`), so two pages in two languages never mix. The message's own content,
and the chat screen's app language, are never translated.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import socket
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

from .. import i18n
from ..errors import UsageError
from ..i18n import _
from ..lint.engine import LintSettings
from ..spec.catalogue import Catalogue
from ._follow import follow
from ._hosts import HostCheck, host_policy
from ._words import environment, script_json, script_strings
from .specs import SpecIndex, built_body, inspect_file, localized, project_settings

__all__ = ["APP_CSP", "FRAME_CSP", "bind", "create_app", "serve"]

STATIC = Path(__file__).resolve().parent / "static"
APP_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
           "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
#: The preview frame: no script, no request of any kind, and a sandbox even when opened on its own.
FRAME_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
             "base-uri 'none'; form-action 'none'; frame-ancestors 'self'; sandbox")
_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store", "Cross-Origin-Resource-Policy": "same-origin"}


class _State:
    """What the running server remembers: the index, the catalogue, the last good documents."""

    def __init__(self, index: SpecIndex, catalogue: Catalogue) -> None:
        self.index = index
        self.catalogue = catalogue
        self.last_good: dict[str, Any] = {}
        self.version = 0
        self.listeners: set[asyncio.Queue[str]] = set()
        self.stopping = False
        self.settings = project_settings(index.paths[0])
        #: Served paths that are missing now (a folder moved away mid branch switch): the page says so.
        self.lost: list[str] = []

    def publish(self, changed: list[str]) -> None:
        self.version += 1
        event = json.dumps({"version": self.version, "changed": sorted(changed), "lost": self.lost})
        for queue in list(self.listeners):
            queue.put_nowait(event)


def _options(params: Any) -> tuple[str, str, int, str | None]:
    from ..render.preview import THEMES, WIDTHS

    lang = params.get("lang", "ja")
    if lang not in ("ja", "th", "zh-Hant", "zh-Hans", "en"):
        raise ValueError(_("{option} must be one of {values}", option="lang", values="ja, th, zh-Hant, zh-Hans, en"))
    theme = params.get("theme", "light")
    if theme not in THEMES:
        raise ValueError(_("{option} must be one of {values}", option="theme", values="light, dark"))
    try:
        width = int(params.get("width", "375"))
    except ValueError:
        width = 0
    if width not in WIDTHS:
        raise ValueError(_("{option} must be one of {values}", option="width", values="320, 375, 414"))
    return lang, theme, width, params.get("sample") or None


def create_app(index: SpecIndex, catalogue: Catalogue, *, host: str = "127.0.0.1",
               should_exit: Callable[[], bool] = lambda: False, allow_hosts: Sequence[str] = (),
               bound: str | None = None, language: str | None = None) -> Any:
    """The Starlette application (also used by tests without a socket). Its pages start in
    ``language`` (default: the UI language in effect now)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import (
        FileResponse,
        HTMLResponse,
        JSONResponse,
        Response,
        StreamingResponse,
    )
    from starlette.routing import Route

    state = _State(index, catalogue)
    start = i18n.normalize(language) if language else i18n.current()
    env = environment()

    def ui_of(request: Request) -> str:
        """The UI language a request asks for (``?ui=``), else the one the server started in."""
        return i18n.normalize(request.query_params.get("ui", "")) or start or i18n.DEFAULT

    def headers(csp: str) -> dict[str, str]:
        return {**_HEADERS, "Content-Security-Policy": csp}

    def not_found(what: str) -> Response:
        return JSONResponse({"error": what}, status_code=404, headers=headers(APP_CSP))

    def page(ui: str) -> str:
        with i18n.using(ui):
            return str(env.get_template("serve.html.j2").render(
                ui=ui, html_lang=i18n.html_lang(ui), languages=i18n.LANGUAGE_NAMES,
                strings=script_json(script_strings(STATIC / "app.js", ui))))

    async def home(request: Request) -> Response:
        html = await asyncio.to_thread(page, ui_of(request))
        return HTMLResponse(html, headers=headers(APP_CSP))

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        files = {"app.js": "text/javascript", "app.css": "text/css"}
        if name not in files:
            with i18n.using(ui_of(request)):
                return not_found(_("no such asset"))
        return FileResponse(STATIC / name, media_type=files[name], headers=headers(APP_CSP))

    async def specs(request: Request) -> Response:
        files = await asyncio.to_thread(state.index.files)
        return JSONResponse({"specs": sorted(files), "version": state.version, "lost": state.lost},
                            headers=headers(APP_CSP))

    def spec_json(key: str, sample: str | None, ui: str) -> dict[str, Any] | None:
        with i18n.using(ui):  # this thread only: another request's language stays its own
            return spec_view(key, sample)

    def spec_view(key: str, sample: str | None) -> dict[str, Any] | None:
        real = state.index.resolve(key)
        if real is None:
            return None
        view = inspect_file(key, real, state.catalogue, state.settings)
        if view.document is not None:
            state.last_good[key] = view.document
        out: dict[str, Any] = {"key": key, "version": state.version, "error": view.error,
                               "hasLastGood": key in state.last_good, "findings": localized(view.findings),
                               "samples": view.samples, "kind": view.kind, "title": view.title}
        if view.document is not None:
            chosen = sample if sample in view.samples else None
            out["body"] = built_body(view.document, state.catalogue, key, chosen)
        return out

    async def spec(request: Request) -> Response:
        key = request.query_params.get("path", "")
        ui = ui_of(request)
        data = await asyncio.to_thread(spec_json, key, request.query_params.get("sample") or None, ui)
        if data is None:
            with i18n.using(ui):
                return not_found(_("not a message file under the served paths"))
        return JSONResponse(data, headers=headers(APP_CSP))

    def frame_html(key: str, params: Any, ui: str) -> tuple[int, str]:
        with i18n.using(ui):
            return frame_page(key, params)

    def frame_page(key: str, params: Any) -> tuple[int, str]:
        from .. import build_html
        from ..errors import LnmError

        real = state.index.resolve(key)
        if real is None:
            return 404, _("not a message file under the served paths")
        try:
            lang, theme, width, sample = _options(params)
        except ValueError as exc:
            return 400, str(exc)
        if params.get("good") == "1":
            document = state.last_good.get(key)
        else:
            view = inspect_file(key, real, state.catalogue, state.settings)
            document = view.document
            if document is None:
                return 422, view.error or _("does not parse")
            state.last_good[key] = document
        if document is None:
            return 404, _("no good version of this file seen yet")
        samples = document.get("samples") if isinstance(document.get("samples"), dict) else {}
        sample = sample if sample in (samples or {}) else None
        outline = params.get("outline") == "contrast"
        try:
            html = build_html(document, lang=lang, width=width, theme=theme, sample=sample,
                              catalogue=state.catalogue, path=key, mark_paths=outline)
            if outline:
                html = outline_texts(html, contrast_paths(document, sample, key, state.catalogue, state.settings))
            return 200, html
        except LnmError as exc:
            exc.path = exc.path or key
            return 422, exc.one_line()

    async def frame(request: Request) -> Response:
        ui = ui_of(request)
        status, text = await asyncio.to_thread(frame_html, request.query_params.get("path", ""),
                                               request.query_params, ui)
        if status != 200:
            from html import escape

            with i18n.using(ui):
                # Translators: the title of the preview frame when it cannot show the chat screen.
                title = _("not shown")
            text = (f'<!DOCTYPE html><html lang="{i18n.html_lang(ui)}"><meta charset="utf-8">'
                    f'<title>{escape(title)}</title>'
                    f'<p style="font:14px sans-serif;color:#b00020">{escape(text)}</p>')
        return HTMLResponse(text, status_code=status, headers=headers(FRAME_CSP))

    async def events(request: Request) -> Response:
        queue: asyncio.Queue[str] = asyncio.Queue()
        state.listeners.add(queue)

        async def stream() -> AsyncIterator[str]:
            try:
                yield (f"retry: 500\ndata: "
                       f"{json.dumps({'version': state.version, 'changed': [], 'lost': state.lost})}\n\n")
                idle = 0.0
                while not (state.stopping or should_exit()):
                    try:
                        event = await asyncio.wait_for(queue.get(), timeout=0.25)
                    except TimeoutError:
                        idle += 0.25
                        if idle >= 15:
                            idle = 0.0
                            yield ": keep-alive\n\n"
                        continue
                    idle = 0.0
                    yield f"data: {event}\n\n"
            finally:
                state.listeners.discard(queue)

        return StreamingResponse(stream(), media_type="text/event-stream", headers=headers(APP_CSP))

    @contextlib.asynccontextmanager
    async def lifespan(app: Any) -> AsyncIterator[None]:
        stop = asyncio.Event()
        task = asyncio.create_task(follow(state, stop))
        try:
            yield
        finally:
            state.stopping = True
            stop.set()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    policy = host_policy(host, allow_hosts, bound)
    return Starlette(routes=[Route("/", home), Route("/static/{name}", asset), Route("/api/specs", specs),
                             Route("/api/spec", spec), Route("/frame", frame), Route("/events", events)],
                     middleware=[Middleware(HostCheck, policy=policy)],
                     lifespan=lifespan)


#: How the preview frame outlines a text with a contrast finding (an inline style: the frame runs no script).
OUTLINE_CSS = "outline: 2px solid #d50000; outline-offset: 1px; box-shadow: 0 0 0 4px #ffffffcc"


def contrast_paths(document: Any, sample: str | None, key: str, catalogue: Catalogue,
                   settings: LintSettings) -> list[str]:
    """JSON pointers of every text, span and button label that fails G080 or G081 in the message
    the frame shows, unless the configuration or the spec switches both rules off."""
    from ..findings import json_pointer
    from ..render.preview import preview_message
    from ..rules import default_table
    from ..rules.contrast import failing_texts

    table = default_table()
    msg = preview_message(document, sample=sample, catalogue=catalogue, path=key)
    active = {rule.code for rule in settings.active_rules(table, key)}
    entries = msg.spec.get("suppress") if msg.spec else None
    for entry in entries if isinstance(entries, list) else []:  # as lint reads them: a rule and a real reason
        if isinstance(entry, dict) and isinstance(entry.get("rule"), str) and len(str(entry.get("reason", "")).strip()) >= 10:
            with contextlib.suppress(KeyError):
                active.discard(table[entry["rule"]].code)
    if not active & {"G080", "G081"}:
        return []
    msg.options = settings.options
    return [json_pointer(path) for path in failing_texts(msg, default_button="G081" in active,
                                                             chosen="G080" in active)]


def outline_texts(html: str, pointers: list[str]) -> str:
    """The frame's page with a rule outlining each element whose ``data-path`` is one of ``pointers``."""
    if not pointers:
        return html
    selectors = ",\n".join(f'[data-path="{p}"]' for p in pointers if all(c.isalnum() or c in "/_-~" for c in p))
    style = f'<style id="lnm-outline">{selectors} {{ {OUTLINE_CSS} }}</style>'
    head = html.find("</head>")
    return html[:head] + style + html[head:] if head >= 0 else style + html


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a :class:`UsageError` saying the port is taken."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise UsageError(_("--host {host}: not an address this machine can listen on", host=host)) from None
    family, address = infos[0][0], infos[0][4]
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(_("port {port} on {host} is already in use (another lnm serve?); "
                               "stop it or pick another with --port", port=port, host=host)) from None
        raise UsageError(_("cannot listen on {host}:{port}: {reason}", host=host, port=port,
                           reason=exc.strerror or exc)) from None
    sock.listen(64)
    return sock


def serve(paths: list[str], catalogue: Catalogue, *, host: str = "127.0.0.1", port: int = 8321,
          open_browser: bool = False, echo: Callable[[str], None] = print,
          allow_hosts: Sequence[str] = ()) -> None:
    """Run the live preview until Ctrl-C."""
    try:
        import uvicorn
    except ImportError:
        from .._paths import DISTRIBUTION

        command = "pip install --force-reinstall " + DISTRIBUTION
        raise UsageError(_("lnm serve: its web server package (uvicorn) is missing from this install; "
                           "reinstall lnm: {command}", command=command)) from None

    index = SpecIndex(paths)
    count = len(index.files())
    if not count:
        raise UsageError(_("no .json files under {paths}", paths=", ".join(paths)))
    sock = bind(host, port)
    actual = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{actual}/"
    server: Any = None
    bound = str(sock.getsockname()[0])
    app = create_app(index, catalogue, host=host, should_exit=lambda: bool(server and server.should_exit),
                     allow_hosts=allow_hosts, bound=bound, language=i18n.current())
    policy = host_policy(host, allow_hosts, bound)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on",
                            timeout_graceful_shutdown=2, ws="none")

    class _Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            # A spec rendering in a worker thread would hold the graceful shutdown until its
            # budget ran out: end the placeholder workers first (toolkit/spec/_worker.py).
            from ..spec.placeholders import stop_workers

            stop_workers()
            super().handle_exit(sig, frame)

    server = _Server(config)
    # The tests and scripts read the URL after " at " on this first line.
    echo(i18n.ngettext("lnm serve: live preview of {n} file at {url} (Ctrl-C stops)",
                       "lnm serve: live preview of {n} files at {url} (Ctrl-C stops)", count, url=url))
    if not policy.loopback_only:
        names = [*sorted(policy.names), *([_("an IP address")] if policy.any_address else []),
                 *(f"*{suffix}" for suffix in policy.suffixes)]
        echo(_("lnm serve: warning: listening on {address}, beyond this machine: anyone who can reach it can "
               "read every served spec and its sample data; answering only Host {names}",
               address=bound, names=", ".join(names)))
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    import signal

    # uvicorn stops on SIGINT and SIGTERM, then raises the signal again for the handler it found:
    # a no-op here, so that a terminated server still says it stopped and exits 0.
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    echo(_("lnm serve: stopped"))
