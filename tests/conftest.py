"""Fixtures come from the distribution's pytest plugin, `core.testing` (entry point `pytest11`)."""
