"""The compiled read path (issue 12): a query's root field answered by ONE SQL statement that
builds the field's JSON in the database, spliced into the response without parsing.

- `declare`: what a root field reads (`RootRead`, attached with `root_read(...)` metadata) and
  declared counts (`counts_by_key`), so the compiler needs no second description of a field.
- `sqljson`: JSON text built by SQL, byte for byte what orjson prints, on SQLite and PostgreSQL.
- `compiler`: a root field's selection -> one SQLAlchemy statement, or `NotCompilable(reason)`.
- `plan`: which root fields of an operation compile (cached), `explain`.
- `execute`: the execution context that runs compiled root fields and falls back for the rest.

On unless the setting `compiled_reads` is false. Correctness over coverage: whatever the
compiler is not sure it reproduces exactly falls back to the resolver path for its root field.
"""
