"""`forum-server` (and `python -m forum_server`): serve, mail-in, migrate, create-admin…"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import sys
from collections.abc import Callable, Sequence

from forum_server.i18n.languages import CODES
from forum_server.settings import SETTINGS, Settings, SettingsError, load_settings

EXIT_INVALID = 2
EXIT_FAILED = 1


def _settings_help() -> str:
    lines = ["configuration (environment variables):"]
    for setting in SETTINGS:
        default = setting.default or "(empty)"
        lines.append(f"  {setting.env:<28} default {default}\n      {setting.help}")
    return "\n".join(lines)


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _fail(message: str, code: int = EXIT_INVALID) -> int:
    print(f"forum-server: error: {message}", file=sys.stderr)
    return code


def cmd_migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from forum_server.migrate import migrate

    asyncio.run(migrate(settings.database_url))
    print("database schema is up to date")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import errno

    from forum_server.app import create_app
    from forum_server.migrate import migrate
    from forum_server.web.server import (
        AnnouncingServer,
        listening_socket,
        served_url,
        serving_at,
        uvicorn_config,
    )
    from forum_server.workers import Supervisor, check_shareable

    if problem := check_shareable(settings, args.workers):
        return _fail(problem)
    try:
        sock = listening_socket(args.host, args.port)
    except OSError as error:
        reason = (
            "the port is in use (is the server running already? choose another with --port)"
            if error.errno == errno.EADDRINUSE
            else (error.strerror or str(error))
        )
        return _fail(f"cannot listen on {args.host}:{args.port}: {reason}", EXIT_FAILED)
    with sock:
        port = sock.getsockname()[1]
        settings, warning = serving_at(settings, args.host, port)
        if warning:
            logging.getLogger("forum_server").warning(warning)
        asyncio.run(migrate(settings.database_url))
        listening = served_url(args.host, port)
        opened = f" (open {settings.base_url}/)" if settings.base_url != listening else ""

        def announce() -> None:
            print(f"forum_server listening on {listening}/{opened}{processes}", flush=True)

        if args.workers > 1:
            processes = f" with {args.workers} worker processes"
            return Supervisor(settings, sock, args.workers).run(announce)
        processes = ""
        config = uvicorn_config(
            create_app(settings),
            proxy_headers=settings.trust_proxy_headers,
            timeout_graceful_shutdown=10,
        )
        AnnouncingServer(config, announce).run(sockets=[sock])
    return 0


def cmd_mail_in(settings: Settings, args: argparse.Namespace) -> int:
    from forum_server.mail.receiver import run_mail_in

    kind = "lmtp" if args.lmtp else "smtp"

    def announce(port: int) -> None:
        print(
            f"forum_server mail-in ({kind}) listening on {args.host}:{port} "
            f"for reply+…@{settings.message_domain}",
            flush=True,
        )

    try:
        asyncio.run(run_mail_in(settings, args.host, args.port, lmtp=args.lmtp, announce=announce))
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror}", EXIT_FAILED)
    return 0


def cmd_create_admin(settings: Settings, args: argparse.Namespace) -> int:
    from forum_server.accounts.admin import create_admin
    from forum_server.errors import DomainError

    password = args.password
    if password is None:
        if not sys.stdin.isatty():
            return _fail("--password is required when not run interactively")
        password = getpass.getpass("Password for the new secretariat account: ")
    try:
        user = asyncio.run(create_admin(settings, args.email, password, args.name))
    except DomainError as error:
        where = f"{error.field}: " if error.field and error.field not in error.message else ""
        return _fail(f"{where}{error.message} ({error.code})")
    print(f"created secretariat account {user.email} (id {user.id})")
    return 0


def cmd_set_active(settings: Settings, args: argparse.Namespace) -> int:
    from forum_server.accounts.admin import set_account_active
    from forum_server.errors import DomainError, NotFound

    active = args.command == "reactivate-user"
    try:
        account = asyncio.run(set_account_active(settings, args.email, active=active))
    except DomainError as error:
        code = EXIT_INVALID if isinstance(error, NotFound) else EXIT_FAILED
        return _fail(f"{error.message} ({error.code})", code)
    state = "reactivated" if active else "deactivated"
    print(f"{state} account {account.email} (id {account.id})")
    return 0


def cmd_demo(settings: Settings, _args: argparse.Namespace) -> int:
    from forum_server.db import Database
    from forum_server.demo import DEMO_PASSWORD, load_demo
    from forum_server.errors import DomainError
    from forum_server.files.storage import file_store
    from forum_server.migrate import migrate

    async def run() -> object:
        await migrate(settings.database_url)
        db = Database(settings.database_url)
        try:
            return await load_demo(db, store=file_store(settings))
        finally:
            await db.dispose()

    try:
        summary = asyncio.run(run())
    except DomainError as error:
        return _fail(f"{error.message} ({error.code})", EXIT_FAILED)
    print(f"loaded the demo forum: {summary}")
    print(f"every demo account's password is: {DEMO_PASSWORD}")
    return 0


def cmd_report(settings: Settings, args: argparse.Namespace) -> int:
    from forum_server.errors import DomainError, Invalid, NotFound
    from forum_server.reports.command import write_report

    if (args.session_id is None) == (args.space is None):
        return _fail("give either a SESSION_ID or --space SLUG")
    try:
        target = asyncio.run(
            write_report(
                settings,
                session_id=args.session_id,
                space_slug=args.space,
                format_name=args.format,
                output=args.output,
                attribution=args.attribution,
                language=args.lang,
                post_language=args.post_lang,
            )
        )
    except DomainError as error:
        code = EXIT_INVALID if isinstance(error, Invalid | NotFound) else EXIT_FAILED
        return _fail(f"{error.message} ({error.code})", code)
    except OSError as error:
        return _fail(f"cannot write the report: {error}", EXIT_FAILED)
    if target != "-":
        print(f"wrote {target}", file=sys.stderr)
    return 0


def cmd_reindex(settings: Settings, _args: argparse.Namespace) -> int:
    import time

    from forum_server.files.storage import file_store
    from forum_server.search.rebuild import reindex

    started = time.monotonic()
    count = asyncio.run(reindex(settings.database_url, file_store(settings)))
    print(f"search index rebuilt: {count} texts in {time.monotonic() - started:.1f} s")
    return 0


Command = Callable[[Settings, argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="forum-server",
        description="Time-boxed online forums and restricted workspaces.",
        epilog=_settings_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="migrate the database if needed and serve")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="serve with N processes on the one port (needs PostgreSQL and Redis)",
    )
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    migrate.set_defaults(handler=cmd_migrate)

    mail_in = commands.add_parser(
        "mail-in", help="receive replies by e-mail (SMTP or LMTP, behind the mail server)"
    )
    mail_in.add_argument("--host", default="127.0.0.1")
    mail_in.add_argument("--port", type=int, default=8025)
    mail_in.add_argument("--lmtp", action="store_true", help="speak LMTP instead of SMTP")
    mail_in.set_defaults(handler=cmd_mail_in)

    admin = commands.add_parser("create-admin", help="create a secretariat account")
    admin.add_argument("--email", required=True)
    admin.add_argument("--password", help="asked for when omitted and run in a terminal")
    admin.add_argument("--name", default="Secretariat", help="display name")
    admin.set_defaults(handler=cmd_create_admin)
    for name, does in (
        ("deactivate-user", "deactivate an account: its sign-ins, tokens and connections end"),
        ("reactivate-user", "let a deactivated account sign in again"),
    ):
        toggle = commands.add_parser(name, help=does)
        toggle.add_argument("--email", required=True)
        toggle.set_defaults(handler=cmd_set_active)
    demo = commands.add_parser("demo", help="load a realistic example forum")
    demo.set_defaults(handler=cmd_demo)

    report = commands.add_parser("report", help="write a session's (or a space's) report")
    report.add_argument("session_id", metavar="SESSION_ID", type=int, nargs="?")
    report.add_argument("--space", metavar="SLUG", help="the report of a whole space instead")
    report.add_argument(
        "--format", required=True, choices=["md", "html", "docx", "json", "csv", "pdf"]
    )
    report.add_argument("-o", "--output", metavar="FILE", help="default: named after the title")
    report.add_argument(
        "--attribution",
        choices=["named", "country", "none"],
        help="overrides the space's setting for this report",
    )
    report.add_argument(
        "--lang",
        choices=CODES,
        help="the report's language (headings, figures, dates); default: FORUM_DEFAULT_LANGUAGE",
    )
    report.add_argument(
        "--post-lang",
        choices=CODES,
        help="only the contributions written in this language",
    )
    report.set_defaults(handler=cmd_report)

    reindex = commands.add_parser(
        "reindex",
        help="rebuild the search index from every post, topic, question, summary and "
        "library document (reading the words of documents' files not read yet)",
    )
    reindex.set_defaults(handler=cmd_reindex)
    return parser


# Only these may start from nothing; any other command run from the wrong folder would
# otherwise quietly work on a new, empty database there.
CREATES_DATABASE = {"serve", "migrate", "demo"}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    existing = args.command not in CREATES_DATABASE
    try:
        settings = load_settings(existing=existing)
    except SettingsError as error:
        return _fail(str(error))
    configure_logging(settings)
    if existing and (problem := _missing_schema(settings)):
        return _fail(problem)
    handler: Command = args.handler
    return handler(settings, args)


def _missing_schema(settings: Settings) -> str | None:
    """Why the database cannot be used as it is, or None."""
    from sqlalchemy.engine import make_url

    from forum_server.migrate import is_migrated

    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    try:
        if asyncio.run(is_migrated(settings.database_url)):
            return None
    except Exception as error:  # unreachable, refused, not a database: say which
        return f"cannot open the database {shown}: {error}"
    return (
        f"the database {shown} has no forum tables. Point FORUM_DATA_DIR or "
        "FORUM_DATABASE_URL at the forum's database, or create one with `forum-server migrate`."
    )


if __name__ == "__main__":
    sys.exit(main())
