"""Is each page's cost flat in table size? (issue 3: "the same page costs the same with 1,000 or
200,000 registrations").

    python -m bench.flat --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/ogp_flat \
        [--sizes 1000,200000] [--runs 5] [-v]

For each size, the database is CLEARED and regenerated at "large" scale with that many
registrations (`bench.generate --registrations N`: every other table is the same). Then, for each
read page of the mix, the SQL our app sends is captured in-process (`bench.explain.our_statements`)
and each statement runs under EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) once to warm up, then
`--runs` times. Per page:

- statements: SQL statements the page ran;
- ms: execution time summed over the page's statements, median of the runs (noisy);
- buffers: shared buffers hit + read by the executor, summed over the statements (deterministic);
- rows: rows produced by the scan nodes (Seq/Index/Index Only/Bitmap Heap/Tid scans: Actual Rows x
  Actual Loops), and filtered: rows those scans read and discarded (Rows Removed by Filter/Recheck);
- seq scans: Seq Scans of tables with more than 10,000 rows (`pg_class.reltuples`).

Markdown goes to stdout: one table per size, then the sizes side by side with the ratio of the
last size to the first, then each page that is not flat (a statement whose buffers, rows or
filtered rows grow more than 1.5x and by more than 10; every page with -v), with its statements
and scan nodes at the first and last sizes. Progress goes to stderr. PostgreSQL only.

A page whose document fails against the current schema is skipped and reported.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import statistics
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

from bench import explain
from bench.generate import N_REGISTRATIONS, asyncpg_dsn, generate
from bench.mix import variables

READ_PAGES = ("group_list", "group_page", "meeting_page", "country_page")
SCANS = {"Seq Scan", "Index Scan", "Index Only Scan", "Bitmap Heap Scan", "Tid Scan"}
LARGE = explain.LARGE  # rows: a sequential scan above this grows with the data
FLAT = 1.5  # a statement whose buffers or rows grow more than this from the first size to the last
SLACK = 10  # ... and by more than this many


# --- Plans ----------------------------------------------------------------------------------------


def nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every node of a plan tree (InitPlans and SubPlans are children too)."""
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def buffers(node: dict[str, Any]) -> int:
    """Shared buffers hit + read by a node and everything under it."""
    return int(node.get("Shared Hit Blocks", 0)) + int(node.get("Shared Read Blocks", 0))


def label(node: dict[str, Any]) -> str:
    """E.g. "Index Scan registrations (ix_registrations_meeting_id_queued_at_id)"."""
    text = node["Node Type"]
    if "Relation Name" in node:
        text += f" {node['Relation Name']}"
    if "Index Name" in node:
        text += f" ({node['Index Name']})"
    return text


@dataclass
class Scan:
    label: str
    relation: str | None
    rows: int  # Actual Rows x Actual Loops
    filtered: int  # Rows Removed by Filter / Index Recheck, x Actual Loops
    loops: int
    buffers: int


@dataclass
class Statement:
    sql: str
    explained: bool = True
    exec_ms: list[float] = field(default_factory=list)
    buffers: int = 0
    scans: list[Scan] = field(default_factory=list)

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.scans)

    @property
    def filtered(self) -> int:
        return sum(s.filtered for s in self.scans)

    def record(self, plan: dict[str, Any]) -> None:
        """One EXPLAIN ANALYZE result; buffers and scans are those of the last run."""
        root = plan["Plan"]
        self.exec_ms.append(float(plan["Execution Time"]))
        self.buffers = buffers(root)
        self.scans = [
            Scan(
                label(n),
                n.get("Relation Name"),
                round(n.get("Actual Rows", 0) * n.get("Actual Loops", 1)),
                round(
                    (n.get("Rows Removed by Filter", 0) + n.get("Rows Removed by Index Recheck", 0))
                    * n.get("Actual Loops", 1)
                ),
                int(n.get("Actual Loops", 1)),
                buffers(n),
            )
            for n in nodes(root)
            if n["Node Type"] in SCANS
        ]


@dataclass
class Page:
    page: str
    variables: dict[str, Any]
    statements: list[Statement] = field(default_factory=list)
    skipped: str | None = None
    big_seq_scans: list[str] = field(default_factory=list)

    @property
    def exec_ms(self) -> float:
        runs = [s.exec_ms for s in self.statements if s.explained]
        return statistics.median(map(sum, zip(*runs, strict=True))) if runs else 0.0

    def total(self, attribute: str) -> int:
        return sum(getattr(s, attribute) for s in self.statements)


@dataclass
class Size:
    registrations: int
    table_rows: dict[str, int]
    pages: dict[str, Page]


# --- Measuring ------------------------------------------------------------------------------------


def _is_query(sql: str) -> bool:
    return sql.lstrip().split(None, 1)[0].upper() in ("SELECT", "WITH") if sql.strip() else False


