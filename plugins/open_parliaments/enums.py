"""Enumerations of the open parliaments area: stored as CHECK-constrained strings, shown in GraphQL.

GraphQL names carry the theme (`ParliamentaryChamberKind`, not `ChamberKind`) so they never clash
with another plugin's types.
"""

from __future__ import annotations

import enum

import strawberry


@strawberry.enum(
    name="ParliamentaryChamberKind",
    description="A chamber's place in its legislature, as IPU Parline describes the structure of "
    "parliament: a unicameral parliament's only chamber, or the lower or upper chamber of a "
    "bicameral one.",
)
class ChamberKind(enum.StrEnum):
    UNICAMERAL = "UNICAMERAL"
    LOWER = "LOWER"
    UPPER = "UPPER"


# Chamber kinds allowed for a legislature of 1 or 2 chambers (also a CHECK on the chambers table).
KINDS_FOR_STRUCTURE: dict[int, tuple[ChamberKind, ...]] = {
    1: (ChamberKind.UNICAMERAL,),
    2: (ChamberKind.LOWER, ChamberKind.UPPER),
}


@strawberry.enum(
    name="ParliamentaryDeclarationSection",
    description="The four sections of the Declaration on Parliamentary Openness: "
    "CULTURE_OF_OPENNESS (Promoting a Culture of Openness), TRANSPARENCY (Making Parliamentary "
    "Information Transparent), EASING_ACCESS (Easing Access to Parliamentary Information), "
    "ELECTRONIC_COMMUNICATION (Enabling Electronic Communication of Parliamentary Information).",
)
class DeclarationSection(enum.StrEnum):
    CULTURE_OF_OPENNESS = "CULTURE_OF_OPENNESS"
    TRANSPARENCY = "TRANSPARENCY"
    EASING_ACCESS = "EASING_ACCESS"
    ELECTRONIC_COMMUNICATION = "ELECTRONIC_COMMUNICATION"


@strawberry.enum(
    name="ParliamentaryOpennessIndicator",
    description="What is checked on a chamber. From the Declaration on Parliamentary Openness: "
    "PUBLIC_OWNERSHIP, parliamentary information published as the public's, free to reuse and "
    "republish; OPENNESS_LEGISLATION, laws and rules that guarantee access to parliamentary "
    "information and citizens' engagement; OPENNESS_OVERSIGHT, oversight that makes government "
    "implement its openness laws; CIVIC_EDUCATION, civic education on parliament's role and work; "
    "CITIZEN_PARTICIPATION, citizens and civil society engaged in parliamentary processes; "
    "VIBRANT_CIVIL_SOCIETY, civil society organisations able to operate freely; "
    "PARLIAMENTARY_MONITORING, the right of civil society, media and the public to monitor "
    "parliament recognised; SHARING_GOOD_PRACTICE, exchanges of good practice with other "
    "parliaments and civil society; LEGAL_RECOURSE, legal or judicial recourse when access to "
    "information is disputed; COMPLETE_INFORMATION, published information as complete as possible, "
    "reflecting the entirety of parliamentary action; TIMELY_INFORMATION, information provided in "
    "a timely manner; ACCURATE_INFORMATION, parliamentary information that is accurate (provision "
    "12; its title in the Declaration is not confirmed, `provision` gives a description) (all "
    "Promoting a Culture of Openness); "
    "VOTES_PUBLISHED, how each member voted in plenary and committee; "
    "BILLS_AND_AMENDMENTS_ONLINE, bills published on introduction with their amendments; "
    "PLENARY_RECORDS, transcripts or recordings of plenary sittings; COMMITTEE_RECORDS, reports, "
    "transcripts and actions of committees; MEMBERS_ASSETS_DISCLOSED, members' asset "
    "disclosures and non-parliamentary income; CONFLICTS_OF_INTEREST_DISCLOSED, information "
    "against conflicts of interest (interactions with lobbyists, results of ethics "
    "investigations); PARLIAMENT_BUDGET_PUBLISHED, parliament's own budget and its execution "
    "(Making Parliamentary Information Transparent); OPEN_SESSIONS, sittings open to the public "
    "and the media (Easing Access); MACHINE_READABLE_DATA, information in open, structured "
    "formats for download (Electronic Communication). The group's own indicator, not a "
    "provision of the Declaration: API, a documented programmatic interface to the data.",
)
class OpennessIndicator(enum.StrEnum):
    PUBLIC_OWNERSHIP = "PUBLIC_OWNERSHIP"
    OPENNESS_LEGISLATION = "OPENNESS_LEGISLATION"
    OPENNESS_OVERSIGHT = "OPENNESS_OVERSIGHT"
    CIVIC_EDUCATION = "CIVIC_EDUCATION"
    CITIZEN_PARTICIPATION = "CITIZEN_PARTICIPATION"
    VIBRANT_CIVIL_SOCIETY = "VIBRANT_CIVIL_SOCIETY"
    PARLIAMENTARY_MONITORING = "PARLIAMENTARY_MONITORING"
    SHARING_GOOD_PRACTICE = "SHARING_GOOD_PRACTICE"
    LEGAL_RECOURSE = "LEGAL_RECOURSE"
    COMPLETE_INFORMATION = "COMPLETE_INFORMATION"
    TIMELY_INFORMATION = "TIMELY_INFORMATION"
    ACCURATE_INFORMATION = "ACCURATE_INFORMATION"
    VOTES_PUBLISHED = "VOTES_PUBLISHED"
    BILLS_AND_AMENDMENTS_ONLINE = "BILLS_AND_AMENDMENTS_ONLINE"
    PLENARY_RECORDS = "PLENARY_RECORDS"
    COMMITTEE_RECORDS = "COMMITTEE_RECORDS"
    MEMBERS_ASSETS_DISCLOSED = "MEMBERS_ASSETS_DISCLOSED"
    CONFLICTS_OF_INTEREST_DISCLOSED = "CONFLICTS_OF_INTEREST_DISCLOSED"
    PARLIAMENT_BUDGET_PUBLISHED = "PARLIAMENT_BUDGET_PUBLISHED"
    OPEN_SESSIONS = "OPEN_SESSIONS"
    MACHINE_READABLE_DATA = "MACHINE_READABLE_DATA"
    API = "API"


