"""The people domain: OGP participating countries, organisations and the people who work for them.

The same shape as a plugin: `models` (tables), `types` (GraphQL), `loaders`, `queries`,
`access` (who may see what). Registered with the kernel by `core.domains`.
"""