def _errors(text: str) -> str:
    """The GraphQL error messages in `bench.explain`'s "page: [errors]" exception text."""
    try:
        errors = ast.literal_eval(text.split(": ", 1)[1])
        text = "; ".join(
            f"{e['message']} ({e.get('extensions', {}).get('code', '')})" for e in errors
        )
    except (IndexError, ValueError, SyntaxError, TypeError, KeyError):
        pass
    return " ".join(text.split()).replace("|", "/")[:300]


async def measure_page(
    conn: asyncpg.Connection, url: str, page: str, runs: int, sizes: dict[str, int]
) -> Page:
    found = await variables(url, page, 1)
    result = Page(page, found[0] if found else {})
    if not found:
        result.skipped = "no variables in the data"
        return result
    try:
        captured = (await explain.our_statements(url, {page: result.variables}))[page]
    except RuntimeError as exc:  # e.g. the document no longer validates against the schema
        result.skipped = _errors(str(exc))
        return result
    result.statements = [Statement(sql, _is_query(sql)) for sql, _ in captured]
    for attempt in range(1 + runs):  # attempt 0 warms the cache up and is not kept
        for statement, (sql, args) in zip(result.statements, captured, strict=True):
            if statement.explained:
                raw = await conn.fetchval(
                    f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", *(args or ())
                )
                statement.record((json.loads(raw) if isinstance(raw, str) else raw)[0])
                if attempt == 0:
                    statement.exec_ms.clear()
    result.big_seq_scans = sorted(
        {
            s.relation
            for st in result.statements
            for s in st.scans
            if s.label.startswith("Seq Scan") and sizes.get(s.relation or "", 0) > LARGE
        }
    )
    return result