_S = DeclarationSection
# indicator -> (section of the Declaration, provision title, the group's own): titles of the
# Declaration's Provision Commentary (2012), or of its draft commentary where noted in README.md.
# The group's own indicators have neither section nor provision.
INDICATORS: dict[OpennessIndicator, tuple[DeclarationSection | None, str | None, bool]] = {
    OpennessIndicator.PUBLIC_OWNERSHIP: (
        _S.CULTURE_OF_OPENNESS,
        "Recognizing Public Ownership of Parliamentary Information",
        False,
    ),
    OpennessIndicator.OPENNESS_LEGISLATION: (
        _S.CULTURE_OF_OPENNESS,
        "Promoting a Culture of Openness through Legislation",
        False,
    ),
    OpennessIndicator.OPENNESS_OVERSIGHT: (
        _S.CULTURE_OF_OPENNESS,
        "Promoting a Culture of Openness through Oversight",
        False,
    ),
    OpennessIndicator.CIVIC_EDUCATION: (_S.CULTURE_OF_OPENNESS, "Promoting Civic Education", False),
    OpennessIndicator.CITIZEN_PARTICIPATION: (
        _S.CULTURE_OF_OPENNESS,
        "Encouraging Citizen Participation",
        False,
    ),
    OpennessIndicator.VIBRANT_CIVIL_SOCIETY: (
        _S.CULTURE_OF_OPENNESS,
        "Encouraging a Vibrant Civil Society",
        False,
    ),
    OpennessIndicator.PARLIAMENTARY_MONITORING: (
        _S.CULTURE_OF_OPENNESS,
        "Enabling Effective Parliamentary Monitoring",
        False,
    ),
    OpennessIndicator.SHARING_GOOD_PRACTICE: (
        _S.CULTURE_OF_OPENNESS,
        "Sharing Good Practice",
        False,
    ),
    OpennessIndicator.LEGAL_RECOURSE: (_S.CULTURE_OF_OPENNESS, "Ensuring Legal Recourse", False),
    OpennessIndicator.COMPLETE_INFORMATION: (
        _S.CULTURE_OF_OPENNESS,
        "Providing Complete Information",
        False,
    ),
    OpennessIndicator.TIMELY_INFORMATION: (
        _S.CULTURE_OF_OPENNESS,
        "Providing Information in a Timely Manner",
        False,
    ),
    # A description, not the provision's title (which could not be read): see PROVISION_NUMBERS.
    OpennessIndicator.ACCURATE_INFORMATION: (
        _S.CULTURE_OF_OPENNESS,
        "Accurate parliamentary information",
        False,
    ),
    OpennessIndicator.VOTES_PUBLISHED: (_S.TRANSPARENCY, "Recording Parliamentary Votes", False),
    OpennessIndicator.BILLS_AND_AMENDMENTS_ONLINE: (
        _S.TRANSPARENCY,
        "Informing and Engaging Citizens on Draft Legislation",
        False,
    ),
    OpennessIndicator.PLENARY_RECORDS: (
        _S.TRANSPARENCY,
        "Publishing Records of Plenary Proceedings",
        False,
    ),
    OpennessIndicator.COMMITTEE_RECORDS: (
        _S.TRANSPARENCY,
        "Publishing Records of Committee Proceedings",
        False,
    ),
    OpennessIndicator.MEMBERS_ASSETS_DISCLOSED: (
        _S.TRANSPARENCY,
        "Disclosing Assets and Ensuring the Integrity of Members",
        False,
    ),
    OpennessIndicator.CONFLICTS_OF_INTEREST_DISCLOSED: (
        _S.TRANSPARENCY,
        "Disclosing Information on Conflicts of Interest and Ethical Conduct",
        False,
    ),
    OpennessIndicator.PARLIAMENT_BUDGET_PUBLISHED: (
        _S.TRANSPARENCY,
        "Providing Budget Information",
        False,
    ),
    OpennessIndicator.OPEN_SESSIONS: (
        _S.EASING_ACCESS,
        "Physical access and broadcasting of sittings",
        False,
    ),
    OpennessIndicator.MACHINE_READABLE_DATA: (
        _S.ELECTRONIC_COMMUNICATION,
        "Information in open, structured formats, downloadable for reuse",
        False,
    ),
    OpennessIndicator.API: (None, None, True),
}
assert set(INDICATORS) == set(OpennessIndicator)

