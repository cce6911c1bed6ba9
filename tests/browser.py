"""Debian's headless Chromium driven by Playwright, shared by every browser test (the `chromium` fixture is in
tests/conftest.py), and axe-core's accessibility audit of a rendered page."""

import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"

needs_chromium = pytest.mark.skipif(
    not shutil.which(CHROMIUM), reason=f"{CHROMIUM} is missing: apt-get install chromium (or run make test as root)"
)
# Data migrations create the groups and the rating scale: keep them across the live server's flushes.
in_a_live_database = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Chromium:
    """Headless Chromium on a thread of its own, for the tests of one module.

    Playwright's sync API runs an event loop in the thread that drives it, and Django then hands that thread other
    database connections (as it would to async code) than the test's own. Driving the browser from a separate
    thread keeps the test's thread, its database and the live server as Django expects them.
    """

    def __init__(self) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._thread.submit(self._launch).result()

    def _launch(self) -> None:
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    def run(self, script: Callable, **context_options):
        """Run `script(page)` in a new browser context and return its result; its assertions count as the test's.

        `page.problems` collects console errors (CSP violations among them), uncaught errors and dialogs.
        """

        def in_browser():
            context = self._browser.new_context(**context_options)
            try:
                page = context.new_page()
                page.problems = []
                page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
                page.on("pageerror", lambda error: page.problems.append(f"error: {error}"))
                page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
                return script(page)
            finally:
                context.close()

        return self._thread.submit(in_browser).result()

    def close(self) -> None:
        def stop():
            self._browser.close()
            self._playwright.stop()

        self._thread.submit(stop).result()
        self._thread.shutdown()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations on the page as it is rendered now, one line each ("" when clean)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    return [
        f"{v['id']}: {v['help']} ({', '.join(str(n['target']) for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def sign_in_to_workspace(page, base_url: str, username: str, password: str, *, lands_on: str) -> None:
    """Sign in through the workspace's own form and wait for the page a role lands on (`lands_on`, a URL glob)."""
    page.goto(base_url + "/workspace/sign-in/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lands_on)
