"""The group's life (issue 9, section 4): Steering Committee decisions, the anchor rule in the
database, anchor terms, an allowance for a second anchor of a role, proposals.

Existing rows are carried across:
- each group keeps the status staff had given it (their word, the only record there is), with
  a decision row saying so (`from_status` NULL, "carried across by core_0006"); a group that was
  PILOT or ACTIVE without both a government and a civil-society anchor cannot stay so under the
  new rule and goes to PIPELINE, its decision row saying why;
- each current anchor keeps its row (an open term) starting `since`, or, when that was never
  given, at the group's creation (the earliest the term can have begun; anchors had no creation
  time of their own);
- the counters the CHECKs read are filled from the anchors, then the triggers are created.

Revision ID: core_0006
Revises: core_0005
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0006"
down_revision: str | Sequence[str] | None = "core_0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)
STATUSES = ("PROPOSED", "PIPELINE", "PILOT", "ACTIVE", "PAUSED", "RETIRED")
TRANSITIONS = {
    "PROPOSED": ("PIPELINE", "RETIRED"),
    "PIPELINE": ("PILOT", "ACTIVE", "RETIRED"),
    "PILOT": ("ACTIVE", "PAUSED", "RETIRED"),
    "ACTIVE": ("PAUSED", "RETIRED"),
    "PAUSED": ("ACTIVE", "PILOT", "RETIRED"),
}  # a copy of core.groups.models.ALLOWED_TRANSITIONS as of this revision
PAIRS = " OR ".join(
    f"(from_status = '{a}' AND to_status = '{b}')"
    for a, b in sorted((a, b) for a, tos in TRANSITIONS.items() for b in tos)
)
CARRIED = "Status carried across by migration core_0006 (no decision had been recorded)."
DEMOTED = (
    "Carried across by migration core_0006: the group lacked a government or a civil-society "
    "anchor, which a PILOT or ACTIVE group must have, so it waits in the PIPELINE."
)

COUNT = "(SELECT count(*) FROM anchors WHERE anchors.group_id = {g} AND anchors.role = '{role}')"


CHECKS = {
    "anchor_allowance": (
        "max_government_anchors BETWEEN 1 AND 3 AND max_civil_society_anchors BETWEEN 1 AND 3"
    ),
    "anchor_counts": "government_anchor_count >= 0 AND civil_society_anchor_count >= 0",
    "government_anchor_limit": "government_anchor_count <= max_government_anchors",
    "civil_society_anchor_limit": "civil_society_anchor_count <= max_civil_society_anchors",
    "anchored_when_running": "status NOT IN ('ACTIVE', 'PILOT') OR "
    "(government_anchor_count >= 1 AND civil_society_anchor_count >= 1)",
    "decided": "status = 'PROPOSED' OR decision_id IS NOT NULL",
}
"""The CHECKs of working_groups (core.groups.models). On PostgreSQL they are CHECK constraints;
on SQLite, adding one means copying the table, and dropping the old copy would delete, by ON
DELETE CASCADE, every row that belongs to a group (anchors, members, meetings...): there each is
a pair of triggers that refuses the same rows with the message SQLite gives for that CHECK (so
the same user error answers)."""


def _sqlite_checks() -> list[str]:
    statements = []
    for name, expression in CHECKS.items():
        for event in ("INSERT", "UPDATE"):
            statements.append(
                f"CREATE TRIGGER working_groups_ck_{name}_{event.lower()} BEFORE {event} "
                f"ON working_groups WHEN NOT ({_new(expression)}) "
                # a CHECK's behaviour, to the letter: `PRAGMA ignore_check_constraints` skips it
                "AND NOT (SELECT ignore_check_constraints FROM pragma_ignore_check_constraints) "
                f"BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: ck_working_groups_{name}'); "
                "END"
            )
    return statements


def _new(expression: str) -> str:
    columns = (
        "max_government_anchors",
        "max_civil_society_anchors",
        "government_anchor_count",
        "civil_society_anchor_count",
        "decision_id",
        "status",
    )
    for column in columns:
        expression = expression.replace(column, f"NEW.{column}")
    return expression


def _recount(g: str) -> str:
    return (
        f"UPDATE working_groups SET government_anchor_count = {COUNT.format(g=g, role='GOVERNMENT')}, "
        f"civil_society_anchor_count = {COUNT.format(g=g, role='CIVIL_SOCIETY')} WHERE id = {g}"
    )


# The decision check: a change of status or allowance names (decision_id) a new decision of
# this group that makes exactly this change.
DECIDED = """
    NOT EXISTS (SELECT 1 FROM group_decisions AS d
      WHERE d.id = NEW.decision_id AND d.group_id = NEW.id
        AND NEW.decision_id IS NOT OLD.decision_id
        AND ((d.to_status IS NULL AND NEW.status = OLD.status)
             OR (d.to_status = NEW.status AND d.from_status = OLD.status))
        AND ((d.max_government_anchors IS NULL
              AND NEW.max_government_anchors = OLD.max_government_anchors)
             OR d.max_government_anchors = NEW.max_government_anchors)
        AND ((d.max_civil_society_anchors IS NULL
              AND NEW.max_civil_society_anchors = OLD.max_civil_society_anchors)
             OR d.max_civil_society_anchors = NEW.max_civil_society_anchors))
