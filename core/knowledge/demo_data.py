"""The demo's resources and declared expertise (issue 10, section 5), as data; loaded by
core/knowledge/demo.py.

Resources: real, public publications of OGP and its partners, two or three per pilot group, each
with its real address (checked when this file was written, 2026-12-01) and its citation in
`source`: GIFT's High-Level Principles, OGP's Star Reforms (2016 and 2018 editions), the
International Open Data Charter, the Declaration on Parliamentary Openness, the EITI Requirements
(English and French), the RTI Rating (CC BY-NC-SA 3.0, as its site states) and the OAS
Department of International Law's bulletin on the Inter-American Model Law on Access to Public
Information (Spanish). Their `organization` is the member organisation that shared the
publication in its group (the publisher itself where it is one of the demo's organisations: the
OGP Support Unit, Access Info Europe); the publisher is named in `source`. Their licence is
`NOASSERTION` where the publisher states no open licence. Publication dates: the day the
sources give (the RTI Rating's launch, the Declaration's, the 2023 EITI Standard's adoption, UN
resolution 67/218 recognising GIFT's principles, the Charter's adoption at the 2015 Summit), else
the year the publisher gives with a month and day chosen for the demo. Summaries are ours.

Illustrative (`illustrative: true`, made up for the demo): one draft lesson learned by Kenya's ICT
Authority in the open data group (visible to its organisation and the group's anchors only), one
published lesson learned in Spanish by Chile's Chamber of Deputies, and every declaration of
expertise (the holders are real organisations or the demo's invented people; what they are said
to know is not taken from them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from core.knowledge.models import ResourceKind

GIFT = "Global Initiative for Fiscal Transparency (GIFT)"
OGP_SU = "Open Government Partnership Support Unit"
WEBF = "World Wide Web Foundation"
KE_ICTA = "Government of Kenya (ICT Authority)"
NDI = "National Democratic Institute (NDI)"
CL_CONGRESS = "Congress of Chile (Chamber of Deputies)"
PWYP = "Publish What You Pay"
ACCESS_INFO = "Access Info Europe"
MX_IFAI = "Government of Mexico (Federal Institute for Access to Information, IFAI)"
UY_AGESIC = "Government of Uruguay (AGESIC)"
NO_ASSERTION = "NOASSERTION"


@dataclass(frozen=True)
class DemoResource:
    group: str
    title: str
    kind: ResourceKind
    organization: str
    summary: str
    languages: tuple[str, ...]
    tags: tuple[str, ...]
    url: str | None = None
    body: str | None = None
    source: str | None = None
    licence: str = NO_ASSERTION
    published: datetime | None = None
    """The publisher's date; None: left a draft."""
    countries: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    commitments: tuple[str, ...] = ()
    creator: str | None = None
    """E-mail of the demo person who shared it."""
    illustrative: bool = False


LATEST = datetime.max.replace(tzinfo=UTC)


def _at(year: int, month: int, day: int = 1) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


