"""The meetings domain: a group's meetings and the people registered for them (with a waitlist).

The same shape as a plugin: `models`, `types`, `loaders`, `queries`, `mutations`, `services`,
`access`. Registered with the kernel by `core.domains`.
"""
