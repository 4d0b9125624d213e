"""The access policy of one schema: the core's and the enabled plugins' declarations, checked at
start-up and installed on the fields they govern.

Start-up stops (PluginError naming the owner and the field) when a core mutation has no rule, a
plugin that declares rules leaves one of its mutations out, a declaration names a mutation, type
or field the schema does not have, two owners declare the same thing, or a rule needs a `Scope`
that no one declared. A plugin that does not implement `ogp_wg_access_rules` gets the default
for each of its mutations: `ANCHOR | STAFF` against its theme (staff, or an anchor of a group of
the plugin's theme), the record-and-correct rule of the thematic data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from core.access.declare import Declaration, FieldRule, MutationRule, RowRule, Scope
from core.access.guards import FieldGuard, MutationGuard
from core.access.rules import ANCHOR, STAFF, Grant
from core.plugins import PluginError, PluginSet

HOOK = "ogp_wg_access_rules"
PLUGIN_DEFAULT = ANCHOR | STAFF
"""The rule of a plugin's mutations it declares nothing for: staff, or an anchor of a group of
the plugin's theme."""


@dataclass
class Policy:
    """Every rule of the schema, by what it governs (read by tests and the audit)."""

    mutations: dict[str, MutationRule] = field(default_factory=dict)
    fields: dict[tuple[str, str], FieldRule] = field(default_factory=dict)
    rows: dict[str, RowRule] = field(default_factory=dict)
    scopes: dict[str, Scope] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=dict)
    """mutation name -> 'core' or the plugin key that adds it."""


def _who(owner: str) -> str:
    return "the core" if owner == "core" else f"plugin '{owner}'"


def _graphql_name(f: StrawberryField) -> str:
    return f.graphql_name or to_camel_case(f.python_name)


def core_declarations() -> list[Declaration]:
    from core import domains  # the domains import this module's vocabulary: import late
    from core.access import audit

    return [*domains.access_declarations(), *audit.DECLARATIONS]


def _collect(plugins: PluginSet) -> tuple[list[tuple[str, Declaration]], set[str]]:
    declared: list[tuple[str, Declaration]] = [("core", d) for d in core_declarations()]
    declaring: set[str] = set()
    for key, items in plugins.call(HOOK):
        if isinstance(items, str | bytes) or not isinstance(items, Iterable):
            raise PluginError(
                f"plugin '{key}' (hook {HOOK}) must return a list of core.access declarations"
            )
        declaring.add(key)
        for item in items:
            if not isinstance(item, MutationRule | FieldRule | RowRule | Scope):
                raise PluginError(
                    f"plugin '{key}' (hook {HOOK}) returned {item!r}; expected MutationRule, "
                    "FieldRule, RowRule or Scope (from core)"
                )
            declared.append((key, item))
    return declared, declaring


def _index(declared: list[tuple[str, Declaration]], policy: Policy) -> dict[str, str]:
    """Fill `policy` by kind, refusing duplicates; returns {what: owner} for messages."""
    owner_of: dict[str, str] = {}

    def claim(what: str, owner: str) -> None:
        if what in owner_of:
            raise PluginError(
                f"{_who(owner_of[what])} and {_who(owner)} both declare the access rule of "
                f"the {what} (hook {HOOK})"
            )
        owner_of[what] = owner

    for owner, item in declared:
        if isinstance(item, MutationRule):
            claim(f"mutation {item.mutation}", owner)
            policy.mutations[item.mutation] = item
        elif isinstance(item, FieldRule):
            claim(f"field {item.type_name}.{item.field}", owner)
            policy.fields[(item.type_name, item.field)] = item
        elif isinstance(item, RowRule):
            claim(f"rows of {item.type_name}", owner)
            policy.rows[item.type_name] = item
        else:
            claim(f"scope of {item.type_name}", owner)
            policy.scopes[item.type_name] = item
    for row in policy.rows.values():
        policy.scopes.setdefault(row.type_name, row.scope)
    return owner_of


