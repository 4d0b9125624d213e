"""Paging many connections side by side over HTTP, and checking they page completely.

`walk(client, nested=...)` introspects the live schema (tests/schema_walk.py), pages every root or
nested connection with page sizes 1, 2 and 3 following `pageInfo.endCursor`, and compares with one
big page (`first: 100`): the same items in the same order, `hasNextPage` false exactly on the last
page, `totalCount` the number of items over all pages. Then backwards, as the Relay specification
defines it: `last: 100` gives the same items as `first: 100` (when they are all), and pages of 1,
2 and 3 following `pageInfo.startCursor` as `before`, each page's edges in the forward order, put
together give them too, `hasPreviousPage` false exactly on the first page. Many connections are paged side by side in
one request (each under its own response key), so a walk costs a few hundred requests rather
than thousands. Problems are returned as sentences naming the connection, parent and page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.plugins import discover
from core.testing import ClientFactory, GraphQLClient
from tests import pagination_plugin
from tests.schema_walk import Target, introspect, targets, variants

BIG = 100
PAGE_SIZES = (1, 2, 3)
PER_REQUEST = 12
PAGE = (
    "totalCount @include(if: $COUNT) edges { cursor node { %s } }"
    " pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
)
COUNTED = (BIG, 2)
"""The page sizes whose pages select `totalCount` (each costs a COUNT statement): the big page,
and every page of the walk by two, to prove the total ignores `after`."""


def client_with_sorted_views(
    make_client: ClientFactory, url: str, token: str | None = None, **settings: Any
) -> GraphQLClient:
    """Every installed plugin plus the test plugin with descending and mixed sort keys; `token`:
    sent with every request (staff's reaches the connections only a signed-in caller may read);
    `settings`: more settings (`compiled_reads=True`: the walk on the compiled read path)."""
    installed: dict[str, object] = {key: p.obj for key, p in discover().items()}
    installed[pagination_plugin.KEY] = pagination_plugin.plugin
    # many connections side by side, each a big page: past what one client may ask (core.limits)
    walker: dict[str, Any] = {"max_aliases": 10_000, "max_tokens": 10**6, "max_query_length": 10**7}
    # a walk request is big by design: on a busy machine it may take past the default timeout
    # ...and sends thousands of requests a minute: the rate limits are tested elsewhere
    walker.update(execution_timeout=120.0, rate_limits=False)
    # ...and its statements and new connections wait for a loaded machine's CPU too (a 503
    # under load, not a bug: a CI run saw "cannot connect to the database: TimeoutError()")
    walker.update(
        database_statement_timeout=60.0, database_pool_timeout=60.0, database_connect_timeout=60.0
    )
    walker.update(settings)
    client = make_client(url, installed=installed, debug=True, max_nodes=10**12, **walker)
    return client.with_token(token)


async def fetch_pages(
    client: GraphQLClient, asks: list[tuple[Target, int, str | None]], *, backwards: bool = False
) -> list[dict[str, Any] | str]:
    """One page per (target, first, after), or with `backwards` (target, last, before), up to
    PER_REQUEST targets a request; a string describing the errors in place of a page that
    failed."""
    out: list[dict[str, Any] | str] = []
    for start in range(0, len(asks), PER_REQUEST):
        chunk = asks[start : start + PER_REQUEST]
        names = [f"t{i}" for i in range(len(chunk))]
        declared = ", ".join(f"${n}f: Int!, ${n}a: String" for n in names)
        selections = " ".join(
            t.select(
                n, f"${n}f", f"${n}a", "true" if first in COUNTED else "false", backwards=backwards
            )
            for n, (t, first, _) in zip(names, chunk, strict=True)
        )
        variables = {}
        for n, (_, first, after) in zip(names, chunk, strict=True):
            variables |= {f"{n}f": first, f"{n}a": after}
        response = await client.post(f"query({declared}) {{ {selections} }}", variables)
        body = response.json()
        for n, (target, _, _) in zip(names, chunk, strict=True):
            errors = [e for e in body.get("errors") or [] if (e.get("path") or [n])[0] == n]
            page = target.extract(body.get("data"), n)
            out.append(
                page if page is not None and not errors else f"{response.status_code} {errors}"
            )
    return out


@dataclass
class _Walk:
    """The state of paging one target with one page size, forwards (`first`/`after`: `after`
    holds the cursor), or `backwards` (`last`/`before`: the cursor in `after` is the `before`,
    `items` the big backward page, the last ones)."""

    target: Target
    items: list[Any]
    complete: bool  # the big page held every item
    size: int
    backwards: bool = False
    after: str | None = None
    seen: list[Any] = field(default_factory=list)
    pages: int = 0

    def take(self, page: dict[str, Any]) -> tuple[bool, list[str]]:
        """Record one page: (whether paging goes on, problems found)."""
        if self.backwards:
            return self._take_backwards(page)
        edges, info = page["edges"], page["pageInfo"]
        self.seen += [edge["node"] for edge in edges]
        self.pages += 1
        problems = []
        if self.complete and page.get("totalCount", len(self.items)) != len(self.items):
            problems.append(f"totalCount {page['totalCount']}, {len(self.items)} items")
        ends = (edges[0]["cursor"], edges[-1]["cursor"]) if edges else (None, None)
        if (info["startCursor"], info["endCursor"]) != ends:
            problems.append("startCursor/endCursor are not the first/last edge's cursor")
        if len(edges) > self.size or (self.after is not None and not edges):
            problems.append(f"a page of {len(edges)} items after hasNextPage")
        more = info["hasNextPage"] and (self.complete or len(self.seen) < len(self.items))
        if more and len(edges) < self.size:
            problems.append(f"hasNextPage after a page of {len(edges)}")
        if more and self.pages > len(self.items) // self.size + 1:
            problems.append("more pages than items")
            more = False
        if not more and (
            self.seen[: len(self.items)] != self.items
            or (self.complete and len(self.seen) != len(self.items))
        ):
            problems.append(f"{len(self.seen)} items paged, not the {len(self.items)} of one page")
        if info["hasPreviousPage"] != (self.after is not None):
            problems.append(f"hasPreviousPage {info['hasPreviousPage']} paging forwards")
        self.after = info["endCursor"]
        return more, problems

    def _take_backwards(self, page: dict[str, Any]) -> tuple[bool, list[str]]:
        """The mirror image of `take`: pages come from the end, each in the forward order."""
        edges, info = page["edges"], page["pageInfo"]
        self.seen = [edge["node"] for edge in edges] + self.seen
        self.pages += 1
        problems = []
        if self.complete and page.get("totalCount", len(self.items)) != len(self.items):
            problems.append(f"totalCount {page['totalCount']}, {len(self.items)} items")
        ends = (edges[0]["cursor"], edges[-1]["cursor"]) if edges else (None, None)
        if (info["startCursor"], info["endCursor"]) != ends:
            problems.append("startCursor/endCursor are not the first/last edge's cursor")
        if len(edges) > self.size or (self.after is not None and not edges):
            problems.append(f"a page of {len(edges)} items after hasPreviousPage")
        if info["hasNextPage"] != (self.after is not None):
            problems.append(f"hasNextPage {info['hasNextPage']} paging backwards")
        more = info["hasPreviousPage"] and (self.complete or len(self.seen) < len(self.items))
        if more and len(edges) < self.size:
            problems.append(f"hasPreviousPage after a page of {len(edges)}")
        if more and self.pages > len(self.items) // self.size + 1:
            problems.append("more pages than items")
            more = False
        if not more and (
            self.seen[len(self.seen) - len(self.items) :] != self.items
            or (self.complete and len(self.seen) != len(self.items))
        ):
            problems.append(f"{len(self.seen)} items paged back, not the {len(self.items)} of one")
        self.after = info["startCursor"]
        return more, problems


async def check(
    client: GraphQLClient, walked: list[Target], *, follow: bool = True
) -> tuple[dict[Target, int], list[str]]:
    """Each target's number of items (in one big page), and the problems found paging it with
    every page size, forwards and backwards (none: all page completely); only the big pages
    unless `follow`."""
    problems: list[str] = []
    sizes: dict[Target, int] = {}
    bigs = await fetch_pages(client, [(t, BIG, None) for t in walked])
    backs = await fetch_pages(client, [(t, BIG, None) for t in walked], backwards=True)
    walks = []
    for target, big, back in zip(walked, bigs, backs, strict=True):
        if isinstance(big, str) or isinstance(back, str):
            problems.append(
                f"{target.label}, first/last {BIG}: {big if isinstance(big, str) else back}"
            )
            continue
        items = [edge["node"] for edge in big["edges"]]
        last_items = [edge["node"] for edge in back["edges"]]
        sizes[target] = len(items)
        complete = not big["pageInfo"]["hasNextPage"]
        if complete and big["totalCount"] != len(items):
            problems.append(f"{target.label}: totalCount {big['totalCount']}, {len(items)} items")
        if complete and (last_items != items or back["pageInfo"]["hasPreviousPage"]):
            problems.append(f"{target.label}: last {BIG} is not first {BIG}")
        if not complete and (len(last_items) != BIG or not back["pageInfo"]["hasPreviousPage"]):
            problems.append(f"{target.label}: last {BIG} gave {len(last_items)}, more than {BIG}")
        for size in PAGE_SIZES if follow else ():
            walks.append(_Walk(target, items, complete, size))
            walks.append(_Walk(target, last_items, complete, size, backwards=True))
    while walks:
        going = []
        for backwards in (False, True):
            mine = [w for w in walks if w.backwards == backwards]
            asks = [(w.target, w.size, w.after) for w in mine]
            pages = await fetch_pages(client, asks, backwards=backwards)
            for walk, page in zip(mine, pages, strict=True):
                how = "last" if backwards else "first"
                where = f"{walk.target.label}, {how} {walk.size}, page {walk.pages + 1}"
                if isinstance(page, str):
                    problems.append(f"{where}: {page}")
                    continue
                more, found = walk.take(page)
                problems += [f"{where}: {p}" for p in found]
                if more:
                    going.append(walk)
        walks = going
    return sizes, problems


async def walk(
    client: GraphQLClient, *, nested: bool, variants_under: int = 0
) -> tuple[int, list[str]]:
    """Page every root (or nested) connection under every parent; or, with `variants_under`,
    with each generated argument value, under the `variants_under` parents of each connection
    that hold the most items. Returns (targets paged, problems found)."""
    schema = await introspect(client)
    walked = await targets(client, schema, PAGE, nested=nested)
    if not variants_under:
        return len(walked), (await check(client, walked))[1]
    sizes, problems = await check(client, walked, follow=False)
    more: list[Target] = []
    for conn in {t.conn for t in walked}:
        mine = sorted((t for t in walked if t.conn == conn), key=lambda t: -sizes.get(t, 0))
        more += [v for t in mine[:variants_under] for v in variants(schema, t)]
    return len(more), problems + (await check(client, more))[1]