# The provisions of "Promoting a Culture of Openness" as the Declaration's draft commentary (2012,
# publicmarkup.org, Title II) numbers them, read section by section: 1-11. Section 12's own page
# could not be read; it is the title's last section (Title III begins with Sec. 13, /3/13/), and
# the title's summary (/2/) commits parliament to "complete, accurate, and timely parliamentary
# information", of which 10 (complete) and 11 (timely) are the others: hence ACCURATE_INFORMATION,
# 12, described rather than titled. The final Provision Commentary (docslib.org, fdocuments.in)
# could be read for provision 1 only, numbered and titled the same; the others' numbers and titles
# in the final text are not confirmed.
PROVISION_NUMBERS: dict[OpennessIndicator, int] = {
    OpennessIndicator.PUBLIC_OWNERSHIP: 1,
    OpennessIndicator.OPENNESS_LEGISLATION: 2,
    OpennessIndicator.OPENNESS_OVERSIGHT: 3,
    OpennessIndicator.CIVIC_EDUCATION: 4,
    OpennessIndicator.CITIZEN_PARTICIPATION: 5,
    OpennessIndicator.VIBRANT_CIVIL_SOCIETY: 6,
    OpennessIndicator.PARLIAMENTARY_MONITORING: 7,
    OpennessIndicator.SHARING_GOOD_PRACTICE: 8,
    OpennessIndicator.LEGAL_RECOURSE: 9,
    OpennessIndicator.COMPLETE_INFORMATION: 10,
    OpennessIndicator.TIMELY_INFORMATION: 11,
    OpennessIndicator.ACCURATE_INFORMATION: 12,
}


@strawberry.enum(
    name="ParliamentaryOpennessStatus",
    description="The result of checking one indicator on one chamber.",
)
class OpennessStatus(enum.StrEnum):
    YES = "YES"
    PARTIAL = "PARTIAL"
    NO = "NO"


@strawberry.enum(
    name="ParliamentaryMonitoringScope",
    description="What a parliamentary monitoring organisation follows, in the two kinds of "
    "monitoring of the NDI / World Bank Institute global survey of PMOs (2011): individual "
    "members of parliament, parliament as an institution, or both.",
)
class MonitoringScope(enum.StrEnum):
    MEMBERS = "MEMBERS"
    INSTITUTION = "INSTITUTION"
    MEMBERS_AND_INSTITUTION = "MEMBERS_AND_INSTITUTION"
