"""The plugin author's reference: every way a thematic plugin can extend ogp-working-groups.

A plugin is a module (or object) registered under the entry-point group ``ogp_wg.plugins``; the
entry-point *name* is the plugin key (snake_case, e.g. ``fiscal_openness``). It implements some of
the hooks below with ``@core.hookimpl``. Everything a plugin imports comes from ``core`` itself::

    # my_theme/__init__.py
    from core import Theme, hookimpl

    @hookimpl
    def ogp_wg_theme() -> Theme:
        return Theme(key="gender_inclusion", title="Gender and inclusion", summary="...",
                     version="1.0.0")

    # pyproject.toml
    [project.entry-points."ogp_wg.plugins"]
    gender_inclusion = "my_theme"

Rules the core enforces at start-up, each stopping with a message that names the plugin and hook:
- a hook implementation whose name is not below is an error (a typo never goes unnoticed);
- a hook that raises stops start-up; the schema is never half-built;
- two plugins defining the same GraphQL type name, the same field on a core type, the same root
  field, the same loader name or the same constraint (``ogp_wg_constraint_errors``) stop
  start-up, naming both plugins;
- a plugin's tables are named ``<key>_...``;
- every type of the schema that implements ``Node`` has a loader (``ogp_wg_node_loaders``), so
  ``node(id:)`` can fetch any ID the API hands out;
- ``[plugins.<key>]`` may set only fields of the plugin's settings model (a misspelled key is an
  error, whatever the model's ``extra``);
- every user error code a constraint is mapped to is declared (``ogp_wg_user_error_codes``), and
  declared codes are SCREAMING_SNAKE_CASE with a description;
- a hook implementation takes no ordering or wrapping option (``tryfirst``, ``trylast``,
  ``wrapper``, ``hookwrapper``): the core calls each plugin's implementation once, in plugin-key
  order, and collects the results per plugin, so such an option could only be ignored.

Installed is not enabled: the operator's ``[plugins] enabled / disabled`` lists decide. A disabled
plugin contributes nothing to the schema and its groups are hidden, but its tables and rows stay,
and its migrations are still applied, so enabling it again needs no migration.

Hooks are called once at start-up (except ``ogp_wg_load_demo`` and
``ogp_wg_load_demo_evidence``, called by ``ogp-wg demo``),
each plugin's implementation separately, in plugin-key order; all return plain values; none use
``firstresult``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from pydantic import BaseModel
    from sqlalchemy.ext.asyncio import AsyncConnection
    from strawberry.types.field import StrawberryField

    from core.context import Context
    from core.plugins import Theme

PROJECT = "ogp_wg"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

BatchLoadFn = Callable[["Context", list[Any]], Awaitable[Sequence[Any]]]


# --- Identity ------------------------------------------------------------------------------------


@hookspec
def ogp_wg_theme() -> Theme:
    """Declare the thematic area this plugin serves. Required, one per plugin.

    ``Theme.key`` must equal the entry-point name; it is the value of ``WorkingGroup.theme`` for
    every group of this area, and the prefix of the plugin's table names. ``version`` is shown by
    ``ogp-wg plugins list`` and the ``themes`` query.
    """


@hookspec
def ogp_wg_settings_model() -> type[BaseModel]:
    """Return a pydantic model validating this plugin's ``[plugins.<key>]`` configuration table.

    Invalid settings stop start-up with the key and the validation message. Read the validated
    instance at request time with ``info.context.plugin_settings("<key>")``.
    """


# --- Persistence ---------------------------------------------------------------------------------


@hookspec
def ogp_wg_models() -> Sequence[type]:
    """Return the plugin's SQLAlchemy model classes (declared on ``core.Base``).

    Their tables must be named ``<key>_...``; the core checks this at start-up. They may reference
    core tables by foreign key (``countries.id``, ``organizations.id``, ``working_groups.id``...).

    Optional for a package: without it, the core takes the classes mapped on ``core.Base`` that
    the package's ``models`` module defines (core/conventions.py).
    """


@hookspec
def ogp_wg_migrations() -> Path | str:
    """Return the directory holding this plugin's Alembic revisions.

    The first revision has ``down_revision = None``, ``branch_labels = ("<key>",)`` and
    ``depends_on = "core_0001"`` (or a later core revision it needs: docs/writing-plugins.md
    lists them). ``ogp-wg db revision --plugin <key> -m "..."`` writes the next revision from the
    models; the ``assert_migrations_match_models`` fixture checks them. ``ogp-wg db upgrade``
    applies the heads of every *installed* plugin, enabled or not.

    Optional for a package: without it, the core takes the package's ``migrations/`` folder.
    """


# --- GraphQL schema ------------------------------------------------------------------------------


@hookspec
def ogp_wg_group_type() -> type:
    """Return the concrete Strawberry type for this theme's groups.

    It subclasses ``core.types.WorkingGroup`` (the interface) and adds domain fields as
    resolvers, e.g. ``@strawberry.field async def priorities(self, info: Info) -> ...``. Instances
    are built by the core from the group's row, so do not add dataclass fields without defaults.
    ``self.pk`` is the group's database id.
    """


@hookspec
def ogp_wg_type_fields() -> Mapping[str, Sequence[StrawberryField]]:
    """Add fields to core object types, keyed by GraphQL type name (``Country``, ``Organization``,
    ``Meeting``, ``Person``, ``Anchor``, ``Membership``).

    Each value is a list of fields whose first parameter is ``root`` (the core object, e.g.
    ``core.types.Country``, whose ``pk`` is its database id). Declare how a field is loaded with
    ``@core.relation(load_fn)`` so it joins the fast path: ``load_fn(ctx, keys, **arguments)``
    returns one value per key, reading every parent's rows in ONE statement; the core calls it
    once per level of the query and the field then resolves without a resolver call::

        @relation(load_scores_by_country, default=[])
        def open_budget_index(root: types.Country) -> list[OpenBudgetIndex]: ...

    A plain ``strawberry.field`` resolver also works, but is resolved per object.
    """


@hookspec
def ogp_wg_query_fields() -> Sequence[StrawberryField]:
    """Add root ``Query`` fields (use ``core.Connection`` and ``core.paginate`` for lists).

    Return ``await core.prefetched(info, result)``: it loads every relation the query selects
    below your result a level at a time, before the fields are resolved.
    """


@hookspec
def ogp_wg_mutation_fields() -> Sequence[StrawberryField]:
    """Add root ``Mutation`` fields.

    Convention: noun-then-verb names (``openBudgetSurveyRecord``), one input object, a payload with
    ``userErrors: [UserError!]!`` for expected failures, and all writes inside one
    ``core.in_transaction(...)`` (one ``info.context.db.write()`` transaction), so a failure
    writes nothing. Return ``await core.prefetched(info, payload)``.
    """


@hookspec
def ogp_wg_constraint_errors() -> Mapping[str, tuple[str, str] | tuple[str, str, str | None]]:
    """Map the database constraints a concurrent write can still violate to user errors.

    ``{constraint_name: core.ConstraintError(code, message, field)}`` (a plain tuple
    ``(code, message)`` or ``(code, message, field)`` works too), e.g.
    ``{"uq_my_theme_entries_country_id_year": ("DUPLICATE_ENTRY", "...", "year")}``. When
    ``core.in_transaction`` meets a violated constraint of that name, the mutation answers that
    user error (``field`` is the input field at fault); any other violation is the generic
    ``CONSTRAINT_VIOLATION``. Only enabled plugins' maps apply.

    The name is the database's: after the naming convention of ``core.Base``
    (``uq_<table>_<columns>``, ``ck_<table>_<name>``, ``fk_...``, ``pk_<table>``) or an index's
    own name. It must be a constraint or index declared in the models (SQLite reports a UNIQUE
    failure by its columns only, which the core matches to the declaration); a name that is not,
    or that the core or another plugin maps too, stops start-up.
    """


@hookspec
def ogp_wg_user_error_codes() -> Mapping[str, str]:
    """Declare the user error codes this plugin's mutations answer, each with what it means:
    ``{"DUPLICATE_ENTRY": "This country already has an entry for that year."}``.

    ``UserError.code`` is the enum ``UserErrorCode``, built at start-up from the core's codes
    (``REQUIRED``, ``TOO_LONG``, ``OUT_OF_RANGE``, ``NOT_FOUND``, ``INVALID_URL``,
    ``UNKNOWN_COUNTRY``, ``CONSTRAINT_VIOLATION``, ... : ``ogp-wg schema`` lists them) and the
    enabled plugins' declarations, so front ends generate a type for it. Declare every code your
    plugin returns that the core does not (``core.user_error``, ``UserErrors.add``, the codes of
    your ``ogp_wg_constraint_errors``); redeclaring a core code or another plugin's is harmless
    (one value; the first description stays: the core's, then by plugin key).

    Codes are SCREAMING_SNAKE_CASE and descriptions one sentence. Start-up stops, naming the
    plugin, on anything else, and when a constraint is mapped to a code nobody declared. A
    mutation answering an undeclared code fails at that field (``INTERNAL_SERVER_ERROR``): test
    your mutations' errors. Optional for a plugin that returns only the core's codes.
    """


@hookspec
def ogp_wg_types() -> Sequence[type]:
    """Return extra Strawberry types to put in the schema that no field reaches directly."""


@hookspec
def ogp_wg_loaders() -> Mapping[str, BatchLoadFn]:
    """Add per-request DataLoaders, by name: ``{"budget_surveys_by_country": load_fn}``.

    ``load_fn(context, keys)`` returns one value per key, in order, reading with
    ``async with context.db.read() as conn``. Use ``info.context.loader("name").load(key)``.
    Names are global: prefix them with something of your theme. (To make ``node(id:)`` fetch
    your types, declare them in ``ogp_wg_node_loaders``, not here.)
    """


@hookspec
def ogp_wg_node_loaders() -> Mapping[type, BatchLoadFn]:
    """Say how ``node(id:)`` fetches each of this plugin's types that implement ``core.types.Node``:
    ``{OpenBudgetSurvey: load_surveys_by_id}``. Required for every such type: a type in the schema
    that implements ``Node`` with no loader here stops start-up, naming the plugin and the type.

    Keys are the Strawberry classes themselves (subclasses of ``core.types.Node``; their
    ``node_type`` class attribute is the type name in their global IDs, e.g.
    ``core.to_global_id("OpenBudgetSurvey", pk)``). Values are batch loaders
    ``load_fn(context, pks: list[int]) -> Sequence[T | None]``: one object (or ``None`` when no
    row, or a row the viewer may not see, has that id) per pk, in order, from ONE statement.
    The concrete group type needs no entry: groups are fetched as ``WorkingGroup``.
    """


@hookspec
def ogp_wg_evidence_types() -> Sequence[type]:
    """Declare which of this plugin's types are evidence of an OGP commitment: records that show
    a commitment being kept (a budget document published, an RTI law adopted, a beneficial
    owner disclosed). Return the Strawberry classes: ``[BudgetDocument, OpenBudgetSurvey]``.

    Each must implement ``core.types.Node`` and have a loader in ``ogp_wg_node_loaders``
    (start-up stops otherwise, naming the plugin and the type). Records of these types can
    then be linked to commitments: by the mutation ``commitmentEvidenceLink(commitmentId,
    recordId)`` (staff, or an anchor of a group the commitment is linked to; any other type's
    ID answers the user error ``NOT_EVIDENCE_TYPE``), and in your demo data with
    ``await core.link_evidence(conn, "CL0061", core.to_global_id("BudgetDocument", pk))``
    (idempotent). ``Commitment.evidence`` answers the linked records as ``Node``, fetched
    through your node loaders, so a record the viewer may not see is left out; while your
    plugin is disabled its records are left out too, and their links stay.
    """


# --- Access control ------------------------------------------------------------------------------


@hookspec
def ogp_wg_access_rules() -> Sequence[Any]:
    """Declare who may call this plugin's mutations, read its private fields and see its rows.

    Return a list of declarations, all imported from ``core``:

    - ``MutationRule("openBudgetSurveyRecord", ANCHOR | STAFF)``: who may call a root mutation
      (its GraphQL name). Optional ``targets={"countryId": ..., "groupId": "WorkingGroup"}``
      maps input fields (GraphQL names, inside ``input``) to the type of the object whose
      global ID they hold; the rule is evaluated against those objects (``ANCHOR``: an anchor of
      that group). Without targets, the rule is evaluated against the plugin's theme
      (``ANCHOR``: an anchor of any group of this theme; ``MEMBER`` likewise).
    - ``FieldRule("MyType", "privateNotes", STAFF)``: who may read a field; others read null
      (``refuse=True``: an UNAUTHENTICATED / FORBIDDEN error instead, for a root field;
      ``public=Row.column.is_(None)``: the objects whose field everyone reads).
    - ``RowRule(scope, SELF | STAFF)``: which rows of a type a viewer sees at all, in every
      declared load and ``query_page`` reading the scope's table (core.rows applies it: lists
      and ``totalCount``) and through ``node(id:)``, where a hidden object is answered exactly
      like a missing one.
    - ``Scope("MyType", MyRow.id, group=MyRow.group_id, person=..., meeting=...)``: how rows of
      a type relate to groups, people and meetings (SQL columns of its table, or correlated
      scalar subqueries), needed by any rule on that type other than PUBLIC, SIGNED_IN, STAFF.

    Rules combine grants with ``|``: ``PUBLIC`` (anyone), ``SIGNED_IN``, ``MEMBER`` (a person
    whose organisation is a member of the object's group), ``ANCHOR`` (whose organisation anchors
    it), ``REGISTERED`` (with a place at the object's meeting), ``SELF`` (the person the object is
    about), ``ORGANIZATION`` (a person of the organisation the object is about: ``Scope(...,
    organization=MyRow.organization_id)``) and ``STAFF`` (staff pass every rule). A ``RowRule``'s
    ``public`` (a SQL condition) names the rows everyone sees whatever its rule. A mutation
    also needs a token with the ``write`` scope. Refused: ``UNAUTHENTICATED`` when not signed
    in, else ``FORBIDDEN``; every call, refused or not, is written to the audit log.

    Without this hook, each of the plugin's mutations gets the default ``ANCHOR | STAFF`` against
    its theme (staff, or an anchor of a group of this theme). A plugin that implements it
    declares EVERY one of its mutations: start-up stops on a mutation without a rule, a rule for a
    mutation, type or field the schema does not have, or a rule declared twice.
    """


# --- Data ----------------------------------------------------------------------------------------


@hookspec
def ogp_wg_load_demo(conn: AsyncConnection) -> Awaitable[None] | None:
    """Load this plugin's demo data (may be ``async``). Called by ``ogp-wg demo`` after the core's
    demo data, inside the same transaction; must be idempotent (skip what is already there).
    Mark illustrative figures as such in the data itself.
    """


@hookspec
def ogp_wg_load_demo_evidence(conn: AsyncConnection) -> Awaitable[None] | None:
    """Link this plugin's demo records as evidence of the demo's commitments (may be ``async``).
    Called by ``ogp-wg demo`` once ALL demo data is loaded (every plugin's ``ogp_wg_load_demo``,
    then the core's action plans and commitments, which link to the plugins' groups), in the
    same transaction; must be idempotent. Find the commitments with
    ``await core.find_commitments(conn, country="KE", topics=["budget-transparency"])`` and
    link with ``await core.link_evidence(conn, ref.reference, core.to_global_id("BudgetDocument",
    pk), country=ref.country)`` (see ``ogp_wg_evidence_types``).
    """
