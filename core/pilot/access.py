"""Access rules of the pilot domain: none to declare. `pilotReport` and GET /reports/pilot.csv
are public, to anyone, signed in or not.

Why public rather than staff only: OGP's working groups are to be judged by the Steering
Committee on evidence, and an open-government partnership publishes that evidence (the IRM's
reports, which the commitment figures come from, are public). The report holds aggregates only:
counts and rates per group, period, meeting, cycle and country, never a person or an
organisation, and only of what is already public or may be counted without being shown:

- groups of enabled themes only (core/groups/visible.py), as everywhere;
- resources: PUBLISHED only (a draft is neither listed nor counted);
- registrations: who registered for what is private (core/meetings/access.py), the number
  that attended a meeting is not (a meeting's registeredCount is public already);
- assistance matches: COMPLETED ones counted by the group of their request, never named.
"""

from __future__ import annotations

from core.access.declare import Declaration

DECLARATIONS: list[Declaration] = []
