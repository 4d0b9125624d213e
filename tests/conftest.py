"""The suite's fixtures come from `core.testing`, opted into here as a partner's tests do."""

pytest_plugins = ["core.testing"]
