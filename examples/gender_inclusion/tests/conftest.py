"""The fixtures ogp-working-groups ships (`database_url`, `demo_db`, `make_client`, `client`...)."""

pytest_plugins = ["core.testing"]