async def measure(url: str, n_registrations: int, seed: int, runs: int) -> Size:
    await generate("large", url, seed, n_registrations)  # the database CLEARED first
    conn = await asyncpg.connect(asyncpg_dsn(url), server_settings={"timezone": "UTC"})
    try:
        rows = await conn.fetch(
            "SELECT relname, reltuples::bigint AS n FROM pg_class "
            "WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        table_rows = {r["relname"]: max(int(r["n"]), 0) for r in rows}
        pages = {}
        for page in READ_PAGES:
            print(f"  {page} ...", file=sys.stderr)
            pages[page] = await measure_page(conn, url, page, runs, table_rows)
    finally:
        await conn.close()
    return Size(n_registrations, table_rows, pages)


# --- Report ---------------------------------------------------------------------------------------


def _short(sql: str, width: int = 110) -> str:
    text = " ".join(sql.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _ratio(small: float, large: float) -> str:
    if small == large:
        return "1.00"
    return f"{large / small:.2f}" if small else "inf"


METRICS: tuple[tuple[str, Any], ...] = (
    ("statements", lambda p: len(p.statements)),
    ("buffers (hit+read)", lambda p: p.total("buffers")),
    ("rows (scan nodes)", lambda p: p.total("rows")),
    ("rows filtered", lambda p: p.total("filtered")),
    ("ms, median", lambda p: round(p.exec_ms, 2)),
)


def size_table(size: Size) -> list[str]:
    out = [
        f"### {size.registrations:,} registrations",
        "",
        "| page | variables | statements | ms (median) | buffers | rows | filtered "
        f"| seq scans > {LARGE:,} rows |",
        "|---|---|--:|--:|--:|--:|--:|---|",
    ]
    for page in size.pages.values():
        if page.skipped:
            out.append(f"| {page.page} | skipped: {page.skipped} | | | | | | |")
            continue
        out.append(
            f"| {page.page} | `{json.dumps(page.variables)}` | {len(page.statements)} "
            f"| {page.exec_ms:.2f} | {page.total('buffers'):,} | {page.total('rows'):,} "
            f"| {page.total('filtered'):,} | {', '.join(page.big_seq_scans) or '-'} |"
        )
    return [*out, ""]


def comparison(sizes: list[Size]) -> list[str]:
    first, last = sizes[0], sizes[-1]
    head = " | ".join(f"{s.registrations:,}" for s in sizes)
    out = [
        f"### Side by side (ratio: {last.registrations:,} / {first.registrations:,})",
        "",
        f"| page | metric | {head} | ratio |",
        "|---|---|" + "--:|" * (len(sizes) + 1),
    ]
    for page in READ_PAGES:
        results = [s.pages[page] for s in sizes]
        skipped = next((r.skipped for r in results if r.skipped), None)
        if skipped:
            out.append(f"| {page} | skipped | {' | '.join('-' for _ in sizes)} | |")
            continue
        for name, get in METRICS:
            values = [get(r) for r in results]
            cells = " | ".join(f"{v:,.2f}" if isinstance(v, float) else f"{v:,}" for v in values)
            out.append(f"| {page} | {name} | {cells} | {_ratio(values[0], values[-1])} |")
        scans = [", ".join(r.big_seq_scans) or "-" for r in results]
        out.append(f"| {page} | seq scans > {LARGE:,} rows | {' | '.join(scans)} | |")
    return [*out, ""]


def _grows(small: int, large: int) -> bool:
    """More than FLAT times, and by more than a few buffers or rows (noise on tiny numbers)."""
    return large > FLAT * max(small, 1) and large - small > SLACK


def pairs(a: Page, b: Page) -> list[tuple[Statement | None, Statement | None]]:
    """The two sizes' statements matched by SQL text (loaders run concurrently, so the capture
    order varies), in the order of the last size; unmatched ones pair with None."""
    left: dict[str, list[Statement]] = {}
    for st in a.statements:
        left.setdefault(st.sql, []).append(st)
    out: list[tuple[Statement | None, Statement | None]] = []
    for st in b.statements:
        same = left.get(st.sql)
        out.append((same.pop(0) if same else None, st))
    out += [(st, None) for rest in left.values() for st in rest]
    return out


def growth(x: Statement | None, y: Statement | None) -> list[str]:
    """What grows from statement x (first size) to y (last size)."""
    if x is None or y is None:
        return ["unmatched statement"]
    return [
        name
        for name, small, large in (
            ("buffers", x.buffers, y.buffers),
            ("rows", x.rows, y.rows),
            ("filtered", x.filtered, y.filtered),
        )
        if _grows(small, large)
    ]


def details(sizes: list[Size], verbose: bool) -> list[str]:
    """Each page that grows (every page with -v): its statements and scan nodes at both ends."""
    first, last = sizes[0], sizes[-1]
    out: list[str] = []
    for page in READ_PAGES:
        a, b = first.pages[page], last.pages[page]
        if a.skipped or b.skipped:
            continue
        matched = pairs(a, b)
        grows = sorted({g for x, y in matched for g in growth(x, y)})
        if not (grows or verbose or a.big_seq_scans or b.big_seq_scans):
            continue
        verdict = f"not flat: {', '.join(grows)} grow" if grows else "flat"
        out += [f"#### {page} ({verdict})", ""]
        for i, (x, y) in enumerate(matched, 1):
            st = y or x
            assert st is not None
            cells = [
                f"{name} {getattr(x, name):,} -> {getattr(y, name):,}"
                if x and y
                else f"{name} {getattr(st, name):,} (only at "
                f"{(last if y else first).registrations:,})"
                for name in ("buffers", "rows", "filtered")
            ]
            flag = growth(x, y)
            out.append(
                f"{i}. `{_short(st.sql)}`: {', '.join(cells)}"
                + (f" **({', '.join(flag)})**" if flag else "")
            )
            for size, one in ((first, x), (last, y)):
                for scan in one.scans if one else ():
                    out.append(
                        f"   - {size.registrations:,}: {scan.label}: rows {scan.rows:,} "
                        f"(loops {scan.loops:,}), filtered {scan.filtered:,}, "
                        f"buffers {scan.buffers:,}"
                    )
        out.append("")
    return out


def report(sizes: list[Size], verbose: bool) -> str:
    lines = ["## Cost against table size (EXPLAIN ANALYZE, BUFFERS)", ""]
    for size in sizes:
        lines += size_table(size)
    if len(sizes) > 1:
        lines += comparison(sizes)
        found = details(sizes, verbose)
        title = "Every page's statements" if verbose else "Pages that are not flat"
        lines += [
            f"### {title} ({first_last(sizes)}; a statement grows when it is more than "
            f"{FLAT}x and {SLACK} higher)",
            "",
            *(found or ["None."]),
        ]
    return "\n".join(lines)


def first_last(sizes: list[Size]) -> str:
    return f"{sizes[0].registrations:,} -> {sizes[-1].registrations:,} registrations"


async def run(url: str, sizes: list[int], seed: int, runs: int, verbose: bool) -> str:
    measured = []
    for n in sizes:
        print(f"== {n:,} registrations", file=sys.stderr)
        measured.append(await measure(url, n, seed, runs))
    return report(measured, verbose)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.flat",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--database-url", required=True, help="postgresql+asyncpg:// URL; CLEARED for each size"
    )
    parser.add_argument(
        "--sizes", default=f"1000,{N_REGISTRATIONS}", help="registrations, comma-separated"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="EXPLAIN ANALYZE runs per statement")
    parser.add_argument("-v", "--verbose", action="store_true", help="details of every page")
    args = parser.parse_args(argv)
    if not args.database_url.startswith("postgresql"):
        parser.error("PostgreSQL only")
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error(f"--sizes: comma-separated integers, not {args.sizes!r}")
    if not sizes or min(sizes) < 0 or args.runs < 1:
        parser.error("--sizes needs at least one size >= 0, --runs at least 1")
    print(asyncio.run(run(args.database_url, sizes, args.seed, args.runs, args.verbose)))


if __name__ == "__main__":
    main()
