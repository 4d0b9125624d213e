"""The assistance domain: requests for technical assistance or peer exchange, offers of expertise,
and the matches the service suggests between them (issue 10, section 2).

The same shape as a plugin: `models`, `types`, `loaders`, `queries`, `mutations`, `services`,
`access`, `demo` (plus `scoring`, `reasons`, `suggest`, `moves`, `matches`, `outcome`).
Registered with the kernel by `core.domains`.
"""
