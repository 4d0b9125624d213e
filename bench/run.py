"""The benchmark runner: ogp-wg, the floor and PostGraphile on the same PostgreSQL data.

    python -m bench.run --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/ogp_bench \
        [--duration 10] [--rounds 3] [--connections 32] [--threads 1] [--workers 1] \
        [--pages group_list,group_page,...] [--servers ours,floor,postgraphile] [--soak 300]

Load the data first (`python -m bench.generate --scale large --database-url URL`). Then, in order:

1. Prepare: apply bench/postgraphile/schema.sql (PostGraphile's computed columns and mutation),
   VACUUM ANALYZE, read rotating variables from the data (bench.mix.variables), and write one
   request-body file per server and page for wrk (PostGraphile's: integer keys, not global IDs).
2. SQL statements per request, a separate untimed pass: each server is started against a small
   PostgreSQL wire-protocol proxy in this process that counts the statements it executes (simple
   Query messages, and Execute messages of the extended protocol, keyed back to their Parse text),
   then the same bodies are sent one at a time. Counts are split into data statements (SELECT,
   INSERT, ...) and transaction control (BEGIN, COMMIT, ROLLBACK). Works the same for all three
   servers, needs no superuser settings, no server restart and no log access.
3. The timed servers start pinned to one core (`taskset -c 0`), directly on the database: ours
   (`ogp-wg serve`, production settings), the floor (`python -m bench.floor`) and PostGraphile
   (`node bench/postgraphile/server.js`). Before any timing, every read page is checked: each server
   must return the same data as ours for a sample of variables (IDs left out for PostGraphile, whose
   IDs are integers), and the mutation must answer REGISTERED/WAITLISTED as the meeting's places
   say, and write the row.
4. Timing: wrk pinned to the other core; per page a short warm-up per server, then for each round
   and each page the servers in turn (ours, floor, postgraphile, ours, ...). The registration
   mutation runs last, each run on its own fresh (meeting, person) pairs. Server CPU per request is
   the utime+stime of the server's processes (all of them, from /proc) over the run / requests;
   DB CPU per request the same for the PostgreSQL backends connected to the database.
5. Ours alone: on each page with a target of issue 12 not met (bench.targets), one more run
   under py-spy (bench.profile; `--no-profile`: none); resident memory at start, after the
   runs and over a soak of mixed read load; schema assembly time with all plugins; `ogp-wg
   --help` wall time.

The report (Markdown) opens with the figures, then judges issue 12's targets (bench.targets:
met or not, with the profile where one is not). It is printed and written to
bench/results/latest.md, the raw figures to bench/results/latest.json. Wall-clock figures:
never a test's business (the CI gate counts instructions instead).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bench.mix as mix_pages
from bench import profile, shapes, targets

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PG_DIR = BENCH / "postgraphile"
WRK_SCRIPT = BENCH / "wrk" / "graphql.lua"
RESULTS = BENCH / "results"
VENV_BIN = ROOT / ".venv" / "bin"

READ_PAGES = ("group_list", "group_page", "meeting_page", "country_page")
WRITE_PAGE = "register"
ALL_PAGES = (*READ_PAGES, WRITE_PAGE)
SHAPE_PAGES = shapes.PAGES
"""Read pages of other shapes (bench.shapes): not in the default run, not served by the floor."""
SERVERS = ("ours", "floor", "postgraphile")
LABELS = {"ours": "ogp-wg", "floor": "floor", "postgraphile": "PostGraphile"}
READ_VARIANTS = 500
"""Variable sets per read page in a wrk body file (the list cycles)."""
CLK_TCK = os.sysconf("SC_CLK_TCK")


def log(message: str) -> None:
    print(f"bench.run: {message}", file=sys.stderr, flush=True)


class BenchError(Exception):
    """A failure that ends the run with one clear message."""


# --- Database URLs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Urls:
    """One database, spelled for each client."""

    sqlalchemy: str  # postgresql+asyncpg://  (ours, bench.mix, bench.generate)
    plain: str  # postgresql://  (asyncpg, the floor, node-postgres)

    @classmethod
    def parse(cls, url: str) -> Urls:
        from sqlalchemy.engine import make_url

        u = make_url(url)
        if not u.drivername.startswith("postgresql"):
            raise BenchError(f"--database-url must be a PostgreSQL URL, not {u.drivername}")
        sa = u.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)
        plain = u.set(drivername="postgresql").render_as_string(hide_password=False)
        return cls(sa, plain)

    def via(self, host: str, port: int) -> Urls:
        from sqlalchemy.engine import make_url

        def move(url: str) -> str:
            return make_url(url).set(host=host, port=port).render_as_string(hide_password=False)

        return Urls(move(self.sqlalchemy), move(self.plain))

    @property
    def host_port(self) -> tuple[str, int]:
        from sqlalchemy.engine import make_url

        u = make_url(self.plain)
        return u.host or "127.0.0.1", u.port or 5432

    @property
    def shown(self) -> str:
        from sqlalchemy.engine import make_url

        return make_url(self.sqlalchemy).render_as_string(hide_password=True)


# --- Documents, variables and each server's dialect ----------------------------------------------


def ours_documents() -> dict[str, str]:
    from bench import mix

    return mix.documents() | shapes.documents("ours")


def postgraphile_documents() -> dict[str, str]:
    mix = {page: (PG_DIR / "queries" / f"{page}.graphql").read_text() for page in ALL_PAGES}
    return mix | shapes.documents("postgraphile")


def operation_name(document: str) -> str | None:
    found = re.search(r"\b(?:query|mutation)\s+([_A-Za-z][_0-9A-Za-z]*)", document)
    return found.group(1) if found else None


def _decoded(value: Any) -> tuple[str, int] | None:
    from core.schema.ids import from_global_id

    return from_global_id(value) if isinstance(value, str) else None


def to_postgraphile(page: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Our variables in PostGraphile's terms: global IDs become integer primary keys, positions
    its cursors."""
    if page in SHAPE_PAGES:
        return shapes.postgraphile_cursor(page, variables)
    out: dict[str, Any] = {}
    for name, value in variables.items():
        decoded = _decoded(value)
        if page == "meeting_page" and decoded and decoded[0] == "Meeting":
            out["id"] = decoded[1]
        elif page == WRITE_PAGE and decoded:
            out[{"Meeting": "meetingId", "Person": "personId"}[decoded[0]]] = decoded[1]
        else:
            out[name] = value
    return out


