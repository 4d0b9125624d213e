"""The priorities domain: priority areas a group agrees by consensus, the positions its
organisations take, and its consensus rule (issue 9, section 1).

The same shape as a plugin: `models`, `types`, `loaders`, `queries`, `mutations`, `services`,
`access`, `demo`. Registered with the kernel by `core.domains`.
"""
