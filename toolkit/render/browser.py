"""The headless Chromium behind ``lnm preview``: finding it, fingerprinting it, and a pool of pages.

One browser per run, a few pages working in parallel (asyncio), every request that is not ``data:`` or
``about:`` aborted. If the browser dies mid-batch it is started again once; a second death is a
:class:`RenderError`. Playwright is imported only when a browser is really needed.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..errors import RenderError
from ..i18n import N_
from ..limits import PREVIEW_MAX_HEIGHT, PREVIEW_MAX_WIDTH
from .discover import BROWSER_ENV, install_hint, locate_browser
from .fingerprint import browser_version, cache_dir, font_hashes, load_memo, sandbox_args, save_memo
from .flex import FIT_JS

__all__ = ["BROWSER_ENV", "DEVICE_SCALE", "LAUNCH_ARGS", "BrowserPool", "BrowserThread", "Job", "browser_version",
           "cache_dir", "find_browser", "font_hashes", "load_memo", "save_memo"]

DEVICE_SCALE = 2
#: Bump when the way pages are screenshot changes (context options, clip, waits): it is part of every
#: preview's renderer hash, so all previews are rendered again.
RENDERER_VERSION = 1
PAGES = 4
#: Seconds one screenshot (or a page's opening or closing) may take before it counts as a failure.
SHOT_TIMEOUT = 60.0

#: Flags for a quiet, deterministic headless Chromium that talks to nobody.
LAUNCH_ARGS = (
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-extensions",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
    "--hide-scrollbars",
    "--mute-audio",
    "--force-color-profile=srgb",
    "--disable-features=Translate,OptimizationHints,MediaRouter,InterestFeedContentSuggestions",
)

def find_browser(explicit: str | None = None) -> str:
    """The Chromium to use: ``explicit``, ``LNM_CHROMIUM``, the system's Chromium, Chrome or Edge, then
    Playwright's own (see :mod:`toolkit.render.discover`)."""
    return locate_browser(explicit).path


# --- the page pool -----------------------------------------------------------------------------------

#: Waits for the fonts, shrinks ``adjustMode: shrink-to-fit`` texts (see ``flex.FIT_JS``), then
#: measures the clip box.
_BOX_JS = """async () => {
  await document.fonts.ready;
  """ + FIT_JS + """
  const r = document.getElementById('phone').getBoundingClientRect();
  const x = Math.floor(r.left), y = Math.floor(r.top);
  return [x, y, Math.ceil(r.right) - x, Math.ceil(r.bottom) - y];
}"""


#: One round trip per page: write the preview into the page (no navigation: the page, its DevTools
#: session and its settings stay), wait for the load event and the fonts, shrink the shrink-to-fit
#: texts (as ``_BOX_JS`` does), and measure the clip. The
#: clip is the ``#phone`` box rounded outwards and kept inside the document, as Playwright's page
#: screenshot keeps it, so the PNG is byte for byte the one ``page.screenshot(clip=...)`` gives.
_WRITE_BOX_JS = """async (html) => {
  document.open();
  document.write(html);
  document.close();
  if (document.readyState !== 'complete') {
    await new Promise((done) => window.addEventListener('load', done, {once: true}));
  }
  await document.fonts.ready;
  """ + FIT_JS + """
  const r = document.getElementById('phone').getBoundingClientRect();
  const doc = document.documentElement;
  const x = Math.floor(r.left), y = Math.floor(r.top);
  const right = Math.min(Math.ceil(r.right), Math.max(doc.scrollWidth, x + 1));
  const bottom = Math.min(Math.ceil(r.bottom), Math.max(doc.scrollHeight, y + 1));
  return [x, y, right - x, bottom - y];
}"""

_TRANSPARENT = {"color": {"r": 0, "g": 0, "b": 0, "a": 0}}


@dataclass
class Job:
    """One screenshot: ``html`` at ``width`` CSS pixels; ``key`` identifies it to the caller."""

    key: Any
    html: str
    width: int
    #: What the job is of, for an error message (the file and app language).
    name: str = ""
    #: Set when the page was taller than ``PREVIEW_MAX_HEIGHT``: its full height in CSS pixels
    #: (the image shows the top ``PREVIEW_MAX_HEIGHT`` of it).
    cut: int | None = None


