"""What the core checks for every plugin, run on this one: its migrations produce exactly its
tables, and a commitment's global ID fetches it back through `node(id:)`.
"""

from __future__ import annotations

NODE = """query($id: ID!) {
  node(id: $id) { __typename ... on GenderInclusionCommitment { id title country { code } } }
}"""


async def test_migrations_match_models(assert_migrations_match_models) -> None:
    # after changing models.py: `ogp-wg db revision --plugin gender_inclusion -m "..."`
    await assert_migrations_match_models("gender_inclusion")


async def test_commitment_by_global_id(client) -> None:
    page = await client.execute(
        "{ genderInclusionCommitments(first: 2) { nodes { id title country { code } } } }"
    )
    for commitment in page["genderInclusionCommitments"]["nodes"]:
        fetched = await client.execute(NODE, {"id": commitment["id"]})
        assert fetched["node"] == {"__typename": "GenderInclusionCommitment", **commitment}