@dataclass
class Server:
    name: str
    port: int
    documents: dict[str, str]
    dialect: Callable[[str, dict[str, Any]], dict[str, Any]]
    proc: subprocess.Popen[bytes] | None = None
    log_path: Path | None = None
    command: list[str] = field(default_factory=list)
    env_shown: dict[str, str] = field(default_factory=dict)
    token: str | None = None
    """ours: a bearer token of a staff member, sent with the register page (registering a person
    takes a signed-in person who may: themself, a group's anchor, or staff) and the meeting page
    (who registered is shown to staff and the meeting's group, not to anonymous readers: the
    trust issue's row rules; the gate reads it the same way). The floor and PostGraphile have no
    sign-in and get none."""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def authorization(self, page: str) -> str | None:
        """The `Authorization` header's value for `page`'s requests, or None (anonymous)."""
        signed_in = page in mix_pages.SIGNED_IN_PAGES
        return f"Bearer {self.token}" if self.token and signed_in else None

    def post(self, page: str, variables: dict[str, Any], timeout: float = 60) -> tuple[int, Any]:
        """One request of `page` with `variables`, signed in as that page needs."""
        return post(self.url, self.body(page, variables), timeout, self.authorization(page))

    def body(self, page: str, variables: dict[str, Any]) -> bytes:
        doc = self.documents[page]
        payload: dict[str, Any] = {"query": doc, "variables": self.dialect(page, variables)}
        if (op := operation_name(doc)) is not None:
            payload["operationName"] = op
        return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def make_servers(names: list[str], ports: dict[str, int]) -> dict[str, Server]:
    ours_docs = ours_documents()
    servers: dict[str, Server] = {}
    for name in names:
        if name == "postgraphile":
            servers[name] = Server(name, ports[name], postgraphile_documents(), to_postgraphile)
        else:  # the floor answers our documents with our variables
            servers[name] = Server(name, ports[name], ours_docs, shapes.ours_cursor)
    return servers


# --- Processes: start, readiness, CPU and memory ----------------------------------------------


def tree_pids(root: int) -> list[int]:
    """root and all its descendants (uvicorn workers, multiprocessing helpers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the processes (all their threads), in seconds."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            total += int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5)
    return total / CLK_TCK


def rss_bytes(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total


def port_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def pinned(cpus: str | None, command: list[str]) -> list[str]:
    return ["taskset", "-c", cpus, *command] if cpus else command


def server_command(server: Server, urls: Urls, args: argparse.Namespace) -> tuple[list[str], dict]:
    """The command line and the extra environment that start one server in production mode."""
    if server.name == "ours":
        command = [str(VENV_BIN / "ogp-wg"), "serve", "--port", str(server.port)]
        if args.workers > 1:
            command += ["--workers", str(args.workers)]
        env = {
            "OGP_WG_DATABASE_URL": urls.sqlalchemy,
            "OGP_WG_GRAPHIQL": "false",
            "OGP_WG_DEBUG": "false",
            # issue 12: the compiled read path is what the targets are measured on; `--read-path
            # resolver` measures the resolver path for comparison.
            "OGP_WG_COMPILED_READS": str(args.read_path == "compiled").lower(),
            # the load comes from one address and one token at thousands of requests a second:
            # the limiter (issue 8) would answer 429 to most of it; the other servers have none
            "OGP_WG_RATE_LIMITS": "false",
        }
    elif server.name == "floor":
        command = [sys.executable, "-m", "bench.floor", "--database-url", urls.plain]
        command += ["--port", str(server.port)]
        env = {}
    else:
        command = ["node", str(PG_DIR / "server.js")]
        env = {"DATABASE_URL": urls.plain, "PORT": str(server.port), "NODE_ENV": "production"}
    return pinned(args.server_cpus, command), env


def start_server(server: Server, urls: Urls, args: argparse.Namespace, workdir: Path) -> None:
    if not port_free(server.port):
        raise BenchError(
            f"port {server.port} ({server.name}) is in use: stop what listens there, or pass "
            f"--ports; see `ss -ltnp | grep :{server.port}`"
        )
    command, extra_env = server_command(server, urls, args)
    server.command, server.env_shown = command, extra_env
    server.log_path = workdir / f"{server.name}-{server.port}.log"
    log_file = server.log_path.open("ab")
    server.proc = subprocess.Popen(
        command,
        cwd=ROOT,
        env=os.environ | extra_env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped as a whole, nothing else
    )
    log_file.close()


def wait_ready(server: Server, probe: bytes, timeout: float = 90) -> None:
    """Ready when the group list page answers 200 with data."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.proc is not None
        if server.proc.poll() is not None:
            raise BenchError(f"{server.name} exited ({server.proc.returncode}):\n{tail(server)}")
        try:
            status, answer = post(server.url, probe, timeout=10)
            if status == 200 and "data" in answer:
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.25)
    raise BenchError(f"{server.name} not ready after {timeout:.0f}s:\n{tail(server)}")


def tail(server: Server, lines: int = 25) -> str:
    if server.log_path is None or not server.log_path.exists():
        return "(no log)"
    return "\n".join(server.log_path.read_text(errors="replace").splitlines()[-lines:])


def stop_server(server: Server) -> None:
    proc = server.proc
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
    server.proc = None


def server_pids(server: Server) -> list[int]:
    assert server.proc is not None
    return tree_pids(server.proc.pid)


def post(
    url: str, body: bytes, timeout: float = 60, authorization: str | None = None
) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, body, headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        text = exc.read()
        try:
            return exc.code, json.loads(text)
        except ValueError:
            return exc.code, {"errors": [{"message": text.decode(errors="replace")[:500]}]}


# --- SQL statements per request: a counting PostgreSQL wire-protocol proxy -----------------------

SESSION_FUNCTIONS = (
    "set_config(",
    "pg_advisory_unlock_all()",  # asyncpg's pool resets a connection on release with it
    "pg_catalog.version()",
    "current_schema()",
)
TX_CONTROL = ("begin", "start", "commit", "end", "rollback", "savepoint", "release", "abort")
SSL_REQUEST, GSSENC_REQUEST = 80877103, 80877104


def statement_kind(sql: str) -> str:
    text = re.sub(r"(--[^\n]*\n)|(/\*.*?\*/)", " ", sql, flags=re.S).strip().lower()
    word = text.split(None, 1)[0].rstrip(";") if text else ""
    if word in TX_CONTROL:
        return "tx"
    if word in ("set", "show", "reset", "discard", "listen", "unlisten", "deallocate", "close"):
        return "session"
    if any(f in text[:100] for f in SESSION_FUNCTIONS):
        return "session"
    return "data"