def _needs_scope(grants: frozenset[Grant]) -> bool:
    return bool(grants - {Grant.PUBLIC, Grant.SIGNED_IN, Grant.STAFF})


def install(
    plugins: PluginSet,
    mutation_fields: Sequence[tuple[str, StrawberryField]],
    type_fields: Mapping[str, Sequence[StrawberryField]],
) -> Policy:
    """Check the declarations against the schema's fields and put guards on them.

    `mutation_fields`: (owner, field) of every root mutation; `type_fields`: GraphQL type name ->
    its fields (core and plugin-added), for the field rules.
    """
    declared, declaring = _collect(plugins)
    policy = Policy()
    owner_of = _index(declared, policy)
    present = {_graphql_name(f) for _, f in mutation_fields}
    for name in policy.mutations:
        if name not in present:
            who = owner_of[f"mutation {name}"]
            raise PluginError(
                f"{_who(who)} declares an access rule for the mutation '{name}', which the "
                f"schema does not have (hook {HOOK})"
            )
    for owner, f in mutation_fields:
        name = _graphql_name(f)
        policy.owners[name] = owner
        rule = policy.mutations.get(name)
        if rule is not None and owner_of[f"mutation {name}"] not in (owner, "core"):
            raise PluginError(
                f"plugin '{owner_of[f'mutation {name}']}' declares the access rule of "
                f"{_who(owner)}'s mutation '{name}' (hook {HOOK})"
            )
        if rule is None and owner != "core" and owner not in declaring:
            rule = policy.mutations[name] = MutationRule(name, PLUGIN_DEFAULT)
        if rule is None:
            where = "core/access/" if owner == "core" else f"hook {HOOK} of plugin '{owner}'"
            raise PluginError(
                f"the mutation '{name}' of {_who(owner)} has no access rule; declare "
                f"core.MutationRule('{name}', <rule>) ({where})"
            )
        for field_name, type_name in rule.targets.items():
            if type_name not in policy.scopes:
                raise PluginError(
                    f"the access rule of mutation '{name}' targets {type_name} (input field "
                    f"{field_name}), but no Scope of {type_name} is declared (hook {HOOK})"
                )
        theme = None if owner == "core" else owner
        _replace(f, MutationGuard, MutationGuard(rule, policy.scopes, theme))
    for (type_name, field_name), field_rule in policy.fields.items():
        target = next(
            (f for f in type_fields.get(type_name, ()) if _graphql_name(f) == field_name), None
        )
        if target is None:
            raise PluginError(
                f"{_who(owner_of[f'field {type_name}.{field_name}'])} declares an access rule "
                f"for {type_name}.{field_name}, which the schema does not have (hook {HOOK})"
            )
        scope = policy.scopes.get(type_name)
        if scope is None and _needs_scope(field_rule.rule.grants) and type_name not in ROOTS:
            raise PluginError(
                f"the rule '{field_rule.rule}' of {type_name}.{field_name} needs a Scope of "
                f"{type_name} (how its objects relate to groups and people) (hook {HOOK})"
            )
        public = field_rule.public_column()
        if public is not None and (scope is None or public.table is not _table_of(scope.pk)):
            raise PluginError(
                f"the public condition of {type_name}.{field_name} reads {public}, which is not "
                f"a column of the table of {type_name}'s Scope (hook {HOOK})"
            )
        _replace(target, FieldGuard, FieldGuard(field_rule, scope))
    return policy


def _table_of(column: Any) -> Any:
    return getattr(column, "__clause_element__", lambda: column)().table


ROOTS = ("Query", "Mutation")


def _replace(target: StrawberryField, kind: type, guard: Any) -> None:
    """Put `guard` on the field, replacing the one a previous build put there (fields are
    class attributes, shared by every schema built in the process)."""
    target.extensions = [e for e in target.extensions if not isinstance(e, kind)]
    target.extensions.insert(0, guard)


def fields_of(cls: type, extra: Sequence[StrawberryField] = ()) -> list[StrawberryField]:
    definition = get_object_definition(cls, strict=True)
    return [*definition.fields, *extra]
