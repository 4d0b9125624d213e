"""The search domain: one full-text index over working groups, priority areas, resources and
declared expertise (issue 10, section 1), kept by the database itself, read by the root field
`search` (core/search/queries.py). Registered with the kernel by `core.domains`.
"""