"""
CHANGED = """(NEW.status <> OLD.status
      OR NEW.max_government_anchors <> OLD.max_government_anchors
      OR NEW.max_civil_society_anchors <> OLD.max_civil_society_anchors
      OR NEW.decision_id IS NOT OLD.decision_id)"""
DECIDED_ERROR = "CHECK constraint failed: ck_working_groups_decided"
COUNTS_ERROR = "CHECK constraint failed: ck_working_groups_anchor_counts"
ACTUAL = (
    f"NEW.government_anchor_count <> {COUNT.format(g='NEW.id', role='GOVERNMENT')} OR "
    f"NEW.civil_society_anchor_count <> {COUNT.format(g='NEW.id', role='CIVIL_SOCIETY')}"
)

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER anchors_counted_insert AFTER INSERT ON anchors
    BEGIN {_recount("NEW.group_id")}; END""",
    f"""CREATE TRIGGER anchors_counted_delete AFTER DELETE ON anchors
    BEGIN {_recount("OLD.group_id")}; END""",
    f"""CREATE TRIGGER anchors_counted_update AFTER UPDATE OF group_id, role ON anchors
    BEGIN {_recount("OLD.group_id")}; {_recount("NEW.group_id")}; END""",
    f"""CREATE TRIGGER working_groups_counts_true
    AFTER UPDATE OF government_anchor_count, civil_society_anchor_count ON working_groups
    WHEN {ACTUAL}
    BEGIN SELECT RAISE(ABORT, '{COUNTS_ERROR}'); END""",
    f"""CREATE TRIGGER working_groups_born_proposed BEFORE INSERT ON working_groups
    WHEN NEW.status <> 'PROPOSED' OR NEW.decision_id IS NOT NULL
      OR NEW.max_government_anchors <> 1 OR NEW.max_civil_society_anchors <> 1
    BEGIN SELECT RAISE(ABORT, '{DECIDED_ERROR}'); END""",
    f"""CREATE TRIGGER working_groups_born_unanchored BEFORE INSERT ON working_groups
    WHEN NEW.government_anchor_count <> 0 OR NEW.civil_society_anchor_count <> 0
    BEGIN SELECT RAISE(ABORT, '{COUNTS_ERROR}'); END""",
    f"""CREATE TRIGGER working_groups_decided
    BEFORE UPDATE OF status, max_government_anchors, max_civil_society_anchors, decision_id
    ON working_groups
    WHEN {CHANGED} AND {DECIDED}
    BEGIN SELECT RAISE(ABORT, '{DECIDED_ERROR}'); END""",
]

