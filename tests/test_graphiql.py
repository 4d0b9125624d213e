"""GraphiQL from the package's own files (core/graphiql; issue 11 point 1).

The page names no other host; every file it loads is the one the manifest pins (SHA-384 of the
file on disk = the manifest = the page's `integrity` = the bytes served); GraphiQL is off in
production and with `graphiql = false`; and a real browser (Debian's Chromium driven by
Playwright, every request to another host aborted) loads the page, types a query, runs it and
sees the server's answer, anonymously and with a bearer token in the headers editor.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import time
import tomllib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, Route, expect, sync_playwright

from core import graphiql
from core.testing import ClientFactory, GraphQLClient
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOT = ROOT / "var" / "ci-artifacts" / "graphiql.png"
PAGE = {"accept": "text/html"}


def sha384(data: bytes) -> str:
    return base64.b64encode(hashlib.sha384(data).digest()).decode()


class Tags(HTMLParser):
    """Every `src`/`href` of the page, with the tag's `integrity` (or None)."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("src", "href"):
            if values.get(key) is not None:
                self.refs.append((tag, str(values[key]), values.get("integrity")))


def page_refs(html: str) -> list[tuple[str, str, str | None]]:
    tags = Tags()
    tags.feed(html)
    return tags.refs


async def test_page_names_no_other_host(client: GraphQLClient) -> None:
    page = await client.http.get("/graphql", headers=PAGE)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    # No absolute http(s) URL at all: everything is relative to the page, i.e. this server.
    assert re.findall(r"https?://", page.text) == []
    refs = page_refs(page.text)
    assert {tag for tag, _, _ in refs} == {"link", "script"}
    for tag, ref, integrity in refs:
        if ref.startswith("data:"):  # the empty favicon: no request at all
            continue
        assert urlsplit(urljoin("http://test/graphql", ref)).netloc == "test", ref
        assert integrity is not None and integrity.startswith("sha384-"), (tag, ref)
    # And the browser is told so: it refuses anything from another origin.
    policy = dict(
        part.split(" ", 1) for part in page.headers["content-security-policy"].split("; ")
    )
    assert policy["default-src"] == "'none'" and policy["script-src"] == "'self'"
    assert policy["connect-src"] == "'self'"
    assert page.headers["cache-control"] == "no-cache"  # the files' URLs change on upgrade


async def test_files_are_the_pinned_ones(client: GraphQLClient) -> None:
    """File on disk = manifest = page's integrity = bytes served; versions = the npm pins."""
    page = (await client.http.get("/graphql", headers=PAGE)).text
    integrity_of = {
        ref.rsplit("/", 1)[1]: (ref, integrity)
        for _, ref, integrity in page_refs(page)
        if not ref.startswith("data:")
    }
    manifest = graphiql.manifest()
    vendor = Path(graphiql.__file__).parent / "vendor"
    pins = json.loads((vendor / "package.json").read_text())["dependencies"]
    locked = json.loads((vendor / "package-lock.json").read_text())["packages"]
    for entry in manifest:
        data = (graphiql.STATIC / entry["name"]).read_bytes()
        assert sha384(data) == entry["sha384"], entry["name"]
        assert entry["version"] == pins[entry["package"]], entry
        assert locked[f"node_modules/{entry['package']}"]["version"] == entry["version"]
        ref, integrity = integrity_of[entry["name"]]
        assert integrity == f"sha384-{entry['sha384']}"
        served = await client.http.get(urljoin("/graphql", ref))
        assert served.status_code == 200, ref
        assert sha384(served.content) == entry["sha384"]
        assert "immutable" in served.headers["cache-control"]
        assert "max-age=31536000" in served.headers["cache-control"]
        kind = "text/css" if entry["name"].endswith(".css") else "text/javascript"
        assert served.headers["content-type"].startswith(kind)
    # Ours, not from npm: hashed at start-up, checked the same way.
    ref, integrity = integrity_of["page.js"]
    served = await client.http.get(urljoin("/graphql", ref))
    assert served.status_code == 200 and integrity == f"sha384-{sha384(served.content)}"
    assert served.content == (Path(graphiql.__file__).parent / "page.js").read_bytes()
    # Nothing shipped that the manifest does not describe (licenses aside).
    shipped = {p.name for p in graphiql.STATIC.iterdir() if p.is_file()}
    assert shipped == {e["name"] for e in manifest} | {"manifest.json"}
    assert page.count("<script") == len([e for e in manifest if e["name"].endswith(".js")]) + 1


async def test_wrong_file_urls_are_404(client: GraphQLClient) -> None:
    asset = graphiql.bundle().assets["graphiql.min.js"]
    for path in (
        f"/graphiql/static/{'0' * 16}/graphiql.min.js",  # an old (or made-up) content
        f"/graphiql/static/{asset.digest}/nothing.js",
        f"/graphiql/static/{asset.digest}/manifest.json",
    ):
        response = await client.http.get(path)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # A path out of the folder matches no route at all.
    escape = await client.http.get(f"/graphiql/static/{asset.digest}/..%2F..%2F__init__.py")
    assert escape.status_code == 404


@pytest.mark.parametrize("settings", [{"production": True}, {"graphiql": False}])
async def test_off_in_production_and_when_disabled(
    empty_db: str, make_client: ClientFactory, settings: dict[str, bool]
) -> None:
    on = make_client(empty_db)
    off = make_client(empty_db, **settings)
    href = graphiql.bundle().assets["graphiql.min.js"].href
    assert (await on.http.get("/graphql", headers=PAGE)).status_code == 200
    assert (await on.http.get("/" + href)).status_code == 200
    page = await off.http.get("/graphql", headers=PAGE)
    assert page.status_code == 404 and "graphiql" not in page.text.lower()
    assert (await off.http.get("/" + href)).status_code == 404
    # GraphQL itself is still served.
    assert await off.execute("{ __typename }") == {"__typename": "Query"}


