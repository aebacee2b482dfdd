"""Concurrent real-browser sessions clicking through the app: the load driver of bench_app.py.

    from bench.browser_load import run_load
    result = run_load("http://127.0.0.1:8501", sessions=20, duration_s=60)

Each session is its own Playwright browser context (own cookies, own Streamlit session) in one headless
Debian Chromium. A session opens the home page, then for `duration_s` seconds alternates, like a person
at the convening, between following a sidebar link to another page and picking another city in the
sidebar. After every click it waits for the finished render (script run over, nothing stale) and records
the time from the click. An error is a click whose render did not finish within `timeout_s`, a Streamlit
exception box, the app's "Something went wrong" message, or an uncaught JavaScript error.

Only addresses on this machine should be passed as base_url; the driver stops by itself after duration_s.
"""
from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from explorer import config
from harness.browser import APP_DRAWN_JS, DESKTOP, launch
from harness.pages import PAGES, AppPage

FRIENDLY_ERROR = "Something went wrong while drawing this page"
OPENING_AT_ONCE = 4   # sessions open a few at a time before the clock starts (people arrive, then click)
OPEN_TIMEOUT_S = 90


@dataclass
class LoadResult:
    """Render times (seconds, one per click) and errors (one message each) of a load run."""
    sessions: int
    duration_s: float
    render_s: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, share: float) -> float:
        from bench.load import nearest_rank
        return nearest_rank(self.render_s, share) if self.render_s else float("nan")

    def summary(self) -> str:
        median = statistics.median(self.render_s) if self.render_s else float("nan")
        return (f"{self.sessions} sessions x {self.duration_s:.0f} s: {len(self.render_s)} clicks, "
                f"p50 {median:.2f} s, p95 {self.percentile(0.95):.2f} s, {len(self.errors)} errors")


async def wait_for_render(page, timeout_s: float) -> None:
    """Finished render, by the harness's own check (harness.browser.APP_DRAWN_JS), on every animation frame."""
    await page.wait_for_function(APP_DRAWN_JS, arg=[None, 1], polling="raf", timeout=timeout_s * 1000)


async def check_page(page, uncaught: list[str]) -> str | None:
    if await page.get_by_test_id("stException").count():
        return "Streamlit exception box"
    if await page.get_by_text(FRIENDLY_ERROR).count():
        return "the app's error message"
    if uncaught:
        return f"uncaught JavaScript error: {uncaught.pop()}"
    return None


async def click_page_link(page, app_page: AppPage) -> None:
    await page.get_by_test_id("stSidebarNav").get_by_role("link", name=app_page.title, exact=True).click()
    await page.wait_for_url(re.compile(rf"/{re.escape(app_page.path)}(\?|$)"))


async def pick_city(page, city: config.City) -> None:
    picker = page.get_by_test_id("stSidebar").get_by_role("combobox", name="City")
    await picker.click()
    await page.get_by_role("option", name=city.label, exact=True).click()


async def open_session(browser, base_url: str, timeout_s: float):
    """A new browser context on the home page, rendered; uncaught JavaScript errors are collected."""
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    page.uncaught = []
    page.on("pageerror", lambda error: page.uncaught.append(str(error)[:200]))
    await page.goto(f"{base_url}/", timeout=timeout_s * 1000)
    await wait_for_render(page, timeout_s)
    return page


async def click_through(page, base_url: str, number: int, deadline: float, result: LoadResult,
                        pages: list[AppPage], timeout_s: float) -> None:
    chooser = random.Random(number)  # each session its own reproducible walk
    here, city = pages[0], config.CITIES[config.DEFAULT_CITY]
    click = 0
    while time.monotonic() < deadline:
        click += 1
        try:
            start = time.monotonic()
            if click % 2 and len(pages) > 1:
                here = chooser.choice([p for p in pages if p != here])
                await click_page_link(page, here)
            else:
                city = chooser.choice([c for c in config.CITIES.values() if c != city])
                await pick_city(page, city)
            await wait_for_render(page, timeout_s)
            result.render_s.append(time.monotonic() - start)
            problem = await check_page(page, page.uncaught)
            if problem:
                result.errors.append(f"session {number}, {here.title}, {city.name}: {problem}")
        except Exception as error:  # a timeout or a lost page: count it, reload, go on
            result.errors.append(f"session {number}, {here.title}, {city.name}: {type(error).__name__}")
            try:
                await page.goto(f"{base_url}/{here.path}?city={city.id}", timeout=timeout_s * 1000)
                await wait_for_render(page, timeout_s)
            except Exception as again:
                result.errors.append(f"session {number}: could not recover: {type(again).__name__}")
                return


async def run_load_async(base_url: str, sessions: int = 20, duration_s: float = 60, *,
                         pages: list[AppPage] | None = None, timeout_s: float = 30) -> LoadResult:
    """Open every session on the home page first, then click for duration_s (the clock starts when all are in)."""
    from playwright.async_api import async_playwright
    result, base_url = LoadResult(sessions, duration_s), base_url.rstrip("/")
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        try:
            gate = asyncio.Semaphore(OPENING_AT_ONCE)  # 20 tabs booting at once would only measure the client

            async def open_gated():
                async with gate:
                    return await open_session(browser, base_url, OPEN_TIMEOUT_S)
            opened = await asyncio.gather(*(open_gated() for _ in range(sessions)), return_exceptions=True)
            tabs = [tab for tab in opened if not isinstance(tab, BaseException)]
            result.errors += [f"a session could not open: {type(e).__name__}" for e in opened if e not in tabs]
            deadline = time.monotonic() + duration_s
            await asyncio.gather(*(click_through(tab, base_url, number, deadline, result, pages or PAGES, timeout_s)
                                   for number, tab in enumerate(tabs)))
        finally:
            await browser.close()
    return result


def run_load(base_url: str, sessions: int = 20, duration_s: float = 60, **options) -> LoadResult:
    """Drive `sessions` concurrent browser sessions against base_url for duration_s seconds (see module doc)."""
    host = urlsplit(base_url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise ValueError(f"load runs only against this machine (127.0.0.1, localhost, ::1), not {host!r}")
    return asyncio.run(run_load_async(base_url, sessions, duration_s, **options))


if __name__ == "__main__":
    import argparse
    parser = argparse.ArgumentParser(description="Concurrent browser sessions against a running app.")
    parser.add_argument("base_url", help="e.g. http://127.0.0.1:8501 (this machine only)")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60)
    arguments = parser.parse_args()
    outcome = run_load(arguments.base_url, arguments.sessions, arguments.duration)
    print(outcome.summary())
    for message in outcome.errors[:20]:
        print("  error:", message)