class BrowserPool:
    """One Chromium with ``pages`` pages; use ``async with`` and :meth:`render`."""

    def __init__(self, executable: str, *, pages: int = PAGES, scale: int = DEVICE_SCALE,
                 extra_args: Sequence[str] = ()) -> None:
        self.executable = executable
        self.pages = pages
        self.scale = scale
        self.args = [*LAUNCH_ARGS, *extra_args]
        self.args.extend(sandbox_args())
        self.blocked: list[str] = []
        self.restarts = 0
        self.launches = 0
        self.version = ""
        self._pw: Any = None
        self.browser: Any = None
        self._context: Any = None
        self._generation = 0
        self._lock = asyncio.Lock()
        self._sessions: dict[int, tuple[Any, Any, int]] = {}
        self._spare: list[tuple[Any, int]] = []
        self.fonts: dict[str, Any] = {}

    async def __aenter__(self) -> BrowserPool:
        try:
            from playwright.async_api import async_playwright
        except ImportError:  # pragma: no cover - playwright is a declared dependency
            raise RenderError(N_("the playwright package is missing; pip install playwright")) from None
        try:
            self._pw = await async_playwright().start()
        except Exception as exc:  # noqa: BLE001 - the driver failing to start is one clear error
            raise RenderError(N_("Playwright's driver did not start: {reason}; reinstall the playwright package",
                                 reason=str(exc))) from None
        try:
            await self._launch()
        except BaseException:
            await self._pw.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        try:
            if self.browser is not None and self.browser.is_connected():
                await self.browser.close()
        finally:
            await self._pw.stop()

    async def _launch(self) -> None:
        from playwright.async_api import Error as PlaywrightError

        try:
            self.browser = await self._pw.chromium.launch(executable_path=self.executable, headless=True,
                                                          args=self.args)
        except PlaywrightError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise RenderError(N_("Chromium at {browser} did not start: {reason}; {hint}", browser=self.executable,
                                 reason=first, hint=install_hint())) from None
        self.launches += 1
        self.version = self.browser.version
        self._context = await self.browser.new_context(
            viewport={"width": 375, "height": 800}, device_scale_factor=self.scale, locale="en-US",
            timezone_id="UTC", reduced_motion="reduce", color_scheme="light", service_workers="block")
        await self._context.route("**/*", self._route)

    async def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("data:", "about:")):
            await route.continue_()
        else:
            self.blocked.append(url)
            await route.abort("blockedbyclient")

    async def check_fonts(self, *, details: bool = False) -> dict[str, Any]:
        """What this browser draws for each script (:func:`toolkit.render.fonts.probe_fonts`), on a
        page that the first worker then takes over."""
        from .fonts import probe_fonts

        page = await self._context.new_page()
        self.fonts = await asyncio.wait_for(probe_fonts(self._context, page, details=details), SHOT_TIMEOUT)
        self._spare.append((page, self._generation))
        return self.fonts

    async def new_page(self) -> Any:
        """A page of the pool's context (for tests that inspect the DOM)."""
        return await self._context.new_page()

    async def _session(self, page: Any, width: int) -> Any:
        """The page's own DevTools session, its viewport ``width`` x 800 at the pool's scale and a
        transparent default background (set once per page and width, not around every screenshot)."""
        held = self._sessions.get(id(page))
        if held is None or held[0] is not page:
            session = await self._context.new_cdp_session(page)
            await session.send("Emulation.setDefaultBackgroundColorOverride", _TRANSPARENT)
            held = self._sessions[id(page)] = (page, session, 0)
            page.once("close", lambda _page: self._sessions.pop(id(page), None))
        if held[2] != width:
            await held[1].send("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": 800, "deviceScaleFactor": self.scale, "mobile": False})
            held = self._sessions[id(page)] = (page, held[1], width)
        return held[1]

    async def shoot(self, page: Any, html: str, width: int, job: Job | None = None) -> bytes:
        """Load ``html`` and return the PNG of the ``#phone`` element, its clip rounded outwards.

        A page taller than ``PREVIEW_MAX_HEIGHT`` CSS pixels is cut there (``job.cut`` then holds
        its full height): no real message comes near it, and Chromium cannot capture much more.

        Two round trips to Chromium: write and measure, then capture. (Playwright's page screenshot
        takes about ten: it stops animations and hides the caret in every frame, which the preview's
        CSS already does, and sets and resets the background around each capture.)
        """
        session = await self._session(page, width)
        x, y, w, h = await page.evaluate(_WRITE_BOX_JS, html)
        if job is not None:
            job.cut = h if h > PREVIEW_MAX_HEIGHT else None
        h = min(h, PREVIEW_MAX_HEIGHT)
        w = min(w, PREVIEW_MAX_WIDTH)
        shot = await session.send("Page.captureScreenshot", {
            "format": "png", "clip": {"x": x, "y": y, "width": w, "height": h, "scale": 1},
            "captureBeyondViewport": True})
        return base64.b64decode(shot["data"])

    async def render(self, jobs: Sequence[Job], on_done: Callable[[Job, bytes], None]) -> None:
        """Screenshot every job on the page pool; ``on_done`` gets each PNG as soon as it is ready."""
        queue: asyncio.Queue[Job | None] = asyncio.Queue()
        for job in jobs:
            queue.put_nowait(job)
        queue.put_nowait(None)
        await self.render_queue(queue, on_done, min(self.pages, len(jobs)))

    async def render_queue(self, queue: asyncio.Queue[Job | None], on_done: Callable[[Job, bytes], None],
                           pages: int | None = None) -> None:
        """Screenshot jobs as they arrive in ``queue`` until a ``None`` comes out of it."""
        workers = [asyncio.create_task(self._worker(queue, on_done)) for _ in range(pages or self.pages)]
        try:
            await asyncio.gather(*workers)
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)

    async def _worker(self, queue: asyncio.Queue[Job | None], on_done: Callable[[Job, bytes], None]) -> None:
        from playwright.async_api import Error as PlaywrightError

        page: Any = None
        generation = -1
        while True:
            job = await queue.get()
            if job is None:
                queue.put_nowait(None)  # the end, for the other workers too
                return
            failures = 0
            while True:
                try:
                    if page is None or generation != self._generation:
                        generation = self._generation
                        spare = self._spare.pop() if self._spare else None
                        page = spare[0] if spare and spare[1] == generation else await self._context.new_page()
                    # A screenshot that never answers (a browser wedged mid-crash) counts as a
                    # failure like any other, so a run cannot hang.
                    png = await asyncio.wait_for(self.shoot(page, job.html, job.width, job), SHOT_TIMEOUT)
                    break
                except (TimeoutError, PlaywrightError) as exc:
                    failures += 1
                    if page is not None:
                        with contextlib.suppress(Exception):
                            await asyncio.wait_for(page.close(), SHOT_TIMEOUT)
                    page = None
                    if failures > 3:
                        reason = str(exc).splitlines()[0] if str(exc) else repr(exc)
                        raise RenderError(N_("{name}: Chromium failed on one preview several times: {reason}",
                                             name=job.name, reason=reason) if job.name else
                                          N_("Chromium failed on one preview several times: {reason}",
                                             reason=reason)) from None
                    await self._recover(generation)
            on_done(job, png)

    async def _recover(self, generation: int) -> None:
        """After a failure: start the browser again if it died (once per run), else just a new page."""
        async with self._lock:
            if generation != self._generation:
                return  # another worker restarted it already
            if self.browser.is_connected():
                try:
                    probe = await asyncio.wait_for(self._context.new_page(), SHOT_TIMEOUT)
                    await asyncio.wait_for(probe.close(), SHOT_TIMEOUT)
                    return
                except Exception:  # noqa: BLE001 - any failure here means the browser is gone
                    pass
            if self.restarts >= 1:
                raise RenderError(N_("Chromium crashed twice during this run; giving up (browser: {browser}, "
                                     "version {version})", browser=self.executable,
                                     version=self.version or N_("unknown")))
            self.restarts += 1
            try:
                if self.browser.is_connected():
                    await asyncio.wait_for(self.browser.close(), SHOT_TIMEOUT)
            except Exception:  # noqa: BLE001 - closing a dead browser may fail in many ways
                pass
            await self._launch()
            self._generation += 1


