"""`vankien cite`, `vankien timeline`, `vankien gaps`: the study features on the command line.

Same exit status as bot/cli.py: 0 success, 1 a failure the user can act on
(one Vietnamese line on stderr), 2 bad usage (argparse).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from bot.config import Settings
from bot.study_render import citation_plain, gaps_lines, lookup_problem
from index.models import Directive
from index.service import SearchService

EXIT_OK, EXIT_FAILURE = 0, 1


async def _directive(service: SearchService, text: str) -> Directive | None:
    found = await service.lookup(text)
    if found.directive is None:
        print(f"vankien: {lookup_problem(found)}", file=sys.stderr)
    return found.directive


def _print_json(data: dict[str, Any]) -> None:
    print(json.dumps(data, ensure_ascii=False))


async def cmd_cite(args: argparse.Namespace, settings: Settings) -> int:
    service = await SearchService.open(settings.db, allow_private_urls=settings.allow_private_urls)
    try:
        directive = await _directive(service, " ".join(args.id))
        if directive is None:
            return EXIT_FAILURE
        citation = await service.citation(directive.key)
        assert citation is not None
        if args.json:
            _print_json(citation.to_json())
        else:
            print(citation_plain(citation))
        return EXIT_OK
    finally:
        await service.close()


async def cmd_gaps(args: argparse.Namespace, settings: Settings) -> int:
    if args.days < 1:
        print("vankien: --days phải là số ngày, từ 1 trở lên.", file=sys.stderr)
        return EXIT_FAILURE
    service = await SearchService.open(settings.db, allow_private_urls=settings.allow_private_urls)
    try:
        await service.purge_feedback(keep_days=settings.feedback_days)
        gaps = await service.gaps(days=args.days)
    finally:
        await service.close()
    if args.json:
        _print_json({"days": args.days, "gaps": [g.to_json() for g in gaps]})
    else:
        print("\n".join(gaps_lines(gaps, args.days)))
    return EXIT_OK


def add_parsers(sub: Any) -> None:
    """Add the study subcommands to `vankien`'s subparsers."""
    cite = sub.add_parser("cite", help="dòng trích dẫn chuẩn của một văn bản và các nguồn")
    cite.add_argument("--json", action="store_true", help="in dạng JSON")
    cite.add_argument("id", nargs="+", metavar="ID", help="số hiệu, ví dụ 21-KL/TW, KL21")
    cite.set_defaults(handler=cmd_cite)

    gaps = sub.add_parser(
        "gaps", help="câu hỏi gần đây chưa trả lời được hoặc bị 👎, gộp theo chủ đề"
    )
    gaps.add_argument("--days", type=int, default=7, help="số ngày gần nhất (mặc định 7)")
    gaps.add_argument("--json", action="store_true", help="in dạng JSON")
    gaps.set_defaults(handler=cmd_gaps)