class CountingProxy:
    """Forwards one client's PostgreSQL connections upstream and counts executed statements.

    Client -> server messages are parsed (never changed): `Q` counts each statement of its text,
    `P` remembers a prepared statement's text, `B` binds a portal to it, `E` counts one execution.
    SSL/GSSAPI requests are answered "N" so the stream stays readable (local benchmark only).
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self.counts: Counter[str] = Counter()
        self.texts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._server: asyncio.AbstractServer | None = None

    def start(self) -> int:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._listen(), self.loop)
        self.port = future.result(10)
        return self.port

    async def _listen(self) -> int:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        return self._server.sockets[0].getsockname()[1]

    def stop(self) -> None:
        async def close() -> None:
            if self._server is not None:
                self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(close(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)

    def snapshot(self) -> tuple[Counter[str], Counter[str]]:
        with self.lock:
            return Counter(self.counts), Counter(self.texts)

    def _count(self, sql: str) -> None:
        kind = statement_kind(sql)
        with self.lock:
            self.counts[kind] += 1
            if kind == "data":
                self.texts[" ".join(sql.split())[:300]] += 1

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        pump = asyncio.ensure_future(self._pipe(up_reader, writer))
        try:
            await self._from_client(reader, writer, up_writer)
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            pump.cancel()
            for w in (writer, up_writer):
                with contextlib.suppress(Exception):
                    w.close()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while chunk := await reader.read(65536):
                writer.write(chunk)
                await writer.drain()
            writer.close()

    async def _from_client(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        upstream: asyncio.StreamWriter,
    ) -> None:
        while True:  # untyped start-up messages
            head = await reader.readexactly(8)
            length, code = struct.unpack("!ii", head)
            rest = await reader.readexactly(length - 8)
            if code in (SSL_REQUEST, GSSENC_REQUEST):
                writer.write(b"N")
                await writer.drain()
                continue
            upstream.write(head + rest)
            await upstream.drain()
            break
        statements: dict[bytes, str] = {}
        portals: dict[bytes, str] = {}
        while True:
            head = await reader.readexactly(5)
            kind, length = head[:1], struct.unpack("!i", head[1:])[0]
            payload = await reader.readexactly(length - 4)
            if kind == b"Q":
                text = payload.rstrip(b"\0").decode(errors="replace")
                for part in (p for p in text.split(";") if p.strip()):
                    self._count(part)
            elif kind == b"P":
                name, _, rest = payload.partition(b"\0")
                statements[name] = rest.partition(b"\0")[0].decode(errors="replace")
            elif kind == b"B":
                portal, _, rest = payload.partition(b"\0")
                portals[portal] = statements.get(rest.partition(b"\0")[0], "")
            elif kind == b"E":
                self._count(portals.get(payload.partition(b"\0")[0], ""))
            upstream.write(head + payload)
            await upstream.drain()


# --- Data check --------------------------------------------------------------------------------

ISO_INSTANT = re.compile(r"^\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d(:?\d\d)?)$")


def canonical(value: Any, keep_ids: bool) -> Any:
    """The data a front end sees, in one spelling: connections' `nodes` unwrapped, a lone
    `totalCount` read as a number, instants in UTC, and (across ID schemes) `id` and `endCursor`
    left out."""
    if isinstance(value, dict):
        if set(value) == {"nodes"}:
            return canonical(value["nodes"], keep_ids)
        if set(value) == {"totalCount"}:
            return value["totalCount"]
        return {
            k: canonical(v, keep_ids)
            for k, v in value.items()
            if keep_ids or k not in ("id", "nodeId", "endCursor")
        }
    if isinstance(value, list):
        return [canonical(v, keep_ids) for v in value]
    if isinstance(value, str) and ISO_INSTANT.match(value):
        with contextlib.suppress(ValueError):
            return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC).isoformat()
    return value


def page_data(answer: Any) -> Any:
    """The page's object: the answer's single root field, whatever the server calls it."""
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict) or len(data) != 1:
        return data
    return next(iter(data.values()))


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}.{key}: only in {'ours' if key in a else 'theirs'}"
            if found := first_difference(a[key], b[key], f"{path}.{key}"):
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items vs {len(b)}"
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if found := first_difference(x, y, f"{path}[{i}]"):
                return found
        return None
    return None if a == b else f"{path or '.'}: {a!r} vs {b!r}"


Checked = tuple[list[str], list[str]]
"""Lines for the report, and the problems found."""


def check_reads(
    servers: dict[str, Server], variables: dict[str, list[dict]], samples: int
) -> Checked:
    """Every server returns ours' data for a sample of each read page's variables."""
    problems: list[str] = []
    lines: list[str] = []
    reference = servers.get("ours")
    for page in variables:
        unique = list({json.dumps(v, sort_keys=True): v for v in variables[page]}.values())
        step = max(1, len(unique) // samples)
        chosen = unique[::step][:samples]
        same: Counter[str] = Counter()
        size = 0
        for v in chosen:
            answers = {}
            for name, server in servers.items():
                status, answer = server.post(page, v)
                if status != 200 or "errors" in answer or page_data(answer) is None:
                    problems.append(f"{page} {json.dumps(v)} on {name}: {status} {answer!s:.300}")
                answers[name] = answer
            if reference is None:
                continue
            ref = answers["ours"]
            size = max(size, len(json.dumps(ref)))
            for name in servers:
                if name == "ours":
                    continue
                keep = name != "postgraphile"
                diff = first_difference(
                    canonical(page_data(ref), keep), canonical(page_data(answers[name]), keep)
                )
                if diff is None:
                    same[name] += 1
                else:
                    problems.append(f"{page} {json.dumps(v)}: {name} differs at {diff}")
        others = ", ".join(f"{n} {same[n]}/{len(chosen)}" for n in servers if n != "ours")
        lines.append(f"{page}: same data as ours: {others or '-'} (largest answer {size:,} B)")
    return lines, problems


async def meeting_state(urls: Urls, meeting: int, person: int) -> tuple[int | None, int, Any]:
    import asyncpg

    conn = await asyncpg.connect(urls.plain)
    try:
        row = await conn.fetchrow(
            "SELECT capacity, registered_count FROM meetings WHERE id = $1", meeting
        )
        reg = await conn.fetchval(
            "SELECT status FROM registrations WHERE meeting_id = $1 AND person_id = $2",
            meeting,
            person,
        )
        return row["capacity"], row["registered_count"], reg
    finally:
        await conn.close()


def check_register(servers: dict[str, Server], urls: Urls, pairs: dict[str, list[dict]]) -> Checked:
    """Each server's mutation: the status the meeting's places call for, and the row written."""
    lines: list[str] = []
    problems: list[str] = []
    for name, server in servers.items():
        got = []
        for v in pairs[name]:
            meeting = _decoded(v["meetingId"])
            person = _decoded(v["personId"])
            assert meeting and person
            capacity, before, _ = asyncio.run(meeting_state(urls, meeting[1], person[1]))
            expected = "REGISTERED" if capacity is None or before < capacity else "WAITLISTED"
            status, answer = server.post(WRITE_PAGE, v)
            found = find_key(answer.get("data"), "status")
            _, after, written = asyncio.run(meeting_state(urls, meeting[1], person[1]))
            user_errors = find_key(answer.get("data"), "userErrors")
            if status != 200 or "errors" in answer or user_errors or found != expected:
                problems.append(f"register on {name} {v}: expected {expected}, got {answer}")
            elif written != expected or after != before + (expected == "REGISTERED"):
                problems.append(
                    f"register on {name} {v}: row {written!r}, registered_count {before}->{after}"
                )
            got.append(str(found))
        lines.append(f"register: {name}: {', '.join(got)} (as the meetings' places call for)")
    return lines, problems


def find_key(value: Any, key: str) -> Any:
    if isinstance(value, dict):
        if key in value:
            return value[key]
        for v in value.values():
            if (found := find_key(v, key)) is not None:
                return found
    return None


# --- wrk ------------------------------------------------------------------------------------------


def write_bodies(path: Path, bodies: list[bytes], authorization: str | None = None) -> Path:
    """A Lua file returning the bodies as long strings (no escaping needed), and the
    `Authorization` header's value as the table's `authorization` (in the file, not on wrk's
    command line, which the report shows)."""
    level = 1
    while any(b"]" + b"=" * level + b"]" in body for body in bodies):
        level += 1
    eq = "=" * level
    with path.open("w") as f:
        f.write("return {\n")
        for body in bodies:
            f.write(f"[{eq}[{body.decode()}]{eq}],\n")
        if authorization:
            f.write(f"authorization = {json.dumps(authorization)},\n")
        f.write("}\n")
    return path


ERROR_KEYS = (
    "connect_errors",
    "read_errors",
    "write_errors",
    "timeouts",
    "bad_status",
    "graphql_errors",
    "user_errors",
)
"""wrk's socket errors and timeouts, non-200 answers, answers carrying GraphQL errors or
userErrors (a mutation list that wrapped re-sends registered pairs: DUPLICATE_REGISTRATION)."""


@dataclass
class Run:
    server: str
    page: str
    round: int
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    cpu_s: float
    db_cpu_s: float
    errors: int
    wraps: int
    command: str


def wrk(
    server: Server,
    page: str,
    bodies_file: Path,
    args: argparse.Namespace,
    duration: float,
    urls: Urls,
) -> tuple[dict[str, Any], float, float, str]:
    command = pinned(
        args.client_cpus,
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{duration:g}s",
            "--latency",
            "--timeout",
            f"{args.timeout}s",
            "-s",
            str(WRK_SCRIPT.relative_to(ROOT)),
            server.url,
            "--",
            str(bodies_file),
            str(args.threads),
        ],
    )
    pids = server_pids(server)
    db_before = backend_cpu(urls)
    cpu_before = cpu_seconds(pids)
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    cpu = cpu_seconds(pids) - cpu_before
    db_after = backend_cpu(urls)
    db_cpu = sum(t - db_before.get(pid, 0.0) for pid, t in db_after.items())
    line = next((x for x in done.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise BenchError(f"wrk failed on {server.name} {page}:\n{done.stdout}\n{done.stderr}")
    return json.loads(line[len("WRK_JSON ") :]), cpu, db_cpu, shlex.join(command)


async def _backend_pids(urls: Urls) -> list[int]:
    import asyncpg

    conn = await asyncpg.connect(urls.plain)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row["pid"] for row in rows]
    finally:
        await conn.close()


def backend_cpu(urls: Urls) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the benchmark database (they
    serve the servers' pools; PostgreSQL on this host). A backend started during a run counts
    in full; one that ended during it is missed (the pools keep theirs open)."""
    return {pid: cpu_seconds([pid]) for pid in asyncio.run(_backend_pids(urls))}