POSTGRESQL_TRIGGERS = [
    f"""CREATE FUNCTION anchors_counted() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP IN ('UPDATE', 'DELETE') THEN {_recount("OLD.group_id")}; END IF;
      IF TG_OP IN ('UPDATE', 'INSERT') THEN {_recount("NEW.group_id")}; END IF;
      RETURN NULL;
    END $$""",
    """CREATE TRIGGER anchors_counted AFTER INSERT OR DELETE OR UPDATE OF group_id, role
    ON anchors FOR EACH ROW EXECUTE FUNCTION anchors_counted()""",
    f"""CREATE FUNCTION working_groups_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'PROPOSED' OR NEW.decision_id IS NOT NULL
           OR NEW.max_government_anchors <> 1 OR NEW.max_civil_society_anchors <> 1 THEN
          RAISE EXCEPTION 'a group starts PROPOSED; a decision changes it'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_working_groups_decided';
        END IF;
      ELSIF {CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")}
            AND {DECIDED.replace(" IS NOT ", " IS DISTINCT FROM ")} THEN
        RAISE EXCEPTION 'a group''s status and anchor allowance change only with a decision'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_working_groups_decided';
      END IF;
      IF TG_OP = 'INSERT' AND (NEW.government_anchor_count <> 0
                               OR NEW.civil_society_anchor_count <> 0)
         OR TG_OP = 'UPDATE' AND ({ACTUAL}) THEN
        RAISE EXCEPTION 'the anchor counters follow the anchors table'
          USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_working_groups_anchor_counts';
      END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER working_groups_guard BEFORE INSERT OR UPDATE ON working_groups
    FOR EACH ROW EXECUTE FUNCTION working_groups_guard()""",
]


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    # Plain ALTER TABLE ADD COLUMN on both databases: never a copy of working_groups (see CHECKS)
    op.add_column(
        "working_groups", sa.Column("rationale", sa.Text(), server_default="", nullable=False)
    )
    if dialect != "sqlite":
        op.add_column(
            "working_groups",
            sa.Column(
                "proposed_by_id",
                sa.Integer(),
                sa.ForeignKey("people.id", name=op.f("fk_working_groups_proposed_by_id_people")),
                nullable=True,
            ),
        )
    elif "proposed_by_id" not in _columns("working_groups"):  # a SQLite downgrade keeps it
        op.execute(
            "ALTER TABLE working_groups ADD COLUMN proposed_by_id INTEGER "
            "CONSTRAINT fk_working_groups_proposed_by_id_people REFERENCES people (id)"
        )
    for column, default in (
        ("max_government_anchors", "1"),
        ("max_civil_society_anchors", "1"),
        ("government_anchor_count", "0"),
        ("civil_society_anchor_count", "0"),
    ):
        op.add_column(
            "working_groups",
            sa.Column(column, sa.Integer(), server_default=default, nullable=False),
        )
    op.add_column("working_groups", sa.Column("decision_id", sa.Integer(), nullable=True))

    op.create_table(
        "group_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("from_status", _enum("from_status", *STATUSES), nullable=True),
        sa.Column("to_status", _enum("to_status", *STATUSES), nullable=True),
        sa.Column("max_government_anchors", sa.Integer(), nullable=True),
        sa.Column("max_civil_society_anchors", sa.Integer(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=False),
        sa.Column("meeting", sa.String(length=300), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.CheckConstraint(
            f"(to_status IS NULL AND from_status IS NULL) OR from_status IS NULL OR {PAIRS}",
            name=op.f("ck_group_decisions_allowed_transition"),
        ),
        sa.CheckConstraint(
            "to_status IS NOT NULL OR max_government_anchors IS NOT NULL "
            "OR max_civil_society_anchors IS NOT NULL",
            name=op.f("ck_group_decisions_decides_something"),
        ),
        sa.CheckConstraint(
            "(max_government_anchors IS NULL OR max_government_anchors BETWEEN 1 AND 3) AND "
            "(max_civil_society_anchors IS NULL OR max_civil_society_anchors BETWEEN 1 AND 3)",
            name=op.f("ck_group_decisions_allowance_range"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_group_decisions_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["people.id"], name=op.f("fk_group_decisions_recorded_by_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_decisions")),
    )
    with op.batch_alter_table("group_decisions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_group_decisions_group_id"), ["group_id"], unique=False)

    op.create_table(
        "anchor_terms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column(
            "organization_kind",
            _enum(
                "organization_kind",
                "GOVERNMENT",
                "CIVIL_SOCIETY",
                "MULTILATERAL",
                "PRIVATE_SECTOR",
                "ACADEMIA",
            ),
            nullable=False,
        ),
        sa.Column("role", _enum("role", "GOVERNMENT", "CIVIL_SOCIETY"), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=500), nullable=False),
        sa.CheckConstraint(
            "organization_kind = role", name=op.f("ck_anchor_terms_kind_matches_role")
        ),
        sa.CheckConstraint(
            "started_on IS NULL OR ended_on >= started_on",
            name=op.f("ck_anchor_terms_ends_after_start"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_anchor_terms_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id", "organization_kind"],
            ["organizations.id", "organizations.kind"],
            name="fk_anchor_terms_organization_kind",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_anchor_terms")),
    )
    with op.batch_alter_table("anchor_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_anchor_terms_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_anchor_terms_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "proposed_anchors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_proposed_anchors_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_proposed_anchors_organization_id_organizations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposed_anchors")),
        sa.UniqueConstraint(
            "group_id", "organization_id", name=op.f("uq_proposed_anchors_group_id_organization_id")
        ),
    )
    with op.batch_alter_table("proposed_anchors", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposed_anchors_organization_id"), ["organization_id"], unique=False
        )

    with op.batch_alter_table("anchors", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("source", sa.String(length=500), server_default="", nullable=False)
        )
        batch_op.drop_constraint("uq_anchors_group_id_role", type_="unique")

    _carry_across()

    if dialect == "sqlite":
        for statement in _sqlite_checks():
            op.execute(statement)
    else:
        for name, expression in CHECKS.items():
            op.create_check_constraint(
                op.f(f"ck_working_groups_{name}"), "working_groups", expression
            )

    for statement in SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS:
        op.execute(statement)


def _carry_across() -> None:
    """Counters from the anchors; a term start for every anchor; a decision row per group."""
    conn = op.get_bind()
    conn.execute(
        sa.text(
            "UPDATE anchors SET since = (SELECT CAST(working_groups.created_at AS DATE) "
            "FROM working_groups WHERE working_groups.id = anchors.group_id) WHERE since IS NULL"
        )
        if conn.dialect.name != "sqlite"
        else sa.text(
            "UPDATE anchors SET since = (SELECT substr(working_groups.created_at, 1, 10) "
            "FROM working_groups WHERE working_groups.id = anchors.group_id) WHERE since IS NULL"
        )
    )
    conn.execute(sa.text(_recount("working_groups.id")))
    groups = conn.execute(
        sa.text(
            "SELECT id, status, government_anchor_count, civil_society_anchor_count "
            "FROM working_groups ORDER BY id"
        )
    ).all()
    decisions = sa.table(
        "group_decisions",
        sa.column("id"),
        sa.column("group_id"),
        sa.column("from_status"),
        sa.column("to_status"),
        sa.column("decided_on", sa.Date()),
        sa.column("meeting"),
        sa.column("reason"),
        sa.column("source"),
        sa.column("illustrative"),
        sa.column("recorded_at", UTC),
    )
    now = core.db.utcnow()
    for group_id, status, government, civil_society in groups:
        if status == "PROPOSED":
            continue
        unanchored = status in ("ACTIVE", "PILOT") and not (government and civil_society)
        to_status = "PIPELINE" if unanchored else status
        decision_id = conn.execute(
            sa.insert(decisions)
            .values(
                group_id=group_id,
                from_status=None,
                to_status=to_status,
                decided_on=now.date(),
                meeting="",
                reason=DEMOTED if unanchored else CARRIED,
                source="",
                illustrative=False,
                recorded_at=now,
            )
            .returning(decisions.c.id)
        ).scalar_one()
        conn.execute(
            sa.text("UPDATE working_groups SET status = :s, decision_id = :d WHERE id = :g"),
            {"s": to_status, "d": decision_id, "g": group_id},
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "anchors_counted_insert",
            "anchors_counted_delete",
            "anchors_counted_update",
            "working_groups_counts_true",
            "working_groups_born_proposed",
            "working_groups_born_unanchored",
            "working_groups_decided",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS anchors_counted ON anchors")
        op.execute("DROP FUNCTION IF EXISTS anchors_counted()")
        op.execute("DROP TRIGGER IF EXISTS working_groups_guard ON working_groups")
        op.execute("DROP FUNCTION IF EXISTS working_groups_guard()")
    # Only current anchors come back, one per role (the earliest): the rest is history the old
    # schema cannot hold.
    op.execute(
        "DELETE FROM anchors WHERE id NOT IN (SELECT min(id) FROM anchors GROUP BY group_id, role)"
    )
    with op.batch_alter_table("anchors", schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f("uq_anchors_group_id_role"), ["group_id", "role"])
        batch_op.drop_column("source")
    op.drop_table("proposed_anchors")
    op.drop_table("anchor_terms")
    op.drop_table("group_decisions")
    if op.get_bind().dialect.name == "sqlite":
        for name in CHECKS:
            for event in ("insert", "update"):
                op.execute(f"DROP TRIGGER IF EXISTS working_groups_ck_{name}_{event}")
    else:
        for name in CHECKS:
            op.drop_constraint(op.f(f"ck_working_groups_{name}"), "working_groups", type_="check")
        op.drop_constraint(
            op.f("fk_working_groups_proposed_by_id_people"), "working_groups", type_="foreignkey"
        )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for column in (
        "decision_id",
        "civil_society_anchor_count",
        "government_anchor_count",
        "max_civil_society_anchors",
        "max_government_anchors",
        "proposed_by_id",
        "rationale",
    ):
        if sqlite and column == "proposed_by_id":
            continue  # SQLite drops no column a foreign key uses without copying the table
        op.drop_column("working_groups", column)  # SQLite 3.35+: in place, no copy


def _columns(table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}
