"""Priority areas agreed by consensus: areas, their countries and thematic records, the
organisations' positions (history kept), and each group's consensus rule (issue 9, section 1).

Revision ID: core_0008
Revises: core_0007
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import core.db

revision: str = "core_0008"
down_revision: str | Sequence[str] | None = "core_0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = core.db.UTCDateTime(timezone=True)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    op.create_table(
        "priority_areas",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column(
            "status",
            _enum("status", "PROPOSED", "UNDER_DISCUSSION", "AGREED", "NOT_AGREED", "ARCHIVED"),
            nullable=False,
        ),
        sa.Column("proposed_by_organization_id", sa.Integer(), nullable=False),
        sa.Column("proposed_by_person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("opened_at", UTC, nullable=True),
        sa.Column("closes_at", UTC, nullable=True),
        sa.Column("closed_at", UTC, nullable=True),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("agreed", sa.Boolean(), nullable=True),
        sa.Column("endorsements", sa.Integer(), nullable=True),
        sa.Column("objections", sa.Integer(), nullable=True),
        sa.Column("participants", sa.Integer(), nullable=True),
        sa.Column("member_organizations", sa.Integer(), nullable=True),
        sa.Column("rule_objections_block", sa.Boolean(), nullable=True),
        sa.Column("rule_min_endorsement_share", sa.Float(), nullable=True),
        sa.Column("illustrative", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "status <> 'UNDER_DISCUSSION' OR closes_at IS NOT NULL",
            name=op.f("ck_priority_areas_open_has_closing_date"),
        ),
        sa.CheckConstraint(
            "status NOT IN ('AGREED', 'NOT_AGREED') OR (agreed IS NOT NULL AND closed_at IS NOT "
            "NULL AND endorsements IS NOT NULL AND objections IS NOT NULL AND participants IS "
            "NOT NULL AND member_organizations IS NOT NULL AND rule_objections_block IS NOT NULL "
            "AND rule_min_endorsement_share IS NOT NULL)",
            name=op.f("ck_priority_areas_outcome_recorded"),
        ),
        sa.CheckConstraint(
            "status <> 'AGREED' OR agreed", name=op.f("ck_priority_areas_agreed_matches_status")
        ),
        sa.CheckConstraint(
            "status <> 'NOT_AGREED' OR NOT agreed",
            name=op.f("ck_priority_areas_not_agreed_matches_status"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_priority_areas_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_organization_id"],
            ["organizations.id"],
            name=op.f("fk_priority_areas_proposed_by_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["proposed_by_person_id"],
            ["people.id"],
            name=op.f("fk_priority_areas_proposed_by_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["meetings.id"],
            name=op.f("fk_priority_areas_meeting_id_meetings"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_areas")),
    )
    op.create_index(
        "ix_priority_areas_group_id_created_at_id",
        "priority_areas",
        ["group_id", "created_at", "id"],
    )
    op.create_index(
        "ix_priority_areas_proposed_by_organization_id",
        "priority_areas",
        ["proposed_by_organization_id"],
    )
    op.create_table(
        "priority_area_countries",
        sa.Column("priority_area_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_area_id"],
            ["priority_areas.id"],
            name=op.f("fk_priority_area_countries_priority_area_id_priority_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["country_id"],
            ["countries.id"],
            name=op.f("fk_priority_area_countries_country_id_countries"),
        ),
        sa.PrimaryKeyConstraint(
            "priority_area_id", "country_id", name=op.f("pk_priority_area_countries")
        ),
    )
    op.create_table(
        "priority_area_records",
        sa.Column("priority_area_id", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["priority_area_id"],
            ["priority_areas.id"],
            name=op.f("fk_priority_area_records_priority_area_id_priority_areas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "priority_area_id", "record_id", name=op.f("pk_priority_area_records")
        ),
    )
    op.create_table(
        "priority_area_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("priority_area_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column(
            "stance", _enum("stance", "ENDORSE", "OBJECT", "OBJECTION_WITHDRAWN"), nullable=False
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("taken_at", UTC, nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("superseded_at", UTC, nullable=True),
        sa.CheckConstraint(
            "stance <> 'OBJECT' OR (reason IS NOT NULL AND length(trim(reason)) > 0)",
            name=op.f("ck_priority_area_positions_objection_has_reason"),
        ),
        sa.CheckConstraint(
            "is_current = (superseded_at IS NULL)",
            name=op.f("ck_priority_area_positions_current_until_superseded"),
        ),
        sa.ForeignKeyConstraint(
            ["priority_area_id"],
            ["priority_areas.id"],
            name=op.f("fk_priority_area_positions_priority_area_id_priority_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_priority_area_positions_organization_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_priority_area_positions_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_priority_area_positions")),
    )
    op.create_index(
        "uq_priority_area_positions_current",
        "priority_area_positions",
        ["priority_area_id", "organization_id"],
        unique=True,
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
    op.create_index(
        "ix_priority_area_positions_priority_area_id_taken_at_id",
        "priority_area_positions",
        ["priority_area_id", "taken_at", "id"],
    )
    op.create_index(
        "ix_priority_area_positions_organization_id_taken_at_id",
        "priority_area_positions",
        ["organization_id", "taken_at", "id"],
    )
    op.create_table(
        "consensus_rules",
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("objections_block", sa.Boolean(), nullable=False),
        sa.Column("min_endorsement_share", sa.Float(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.Column("updated_by_person_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "min_endorsement_share >= 0 AND min_endorsement_share <= 1",
            name=op.f("ck_consensus_rules_share_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["working_groups.id"],
            name=op.f("fk_consensus_rules_group_id_working_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_person_id"],
            ["people.id"],
            name=op.f("fk_consensus_rules_updated_by_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("group_id", name=op.f("pk_consensus_rules")),
    )


def downgrade() -> None:
    op.drop_table("consensus_rules")
    op.drop_table("priority_area_positions")
    op.drop_table("priority_area_records")
    op.drop_table("priority_area_countries")
    op.drop_table("priority_areas")