RESOURCES: tuple[DemoResource, ...] = (
    DemoResource(
        group="access-to-information",
        title="Global Right to Information Rating",
        kind=ResourceKind.DATASET,
        organization=ACCESS_INFO,
        summary="Scores the legal framework for the right to information of every country with "
        "an RTI law on 61 indicators in seven categories (150 points), to show reformers where "
        "a law needs strengthening.",
        url="https://www.rti-rating.org/",
        source="Access Info Europe and Centre for Law and Democracy, RTI Rating (first "
        "published 28 September 2011, updated since), https://www.rti-rating.org/",
        licence="CC-BY-NC-SA-3.0",
        published=_at(2011, 9, 28),
        languages=("en",),
        tags=("access-to-information", "rti-legislation"),
        countries=("MX", "ES", "GB"),
    ),
    DemoResource(
        group="fiscal-openness",
        title="High-Level Principles on Fiscal Transparency, Participation and Accountability",
        kind=ResourceKind.GUIDE,
        organization=GIFT,
        summary="Ten principles recognised by the UN General Assembly (resolution 67/218, 2012), "
        "with an expanded version (2018) mapping each to the standards, assessments and country "
        "practices it relates to; principle 10 grounds direct public participation in fiscal "
        "policy.",
        url="https://www.fiscaltransparency.net/principles-and-guidance/",
        source="Global Initiative for Fiscal Transparency, High-Level Principles on Fiscal "
        "Transparency, Participation and Accountability (2012; expanded version January 2018)",
        published=_at(2012, 12, 21),
        languages=("en",),
        tags=("fiscal-openness", "public-participation"),
    ),
    DemoResource(
        group="open-parliaments",
        title="Declaration on Parliamentary Openness",
        kind=ResourceKind.GUIDE,
        organization=NDI,
        summary="A call by parliamentary monitoring organisations for parliaments to open up: "
        "parliamentary information belongs to the public, in open formats, with citizen "
        "engagement; launched in Rome on 15 September 2012, with a provision commentary of "
        "good practices, translated by volunteers into 24 languages.",
        url="https://openingparliament.org/declaration/",
        source="OpeningParliament.org, Declaration on Parliamentary Openness (World e-Parliament "
        "Conference, Rome, 15 September 2012)",
        published=_at(2012, 9, 15),
        languages=("en",),
        tags=("parliamentary-openness", "civic-participation"),
    ),
    DemoResource(
        group="open-data",
        title="International Open Data Charter: the six principles",
        kind=ResourceKind.GUIDE,
        organization=WEBF,
        summary="Open by default; timely and comprehensive; accessible and usable; comparable "
        "and interoperable; for improved governance and citizen engagement; for inclusive "
        "development and innovation. Drafted with the OGP open data working group and adopted "
        "by seventeen governments at the OGP Global Summit in Mexico, October 2015.",
        url="https://opendatacharter.net/principles/",
        source="International Open Data Charter, Principles (2015), "
        "https://opendatacharter.net/principles/",
        published=_at(2015, 10, 27),
        languages=("en",),
        tags=("open-data",),
        countries=("CL", "MX", "PH", "GB", "UY"),
        creator="thomas.berg@example.org",
    ),
    DemoResource(
        group="fiscal-openness",
        title="Star Reforms in the Open Government Partnership (2016)",
        kind=ResourceKind.CASE_STUDY,
        organization=OGP_SU,
        summary="Twelve commitments the IRM starred, told as case studies: among them the "
        "United States opening federal spending, Italy following the money, Mongolia "
        "strengthening natural resources governance, Canada scaling up open data and Bulgaria "
        "integrating access to information and open data.",
        url="https://www.opengovpartnership.org/stories/opening-government-opening-minds-star-"
        "reforms-of-the-open-government-partnership/",
        source="Open Government Partnership Support Unit, Star Reforms in the Open Government "
        "Partnership (2016); the announcement, also in Spanish",
        published=_at(2016, 5, 1),
        languages=("en", "es"),
        tags=("star-commitments", "fiscal-openness", "open-data"),
        countries=("US", "CA", "MN"),
        groups=("open-data", "extractive-industries", "access-to-information"),
    ),
    DemoResource(
        group="extractive-industries",
        title="The EITI Requirements (2023 EITI Standard)",
        kind=ResourceKind.GUIDE,
        organization=PWYP,
        summary="What countries implementing the EITI and the companies operating in them must, "
        "are expected to, or are encouraged to disclose, from contracts and licences and "
        "beneficial ownership to revenues and the energy transition; minimum requirements a "
        "multi-stakeholder group may go beyond.",
        url="https://eiti.org/eiti-requirements",
        source="EITI International Secretariat, The EITI Standard 2023, Part 1 section 3 "
        "(adopted June 2023)",
        published=_at(2023, 6, 13),
        languages=("en",),
        tags=("extractive-industries", "beneficial-ownership"),
        commitments=("KE0018",),
        countries=("KE", "NG", "GH"),
    ),
    DemoResource(
        group="extractive-industries",
        title="Exigences de l'ITIE (Norme ITIE 2023)",
        kind=ResourceKind.GUIDE,
        organization=PWYP,
        summary="La section 3 de la Norme ITIE 2023 en français : les exigences que doivent "
        "respecter les pays mettant en œuvre l'ITIE et les entreprises extractives qui y "
        "opèrent.",
        url="https://eiti.org/fr/exigences-de-litie",
        source="Secrétariat international de l'ITIE, Norme ITIE 2023, Partie 1 section 3",
        published=_at(2023, 6, 13),
        languages=("fr",),
        tags=("extractive-industries", "beneficial-ownership"),
    ),
    DemoResource(
        group="access-to-information",
        title="Star Reforms in the Open Government Partnership, second edition (2018)",
        kind=ResourceKind.CASE_STUDY,
        organization=OGP_SU,
        summary="Twelve more starred commitments, among them citizen engagement improving rural "
        "schools in Mongolia and the implementation of Sri Lanka's new Right to Information "
        "law, with early evidence of results.",
        url="https://www.opengovpartnership.org/sites/default/files/OGP_Star-Reforms_2018.pdf",
        source="Open Government Partnership Support Unit, Star Reforms in the Open Government "
        "Partnership, second edition (2018)",
        published=_at(2018, 1, 1),
        languages=("en",),
        tags=("star-commitments", "access-to-information"),
        countries=("MN",),
    ),
    DemoResource(
        group="access-to-information",
        title="Ley Modelo Interamericana sobre Acceso a la Información Pública: boletín del "
        "Departamento de Derecho Internacional de la OEA",
        kind=ResourceKind.GUIDE,
        organization=MX_IFAI,
        summary="Por el Día Internacional del Derecho de Acceso Universal a la Información "
        "Pública: el papel de la Ley Modelo Interamericana (2010) y del Programa Interamericano "
        "(2016) como referentes para los países que adoptan o mejoran su ley de acceso.",
        url="http://www.oas.org/es/sla/ddi/boletines_informativos_DDI_Dia_Internacional_Derecho_"
        "Acceso_Informacion_Publica_Octubre-2019.html",
        source="Organización de los Estados Americanos, Departamento de Derecho Internacional, "
        "boletín informativo (octubre de 2019)",
        published=_at(2019, 10, 1),
        languages=("es",),
        tags=("access-to-information", "rti-legislation"),
        countries=("MX",),
    ),
    DemoResource(
        group="open-parliaments",
        title="Lecciones aprendidas: publicar las votaciones de la Cámara en datos abiertos",
        kind=ResourceKind.LESSON_LEARNED,
        organization=CL_CONGRESS,
        summary="Qué aprendimos al publicar cada votación nominal en formato abierto: acordar "
        "primero los identificadores de diputados y proyectos, y documentar las correcciones.",
        body="Ejemplo ilustrativo para la demostración: no es una publicación de la Cámara. "
        "1. Acordar identificadores estables antes de publicar. 2. Publicar también las "
        "correcciones, con su fecha. 3. Invitar a las organizaciones de monitoreo a probar los "
        "datos antes del lanzamiento.",
        licence="CC-BY-4.0",
        published=_at(2024, 3, 12),
        languages=("es",),
        tags=("parliamentary-openness", "open-data"),
        countries=("CL",),
        creator="camila.rojas@example.org",
        illustrative=True,
    ),
    DemoResource(
        group="open-data",
        title="Keeping a national open data portal current: lessons from Kenya",
        kind=ResourceKind.LESSON_LEARNED,
        organization=KE_ICTA,
        summary="Draft for the group's anchors to review: datasets go stale when no one owns "
        "them; name an owner and an update date for each.",
        body="Illustrative draft written for the demo, not a publication of the ICT Authority. "
        "Each dataset needs a named owner in its agency and a date by which it is refreshed; a "
        "quarterly report of overdue datasets, sent to the agencies' heads, did more than "
        "reminders to the data officers.",
        licence="CC-BY-4.0",
        languages=("en", "sw"),
        tags=("open-data",),
        countries=("KE",),
        creator="wanjiru.kamau@example.org",
        illustrative=True,
    ),
)


