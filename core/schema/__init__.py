"""Core GraphQL types, queries and mutations; `build_schema()` assembles them with the plugins'."""
