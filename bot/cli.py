"""The `vankien` command line.

Exit status: 0 success, 1 a failure the user can act on (one message on
stderr, no traceback), 2 bad usage.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from importlib import resources
from pathlib import Path

from bot import texts
from bot.config import ConfigError, Settings, load_settings
from bot.conversation import Conversation, Reply
from bot.render import human_bytes, progress_lines, render_plain, stats_lines
from bot.study_cli import add_parsers as add_study_parsers
from index import maintenance
from index.errors import VankienError
from index.models import Answer, IngestReport, ReindexProgress
from index.service import SearchService

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2
CONSOLE_USER = 0  # the console chat has one user


class UserError(Exception):
    """A failure the user can act on; printed without a traceback."""


def samples_folder() -> Path:
    return Path(str(resources.files("index") / "samples"))


def _print_answer(answer: Answer, as_json: bool) -> None:
    text = render_plain(answer)
    if as_json:
        print(json.dumps(answer.to_json(text), ensure_ascii=False))
    else:
        print(text)


async def _with_service(
    settings: Settings,
    work: Callable[[SearchService], Awaitable[int]],
    *,
    readonly: bool = False,
) -> int:
    service = await SearchService.open(
        settings.db, allow_private_urls=settings.allow_private_urls, readonly=readonly
    )
    try:
        return await work(service)
    finally:
        await service.close()


# -- commands ------------------------------------------------------------------------
async def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    async def work(service: SearchService) -> int:
        if args.question:
            _print_answer(await service.ask(" ".join(args.question)), args.json)
            return EXIT_OK
        for line in sys.stdin:
            if line.strip():
                _print_answer(await service.ask(line.strip()), args.json)
                if not args.json:
                    print()
                sys.stdout.flush()
        return EXIT_OK

    return await _with_service(settings, work, readonly=True)


def _print_report(report: IngestReport) -> None:
    for item in report.items:
        label = texts.STATUS_LABELS.get(item.status, item.status)
        line = f"{label:12} {item.title or item.target}"
        if item.reason:
            line += f" — {item.reason}"
        print(line)
    counts = ", ".join(
        f"{report.count(status)} {word}"
        for status, word in texts.STATUS_LABELS.items()
        if report.count(status)
    )
    print(texts.INGEST_TOTAL.format(counts=counts or texts.INGEST_NOTHING))


async def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    targets = list(args.targets) + ([str(samples_folder())] if args.samples else [])
    if not targets:
        raise UserError(texts.INGEST_NOTHING_GIVEN)
    if any(not target.strip() for target in targets):  # `vankien ingest "$UNSET"`
        print(f"vankien: {texts.INGEST_EMPTY_PATH}", file=sys.stderr)
        return EXIT_USAGE

    async def work(service: SearchService) -> int:
        if args.if_empty and (await service.stats()).articles > 0:
            print(texts.INGEST_NOT_EMPTY)
            return EXIT_OK
        report = await service.ingest(targets)
        _print_report(report)
        nothing_read = all(item.status in ("refused", "failed") for item in report.items)
        return EXIT_FAILURE if nothing_read else EXIT_OK

    return await _with_service(settings, work)


def _progress_line(state: ReindexProgress) -> None:
    print(
        "\r" + " · ".join(progress_lines(state)),
        end="" if not state.finished else "\n",
        file=sys.stderr,
        flush=True,
    )


async def cmd_reindex(args: argparse.Namespace, settings: Settings) -> int:
    async def work(service: SearchService) -> int:
        before = service.live.generation
        state = await service.reindex(_progress_line, full=args.full)
        if state.generation == before:
            print(texts.REINDEX_UNCHANGED.format(generation=state.generation))
        else:
            done = texts.REINDEXED_FULL if args.full else texts.REINDEXED
            print(done.format(generation=state.generation, seconds=state.seconds))
        for target, reason in state.failures:
            print(texts.REINDEX_FAILURE.format(target=target, reason=reason))
        return EXIT_OK

    return await _with_service(settings, work)


async def cmd_sources(args: argparse.Namespace, settings: Settings) -> int:
    async def work(service: SearchService) -> int:
        sources = await service.sources()
        if not sources:
            print(texts.NO_SOURCES_CLI)
        for s in sources:
            status = (
                texts.SOURCE_ERROR.format(error=s.last_error)
                if s.last_error
                else texts.SOURCE_LAST_READ.format(when=s.last_ok_at or "—")
            )
            line = texts.SOURCE_LINE_CLI.format(
                id=s.id, location=s.location, kind=s.kind, n=s.article_count, status=status
            )
            print(line)
        return EXIT_OK

    return await _with_service(settings, work, readonly=True)


async def cmd_stats(args: argparse.Namespace, settings: Settings) -> int:
    async def work(service: SearchService) -> int:
        print("\n".join(stats_lines(await service.stats())))
        return EXIT_OK

    return await _with_service(settings, work, readonly=True)


def _print_reply(reply: Reply) -> None:
    if reply.answer is not None:
        print(render_plain(reply.answer))
    elif reply.notice:
        print(reply.notice)


async def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    """Answers exactly as the bot does (bot/conversation.py), rendered as plain text."""

    async def work(service: SearchService) -> int:
        conversation = Conversation(service)
        print(texts.CHAT_BANNER)
        print(texts.CHAT_HELP)
        last: Reply | None = None
        loop = asyncio.get_running_loop()
        while True:
            try:
                line = await loop.run_in_executor(None, lambda: input(texts.CHAT_PROMPT))
            except (EOFError, KeyboardInterrupt):
                print()
                return EXIT_OK
            line = line.strip()
            if not line:
                continue
            if line.lower() in texts.CHAT_QUIT_COMMANDS:
                return EXIT_OK
            if line.lower() in texts.CHAT_HELP_COMMANDS:
                print(texts.CHAT_HELP)
                continue
            if line.lower() in texts.CHAT_MORE_COMMANDS:
                reply = await conversation.more(CONSOLE_USER, last)
            else:
                reply = await conversation.ask(CONSOLE_USER, line)
            if reply.answer is not None:
                last = reply
            _print_reply(reply)

    return await _with_service(settings, work, readonly=True)


def _expand_date(target: str) -> Path:
    """`backups/vankien-%Y%m%d.db` → today's name (strftime codes, local time)."""
    return Path(datetime.now().strftime(target) if "%" in target else target).expanduser()


