"""The public API for plugin authors: everything a plugin imports comes from here.

    from core import hookimpl, Theme, Base, types, models, Connection, paginate, ...

Names are resolved lazily (PEP 562), so `ogp-wg --help` does not pay for importing the GraphQL
stack. Anything not listed in `__all__` is internal and may change without notice.

The names in `__all__` are the public API, versioned semantically from 0.2.0 (see CHANGELOG.md):
a release that removes or changes one in an incompatible way raises the minor version while the
major is 0 (the major from 1.0). `__version__` is the installed distribution's version, for a
plugin that must adapt to it; declare the range you support in your pyproject instead
(`ogp-working-groups>=0.2,<0.3`).
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

try:
    __version__: str = version("ogp-working-groups")
except PackageNotFoundError:  # pragma: no cover - a source tree that was never installed
    __version__ = "0.0.0+unknown"

_EXPORTS: dict[str, tuple[str, str | None]] = {
    # plugin wiring
    "hookimpl": ("core.hookspecs", "hookimpl"),
    "hookspec": ("core.hookspecs", "hookspec"),
    "Theme": ("core.plugins", "Theme"),
    # persistence
    "Base": ("core.db", "Base"),
    "UTCDateTime": ("core.db", "UTCDateTime"),
    "utcnow": ("core.db", "utcnow"),
    "enum_column": ("core.columns", "enum_column"),
    "models": ("core.models", None),
    "demo_groups": ("core.groups.demo", None),  # a plugin's demo working group, as data
    # GraphQL
    "types": ("core.schema.types", None),
    "enums": ("core.enums", None),
    "Context": ("core.context", "Context"),
    "relation": ("core.loading", "relation"),
    "prefetched": ("core.loading", "prefetched"),
    # core rows by primary key, for `@relation(load_countries, key="country_pk")` and the like
    "load_countries": ("core.people.loaders", "countries_by_id"),
    "load_organizations": ("core.people.loaders", "organizations_by_id"),
    "load_people": ("core.people.loaders", "people_by_id"),
    "load_groups": ("core.groups.loaders", "groups_by_id"),
    "Connection": ("core.schema.pagination", "Connection"),
    "paginate": ("core.schema.pagination", "paginate"),
    "paginate_children": ("core.schema.pagination", "paginate_children"),
    "count_of": ("core.schema.pagination", "count_of"),
    "to_global_id": ("core.schema.ids", "to_global_id"),
    "pk_of": ("core.schema.ids", "pk_of"),
    "api_error": ("core.errors", "api_error"),
    # query limits: a list field's `first` at most MAX_PAGE_SIZE; LIST_SIZE: a bounded list's size
    "MAX_PAGE_SIZE": ("core.limits", "MAX_PAGE_SIZE"),
    "LIST_SIZE": ("core.limits", "LIST_SIZE"),
    # declared row loading and row-to-type mapping (core.rows)
    "from_row": ("core.rows", "from_row"),
    "rows_by_key": ("core.rows", "rows_by_key"),
    "rows_grouped_by": ("core.rows", "rows_grouped_by"),
    "GROUP_COUNTRIES": ("core.groups.loaders", "GROUP_COUNTRIES"),
    "GROUP_ORGANIZATIONS": ("core.groups.loaders", "GROUP_ORGANIZATIONS"),
    "values_grouped_by": ("core.rows", "values_grouped_by"),
    "pages_by_key": ("core.rows", "pages_by_key"),
    "request_now": ("core.rows", "request_now"),
    "when_absent": ("core.rows", "when_absent"),
    "computed": ("core.compiled.declare", "computed"),
    "app_constant": ("core.compiled.declare", "app_constant"),
    "query_page": ("core.rows", "query_page"),
    "root_page": ("core.rows", "root_page"),
    "RootPage": ("core.rows", "RootPage"),
    "mutation_payload": ("core.rows", "mutation_payload"),
    # writes
    "UserError": ("core.errors", "UserError"),
    "user_error": ("core.errors", "user_error"),
    "Rejected": ("core.errors", "Rejected"),
    "in_transaction": ("core.transactions", "in_transaction"),
    "ConstraintError": ("core.transactions", "ConstraintError"),
    # checking input (core.validation)
    "UserErrors": ("core.validation", "UserErrors"),
    "url_problem": ("core.validation", "url_problem"),
    "country_id": ("core.validation", "country_id"),
    "find_country": ("core.validation", "find_country"),
    "country_code_condition": ("core.validation", "country_code_condition"),
    "in_country": ("core.validation", "in_country"),
    "id_of": ("core.validation", "id_of"),
    "row_by_id": ("core.validation", "row_by_id"),
    "insert_row": ("core.writes", "insert_row"),
    # commitments: a plugin's record linked as evidence (hook ogp_wg_evidence_types)
    "link_evidence": ("core.commitments.evidence", "link_evidence"),
    "find_commitments": ("core.commitments.evidence", "find_commitments"),
    "update_row": ("core.writes", "update_row"),
    # where a record's values come from: source URL, retrieval date, illustrative (core.provenance)
    "provenance": ("core.provenance", None),
    # access rules (core.access; hook ogp_wg_access_rules)
    "Rule": ("core.access.rules", "Rule"),
    "PUBLIC": ("core.access.rules", "PUBLIC"),
    "SIGNED_IN": ("core.access.rules", "SIGNED_IN"),
    "MEMBER": ("core.access.rules", "MEMBER"),
    "ANCHOR": ("core.access.rules", "ANCHOR"),
    "ORGANIZATION": ("core.access.rules", "ORGANIZATION"),
    "REGISTERED": ("core.access.rules", "REGISTERED"),
    "SELF": ("core.access.rules", "SELF"),
    "STAFF": ("core.access.rules", "STAFF"),
    "MutationRule": ("core.access.declare", "MutationRule"),
    "FieldRule": ("core.access.declare", "FieldRule"),
    "RowRule": ("core.access.declare", "RowRule"),
    "Scope": ("core.access.declare", "Scope"),
    "row_filter": ("core.access.rows", "row_filter"),
    # deprecated since 0.2, removed in 0.3: use the hook ogp_wg_constraint_errors
    "register_constraint_error": ("core.transactions", "register_constraint_error"),
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    try:
        module_name, attr = _EXPORTS[name]
    except KeyError:
        raise AttributeError(f"module 'core' has no attribute {name!r}") from None
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors only
    # `name as name`: an explicit re-export, so strict type checkers accept `from core import x`
    from core import enums as enums
    from core import models as models
    from core import provenance as provenance
    from core.access.declare import FieldRule as FieldRule
    from core.access.declare import MutationRule as MutationRule
    from core.access.declare import RowRule as RowRule
    from core.access.declare import Scope as Scope
    from core.access.rows import row_filter as row_filter
    from core.access.rules import ANCHOR as ANCHOR
    from core.access.rules import MEMBER as MEMBER
    from core.access.rules import ORGANIZATION as ORGANIZATION
    from core.access.rules import PUBLIC as PUBLIC
    from core.access.rules import REGISTERED as REGISTERED
    from core.access.rules import SELF as SELF
    from core.access.rules import SIGNED_IN as SIGNED_IN
    from core.access.rules import STAFF as STAFF
    from core.access.rules import Rule as Rule
    from core.columns import enum_column as enum_column
    from core.commitments.evidence import find_commitments as find_commitments
    from core.commitments.evidence import link_evidence as link_evidence
    from core.compiled.declare import app_constant as app_constant
    from core.compiled.declare import computed as computed
    from core.context import Context as Context
    from core.db import Base as Base
    from core.db import UTCDateTime as UTCDateTime
    from core.db import utcnow as utcnow
    from core.errors import Rejected as Rejected
    from core.errors import UserError as UserError
    from core.errors import api_error as api_error
    from core.errors import user_error as user_error
    from core.groups import demo as _demo_groups
    from core.groups import loaders as _groups_loaders
    from core.groups.loaders import GROUP_COUNTRIES as GROUP_COUNTRIES
    from core.groups.loaders import GROUP_ORGANIZATIONS as GROUP_ORGANIZATIONS
    from core.hookspecs import hookimpl as hookimpl
    from core.hookspecs import hookspec as hookspec
    from core.limits import LIST_SIZE as LIST_SIZE
    from core.limits import MAX_PAGE_SIZE as MAX_PAGE_SIZE
    from core.loading import prefetched as prefetched
    from core.loading import relation as relation
    from core.people import loaders as _people_loaders
    from core.plugins import Theme as Theme
    from core.rows import RootPage as RootPage
    from core.rows import from_row as from_row
    from core.rows import mutation_payload as mutation_payload
    from core.rows import pages_by_key as pages_by_key
    from core.rows import query_page as query_page
    from core.rows import request_now as request_now
    from core.rows import root_page as root_page
    from core.rows import rows_by_key as rows_by_key
    from core.rows import rows_grouped_by as rows_grouped_by
    from core.rows import values_grouped_by as values_grouped_by
    from core.rows import when_absent as when_absent
    from core.schema import types as types
    from core.schema.ids import pk_of as pk_of
    from core.schema.ids import to_global_id as to_global_id
    from core.schema.pagination import Connection as Connection
    from core.schema.pagination import count_of as count_of
    from core.schema.pagination import paginate as paginate
    from core.schema.pagination import paginate_children as paginate_children
    from core.transactions import ConstraintError as ConstraintError
    from core.transactions import in_transaction as in_transaction
    from core.transactions import register_constraint_error as register_constraint_error
    from core.validation import UserErrors as UserErrors
    from core.validation import country_code_condition as country_code_condition
    from core.validation import country_id as country_id
    from core.validation import find_country as find_country
    from core.validation import id_of as id_of
    from core.validation import in_country as in_country
    from core.validation import row_by_id as row_by_id
    from core.validation import url_problem as url_problem
    from core.writes import insert_row as insert_row
    from core.writes import update_row as update_row

    demo_groups = _demo_groups
    load_countries = _people_loaders.countries_by_id
    load_groups = _groups_loaders.groups_by_id
    load_organizations = _people_loaders.organizations_by_id
    load_people = _people_loaders.people_by_id
