"""Schema evolution: breaking changes against the last release must be announced, deprecations
must name their removal. Run as ``python -m core.schema_evolution`` (CI runs it through
``tests/test_schema_evolution.py``); docs/schema-evolution.md is the policy it enforces.

- The SDL of every release is kept in the repository, ``schema/releases/<version>.graphql``
  (a clean clone has no tags to read it from). The last release is the highest version there.
- The current SDL is the one ``ogp-wg schema --built-in`` prints (``schema.graphql``), or a file.
- graphql-core's ``find_breaking_changes`` lists what can break a client built for the release;
  each change has a *schema coordinate* (``Type``, ``Type.field``, ``Type.field(arg:)``,
  ``Enum.VALUE``, ``@directive``). A change is announced when CHANGELOG.md's ``## [Unreleased]``
  section has a ``### Breaking`` subsection naming, in backticks, that coordinate or one that
  contains it (``Type`` covers its fields, ``Type.field`` its arguments).
- ``find_dangerous_changes`` (an optional argument or an enum value added, ...) are warnings.
- Every ``@deprecated`` reason (fields, arguments, input fields, enum values) says why and what to
  use instead, then the removal's date, ISO 8601, optionally with its release:
  ``Use appealsFavouringRequester. Removal: 2027-12-31 (release 0.5.0).`` (`deprecation_problem`).
  A deprecation whose removal date has passed fails too: the element must be removed (announced as
  a breaking change) or, when it cannot be yet, given a later date.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graphql import (
    BreakingChange,
    DangerousChange,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    find_dangerous_changes,
)

RELEASES = Path("schema/releases")
CHANGELOG = Path("CHANGELOG.md")
BREAKING_HEADING = "### Breaking"
REMOVAL = re.compile(r"\bRemoval: (\d{4}-\d{2}-\d{2})(?: \(release \d+\.\d+\.\d+\))?\.?\s*$")
"""The end of a deprecation reason: ``Removal: 2027-06-30`` or ``Removal: 2027-06-30 (release
0.4.0)``, an optional full stop. The date is the first day the element may be gone."""
_WORDS = re.compile(r"[^\W\d_]{2,}")  # a reason says something: at least one word of letters
REMOVAL_FORMAT = "'<why, what instead>. Removal: YYYY-MM-DD' (optionally ' (release X.Y.Z)')"
_NAME = r"[_A-Za-z]\w*"
COORDINATE = rf"@?{_NAME}(?:\.{_NAME})?(?:\({_NAME}:\))?"
_PREFIXED = re.compile(
    r"^(?:Field|Argument|Enum value|Directive|Standard scalar|A required field|"
    rf"A required argument|An optional field|An optional argument) ({COORDINATE})"
)
_UNION = re.compile(rf"^{_NAME} was (?:removed from|added to) union type ({_NAME})")
_LEADING = re.compile(
    rf"^(?:Description of (?:input-field |enum value |field |argument )?)?"
    rf"({COORDINATE})"
)
_BACKTICKED = re.compile(rf"`({COORDINATE})`")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Report:
    """The outcome of comparing a release's SDL with the current one.

    `unannounced`: breaking changes whose coordinate CHANGELOG's Unreleased section does not name
    (the check fails on any); `announced`: the others; `dangerous`: warnings only;
    `deprecations`: `coordinate: problem` for each `@deprecated` reason without a reason or an
    ISO removal date, or whose date has passed (`deprecation_problem`; the check fails).
    """

    release: str
    unannounced: list[BreakingChange] = field(default_factory=list)
    announced: list[BreakingChange] = field(default_factory=list)
    dangerous: list[DangerousChange] = field(default_factory=list)
    deprecations: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.unannounced and not self.deprecations


def coordinate(change: BreakingChange | DangerousChange) -> str:
    """The schema coordinate a change is about, e.g. ``UserError.code``, ``Query.x(first:)``.

    Raises ValueError for a description graphql-core words in a way not known here.
    """
    text = change.description
    for pattern in (_PREFIXED, _UNION, _LEADING):
        found = pattern.match(text)
        if found:
            return found.group(1)
    raise ValueError(f"no schema coordinate in {text!r}")  # pragma: no cover


def covers(announced: str, coord: str) -> bool:
    """True if announcing `announced` covers a change at `coord` (itself, or what it contains)."""
    return coord == announced or coord.startswith((announced + ".", announced + "("))


def announced_coordinates(changelog: str) -> set[str]:
    """The backticked schema coordinates of the ``### Breaking`` subsection of ``## [Unreleased]``.

    `changelog`: CHANGELOG.md's text (Keep a Changelog layout). Empty when there is none.
    """
    unreleased = re.search(r"^## \[Unreleased\][^\n]*\n(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    if unreleased is None:
        return set()
    breaking = re.search(
        rf"^{re.escape(BREAKING_HEADING)}[^\n]*\n(.*?)(?=^##|\Z)", unreleased.group(1), re.M | re.S
    )
    return set(_BACKTICKED.findall(breaking.group(1))) if breaking else set()


def latest_release(releases: Path = RELEASES) -> tuple[str, Path]:
    """(version, file) of the highest ``<major>.<minor>.<patch>.graphql`` in `releases`.

    Raises FileNotFoundError when there is none.
    """
    found: list[tuple[tuple[int, ...], str, Path]] = []
    for path in releases.glob("*.graphql"):
        match = _VERSION.match(path.stem)
        if match:
            found.append((tuple(int(part) for part in match.groups()), path.stem, path))
    if not found:
        raise FileNotFoundError(f"no <version>.graphql in {releases}")
    _, version, path = max(found)
    return version, path


def _deprecated(schema: GraphQLSchema) -> Iterator[tuple[str, str | None]]:
    """(coordinate, deprecation reason or None when not deprecated) of every schema element."""
    for name, type_ in schema.type_map.items():
        if name.startswith("__"):
            continue
        if isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                yield f"{name}.{value_name}", value.deprecation_reason
        if isinstance(type_, GraphQLInputObjectType):
            for field_name, input_field in type_.fields.items():
                yield f"{name}.{field_name}", input_field.deprecation_reason
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, out_field in type_.fields.items():
                yield f"{name}.{field_name}", out_field.deprecation_reason
                for arg_name, arg in out_field.args.items():
                    yield f"{name}.{field_name}({arg_name}:)", arg.deprecation_reason
    for directive in schema.directives:
        for arg_name, arg in directive.args.items():
            yield f"@{directive.name}({arg_name}:)", arg.deprecation_reason


def deprecation_problem(reason: str, today: date | None = None) -> str | None:
    """What a ``@deprecated`` reason lacks, or None when it says why and when (`REMOVAL`) and its
    removal date is not before `today` (default: the local date; on that date the element may
    still be there, the day after it must be gone).

    >>> deprecation_problem("Use b. Removal: 2027-06-30 (release 0.4.0).", date(2027, 6, 30))
    >>> deprecation_problem("Use b. Removal: 0.4.0.")
    "no removal date at its end: 'Removal: YYYY-MM-DD'"
    >>> deprecation_problem("Use b. Removal: 2027-06-30.", date(2027, 7, 1))
    'its removal date 2027-06-30 has passed: remove it (a breaking change to announce)'
    """
    found = REMOVAL.search(reason)
    if found is None:
        return "no removal date at its end: 'Removal: YYYY-MM-DD'"
    try:
        removal = date.fromisoformat(found.group(1))
    except ValueError:
        return f"{found.group(1)!r} is not a date (YYYY-MM-DD)"
    if not _WORDS.search(reason[: found.start()]):
        return "no reason before 'Removal:' (why, and what to use instead)"
    if removal < (today or date.today()):
        return f"its removal date {removal} has passed: remove it (a breaking change to announce)"
    return None


def deprecation_problems(schema: GraphQLSchema, today: date | None = None) -> dict[str, str]:
    """{coordinate: problem} for each deprecated element whose reason fails
    `deprecation_problem` (an empty reason too; a removal date before `today`)."""
    found = {}
    for coord, reason in _deprecated(schema):
        if reason is not None and (problem := deprecation_problem(reason, today)):
            found[coord] = problem
    return dict(sorted(found.items()))


def deprecations_without_removal(schema: GraphQLSchema, today: date | None = None) -> list[str]:
    """Coordinates deprecated without a reason and an ISO removal date, or past that date
    (`deprecation_problem`)."""
    return list(deprecation_problems(schema, today))


def compare(
    released_sdl: str,
    current_sdl: str,
    changelog: str,
    release: str = "",
    today: date | None = None,
) -> Report:
    """Compare two SDL texts; `changelog` says which breaking changes are announced; `today`
    (default: the local date) is the day removal dates are checked against."""
    old, new = build_schema(released_sdl), build_schema(current_sdl)
    announced = announced_coordinates(changelog)
    report = Report(release=release, dangerous=find_dangerous_changes(old, new))
    for change in find_breaking_changes(old, new):
        coord = coordinate(change)
        done = any(covers(a, coord) for a in announced)
        (report.announced if done else report.unannounced).append(change)
    report.deprecations.extend(f"{c}: {p}" for c, p in deprecation_problems(new, today).items())
    return report


def built_in_sdl() -> str:
    """The SDL ``ogp-wg schema --built-in`` prints: the core and this distribution's plugins.

    Raises RuntimeError when the command fails (its one-line message is on stderr).
    """
    from core.cli import main as cli_main  # the same code path as the command, not a copy

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli_main(["schema", "--built-in"])
    if status:
        raise RuntimeError(f"ogp-wg schema --built-in failed (exit {status})")
    return out.getvalue()


def _describe(change: BreakingChange | DangerousChange) -> str:
    return f"{change.type.name}: {change.description}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print the report; exit 1 on an unannounced breaking change, or a deprecation undated or
    past its removal date."""
    parser = argparse.ArgumentParser(prog="python -m core.schema_evolution", description=__doc__)
    parser.add_argument("--schema", type=Path, help="current SDL (default: the built-in schema)")
    parser.add_argument("--releases", type=Path, default=RELEASES, help="released SDL folder")
    parser.add_argument("--changelog", type=Path, default=CHANGELOG)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the day removal dates are checked against, YYYY-MM-DD (default: today)",
    )
    args = parser.parse_args(argv)
    version, path = latest_release(args.releases)
    current = args.schema.read_text() if args.schema else built_in_sdl()
    changelog = args.changelog.read_text()
    report = compare(path.read_text(), current, changelog, version, args.today)
    for dangerous in report.dangerous:
        print(f"warning (dangerous since {version}): {_describe(dangerous)}")
    for change in report.announced:
        print(f"announced breaking change since {version}: {_describe(change)}")
    for change in report.unannounced:
        print(f"error: unannounced breaking change since {version}: {_describe(change)}")
    for problem in report.deprecations:
        print(f"error: deprecation of {problem}; write {REMOVAL_FORMAT}, a date to come")
    if report.unannounced:
        print(
            f"Name each in CHANGELOG.md, `## [Unreleased]` > `{BREAKING_HEADING}`, as "
            "`Type.field` in backticks (docs/schema-evolution.md), or keep the old shape."
        )
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
