"""Plugins' records as evidence of commitments (issue 10, section 3), over HTTP on both databases:
`commitmentEvidenceLink` / `commitmentEvidenceUnlink` (who may, every user error), the records
answered by `Commitment.evidence` as `Node`s through their plugins' node loaders, a disabled
plugin's records left out (their links kept), a record the viewer cannot see neither counted
nor paged, the demo's own links (hook
`ogp_wg_load_demo_evidence`), and a plugin's declaration checked at start-up."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from core import Theme, hookimpl, types
from core.db import Database
from core.plugins import PluginError, make_plugin_manager
from core.schema.build import build_schema
from core.schema.ids import pk_of, to_global_id
from core.testing import GraphQLClient, settings_for

ERRORS = "userErrors { code field message }"
LINK = f"""mutation($c: ID!, $r: ID!) {{
  commitmentEvidenceLink(input: {{commitmentId: $c, recordId: $r}}) {{
    commitment {{ id reference }} record {{ id __typename }} {ERRORS} }} }}"""
UNLINK = f"""mutation($c: ID!, $r: ID!) {{
  commitmentEvidenceUnlink(input: {{commitmentId: $c, recordId: $r}}) {{
    commitment {{ id reference }} record {{ id __typename }} {ERRORS} }} }}"""
EVIDENCE = """query($c: String!, $t: String) {
  commitments(filter: {country: $c, theme: $t}, first: 20) { nodes { id reference
    evidence(first: 20) { totalCount nodes { id __typename
      ... on OpenDataCharterAdopter { government }
      ... on OpenBudgetSurvey { edition }
      ... on RightToInformationLaw { name } } } } } }"""
TYPENAMES = """query($c: String!, $t: String) {
  commitments(filter: {country: $c, theme: $t}, first: 20) { nodes { id reference
    evidence(first: 20) { totalCount nodes { id __typename } } } } }"""
PAGE = """query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
  node(id: $id) { ... on Commitment { evidence(first: $first, after: $after, last: $last,
    before: $before) { totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage
    endCursor startCursor } } } } }"""
RECORDS = """{
  ke: country(code: "KE") { openBudgetSurvey { id edition } rightToInformation { id name } }
  cl: country(code: "CL") { openDataCharter { adopters { id government level } } }
  group: workingGroup(slug: "open-data") { id } }"""


async def _commitments(
    client: GraphQLClient, country: str, theme: str | None = None, document: str = EVIDENCE
) -> Any:
    data = await client.execute(document, {"c": country, "t": theme})
    return {c["reference"]: c for c in data["commitments"]["nodes"]}


async def _records(client: GraphQLClient) -> dict[str, str]:
    data = await client.execute(RECORDS)
    national = [a for a in data["cl"]["openDataCharter"]["adopters"] if a["level"] == "NATIONAL"]
    return {
        "obs": data["ke"]["openBudgetSurvey"]["id"],
        "law": data["ke"]["rightToInformation"]["id"],
        "adoption": national[0]["id"],
        "group": data["group"]["id"],
    }


def _refusal(body: dict[str, Any], field: str) -> str:
    assert body["data"] == {field: None}, body
    return str(body["errors"][0]["extensions"]["code"])


async def test_demo_links_chiles_charter_adoption_to_its_open_data_commitment(
    client: GraphQLClient,
) -> None:
    """The open_data plugin's demo links (through core.find_commitments / core.link_evidence,
    hook ogp_wg_load_demo_evidence) Chile's adoption of the Open Data Charter to CL0040, the
    demo's Chilean commitment themed open-data; the record comes through its node loader."""
    chile = await _commitments(client, "CL", "open-data")
    evidence = chile["CL0040"]["evidence"]
    assert evidence["totalCount"] == 1
    assert evidence["nodes"] == [
        {
            "id": (await _records(client))["adoption"],
            "__typename": "OpenDataCharterAdopter",
            "government": "Government of Chile",
        }
    ]