def timed_run(
    server: Server,
    page: str,
    round_: int,
    bodies_file: Path,
    args: argparse.Namespace,
    urls: Urls,
) -> Run:
    stats, cpu, db_cpu, command = wrk(server, page, bodies_file, args, args.duration, urls)
    seconds = stats["duration_us"] / 1e6
    errors = sum(stats[k] for k in ERROR_KEYS)
    run = Run(
        server=server.name,
        page=page,
        round=round_,
        requests=stats["requests"],
        seconds=seconds,
        rps=stats["requests"] / seconds if seconds else 0.0,
        p50_ms=stats["p50_us"] / 1000,
        p90_ms=stats["p90_us"] / 1000,
        p99_ms=stats["p99_us"] / 1000,
        cpu_s=cpu,
        db_cpu_s=db_cpu,
        errors=errors,
        wraps=stats["wraps"],
        command=command,
    )
    note = f" ERRORS {errors}" if errors else ""
    note += f" (body list wrapped {run.wraps}x)" if run.wraps and page == WRITE_PAGE else ""
    log(
        f"round {round_} {page:<12} {server.name:<12} {run.rps:9.1f} req/s  p50 {run.p50_ms:7.2f}"
        f" ms  p99 {run.p99_ms:7.2f} ms  cpu {1000 * cpu / max(run.requests, 1):6.3f}"
        f" + db {1000 * db_cpu / max(run.requests, 1):6.3f} ms/req{note}"
    )
    return run


# --- Ours alone: profile, memory, schema assembly, --help ----------------------------------------


def profile_pages(
    ours: Server,
    report: dict[str, Any],
    files: dict[tuple[str, str, int], Path],
    args: argparse.Namespace,
    urls: Urls,
    workdir: Path,
) -> dict[str, list[str]]:
    """For each page with a target of issue 12 not met over the rounds so far (bench.targets,
    on `report` with its runs): py-spy's samples of ours under that page's load for one more run
    of --duration, as bench.profile's tree, or what stopped it. The mutation's run sends its own
    fresh pairs (the last slot of `register_pairs`); a run with errors says so above its tree."""
    found = targets.verdicts(report, summarise(report), ours_documents())
    out: dict[str, list[str]] = {}
    for page in dict.fromkeys(v.page for v in found if not v.met and v.page is not None):
        slot = args.rounds + 1 if page == WRITE_PAGE else 0
        bodies = files[("ours", page, slot)]
        log(f"profile: py-spy on ours, {page}, {args.duration:g} s")
        stats: list[dict[str, Any]] = []

        def load(page: str = page, bodies: Path = bodies, stats: list = stats) -> None:
            stats.append(wrk(ours, page, bodies, args, args.duration, urls)[0])

        try:
            assert ours.proc is not None
            tree = profile.record(ours.proc.pid, args.duration, workdir / f"{page}.spy", load)
        except Exception as exc:  # the timed figures stand; what stopped this one is told
            out[page] = [f"(no profile: {type(exc).__name__}: {exc})"]
            continue
        errors = sum(stats[0][k] for k in ERROR_KEYS) if stats else 0
        out[page] = [f"(the profiled run had {errors:,} errors)"] if errors else []
        out[page] += profile.tree(tree)
    return out


