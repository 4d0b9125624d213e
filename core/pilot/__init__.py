"""Is the pilot working? (issue 10, section 4): the Steering Committee's report.

Figures per working group over a period, computed by the database with GROUP BY (a constant
number of statements, whatever the data size) from the other domains' tables; this domain has
no table of its own:

- participation (core/groups, core/people): member and anchor organisations, their countries,
  governments vs civil society, organisations that joined in the period;
- activity (core/meetings, core/priorities, core/knowledge, core/assistance): meetings and their
  recorded attendance (ATTENDED / NO_SHOW), priority areas agreed, resources published, matches
  completed, in total and per quarter or year of the period;
- commitments (core/commitments): those linked to the group in action plans running during the
  period, by cycle and by country, with the IRM's scales (ambitious, starred, completion, "did it
  open government") and the change from one cycle to the next.

`report.py` computes them (`pilot_report`), `types.py` / `queries.py` serve them as the root
field `pilotReport`, `export.py` as `GET /reports/pilot.csv`; both read the same `Report`.
"""