@dataclass(frozen=True)
class DemoExpertise:
    description: str
    topics: tuple[str, ...]
    languages: tuple[str, ...]
    countries: tuple[str, ...]
    organization: str | None = None
    person: str | None = None
    """E-mail of a demo person."""


EXPERTISE: tuple[DemoExpertise, ...] = (
    DemoExpertise(
        organization=GIFT,
        description="Peer learning on fiscal transparency and public participation in budgets, "
        "between finance ministries and civil society (illustrative).",
        topics=("fiscal-openness", "public-participation"),
        languages=("en", "es", "pt"),
        countries=("BR", "MX", "PH"),
    ),
    DemoExpertise(
        organization=ACCESS_INFO,
        description="Drafting and assessing access to information laws against international "
        "standards (illustrative).",
        topics=("access-to-information", "rti-legislation"),
        languages=("en", "es"),
        countries=("ES", "HR", "GE"),
    ),
    DemoExpertise(
        organization=KE_ICTA,
        description="Running a national open data portal and its publication schedule "
        "(illustrative).",
        topics=("open-data",),
        languages=("en", "sw"),
        countries=("KE",),
    ),
    DemoExpertise(
        person="martin.pereira@example.org",
        description="Adopting the International Open Data Charter in a national government, "
        "and open data policy for Spanish-speaking administrations (illustrative).",
        topics=("open-data", "open-contracting"),
        languages=("es", "en"),
        countries=("UY", "CR"),
    ),
    DemoExpertise(
        person="grace.achieng@example.org",
        description="Campaigning for public registers of beneficial owners of extractive "
        "companies (illustrative).",
        topics=("beneficial-ownership", "extractive-industries"),
        languages=("en", "sw"),
        countries=("KE", "GH", "NG"),
    ),
)