def test_files_are_package_data() -> None:
    """Every file the page needs matches pyproject's package-data globs for core.graphiql, so a
    wheel (not only this checkout) carries it."""
    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]
    package_dir = Path(graphiql.__file__).parent
    globs = package_data.get("*", []) + package_data.get("core.graphiql", [])
    needed = [graphiql.TEMPLATE, graphiql.PAGE_JS, graphiql.MANIFEST]
    needed += [graphiql.STATIC / e["name"] for e in graphiql.manifest()]
    needed += list((graphiql.STATIC / "licenses").iterdir())
    # setuptools expands each glob from the package's folder, as Path.glob does.
    shipped = {found for glob in globs for found in package_dir.glob(glob) if found.is_file()}
    for path in needed:
        assert path in shipped, path.relative_to(package_dir).as_posix()


# --- a real browser, offline ------------------------------------------------------------------


def run_query(page: Page, name: str, document: str) -> object:
    """Type `document` (operation `name`) into the query editor, run it, return the result pane."""
    page.click(".graphiql-query-editor .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    page.keyboard.type(document)
    page.keyboard.press("Escape")  # close the autocompletion list, if open
    # GraphiQL takes the operation name from the editor after a 100 ms debounce and keeps it on
    # the editor's CodeMirror instance, which is what "Execute" sends. The explorer may show the
    # new name before that ran (CI once sent the previous operation), so wait for the editor's.
    expect(page.locator(".graphiql-plugin input").first).to_have_value(name)
    selected = (
        "document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.operationName"
    )
    deadline = time.monotonic() + 30
    while page.evaluate(selected) != name:
        assert time.monotonic() < deadline, f"GraphiQL did not select {name} within 30 s"
        page.wait_for_timeout(50)
    page.evaluate(
        "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.setValue('')"
    )
    page.click('button[aria-label="Execute query (Ctrl-Enter)"]')
    # Polled from here: wait_for_function would evaluate a string in the page, which the
    # page's Content-Security-Policy (no eval) rightly refuses.
    result = "document.querySelector('.graphiql-response .CodeMirror').CodeMirror.getValue()"
    deadline = time.monotonic() + 30
    while not (shown := page.evaluate(result)):
        assert time.monotonic() < deadline, "no result shown within 30 s"
        page.wait_for_timeout(50)
    return json.loads(shown)


@pytest.mark.slow  # a real server process and a browser: ~30 s per backend on a loaded CI machine
def test_graphiql_in_a_browser_offline(demo_db: str, role_tokens: dict[str, str]) -> None:
    assert CHROMIUM.exists(), "needs Debian's chromium: `make test` installs it (apt-get)"
    groups = "query Groups { workingGroups(first: 3) { nodes { name slug } } }"
    audit = "query Audit { auditLog(first: 1) { totalCount } }"
    with live_server(demo_db) as server, sync_playwright() as playwright:
        graphql = f"{server.url}/graphql"

        def answer(name: str, document: str, token: str | None = None) -> object:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            body = {"query": document, "operationName": name}
            return httpx.post(graphql, json=body, headers=headers, timeout=30).json()

        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            aborted: list[str] = []
            problems: list[str] = []

            def only_this_server(route: Route) -> None:
                if route.request.url.startswith(f"{server.url}/"):
                    route.continue_()
                else:  # the machine might be online: no other host is reachable here
                    aborted.append(route.request.url)
                    route.abort()

            page.route("**/*", only_this_server)
            page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
            page.on(
                "console",
                lambda message: (
                    problems.append(f"console: {message.text}") if message.type == "error" else None
                ),
            )
            page.add_init_script(
                "document.addEventListener('securitypolicyviolation', e => "
                "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI))"
            )

            page.goto(graphql)
            page.wait_for_selector(".graphiql-query-editor .CodeMirror")
            # The explorer plugin is there and has the schema (introspection went through).
            page.click('button[aria-label="Show GraphiQL Explorer"]')
            expect(page.locator(".graphiql-plugin")).to_contain_text("workingGroups")

            shown = run_query(page, "Groups", groups)
            expected = answer("Groups", groups)
            assert shown == expected
            assert isinstance(expected, dict) and len(expected["data"]["workingGroups"]["nodes"])

            # Signed in through the headers editor: the staff member may read the audit log.
            anonymous = answer("Audit", audit)
            signed_in = answer("Audit", audit, role_tokens["staff"])
            assert isinstance(signed_in, dict) and signed_in["data"]["auditLog"] is not None
            assert anonymous != signed_in
            page.get_by_role("button", name="Headers").click()
            page.click(".graphiql-editor-tool .CodeMirror >> visible=true")
            headers = {"Authorization": f"Bearer {role_tokens['staff']}"}
            page.keyboard.insert_text(json.dumps(headers))
            assert run_query(page, "Audit", audit) == signed_in

            # The screenshot CI keeps: the token stays out of it (Variables tab), the query pretty.
            page.get_by_role("button", name="Variables").click()
            assert run_query(page, "Groups", groups) == expected
            page.click('button[aria-label="Prettify query (Shift-Ctrl-P)"]')
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            partial = SCREENSHOT.with_suffix(f".{os.getpid()}.part")  # xdist: one writer at a time
            partial.write_bytes(page.screenshot())
            partial.replace(SCREENSHOT)
            assert aborted == [], f"GraphiQL reached for another host: {aborted}"
            assert problems == []
        finally:
            browser.close()