class BrowserThread:
    """A :class:`BrowserPool` working on its own thread and event loop.

    Started before the caller has its inputs ready (Chromium launches while specs load and HTML is
    built), fed with :meth:`submit` as each job is built, and ended with :meth:`close` (wait for
    every job, re-raise the pool's error) or :meth:`abort` (the caller failed: stop now).
    ``on_done`` runs on the pool's thread.
    """

    def __init__(self, pool: BrowserPool, on_done: Callable[[Job, bytes], None]) -> None:
        import threading

        self.pool = pool
        self._on_done = on_done
        self._loop = asyncio.new_event_loop()
        self._queue: asyncio.Queue[Job | None] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._aborted = False
        self._error: BaseException | None = None
        self._fonts_known = threading.Event()
        self._thread = threading.Thread(target=self._main, name="lnm-browser", daemon=True)
        self._thread.start()

    def _main(self) -> None:
        try:
            self._loop.run_until_complete(self._run())
        except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread by close()
            self._error = exc
        finally:
            self._fonts_known.set()
            self._loop.close()

    async def _run(self) -> None:
        self._task = asyncio.current_task()
        if self._aborted:
            return
        async with self.pool:
            await self.pool.check_fonts()
            self._fonts_known.set()
            await self.pool.render_queue(self._queue, self._on_done)

    def fonts(self) -> dict[str, Any]:
        """What the browser draws per script, once it has started (re-raises what stopped it)."""
        self._fonts_known.wait()
        if self._error is not None:
            self.close()
        return self.pool.fonts

    def _send(self, job: Job | None) -> bool:
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, job)
            return True
        except RuntimeError:  # the loop is closed: the pool has failed
            return False

    def submit(self, job: Job) -> None:
        """Queue one job; raises at once if the pool has already failed."""
        if not self._thread.is_alive() or not self._send(job):
            self.close()
            raise RenderError(N_("the browser stopped before every preview was queued"))  # pragma: no cover

    def close(self) -> None:
        """Wait until every queued job is done; re-raise what stopped the pool, if anything did."""
        self._send(None)
        self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        """Stop without finishing the queue and close the browser (for a caller's own error)."""
        def cancel() -> None:
            self._aborted = True
            if self._task is not None:
                self._task.cancel()

        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(cancel)
        self._thread.join()
