"""`ogp-wg explain 'QUERY' [--variables JSON] [--operation NAME]`: the compiled read path's
plan of a query (core.compiled): per root field, compiled (with its SQL) or fallback (and why),
for an anonymous viewer of the configured database and plugins."""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import Any

from core.cli import command_settings


def cmd_explain(args: argparse.Namespace) -> None:
    from core.app import create_app
    from core.compiled.explain import describe, plan_of
    from core.context import Context
    from core.plugins import make_plugin_manager

    variables = json.loads(args.variables) if args.variables else {}
    if not isinstance(variables, dict):
        raise ValueError("--variables must be a JSON object")
    settings = command_settings(args)
    app = create_app(settings, make_plugin_manager(settings))
    state = app.state.ogp

    async def run() -> str:
        try:
            plans = plan_of(Context(app=state), args.query, variables, args.operation)
            return describe(plans, state.db.engine.dialect)
        finally:
            await state.db.dispose()

    print(asyncio.run(run()), flush=True)


def add_commands(sub: Any) -> None:
    explain = sub.add_parser(
        "explain", help="show which root fields of a query compile to SQL, and the SQL"
    )
    explain.add_argument("query", metavar="QUERY", help="a GraphQL query document")
    explain.add_argument("--variables", help="the variables, a JSON object")
    explain.add_argument("--operation", help="the operation's name, if the document has several")
    explain.set_defaults(func=cmd_explain)