def soak(server: Server, bodies_file: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Mixed read load for --soak seconds; RSS sampled every --soak-interval seconds."""
    command = pinned(
        args.client_cpus,
        [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.soak}s",
            "--timeout",
            f"{args.timeout}s",
            "-s",
            str(WRK_SCRIPT.relative_to(ROOT)),
            server.url,
            "--",
            str(bodies_file),
            str(args.threads),
        ],
    )
    samples = [(0.0, rss_bytes(server_pids(server)))]
    start = time.monotonic()
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        next_sample = args.soak_interval
        while proc.poll() is None:
            time.sleep(0.2)
            elapsed = time.monotonic() - start
            if elapsed >= next_sample and proc.poll() is None:
                samples.append((elapsed, rss_bytes(server_pids(server))))
                next_sample += args.soak_interval
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait()
    if time.monotonic() - start - samples[-1][0] > 1:
        samples.append((time.monotonic() - start, rss_bytes(server_pids(server))))
    assert proc.stdout is not None
    out = proc.stdout.read().decode(errors="replace")
    line = next((x for x in out.splitlines() if x.startswith("WRK_JSON ")), None)
    stats = json.loads(line[len("WRK_JSON ") :]) if line else {}
    errors = sum(stats.get(k, 0) for k in ERROR_KEYS)
    return {"samples": samples, "requests": stats.get("requests", 0), "errors": errors}


ASSEMBLY = """
import time
t0 = time.perf_counter()
from core.config import load_settings
from core.plugins import make_plugin_manager
from core.schema.build import build_schema
t1 = time.perf_counter()
built = build_schema(make_plugin_manager(load_settings()))
t2 = time.perf_counter()
print(t1 - t0, t2 - t1)
"""


def schema_assembly(urls: Urls, runs: int = 5) -> dict[str, Any]:
    env = os.environ | {"OGP_WG_DATABASE_URL": urls.sqlalchemy}
    imports, builds = [], []
    for _ in range(runs):
        out = subprocess.run(
            [str(VENV_BIN / "python"), "-c", ASSEMBLY],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        a, b = map(float, out.stdout.split())
        imports.append(a)
        builds.append(b)
    return {
        "runs": runs,
        "build_min_s": min(builds),
        "build_median_s": statistics.median(builds),
        "core_imports_median_s": statistics.median(imports),
        "command": f"{VENV_BIN.relative_to(ROOT)}/python -c <bench.run.ASSEMBLY>",
    }


def help_time(workdir: Path) -> dict[str, Any]:
    command = [str(VENV_BIN.relative_to(ROOT) / "ogp-wg"), "--help"]
    if shutil.which("hyperfine"):
        out = workdir / "hyperfine.json"
        hf = [
            "hyperfine",
            "--warmup",
            "3",
            "--runs",
            "20",
            "-N",
            "--export-json",
            str(out),
            shlex.join(command),
        ]
        subprocess.run(hf, cwd=ROOT, capture_output=True, check=True)
        result = json.loads(out.read_text())["results"][0]
        return {
            "tool": "hyperfine",
            "mean_s": result["mean"],
            "stddev_s": result["stddev"],
            "min_s": result["min"],
            "command": shlex.join([*hf[:-3], shlex.join(command)]),
        }
    times = []
    for _ in range(10):
        t = time.perf_counter()
        subprocess.run(command, cwd=ROOT, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return {"tool": "best of 10", "min_s": min(times), "mean_s": statistics.mean(times)}


# --- Preparation -------------------------------------------------------------------------------


async def prepare_database(urls: Urls, apply_pg_schema: bool) -> dict[str, Any]:
    import asyncpg

    conn = await asyncpg.connect(urls.plain)
    try:
        if apply_pg_schema:
            await conn.execute((PG_DIR / "schema.sql").read_text())
        # Fresh statistics and visibility map: freshly COPY-loaded tables otherwise get planned
        # blind, and autovacuum would change the plans in the middle of the runs.
        await conn.execute("VACUUM ANALYZE")
        info: dict[str, Any] = {"server_version": await conn.fetchval("SHOW server_version")}
        for table in (
            "countries",
            "organizations",
            "people",
            "working_groups",
            "memberships",
            "meetings",
            "registrations",
        ):
            info[table] = await conn.fetchval(f"SELECT count(*) FROM {table}")
        info["upcoming_meetings"] = await conn.fetchval(
            "SELECT count(*) FROM meetings WHERE ends_at >= now()"
        )
        return info
    finally:
        await conn.close()


async def mix_variables(urls: Urls, page: str, n: int) -> list[dict[str, Any]]:
    from bench import mix

    if page in SHAPE_PAGES:
        return await shapes.variables(urls.sqlalchemy, page, n)
    return await mix.variables(urls.sqlalchemy, page, n)


def register_pairs(
    urls: Urls, names: list[str], args: argparse.Namespace, warm_n: int, per_run: int
) -> tuple[dict[str, list[list[dict]]], list[int]]:
    """Per server: pairs for the SQL pass, the check, the warm-up, each round and the profiled
    run (unless `--no-profile`), all distinct.

    With too few fresh pairs (the "pilot" data), the SQL pass and the check still get distinct
    ones and the timed runs cycle through the rest: they then re-send registered pairs, and the
    report says so."""
    head = [args.sql_requests, args.check_register]
    runs = [warm_n, *([per_run] * (args.rounds + bool(args.profile)))]  # + the profiled run
    wanted = (sum(head) + sum(runs)) * len(names)
    pool = asyncio.run(mix_variables(urls, WRITE_PAGE, wanted))
    if not pool:
        return {}, []
    short: list[int] = []
    if len(pool) < wanted:
        log(f"only {len(pool):,} fresh registration pairs of {wanted:,} wanted: pairs repeat")
        short = [len(pool), wanted]
        room = len(pool) // (2 * len(names))  # half of the pool for the untimed passes
        while sum(head) > max(room, 2):
            head = [max(1, head[0] // 2), max(1, head[1] // 2)]
    reserved = sum(head) * len(names)
    rest = pool[reserved:] or pool
    out: dict[str, list[list[dict]]] = {}
    for i, name in enumerate(names):
        mine = pool[i * sum(head) : (i + 1) * sum(head)]
        total = sum(runs)
        mine += [rest[(i * total + k) % len(rest)] for k in range(total)]
        out[name] = list(chunks(mine, [*head, *runs]))
    return out, short


async def register_token(urls: Urls) -> str:
    """A new bearer token (read + write, valid a day) of a staff member, who may register anyone:
    the first person already staff, else the first person, made staff (`granted_by` "bench").
    Nothing a read page shows changes: staff roles and tokens are not public data."""
    from datetime import timedelta

    from sqlalchemy import select

    from core.auth.staff import grant_staff
    from core.auth.tokens import issue_token
    from core.db import Database, utcnow
    from core.models import Person, StaffRole

    db = Database(urls.sqlalchemy)
    try:
        async with db.write() as conn:
            person = await conn.scalar(select(StaffRole.person_id).order_by(StaffRole.person_id))
            if person is None:
                person = await conn.scalar(select(Person.id).order_by(Person.id))
                if person is None:
                    raise BenchError("no person in the database: run bench.generate first")
                await grant_staff(conn, person, granted_by="bench")
            expires = utcnow() + timedelta(days=1)
            issued = await issue_token(conn, person, expires_at=expires, name="bench: register")
    finally:
        await db.dispose()
    return issued.token


def chunks(items: list[Any], sizes: list[int]) -> Iterator[list[Any]]:
    start = 0
    for size in sizes:
        yield items[start : start + size]
        start += size


# --- The run -----------------------------------------------------------------------------------


def count_statements(
    servers: dict[str, Server],
    urls: Urls,
    args: argparse.Namespace,
    workdir: Path,
    variables: dict[str, list[dict]],
    pairs: dict[str, list[dict]],
) -> dict[str, dict[str, dict[str, Any]]]:
    """Untimed: each server alone behind the counting proxy, requests one at a time."""
    result: dict[str, dict[str, dict[str, Any]]] = {}
    for name, server in servers.items():
        proxy = CountingProxy(urls.host_port)
        port = proxy.start()
        try:
            start_server(server, urls.via("127.0.0.1", port), args, workdir)
            wait_ready(server, server.body("group_list", {}))
            result[name] = {}
            for page in args.pages:
                sets = pairs[name] if page == WRITE_PAGE else variables[page][: args.sql_requests]
                warm = 0 if page == WRITE_PAGE else min(5, len(sets))
                for v in sets[:warm]:
                    server.post(page, v)
                measured = sets if page == WRITE_PAGE else sets[: args.sql_requests]
                before, texts_before = proxy.snapshot()
                for v in measured:
                    server.post(page, v)
                after, texts_after = proxy.snapshot()
                n = max(len(measured), 1)
                result[name][page] = {
                    "requests": len(measured),
                    "data": (after["data"] - before["data"]) / n,
                    "tx": (after["tx"] - before["tx"]) / n,
                    "session": (after["session"] - before["session"]) / n,
                    "statements": [
                        [count / n, text] for text, count in (texts_after - texts_before).items()
                    ],
                }
                r = result[name][page]
                log(f"SQL {page:<12} {name:<12} {r['data']:.2f} per request (+{r['tx']:.2f} tx)")
        finally:
            stop_server(server)
            proxy.stop()
    return result


def warm_up(
    servers: dict[str, Server],
    pages: list[str],
    files: dict[tuple[str, str, int], Path],
    args: argparse.Namespace,
    urls: Urls,
) -> None:
    """Untimed load per server and page first (connection pools, caches, V8's JIT)."""
    if args.warmup <= 0 or not pages:
        return
    for page in pages:
        for server in servers.values():
            wrk(server, page, files[(server.name, page, 0)], args, args.warmup, urls)
    log(f"warm-up: {', '.join(pages)} ({args.warmup:g}s per server and page)")


def run(args: argparse.Namespace) -> dict[str, Any]:
    urls = Urls.parse(args.database_url)
    for tool in ("wrk", *(["taskset"] if args.server_cpus or args.client_cpus else [])):
        if shutil.which(tool) is None:
            raise BenchError(f"{tool} not found (Debian: apt-get install -y {tool})")
    if "postgraphile" in args.servers:
        if shutil.which("node") is None:
            raise BenchError("node not found (Node 20 runs PostGraphile 4)")
        if not (PG_DIR / "node_modules" / "postgraphile").exists():
            raise BenchError("PostGraphile is not installed: (cd bench/postgraphile && npm ci)")
    if args.rounds < 1 or args.duration <= 0:
        raise BenchError("--rounds must be >= 1 and --duration > 0")
    if "floor" in args.servers and set(args.pages) & set(SHAPE_PAGES):
        raise BenchError("the floor serves the mix's pages only: pass --servers ours,postgraphile")
    busy = [f"{args.ports[n]} ({n})" for n in args.servers if not port_free(args.ports[n])]
    if busy:
        raise BenchError(f"port(s) in use: {', '.join(busy)}; stop what listens, or pass --ports")

    workdir = Path(tempfile.mkdtemp(prefix="ogp-bench-"))
    try:
        return _run(args, urls, workdir)
    finally:
        if args.keep_work_files:
            log(f"work files kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def _run(args: argparse.Namespace, urls: Urls, workdir: Path) -> dict[str, Any]:
    started = datetime.now(UTC)
    log(f"database {urls.shown}; work files in {workdir}")
    db = asyncio.run(prepare_database(urls, "postgraphile" in args.servers))
    log(
        "data: "
        + ", ".join(f"{db[t]:,} {t}" for t in ("working_groups", "meetings", "registrations"))
    )
    servers = make_servers(args.servers, args.ports)
    reads = [p for p in args.pages if p != WRITE_PAGE]
    variables = {p: asyncio.run(mix_variables(urls, p, READ_VARIANTS)) for p in reads}

    # Fresh (meeting, person) pairs: per server, the SQL pass, the check, the warm-up, each round.
    per_run = max(1000, int(args.register_rate * args.duration))
    warm_n = max(200, int(args.register_rate * args.warmup))
    pair_sets: dict[str, list[list[dict]]] = {}
    short_pairs: list[int] = []
    if WRITE_PAGE in args.pages:
        pair_sets, short_pairs = register_pairs(urls, list(servers), args, warm_n, per_run)
        if not pair_sets:
            log("no fresh registration pairs (no meeting ending after tomorrow?): no mutation runs")
            args.pages = [p for p in args.pages if p != WRITE_PAGE]
    if "ours" in servers and set(mix_pages.SIGNED_IN_PAGES) & set(args.pages):
        servers["ours"].token = asyncio.run(register_token(urls))

    # Request bodies for wrk, in each server's dialect.
    files: dict[tuple[str, str, int], Path] = {}
    for name, server in servers.items():
        for page in reads:
            bodies = [server.body(page, v) for v in variables[page]]
            path = workdir / f"{name}-{page}.lua"
            files[(name, page, 0)] = write_bodies(path, bodies, server.authorization(page))
        if WRITE_PAGE in args.pages:
            for slot, chunk in enumerate(pair_sets[name][2:]):  # warm-up, round 1, round 2 ...
                bodies = [server.body(WRITE_PAGE, v) for v in chunk]
                path = workdir / f"{name}-{WRITE_PAGE}-{slot}.lua"
                sign_in = server.authorization(WRITE_PAGE)
                files[(name, WRITE_PAGE, slot)] = write_bodies(path, bodies, sign_in)
    mixed: list[bytes] = []  # the soak's load: the read pages in turn, ours' dialect
    if "ours" in servers:
        mix_reads = [p for p in reads if p in READ_PAGES]  # the soak's load is the mix's
        for i in range(READ_VARIANTS):
            mixed += [
                servers["ours"].body(p, variables[p][i % len(variables[p])]) for p in mix_reads
            ]

    report: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "settings": {
            k: getattr(args, k)
            for k in (
                "duration",
                "rounds",
                "connections",
                "threads",
                "workers",
                "warmup",
                "timeout",
                "server_cpus",
                "client_cpus",
                "soak",
            )
        },
        "database": urls.shown,
        "data": db,
        "pages": args.pages,
        "servers": args.servers,
        "register_pairs_short": short_pairs,
    }

    sql: dict[str, Any] = {}
    if args.sql_requests > 0:
        log("pass 1: SQL statements per request (untimed, through the counting proxy)")
        sql = count_statements(
            servers,
            urls,
            args,
            workdir,
            variables,
            {n: pair_sets.get(n, [[]])[0] for n in servers},
        )
    report["sql"] = sql

    runs: list[Run] = []
    memory: dict[str, Any] = {}
    try:
        log("pass 2: timed servers, " + ", ".join(f"{s.name} :{s.port}" for s in servers.values()))
        for server in servers.values():
            start_server(server, urls, args, workdir)
        for server in servers.values():
            wait_ready(server, server.body("group_list", {}))
            memory[server.name] = {"start": rss_bytes(server_pids(server))}
        report["commands"] = {
            s.name: " ".join([*(f"{k}={v}" for k, v in s.env_shown.items()), shlex.join(s.command)])
            .replace(f"{ROOT}/", "")
            .replace(sys.executable, str(VENV_BIN.relative_to(ROOT) / "python"))
            for s in servers.values()
        }

        if not args.skip_check:
            lines, problems = check_reads(servers, variables, args.check_samples)
            if WRITE_PAGE in args.pages:
                more = check_register(servers, urls, {n: pair_sets[n][1] for n in servers})
                lines, problems = lines + more[0], problems + more[1]
            for line in lines:
                log(f"check: {line}")
            report["check"] = {"lines": lines, "problems": problems}
            if problems:
                for p in problems[:20]:
                    log(f"check FAILED: {p}")
                raise BenchError(
                    f"{len(problems)} check failure(s): the servers do not return the same data"
                )

        warm_up(servers, reads, files, args, urls)
        for round_ in range(1, args.rounds + 1):
            for page in reads:
                for server in servers.values():
                    bodies = files[(server.name, page, 0)]
                    runs.append(timed_run(server, page, round_, bodies, args, urls))
        if WRITE_PAGE in args.pages:  # writes last, each run on its own fresh pairs
            warm_up(servers, [WRITE_PAGE], files, args, urls)
            for round_ in range(1, args.rounds + 1):
                for server in servers.values():
                    bodies = files[(server.name, WRITE_PAGE, round_)]
                    runs.append(timed_run(server, WRITE_PAGE, round_, bodies, args, urls))
        for server in servers.values():
            memory[server.name]["after"] = rss_bytes(server_pids(server))
        if args.profile and "ours" in servers and "postgraphile" in servers:
            so_far = report | {"runs": [vars(r) for r in runs]}
            report["profiles"] = profile_pages(servers["ours"], so_far, files, args, urls, workdir)
        if args.soak > 0 and "ours" in servers and mixed:  # the mix's read pages were run
            log(f"soak: {args.soak}s of mixed read load on ours, RSS every {args.soak_interval}s")
            path = write_bodies(workdir / "ours-mixed.lua", mixed)
            memory["ours"]["soak"] = soak(servers["ours"], path, args)
    finally:
        for server in servers.values():
            stop_server(server)

    report["runs"] = [vars(r) for r in runs]
    report["memory"] = memory
    if "ours" in servers and not args.skip_startup:
        log("schema assembly and `ogp-wg --help` (servers stopped)")
        report["schema_assembly"] = schema_assembly(urls)
        report["help"] = help_time(workdir)
    report["versions"] = versions()
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    report["argv"] = shlex.join(["python", "-m", "bench.run", *sys.argv[1:]])
    return report


# --- Versions and the report -------------------------------------------------------------------


def _output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "n/a"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else ""


def versions() -> dict[str, str]:
    def dist(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "n/a"

    def npm(name: str) -> str:
        path = PG_DIR / "node_modules" / name / "package.json"
        return json.loads(path.read_text())["version"] if path.exists() else "n/a"

    cpu = "n/a"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "python": platform.python_version(),
        "strawberry-graphql": dist("strawberry-graphql"),
        "graphql-core": dist("graphql-core"),
        "sqlalchemy": dist("sqlalchemy"),
        "asyncpg": dist("asyncpg"),
        "starlette": dist("starlette"),
        "uvicorn": dist("uvicorn"),
        "orjson": dist("orjson"),
        "node": _output(["node", "--version"]),
        "postgraphile": npm("postgraphile"),
        "graphql (js)": npm("graphql"),
        "pg (node)": npm("pg"),
        "wrk": _output(["wrk", "-v"]).split(" [")[0],
        "hyperfine": _output(["hyperfine", "--version"]) if shutil.which("hyperfine") else "n/a",
        "kernel": platform.release(),
        "cpu": f"{cpu} x {os.cpu_count()}",
    }


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def summarise(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, float]]:
    table: dict[tuple[str, str], dict[str, float]] = {}
    for page in report["pages"]:
        for server in report["servers"]:
            rs = [r for r in report["runs"] if r["page"] == page and r["server"] == server]
            if not rs:
                continue
            requests = sum(r["requests"] for r in rs)
            table[(page, server)] = {
                "rps": _median([r["rps"] for r in rs]),
                "rps_min": min(r["rps"] for r in rs),
                "rps_max": max(r["rps"] for r in rs),
                "p50": _median([r["p50_ms"] for r in rs]),
                "p99": _median([r["p99_ms"] for r in rs]),
                "cpu_ms": 1000 * sum(r["cpu_s"] for r in rs) / max(requests, 1),
                "db_cpu_ms": 1000 * sum(r["db_cpu_s"] for r in rs) / max(requests, 1),
                "wrapped": page == WRITE_PAGE
                and (bool(report.get("register_pairs_short")) or any(r["wraps"] for r in rs)),
                "errors": sum(r["errors"] for r in rs),
                "rounds": len(rs),
                # a run that completed fewer requests than it had connections measured nothing
                "short": any(r["requests"] < report["settings"]["connections"] for r in rs),
                "requests": requests,
            }
    return table


def _mb(n: int) -> str:
    return f"{n / 2**20:.0f} MB"


def markdown(report: dict[str, Any], title: str) -> str:
    table = summarise(report)
    d, s = report["data"], report["settings"]
    out = [f"# {title}", ""]
    out.append(
        f"{report['started']} to {report['finished']}. Data: {d['working_groups']:,} groups, "
        f"{d['organizations']:,} organisations, {d['people']:,} people, {d['meetings']:,} meetings "
        f"({d['upcoming_meetings']:,} upcoming), {d['registrations']:,} registrations at start; "
        f"PostgreSQL {d['server_version']}."
    )
    out.append(
        f"Load: wrk -t{s['threads']} -c{s['connections']}, {s['duration']:g} s per run, "
        f"{s['rounds']} round(s), servers interleaved, {s['warmup']:g} s warm-up per server and "
        f"page; servers on CPU {s['server_cpus'] or 'any'}, wrk on CPU {s['client_cpus'] or 'any'};"
        f" ogp-wg workers: {s['workers']}."
    )
    out += ["", "## Throughput, latency, cost", ""]
    out.append(
        "| page | server | req/s (median) | req/s range | p50 ms | p99 ms | CPU ms/req "
        "| DB CPU ms/req | SQL/req (+tx) | errors |"
    )
    out.append("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|")
    for page in report["pages"]:
        for server in report["servers"]:
            t = table.get((page, server))
            if t is None:
                continue
            q = report["sql"].get(server, {}).get(page)
            sql = f"{q['data']:.1f} (+{q['tx']:.1f})" if q else "-"
            mark = " (!)" if t["short"] else ""
            mark += " (w)" if t["wrapped"] else ""
            cpu = f"{t['cpu_ms']:.2f}" if t["requests"] else "-"
            db_cpu = f"{t['db_cpu_ms']:.2f}" if t["requests"] else "-"
            out.append(
                f"| {page} | {LABELS[server]} | {t['rps']:,.1f}{mark} | {t['rps_min']:,.1f}-"
                f"{t['rps_max']:,.1f} | {t['p50']:.1f} | {t['p99']:.1f} | {cpu} | {db_cpu} | "
                f"{sql} | {t['errors']:,} |"
            )
    if any(t["short"] for t in table.values()):
        out += [
            "",
            "(!) a run completed fewer requests than wrk had connections: too short for this "
            "server and page (latencies cover only what completed); lengthen --duration.",
        ]
    if any(t["wrapped"] for t in table.values()):
        out += [
            "",
            "(w) the mutation's list of fresh (meeting, person) pairs wrapped: pairs were sent "
            "again and answered DUPLICATE_REGISTRATION (counted in errors), so the run does not "
            'measure registrations. "pilot" has only a few hundred fresh pairs: use "large"; '
            "there, raise --register-rate if a run outran its list.",
        ]
    if "ours" in report["servers"] and len(report["servers"]) > 1:
        others = [s for s in report["servers"] if s != "ours"]
        out += ["", "## Ratios (ogp-wg / other; throughput >= 1.0 means ogp-wg is ahead)", ""]
        head = " | ".join(f"req/s ours/{LABELS[o]}" for o in others)
        p99 = " | p99 ours/PostGraphile" if "postgraphile" in others else ""
        out.append(f"| page | {head}{p99} |")
        out.append("|---|" + "--:|" * (len(others) + bool(p99)))
        for page in report["pages"]:
            ours = table.get((page, "ours"))
            if ours is None:
                continue
            cells = []
            for o in others:
                t = table.get((page, o))
                cells.append(f"{ours['rps'] / t['rps']:.2f}" if t and t["rps"] else "-")
            if p99:
                t = table.get((page, "postgraphile"))
                cells.append(f"{ours['p99'] / t['p99']:.2f}" if t and t["p99"] else "-")
            out.append(f"| {page} | " + " | ".join(cells) + " |")
    documents = ours_documents()
    profiles = report.get("profiles", {})
    out += targets.markdown(report, table, documents, lambda page: profiles.get(page, []))
    mem = report.get("memory", {})
    if mem:
        out += ["", "## Resident memory (all of a server's processes)", ""]
        out.append("| server | at start | after the runs |")
        out.append("|---|--:|--:|")
        for server, m in mem.items():
            after = _mb(m["after"]) if "after" in m else "-"
            out.append(f"| {LABELS[server]} | {_mb(m['start'])} | {after} |")
        if soaked := mem.get("ours", {}).get("soak"):
            soak_samples = soaked["samples"]
            rss = [b for _, b in soak_samples]
            out.append("")
            out.append(
                f"Soak (ogp-wg, mixed read pages, {report['settings']['soak']} s): RSS "
                f"{_mb(rss[0])} at start, {_mb(max(rss))} max, {_mb(rss[-1])} at the end; "
                "samples: "
                + ", ".join(f"{t:.0f}s {b / 2**20:.0f}" for t, b in soak_samples)
                + f" (MB); {soaked['requests']:,} requests, {soaked['errors']:,} errors."
            )
    if "schema_assembly" in report:
        a, h = report["schema_assembly"], report["help"]
        out += ["", "## Start-up (ogp-wg)", ""]
        out.append(
            f"- Schema assembly with all plugins (`make_plugin_manager` + `build_schema`, core "
            f"modules already imported): {a['build_median_s'] * 1000:.0f} ms median of "
            f"{a['runs']} processes (min {a['build_min_s'] * 1000:.0f} ms); the core imports "
            f"before it: {a['core_imports_median_s'] * 1000:.0f} ms."
        )
        spread = f" +- {h['stddev_s'] * 1000:.0f}" if "stddev_s" in h else ""
        out.append(
            f"- `ogp-wg --help`: {h['mean_s'] * 1000:.0f}{spread} ms mean, "
            f"{h['min_s'] * 1000:.0f} ms min ({h['tool']})."
        )
    if check := report.get("check"):
        out += ["", "## Data check (before timing)", ""]
        out += [f"- {line}" for line in check["lines"]]
    out += ["", "## Versions", ""]
    out.append(", ".join(f"{k} {v}" for k, v in report["versions"].items()))
    out += ["", "## Commands", "", "```sh", report["argv"]]
    for cmd in report.get("commands", {}).values():
        out.append(cmd)
    if report["runs"]:
        out.append(report["runs"][0]["command"] + "   # one run; BODIES.lua generated per page")
    out += ["```", "", "## Every run", ""]
    out.append(
        "| round | page | server | req/s | p50 ms | p99 ms | CPU ms/req | DB CPU ms/req | errors |"
    )
    out.append("|--:|---|---|--:|--:|--:|--:|--:|--:|")
    for r in report["runs"]:
        out.append(
            f"| {r['round']} | {r['page']} | {LABELS[r['server']]} | {r['rps']:,.1f} | "
            f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | "
            f"{1000 * r['cpu_s'] / max(r['requests'], 1):.2f} | "
            f"{1000 * r['db_cpu_s'] / max(r['requests'], 1):.2f} | {r['errors']:,} |"
        )
    return "\n".join(out) + "\n"


# --- Command line ------------------------------------------------------------------------------


def _list(allowed: tuple[str, ...]) -> Callable[[str], list[str]]:
    def parse(text: str) -> list[str]:
        items = [x.strip() for x in text.split(",") if x.strip()]
        unknown = [x for x in items if x not in allowed]
        if unknown or not items:
            raise argparse.ArgumentTypeError(f"choose from {', '.join(allowed)}")
        return [x for x in allowed if x in items]  # canonical order: reads first, writes last

    return parse


def _ports(text: str) -> dict[str, int]:
    values = [int(x) for x in text.split(",")]
    if len(values) != 3:
        raise argparse.ArgumentTypeError("three ports: ours,floor,postgraphile")
    return dict(zip(SERVERS, values, strict=True))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="ogp-wg vs the floor vs PostGraphile on the same PostgreSQL data.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    p.add_argument("--database-url", required=True, help="PostgreSQL URL of the benchmark data")
    p.add_argument("--duration", type=float, default=10, help="seconds per timed run")
    p.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    p.add_argument("--connections", type=int, default=32, help="wrk connections")
    p.add_argument("--threads", type=int, default=1, help="wrk threads")
    p.add_argument("--workers", type=int, default=1, help="ogp-wg serve --workers")
    p.add_argument(
        "--read-path",
        choices=("compiled", "resolver"),
        default="compiled",
        help="ogp-wg's read path (compiled_reads on or off)",
    )
    p.add_argument(
        "--pages",
        type=_list((*ALL_PAGES, *SHAPE_PAGES)),
        default=list(ALL_PAGES),
        help=f"{', '.join(ALL_PAGES)}; other shapes (bench.shapes): {', '.join(SHAPE_PAGES)}",
    )
    p.add_argument("--servers", type=_list(SERVERS), default=list(SERVERS), help=", ".join(SERVERS))
    p.add_argument(
        "--ports",
        type=_ports,
        default="8000,8100,8200",
        help="ports of ours,floor,postgraphile",
    )
    p.add_argument("--server-cpus", default="0", help="taskset -c for the servers ('' = none)")
    p.add_argument("--client-cpus", default="1", help="taskset -c for wrk ('' = none)")
    p.add_argument("--warmup", type=float, default=2, help="seconds per server and page")
    p.add_argument("--timeout", type=int, default=30, help="wrk request timeout, seconds")
    p.add_argument("--soak", type=int, default=0, help="seconds of mixed load on ours (0: none)")
    p.add_argument("--soak-interval", type=float, default=10, help="RSS sampling period")
    p.add_argument(
        "--register-rate",
        type=int,
        default=4000,
        help="fresh pairs per second of a mutation run (beyond it the list wraps)",
    )
    p.add_argument(
        "--sql-requests",
        type=int,
        default=20,
        help="requests per page in the SQL counting pass (0: skip the pass)",
    )
    p.add_argument("--check-samples", type=int, default=10, help="variable sets per read page")
    p.add_argument("--check-register", type=int, default=3, help="mutations checked per server")
    p.add_argument("--skip-check", action="store_true", help="time without the data check")
    p.add_argument("--skip-startup", action="store_true", help="no schema/--help timing")
    p.add_argument("--keep-work-files", action="store_true", help="keep bodies and server logs")
    p.add_argument(
        "--no-profile",
        dest="profile",
        action="store_false",
        help="no py-spy profile of ours on a page with a target not met",
    )
    p.add_argument("--output", type=Path, default=RESULTS / "latest.md")
    p.add_argument("--title", default="Benchmark: ogp-wg, the floor and PostGraphile")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    # SIGTERM unwinds like Ctrl-C, so the servers started so far are stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        report = run(args)
    except BenchError as exc:
        log(f"error: {exc}")
        sys.exit(1)
    text = markdown(report, args.title)
    print(text)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    args.output.with_suffix(".json").write_text(json.dumps(report, indent=1, default=str) + "\n")
    log(f"written {args.output} and {args.output.with_suffix('.json')}")


if __name__ == "__main__":
    main()
