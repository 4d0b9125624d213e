"""The groups domain: working groups, their two anchors and their member organisations.

The same shape as a plugin: `models`, `types`, `loaders`, `queries`, `mutations`, `services`
(the write paths), `access`, `demo` (a plugin's demo group as data, public as
`core.demo_groups`). Registered with the kernel by `core.domains`.
"""
