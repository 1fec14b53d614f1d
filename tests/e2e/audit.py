"""Checks on the pages a journey passes: accessibility by axe-core, and the
browser console (script errors, refusals by the content security policy).

``make e2e`` fetches a pinned axe-core from the npm registry and names its
``axe.min.js`` in ``E2E_AXE_JS``. A journey calls ``audit.check(page)`` on
each page a person reads; findings are gathered and ``audit.assert_clean()``
at the end of the journey reports them all, so one run shows every page's
problems, not only the first.

axe goes in with ``page.add_script_tag`` from an address of the site's own
origin that the browser context answers from the file: the public pages
forbid inline scripts (``script-src 'self'``), and the policy stays in force
for the journeys, so whatever it refuses on a page shows in the console and
fails the journey.

A page shown without JavaScript cannot run axe; its HTML is replayed in a
tab of a separate context with JavaScript on, at the same address and with
the same stylesheets, the page's own scripts refused, and checked there.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Error,
    Page,
    Route,
)

# Violations of these impacts fail a journey; "minor" and "moderate" do not.
FAILING_IMPACTS = ("serious", "critical")
# Where the pages load axe from: answered by the browser context, never sent.
AXE_ADDRESS = "/__e2e__/axe.min.js"
# The WCAG 2.1 A and AA rules, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe_path() -> Path:
    value = os.environ.get("E2E_AXE_JS", "")
    path = Path(value)
    if not value or not path.is_file():
        raise RuntimeError(
            "E2E_AXE_JS does not name axe-core's axe.min.js. Run the journeys "
            "with `make e2e`, which fetches the pinned axe-core first."
        )
    return path


@dataclass
class Finding:
    where: str
    what: str


@dataclass
class Audit:
    browser: Browser
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    _replays: BrowserContext | None = None

    def watch(self, context: BrowserContext) -> None:
        """Serves axe to the context's pages, and records their uncaught
        script errors and console errors."""
        context.route(
            f"**{AXE_ADDRESS}",
            lambda route: route.fulfill(
                path=axe_path(), content_type="text/javascript; charset=utf-8"
            ),
        )
        context.on("page", self._watch_page)

    def _watch_page(self, page: Page) -> None:
        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.findings.append(Finding(page.url, f"console: {message.text}"))

        def on_error(error: Error) -> None:
            self.findings.append(Finding(page.url, f"script error: {error}"))

        page.on("console", on_console)
        page.on("pageerror", on_error)

    def check(self, page: Page, *, label: str = "") -> None:
        """Runs axe-core on the page as it is now."""
        where = f"{label or page.title()} ({page.url})"
        self.checked.append(where)
        if getattr(page.context, "e2e_javascript", True):
            self._run_axe(page, where)
        else:
            self._replay(page, where)

    def _replay(self, page: Page, where: str) -> None:
        html, address = page.content(), page.url.split("#")[0]

        def answer(route: Route) -> None:
            request = route.request
            if request.url.endswith(AXE_ADDRESS):
                route.fulfill(path=axe_path(), content_type="text/javascript")
            elif request.url == address and request.resource_type == "document":
                route.fulfill(body=html, content_type="text/html; charset=utf-8")
            elif request.resource_type == "script":
                route.abort()
            else:
                route.continue_()

        if self._replays is None:
            self._replays = self.browser.new_context(locale="uk-UA")
        replay = self._replays.new_page()
        try:
            replay.route("**/*", answer)
            replay.goto(address)
            self._run_axe(replay, where + ", without JavaScript")
        finally:
            replay.close()

    def close(self) -> None:
        if self._replays is not None:
            self._replays.close()

    def _run_axe(self, page: Page, where: str) -> None:
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.add_script_tag(url=AXE_ADDRESS)
        results = page.evaluate(
            """async (tags) => {
                const results = await axe.run(document, {
                    runOnly: {type: "tag", values: tags},
                    resultTypes: ["violations"],
                });
                return results.violations.map((v) => ({
                    id: v.id, impact: v.impact, help: v.help,
                    nodes: v.nodes.map((n) => ({
                        target: n.target.join(" "),
                        html: n.html,
                        summary: n.failureSummary,
                    })),
                }));
            }""",
            AXE_TAGS,
        )
        for violation in results:
            if violation["impact"] in FAILING_IMPACTS:
                self.findings.append(Finding(where, _describe(violation)))

    def assert_clean(self) -> None:
        if self.findings:
            lines = [f"{len(self.findings)} problem(s) on the pages checked:"]
            for finding in self.findings:
                lines.append(f"\n* {finding.where}\n  {finding.what}")
            raise AssertionError("\n".join(lines))


def _describe(violation: dict) -> str:
    lines = [f"[{violation['impact']}] {violation['id']}: {violation['help']}"]
    for node in violation["nodes"][:5]:
        lines.append(f"    at {node['target']}: {node['html'][:160]}")
        lines.append("      " + node["summary"].replace("\n", "\n      "))
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)
