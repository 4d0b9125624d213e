"""The five built-in thematic plugins. Each is registered through the `ogp_wg.plugins` entry-point
group exactly like a partner's package, and uses only the public API in `core`.
"""