def _summary(summary: maintenance.Summary) -> str:
    return texts.DB_SUMMARY.format(
        articles=summary.articles,
        passages=summary.passages,
        generation=summary.generation,
        size=human_bytes(summary.size_bytes),
    )


async def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    """Online backup of the live database (safe while the bot runs), then checked."""
    target = _expand_date(args.path)
    if target.exists() and not args.force:
        raise UserError(texts.BACKUP_EXISTS.format(target=target))
    if target.resolve() == settings.db.resolve():
        raise UserError(texts.BACKUP_SAME_FILE)
    summary = await maintenance.backup(settings.db, target)
    print(texts.BACKUP_DONE.format(db=settings.db, target=target, summary=_summary(summary)))
    return EXIT_OK


async def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """PRAGMA integrity_check and the schema's own invariants, read-only."""
    path = Path(args.path).expanduser() if args.path else settings.db
    report = await maintenance.check(path)
    if report.summary is None:
        print(texts.CHECK_PROBLEMS.format(path=path), file=sys.stderr)
        for problem in report.problems:
            print(f"  • {problem}", file=sys.stderr)
        print(report.advice, file=sys.stderr)
        return EXIT_FAILURE
    print(texts.CHECK_OK.format(path=path, summary=_summary(report.summary)))
    return EXIT_OK


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.app import run_bot

    run_bot(settings)
    return EXIT_OK


# -- parsing -------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vankien",
        description=texts.CLI_DESCRIPTION,
    )
    parser.add_argument("--db", type=Path, help=texts.CLI_DB_HELP)
    sub = parser.add_subparsers(dest="command", required=True, metavar=texts.CLI_COMMAND_METAVAR)

    ask = sub.add_parser("ask", help=texts.CLI_ASK_HELP)
    ask.add_argument("--json", action="store_true", help=texts.CLI_ASK_JSON_HELP)
    ask.add_argument("question", nargs="*", help=texts.CLI_ASK_QUESTION_HELP)
    ask.set_defaults(handler=cmd_ask)

    ingest = sub.add_parser("ingest", help=texts.CLI_INGEST_HELP)
    ingest.add_argument("targets", nargs="*", metavar="PATH_OR_URL")
    ingest.add_argument("--samples", action="store_true", help=texts.CLI_SAMPLES_HELP)
    ingest.add_argument("--if-empty", action="store_true", help=texts.CLI_IF_EMPTY_HELP)
    ingest.set_defaults(handler=cmd_ingest)

    for name, handler, text in (
        ("sources", cmd_sources, texts.CLI_SOURCES_HELP),
        ("stats", cmd_stats, texts.CLI_STATS_HELP),
        ("chat", cmd_chat, texts.CLI_CHAT_HELP),
        ("run", cmd_run, texts.CLI_RUN_HELP),
    ):
        sub.add_parser(name, help=text).set_defaults(handler=handler)

    reindex = sub.add_parser("reindex", help=texts.CLI_REINDEX_HELP)
    reindex.add_argument("--full", action="store_true", help=texts.CLI_REINDEX_FULL_HELP)
    reindex.set_defaults(handler=cmd_reindex)

    backup = sub.add_parser(
        "backup",
        help=texts.CLI_BACKUP_HELP,
        description=texts.CLI_BACKUP_DESCRIPTION,
    )
    backup.add_argument("path", metavar="PATH", help=texts.CLI_BACKUP_PATH_HELP)
    backup.add_argument("--force", action="store_true", help=texts.CLI_BACKUP_FORCE_HELP)
    backup.set_defaults(handler=cmd_backup)

    check = sub.add_parser(
        "check",
        help=texts.CLI_CHECK_HELP,
        description=texts.CLI_CHECK_DESCRIPTION,
    )
    check.add_argument("path", metavar="PATH", nargs="?", help=texts.CLI_CHECK_PATH_HELP)
    check.set_defaults(handler=cmd_check)
    add_study_parsers(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(**({"VANKIEN_DB": args.db} if args.db else {}))
        result = args.handler(args, settings)
        if asyncio.iscoroutine(result):
            result = asyncio.run(result)
        return int(result)
    except (UserError, ConfigError, VankienError) as exc:
        print(f"vankien: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        return EXIT_FAILURE
    except BrokenPipeError:  # `vankien ask … | head`: the reader left, not an error
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
