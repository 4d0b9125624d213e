"""Knowledge: resources a group shares (lessons learned, case studies, guides, tools, data sets,
recordings, webinars) and the expertise people and organisations declare (issue 10, section 1).

For other domains (e.g. assistance: a completed match's outcome report becoming a resource):
`core.knowledge.services.create_resource(conn, *, group_id, organization_id, kind, title,
summary, licence, url=None, body=None, languages=(), topics=(), country_ids=(),
commitment_ids=(), group_ids=(), created_by_person_id=None, source=None, illustrative=False)`
writes a DRAFT resource in the caller's transaction and returns its id, or raises
`core.knowledge.services.Invalid` carrying the user errors (code, message, field).
"""
