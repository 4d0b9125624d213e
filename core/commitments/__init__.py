"""Action plans, commitments, milestones and the IRM's assessments (issue 10, section 3):
models, the IRM's derived judgements (irm.py: `starred_sql`, `ambitious_sql`), types, loaders,
root queries, mutations, services, access rules and the demo's plans."""
