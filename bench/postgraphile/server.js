#!/usr/bin/env node
// PostGraphile 4.14 over the ogp-working-groups database, for the benchmark (bench/run.py).
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/ogp_bench PORT=8200 node server.js
//
// Production-like settings, the equivalent of
//   postgraphile -c $DATABASE_URL -s public,bench_pg --disable-graphiql --dynamic-json \
//     --simple-collections both --no-setof-functions-contain-nulls --disable-query-log \
//     --append-plugins @graphile-contrib/pg-simplify-inflector
// (no --watch, one Node process, no GraphiQL, no query logging, no response cache).
// bench/postgraphile/schema.sql must have been applied to the database first.
"use strict";

const http = require("http");
const { postgraphile } = require("postgraphile");
const PgSimplifyInflectorPlugin = require("@graphile-contrib/pg-simplify-inflector");

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("server.js: set DATABASE_URL (postgres://user@host:port/db)");
  process.exit(2);
}
const port = Number(process.env.PORT || 8200);
const host = process.env.HOST || "127.0.0.1";

const middleware = postgraphile(databaseUrl, ["public", "bench_pg"], {
  graphiql: false,
  watchPg: false,
  dynamicJson: true,
  simpleCollections: "both",
  setofFunctionsContainNulls: false,
  appendPlugins: [PgSimplifyInflectorPlugin],
  disableQueryLog: true,
  enableQueryBatching: false,
  // no retry: a broken schema.sql or database stops the process (the runner reports it)
  retryOnInitFail: false,
});

const server = http.createServer(middleware);
server.keepAliveTimeout = 65000;
server.listen(port, host, () => {
  console.error(`postgraphile: listening on http://${host}:${port}/graphql`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
