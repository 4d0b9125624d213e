"""Batch loaders of the people domain: countries, organisations, people (never an e-mail to
someone who may not read it).

Each runs ONE statement for all the parents a level of the query has (core.loading); the
relation fields of core/people/types.py and the other domains' types name them.
"""

from __future__ import annotations

from typing import Any

from core.hookspecs import BatchLoadFn
from core.people.access import visible_emails
from core.people.models import Country, Organization, Person
from core.rows import RowsByKey, RowsGroupedBy, rows_by_key, rows_grouped_by

# Declared loads (core.rows): the relation's table, key column, order and filters as data, the
# same declarations plugins use; the rows become the types through their `from_row`.
countries_by_id: RowsByKey[Any] = rows_by_key(Country.id, lambda: types.Country)
organizations_by_id: RowsByKey[Any] = rows_by_key(Organization.id, lambda: types.Organization)
organizations_by_country: RowsGroupedBy[Any] = rows_grouped_by(
    Organization.country_id,
    lambda: types.Organization,
    order_by=(Organization.name, Organization.id),
)

PUBLIC_PERSON = (Person.id, Person.name, Person.organization_id)  # never the e-mail

emails_by_person: RowsByKey[Any] = rows_by_key(
    Person.id,
    build=lambda row: row.email,
    columns=(Person.id, Person.email),
    where=visible_emails,  # the field rule as SQL too: no other e-mail is even read
)

people_by_id: RowsByKey[Any] = rows_by_key(Person.id, lambda: types.Person, columns=PUBLIC_PERSON)
people_by_organization: RowsGroupedBy[Any] = rows_grouped_by(
    Person.organization_id,
    lambda: types.Person,
    order_by=(Person.name, Person.id),
    columns=PUBLIC_PERSON,
)


LOADERS: dict[str, BatchLoadFn] = {
    "countries_by_id": countries_by_id,
    "organizations_by_id": organizations_by_id,
    "people_by_id": people_by_id,
}
"""Named loaders for `node(id:)` (and for plugins, through `Context.loader`)."""


# Imported last, not first: the types module needs this module's loaders while its classes are
# being defined, and the loaders above need `types` only when they run. Importing it here breaks
# the cycle whichever of the two modules is imported first (`from core import load_countries` in
# a fresh interpreter imports this one first).
from core.people import types  # noqa: E402