async def test_anchor_links_and_unlinks_evidence_with_every_user_error(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    records = await _records(client)
    kenya = await _commitments(client, "KE")
    chile = await _commitments(client, "CL")
    cl0040, ke_oc = chile["CL0040"]["id"], kenya["KE-DEMO-OC"]["id"]
    anchor = client.with_token(role_tokens["anchor"])  # of the open-data group: KE-DEMO-OC's

    linked = (await anchor.execute(LINK, {"c": ke_oc, "r": records["obs"]}))[
        "commitmentEvidenceLink"
    ]
    assert linked == {
        "commitment": {"id": ke_oc, "reference": "KE-DEMO-OC"},
        "record": {"id": records["obs"], "__typename": "OpenBudgetSurvey"},
        "userErrors": [],
    }
    linked = (await anchor.execute(LINK, {"c": ke_oc, "r": records["law"]}))[
        "commitmentEvidenceLink"
    ]
    assert linked["userErrors"] == []
    evidence = (await _commitments(client, "KE"))["KE-DEMO-OC"]["evidence"]
    assert evidence["totalCount"] == 2  # oldest link first
    assert [n["__typename"] for n in evidence["nodes"]] == [
        "OpenBudgetSurvey",
        "RightToInformationLaw",
    ]
    assert evidence["nodes"][1]["name"] == "Access to Information Act, 2016"

    async def error(document: str, c: str, r: str) -> list[Any]:
        data = await anchor.execute(document, {"c": c, "r": r})
        payload = next(iter(data.values()))
        assert payload["commitment"] is None and payload["record"] is None, payload
        return [(e["code"], e["field"]) for e in payload["userErrors"]]

    assert await error(LINK, ke_oc, records["obs"]) == [("ALREADY_LINKED", ["input", "recordId"])]
    assert await error(LINK, ke_oc, records["group"]) == [
        ("NOT_EVIDENCE_TYPE", ["input", "recordId"])
    ]
    assert await error(LINK, ke_oc, "not-an-id") == [("NOT_FOUND", ["input", "recordId"])]
    missing = to_global_id("OpenBudgetSurvey", 999_999)
    assert await error(LINK, ke_oc, missing) == [("NOT_FOUND", ["input", "recordId"])]
    assert await error(LINK, records["group"], records["obs"]) == [
        ("NOT_FOUND", ["input", "commitmentId"])
    ]
    assert await error(UNLINK, cl0040, records["obs"]) == [("NOT_LINKED", ["input", "recordId"])]

    unlinked = await anchor.execute(UNLINK, {"c": ke_oc, "r": records["obs"]})
    assert unlinked["commitmentEvidenceUnlink"] == {
        "commitment": {"id": ke_oc, "reference": "KE-DEMO-OC"},
        "record": {"id": records["obs"], "__typename": "OpenBudgetSurvey"},
        "userErrors": [],
    }
    assert await error(UNLINK, ke_oc, records["obs"]) == [("NOT_LINKED", ["input", "recordId"])]
    evidence = (await _commitments(client, "KE"))["KE-DEMO-OC"]["evidence"]
    assert [n["__typename"] for n in evidence["nodes"]] == ["RightToInformationLaw"]


async def test_who_may_link(client: GraphQLClient, role_tokens: dict[str, str]) -> None:
    """Staff anywhere; an anchor only on commitments linked to their group; a member, someone
    with no role and an anchor elsewhere get FORBIDDEN; anonymous UNAUTHENTICATED. Nothing of
    the refused calls is written."""
    records = await _records(client)
    ke0018 = (await _commitments(client, "KE"))["KE0018"]["id"]  # extractive-industries only
    variables = {"c": ke0018, "r": records["law"]}
    for role in ("anchor", "member", "other"):
        body = (await client.post(LINK, variables, token=role_tokens[role])).json()
        assert _refusal(body, "commitmentEvidenceLink") == "FORBIDDEN", role
        body = (await client.post(UNLINK, variables, token=role_tokens[role])).json()
        assert _refusal(body, "commitmentEvidenceUnlink") == "FORBIDDEN", role
    body = (await client.post(LINK, variables)).json()
    assert _refusal(body, "commitmentEvidenceLink") == "UNAUTHENTICATED"
    assert (await _commitments(client, "KE"))["KE0018"]["evidence"]["totalCount"] == 0

    staff = await client.execute(LINK, variables, token=role_tokens["staff"])
    assert staff["commitmentEvidenceLink"]["userErrors"] == []
    assert (await _commitments(client, "KE"))["KE0018"]["evidence"]["totalCount"] == 1


async def test_a_disabled_plugins_records_are_left_out_and_their_links_kept(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    everything = make_client(demo_db)
    records = await _records(everything)
    ke_oc = (await _commitments(everything, "KE"))["KE-DEMO-OC"]["id"]
    staff = everything.with_token(role_tokens["staff"])
    for record in (records["obs"], records["law"]):
        data = await staff.execute(LINK, {"c": ke_oc, "r": record})
        assert data["commitmentEvidenceLink"]["userErrors"] == []

    without = make_client(demo_db, plugins={"disabled": ["fiscal_openness"]})
    # the schema has no OpenBudgetSurvey now: a client asks for the records as Node
    evidence = (await _commitments(without, "KE", None, TYPENAMES))["KE-DEMO-OC"]["evidence"]
    assert evidence["totalCount"] == 1
    assert [n["__typename"] for n in evidence["nodes"]] == ["RightToInformationLaw"]
    refused = await without.execute(
        LINK, {"c": ke_oc, "r": records["obs"]}, token=role_tokens["staff"]
    )
    codes = [e["code"] for e in refused["commitmentEvidenceLink"]["userErrors"]]
    assert codes == ["NOT_EVIDENCE_TYPE"]

    again = (await _commitments(everything, "KE"))["KE-DEMO-OC"]["evidence"]
    assert again["totalCount"] == 2  # enabled again: the link was kept


async def test_evidence_pages_forwards_and_backwards(
    client: GraphQLClient, role_tokens: dict[str, str]
) -> None:
    records = await _records(client)
    ke_oc = (await _commitments(client, "KE"))["KE-DEMO-OC"]["id"]
    for record in (records["obs"], records["law"], records["adoption"]):
        data = await client.execute(LINK, {"c": ke_oc, "r": record}, token=role_tokens["staff"])
        assert data["commitmentEvidenceLink"]["userErrors"] == []
    page = PAGE
    everything = [records["obs"], records["law"], records["adoption"]]
    seen: list[str] = []
    after = None
    while True:
        data = await client.execute(page, {"id": ke_oc, "first": 2, "after": after})
        evidence = data["node"]["evidence"]
        assert evidence["totalCount"] == 3
        seen += [n["id"] for n in evidence["nodes"]]
        if not evidence["pageInfo"]["hasNextPage"]:
            break
        after = evidence["pageInfo"]["endCursor"]
    assert seen == everything
    data = await client.execute(page, {"id": ke_oc, "last": 2})
    assert [n["id"] for n in data["node"]["evidence"]["nodes"]] == everything[1:]
    body = (await client.post(page, {"id": ke_oc, "first": 101})).json()
    assert body["errors"][0]["extensions"]["code"] == "INVALID_ARGUMENT"


async def test_a_record_the_viewer_cannot_see_is_neither_counted_nor_paged(
    demo_db: str, make_client: Any, role_tokens: dict[str, str]
) -> None:
    """A linked record whose node loader answers None for the viewer (here: its row deleted
    behind the API's back, which `node(id:)` answers as null too) is left out of `totalCount`
    and of every page: forwards and backwards, pages are full and the count is what they hold."""
    client = make_client(demo_db)
    records = await _records(client)
    ke_oc = (await _commitments(client, "KE"))["KE-DEMO-OC"]["id"]
    linked = [records["obs"], records["adoption"], records["law"]]
    staff = client.with_token(role_tokens["staff"])
    for record in linked:
        data = await staff.execute(LINK, {"c": ke_oc, "r": record})
        assert data["commitmentEvidenceLink"]["userErrors"] == []
    pk = pk_of(records["adoption"], "OpenDataCharterAdopter")
    db = Database(demo_db)
    try:
        async with db.write() as conn:
            await conn.execute(text(f"DELETE FROM open_data_charter_adopters WHERE id = {pk}"))
    finally:
        await db.dispose()
    hidden = await client.execute("query($id: ID!) { node(id: $id) { id } }", {"id": linked[1]})
    assert hidden == {"node": None}
    visible = [linked[0], linked[2]]
    for token in (None, role_tokens["staff"]):
        page = await client.execute(PAGE, {"id": ke_oc, "first": 1}, token=token)
        evidence = page["node"]["evidence"]
        assert evidence["totalCount"] == 2
        assert [n["id"] for n in evidence["nodes"]] == visible[:1]
        assert evidence["pageInfo"]["hasNextPage"] is True
        after = evidence["pageInfo"]["endCursor"]
        page = await client.execute(PAGE, {"id": ke_oc, "first": 1, "after": after}, token=token)
        evidence = page["node"]["evidence"]
        assert [n["id"] for n in evidence["nodes"]] == visible[1:]
        assert evidence["pageInfo"]["hasNextPage"] is False
        assert evidence["pageInfo"]["hasPreviousPage"] is True
        page = await client.execute(PAGE, {"id": ke_oc, "last": 2}, token=token)
        assert [n["id"] for n in page["node"]["evidence"]["nodes"]] == visible
        assert page["node"]["evidence"]["pageInfo"]["hasPreviousPage"] is False
        page = await client.execute(PAGE, {"id": ke_oc, "last": 1}, token=token)
        assert [n["id"] for n in page["node"]["evidence"]["nodes"]] == visible[1:]
        assert page["node"]["evidence"]["pageInfo"]["hasPreviousPage"] is True


class _NotNode:
    """A plugin that declares a type that is not a Node as evidence."""

    @hookimpl
    def ogp_wg_theme(self) -> Theme:
        return Theme(key="bad_evidence", title="Bad", summary="A test plugin.", version="0")

    @hookimpl
    def ogp_wg_group_type(self) -> type:
        import strawberry

        @strawberry.type(name="BadEvidenceGroup")
        class BadEvidenceGroup(types.WorkingGroup):
            pass

        return BadEvidenceGroup

    @hookimpl
    def ogp_wg_evidence_types(self) -> list[type]:
        return [str]


def test_a_declaration_that_is_not_a_node_type_stops_start_up() -> None:
    settings = settings_for("sqlite+aiosqlite://", plugins={"enabled": ["bad_evidence"]})
    plugins = make_plugin_manager(settings, installed={"bad_evidence": _NotNode()})
    with pytest.raises(PluginError, match=r"bad_evidence.*ogp_wg_evidence_types.*not a Strawberry"):
        build_schema(plugins)
