"""`vankien cite`, `vankien timeline`, `vankien gaps`: the study features on the command line.

Same exit status as bot/cli.py: 0 success, 1 a failure the user can act on
(one Vietnamese line on stderr), 2 bad usage (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from bot import texts
from bot.config import Settings
from bot.study_render import citation_plain, gaps_lines, lookup_problem, timeline_plain
from index.service import SearchService

EXIT_OK, EXIT_FAILURE = 0, 1


class _Report(Protocol):
    def to_json(self) -> dict[str, Any]: ...


async def _about_one_document(
    args: argparse.Namespace,
    settings: Settings,
    fetch: Callable[[SearchService, str], Awaitable[_Report | None]],
    plain: Callable[[Any], str],
) -> int:
    """Find the document ARGS.id names, fetch its report, print it as text or JSON."""
    service = await SearchService.open(settings.db, readonly=True)
    try:
        found = await service.lookup(" ".join(args.id))
        if found.directive is None:
            print(f"vankien: {lookup_problem(found)}", file=sys.stderr)
            return EXIT_FAILURE
        report = await fetch(service, found.directive.key)
    finally:
        await service.close()
    assert report is not None  # the key came from the same live index
    print(json.dumps(report.to_json(), ensure_ascii=False) if args.json else plain(report))
    return EXIT_OK


async def cmd_cite(args: argparse.Namespace, settings: Settings) -> int:
    return await _about_one_document(args, settings, SearchService.citation, citation_plain)


async def cmd_timeline(args: argparse.Namespace, settings: Settings) -> int:
    return await _about_one_document(args, settings, SearchService.timeline, timeline_plain)


async def cmd_gaps(args: argparse.Namespace, settings: Settings) -> int:
    if args.days < 1:
        print(f"vankien: {texts.GAPS_BAD_DAYS}", file=sys.stderr)
        return EXIT_FAILURE
    service = await SearchService.open(settings.db, allow_private_urls=settings.allow_private_urls)
    try:
        await service.purge_feedback(keep_days=settings.feedback_days)
        gaps = await service.gaps(days=args.days)
    finally:
        await service.close()
    if args.json:
        print(
            json.dumps({"days": args.days, "gaps": [g.to_json() for g in gaps]}, ensure_ascii=False)
        )
    else:
        print("\n".join(gaps_lines(gaps, args.days)))
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """Add the study subcommands to `vankien`'s subparsers."""
    cite = sub.add_parser("cite", help=texts.CLI_CITE_HELP)
    cite.add_argument("--json", action="store_true", help=texts.CLI_JSON_HELP)
    cite.add_argument("id", nargs="+", metavar="ID", help=texts.CLI_ID_HELP)
    cite.set_defaults(handler=cmd_cite)

    timeline = sub.add_parser("timeline", help=texts.CLI_TIMELINE_HELP)
    timeline.add_argument("--json", action="store_true", help=texts.CLI_JSON_HELP)
    timeline.add_argument("id", nargs="+", metavar="ID", help=texts.CLI_ID_HELP)
    timeline.set_defaults(handler=cmd_timeline)

    gaps = sub.add_parser("gaps", help=texts.CLI_GAPS_HELP)
    gaps.add_argument("--days", type=int, default=7, help=texts.CLI_DAYS_HELP)
    gaps.add_argument("--json", action="store_true", help=texts.CLI_JSON_HELP)
    gaps.set_defaults(handler=cmd_gaps)
