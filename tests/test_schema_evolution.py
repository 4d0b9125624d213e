"""Breaking changes are visible in review (issue 11, point 4): the current schema against the last
release's SDL (schema/releases/), unannounced breaking changes failing; deprecations dated.

The check is `python -m core.schema_evolution` (docs/schema-evolution.md); these tests run it on
the repository as CI sees it, and show on generated schema edits that it fails when it should.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    build_schema,
    print_schema,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from core.plugins import discover, make_plugin_manager
from core.schema.build import build_schema as build_ogp_schema
from core.schema_evolution import (
    announced_coordinates,
    compare,
    deprecation_problem,
    deprecation_problems,
    deprecations_without_removal,
    latest_release,
)
from core.testing import settings_for

ROOT = Path(__file__).parent.parent
RELEASES = ROOT / "schema" / "releases"
CHANGELOG = ROOT / "CHANGELOG.md"
BUILT_IN = sorted(key for key, plugin in discover().items() if plugin.source == "built-in")
RELEASE_VERSION, RELEASE_FILE = latest_release(RELEASES)
RELEASED_SDL = RELEASE_FILE.read_text()
RELEASED = build_schema(RELEASED_SDL)


def current_sdl(**plugins: object) -> str:
    settings = settings_for("sqlite+aiosqlite://", plugins=plugins or {"enabled": BUILT_IN})
    return build_ogp_schema(make_plugin_manager(settings)).schema.as_str()


def changelog_announcing(*coordinates: str) -> str:
    bullets = "".join(f"- `{coord}`: changed.\n" for coord in coordinates)
    return f"# Changelog\n\n## [Unreleased]\n\n### Breaking\n{bullets}\n## [0.2.0] - 2026-11-30\n"


# --- the repository as CI sees it ---------------------------------------------------------------


def test_no_unannounced_breaking_change_since_the_last_release() -> None:
    report = compare(RELEASED_SDL, current_sdl(), CHANGELOG.read_text(), RELEASE_VERSION)
    unannounced = [change.description for change in report.unannounced]
    assert unannounced == [], (
        f"breaking changes since {RELEASE_VERSION} not named in CHANGELOG.md's "
        "## [Unreleased] > ### Breaking (docs/schema-evolution.md)"
    )


def test_every_deprecation_names_its_removal() -> None:
    """Every installed plugin enabled (the example partner plugin too), not only the built-ins."""
    sdl = current_sdl(enabled=sorted(discover()))
    assert deprecations_without_removal(build_schema(sdl)) == []
    assert "@deprecated" in sdl  # the rule is not vacuous: the schema has deprecations


def test_the_last_release_has_its_schema() -> None:
    """The newest version heading of CHANGELOG.md has its SDL in schema/releases/."""
    versions = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", CHANGELOG.read_text(), re.M)
    assert versions, "CHANGELOG.md names no release"
    assert versions[0] == RELEASE_VERSION, (
        f"CHANGELOG.md's last release is {versions[0]}: add schema/releases/{versions[0]}.graphql "
        "(schema.graphql of the release commit)"
    )


def test_the_command_passes_on_the_repository_and_fails_on_an_unannounced_change(
    tmp_path: Path,
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    command = [sys.executable, "-m", "core.schema_evolution"]
    passed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "warning (dangerous since" in passed.stdout

    silent = tmp_path / "CHANGELOG.md"
    silent.write_text("# Changelog\n\n## [Unreleased]\n\n## [0.2.0] - 2026-11-30\n")
    failed = subprocess.run(
        [*command, "--changelog", str(silent), "--schema", str(ROOT / "schema.graphql")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if compare(RELEASED_SDL, (ROOT / "schema.graphql").read_text(), silent.read_text()).unannounced:
        assert failed.returncode == 1, failed.stdout
        assert "error: unannounced breaking change since" in failed.stdout
        assert "### Breaking" in failed.stdout


# --- the check itself, on generated edits of the released schema --------------------------------

OBJECT_FIELDS = sorted(
    (name, field)
    for name, type_ in RELEASED.type_map.items()
    if isinstance(type_, GraphQLObjectType) and not name.startswith("__")
    for field in type_.fields
)
INPUT_OBJECTS = sorted(
    name
    for name, type_ in RELEASED.type_map.items()
    if isinstance(type_, GraphQLInputObjectType) and not name.startswith("__")
)
ENUM_VALUES = sorted(
    (name, value)
    for name, type_ in RELEASED.type_map.items()
    if isinstance(type_, GraphQLEnumType) and not name.startswith("__")
    for value in type_.values
)


def edited(edit: object) -> str:
    """The released SDL after `edit(schema)`, which changes a fresh copy in place."""
    schema = build_schema(RELEASED_SDL)
    edit(schema)  # type: ignore[operator]
    return print_schema(GraphQLSchema(**schema.to_kwargs()))


def removing_field(type_name: str, field_name: str) -> str:
    return edited(lambda schema: schema.type_map[type_name].fields.pop(field_name))


def changing_field(type_name: str, field_name: str) -> str:
    def edit(schema: GraphQLSchema) -> None:
        field = schema.type_map[type_name].fields[field_name]
        # a scalar's type for an object, another scalar for a scalar: both break clients
        field.type = (
            GraphQLInt
            if getattr(field.type, "of_type", field.type) is GraphQLString
            else GraphQLString
        )

    return edited(edit)


def adding_required(type_name: str) -> str:
    def edit(schema: GraphQLSchema) -> None:
        fields = schema.type_map[type_name].fields
        fields["addedRequired"] = GraphQLInputField(GraphQLNonNull(GraphQLString))

    return edited(edit)


def removing_value(type_name: str, value: str) -> str:
    def edit(schema: GraphQLSchema) -> None:
        enum = schema.type_map[type_name]
        assert isinstance(enum, GraphQLEnumType)
        values = {k: v for k, v in enum.values.items() if k != value}
        if not values:
            values["OTHER"] = GraphQLEnumValue("OTHER")
        enum.values = values

    return edited(edit)


EDITS = {
    "remove field": removing_field,
    "change field type": changing_field,
    "add required input field": adding_required,
    "remove enum value": removing_value,
}
CASES = st.one_of(
    st.sampled_from(OBJECT_FIELDS).flatmap(
        lambda tf: st.sampled_from([("remove field", *tf), ("change field type", *tf)])
    ),
    st.sampled_from(INPUT_OBJECTS).map(lambda t: ("add required input field", t, "addedRequired")),
    st.sampled_from(ENUM_VALUES).map(lambda tv: ("remove enum value", *tv)),
)


@settings(max_examples=60, deadline=None)
@given(CASES)
def test_a_breaking_edit_fails_until_its_coordinate_is_announced(
    case: tuple[str, str, str],
) -> None:
    kind, type_name, name = case
    sdl = (
        EDITS[kind](type_name)
        if kind == "add required input field"
        else EDITS[kind](type_name, name)
    )
    coordinate = f"{type_name}.{name}"
    silent = compare(RELEASED_SDL, sdl, changelog_announcing()).unannounced
    assert silent, f"{kind} {coordinate} was not found breaking"
    assert all(coordinate in change.description for change in silent)
    assert not compare(RELEASED_SDL, sdl, changelog_announcing(coordinate)).unannounced
    # a type covers its fields; a longer name that merely starts alike covers nothing
    assert not compare(RELEASED_SDL, sdl, changelog_announcing(type_name)).unannounced
    assert compare(RELEASED_SDL, sdl, changelog_announcing(f"{coordinate}Other")).unannounced


def test_an_optional_argument_is_dangerous_not_breaking() -> None:
    def edit(schema: GraphQLSchema) -> None:
        schema.type_map["Query"].fields["countries"].args["added"] = GraphQLArgument(GraphQLInt)

    report = compare(RELEASED_SDL, edited(edit), changelog_announcing())
    assert report.unannounced == []
    assert [c.description for c in report.dangerous] == [
        "An optional argument Query.countries(added:) was added."
    ]


def test_only_the_unreleased_breaking_subsection_announces() -> None:
    text = (
        "## [Unreleased]\n\n### Added\n- `Query.a`\n\n### Breaking\n- `UserError.code` is an enum;"
        " `Mutation.x(input:)` too.\n\n### Fixed\n- `Query.b`\n\n## [0.2.0]\n### Breaking\n- `Query.c`\n"
    )
    assert announced_coordinates(text) == {"UserError.code", "Mutation.x(input:)"}
    assert announced_coordinates("## [0.2.0]\n### Breaking\n- `Query.c`\n") == set()


def _deprecating_countries(reason: str) -> GraphQLSchema:
    def edit(schema: GraphQLSchema) -> None:
        schema.type_map["Query"].fields["countries"].deprecation_reason = reason

    return build_schema(edited(edit))


BEFORE = set(deprecations_without_removal(RELEASED))  # 0.2.0 had undated ones
WORDY = st.text(st.characters(categories=["L", "N", "P", "Zs"]), min_size=1, max_size=40).filter(
    lambda text: re.search(r"[^\W\d_]{2}", text) is not None and "Removal:" not in text
)
TODAY = date.today()
# to come: the day itself too. Counted from the day each example is drawn, not the day this module
# was imported: a run that crosses midnight would otherwise draw a date that has just passed.
DATES = st.integers(0, (date(9999, 12, 30) - TODAY).days).map(
    lambda days: date.today() + timedelta(days=days)
)
PAST = st.dates(min_value=date(2000, 1, 1), max_value=TODAY - timedelta(days=1))
RELEASE = st.none() | st.tuples(*[st.integers(0, 99)] * 3).map(lambda v: ".".join(map(str, v)))


def _removal(day: str, release: str | None) -> str:
    return f"Removal: {day}" + (f" (release {release})" if release else "")


@given(reason=WORDY, day=DATES, release=RELEASE, stop=st.sampled_from(["", "."]))
@settings(max_examples=40, deadline=None)
def test_a_reason_with_an_iso_removal_date_passes(
    reason: str, day: date, release: str | None, stop: str
) -> None:
    text = f"{reason.strip()} {_removal(day.isoformat(), release)}{stop}"
    assert deprecation_problem(text) is None, text
    assert set(deprecations_without_removal(_deprecating_countries(text))) == BEFORE


@given(
    reason=st.text(max_size=40),
    removal=st.one_of(
        st.just(""),  # no removal at all
        st.tuples(*[st.integers(0, 99)] * 3).map(lambda v: "Removal: {}.{}.{}".format(*v)),
        st.dates().map(lambda d: f"Removal: {d.strftime('%d/%m/%Y')}"),  # not ISO
        st.sampled_from(["Removal: 2027-02-30", "Removal: 2027-13-01", "Removal: 2027-6-30"]),
    ),
)
@settings(max_examples=60, deadline=None)
def test_a_deprecation_without_an_iso_removal_date_fails(reason: str, removal: str) -> None:
    """Without `Removal: YYYY-MM-DD` (a version alone, another date format, a day that does not
    exist), whatever the reason: reported, naming the coordinate."""
    text = f"{reason} {removal}".strip() or "No longer supported"
    assert deprecation_problem(text) is not None, text
    found = deprecation_problems(_deprecating_countries(text))
    assert set(found) - BEFORE == {"Query.countries"}


@given(
    reason=st.text(st.characters(categories=["P", "S", "Nd", "Zs"]), max_size=20),
    day=DATES,
)
@settings(max_examples=30, deadline=None)
def test_a_removal_date_without_a_reason_fails(reason: str, day: date) -> None:
    """A date alone (or punctuation, digits) says nothing a front end can act on."""
    text = f"{reason} Removal: {day.isoformat()}."
    assert deprecation_problem(text) == "no reason before 'Removal:' (why, and what to use instead)"
    assert set(deprecations_without_removal(_deprecating_countries(text))) - BEFORE == {
        "Query.countries"
    }


@given(reason=WORDY, day=PAST, release=RELEASE)
@settings(max_examples=30, deadline=None)
def test_a_removal_date_that_has_passed_fails(reason: str, day: date, release: str | None) -> None:
    """A deprecated element still there after its removal date must be removed (or re-dated):
    the day after the date fails, the date itself does not."""
    text = f"{reason.strip()} {_removal(day.isoformat(), release)}."
    problem = deprecation_problem(text)
    assert problem == (
        f"its removal date {day.isoformat()} has passed: remove it (a breaking change to announce)"
    )
    assert deprecation_problem(text, today=day) is None
    assert deprecation_problem(text, today=day + timedelta(days=1)) == problem
    found = deprecation_problems(_deprecating_countries(text))
    assert set(found) - BEFORE == {"Query.countries"}


def test_the_command_fails_on_a_deprecation_past_its_removal_date() -> None:
    """The repository's schema checked as on the day after its earliest removal date: each
    deprecation due by then is an error naming its coordinate, and the command exits 1."""
    sdl = (ROOT / "schema.graphql").read_text()
    days = {
        date.fromisoformat(day)
        for day in re.findall(r'@deprecated\(reason: "[^"]*Removal: (\d{4}-\d{2}-\d{2})', sdl)
    }
    assert days and min(days) >= date.today()  # none is due today: the repository passes
    due = re.findall(
        rf'(\w+)(?:\([^)]*\))?: [^\n]*@deprecated\(reason: "[^"]*Removal: {min(days)}', sdl
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    after = (min(days) + timedelta(days=1)).isoformat()
    failed = subprocess.run(
        [sys.executable, "-m", "core.schema_evolution", "--schema", str(ROOT / "schema.graphql"),
         "--today", after],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stdout + failed.stderr
    errors = [line for line in failed.stdout.splitlines() if line.startswith("error:")]
    assert due and len(errors) == len(due), failed.stdout
    for field_name, error in zip(sorted(due), sorted(errors, key=_field_of), strict=True):
        assert _field_of(error) == field_name and f"removal date {min(days)} has passed" in error


def _field_of(error: str) -> str:
    """`Type.field` of an error line `error: deprecation of Type.field: ...` -> `field`."""
    coordinate = error.removeprefix("error: deprecation of ").split(":", 1)[0]
    return coordinate.split(".")[-1].split("(")[0]


def test_the_command_fails_on_a_deprecation_without_a_date(tmp_path: Path) -> None:
    """A deprecation written the old way (`Removal: 0.4.0.`) fails `python -m
    core.schema_evolution`, with a line naming the coordinate and the format to write."""
    sdl = (ROOT / "schema.graphql").read_text()
    dated = re.search(r'rtiRating: Int @deprecated\(reason: "([^"]*)"\)', sdl)
    assert dated is not None and deprecation_problem(dated.group(1)) is None
    schema = tmp_path / "schema.graphql"
    schema.write_text(sdl.replace(dated.group(1), "Use `rating { score }`. Removal: 0.4.0."))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OGP_WG_")}
    failed = subprocess.run(
        [sys.executable, "-m", "core.schema_evolution", "--schema", str(schema)],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert failed.returncode == 1, failed.stdout
    errors = [line for line in failed.stdout.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "RightToInformationLaw.rtiRating" in errors[0], failed.stdout
    assert "Removal: YYYY-MM-DD" in errors[0]
