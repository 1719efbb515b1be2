"""Report benchmark (not a test).

Builds a temporary SQLite forum with one session of 100,000 posts from 2,000
participants (bulk inserts, replies to earlier posts, highlights, a few hidden and
pending posts, fourteen days), then compiles its report to each format, each in its
own process so that the peak memory (maxrss) is that format's alone. In the same run
it measures the baseline: reading every post, with its author, in one plain SELECT
through the same SQLAlchemy + aiosqlite stack, and prints each format's ratio to it.

`--pdf` measures the PDF alone on sessions of 2,000 and 20,000 posts (and 100,000
with `--pdf-huge`), each against the SELECT of its own posts; at 2,000 posts also with
the transcript laid out by WeasyPrint, as every part was before the annex had a
renderer of its own, for the ratio between the two.

    .venv/bin/python bench/report.py                       # 100,000 posts, 2,000 people
    .venv/bin/python bench/report.py --pdf --participants 500 [--pdf-huge]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FORMATS = ("md", "csv", "json", "html", "docx", "pdf")
COUNTRIES = (
    "BR",
    "AR",
    "MX",
    "PE",
    "CO",
    "KE",
    "NG",
    "ZA",
    "GH",
    "UG",
    "ET",
    "IN",
    "CN",
    "MY",
    "VN",
    "PH",
    "NO",
    "DE",
    "FR",
    "IT",
    "CH",
    "CA",
    "PL",
    "MD",
    "RS",
    "UA",
)
WORDS = (
    "biosafety",
    "capacity-building",
    "national",
    "framework",
    "risk",
    "assessment",
    "living",
    "modified",
    "organisms",
    "regulatory",
    "authority",
    "public",
    "awareness",
    "participation",
    "detection",
    "identification",
    "laboratory",
    "customs",
    "officers",
    "training",
    "regional",
    "cooperation",
    "funding",
    "GEF",
    "project",
    "sustainability",
    "stakeholders",
    "ministry",
    "agriculture",
    "environment",
    "trade",
    "socio-economic",
    "considerations",
    "liability",
    "redress",
    "Nagoya",
    "Kuala",
    "Lumpur",
    "Protocol",
    "Clearing-House",
    "decision-makers",
)


def _paragraph(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random) -> str:
    parts = [_paragraph(rng, rng.randint(20, 90)) for _ in range(rng.randint(1, 3))]
    if rng.random() < 0.2:
        parts.append("\n".join(f"- {_paragraph(rng, rng.randint(4, 12))}" for _ in range(3)))
    if rng.random() < 0.3:
        parts[0] = parts[0].replace(" risk ", " **risk** ", 1)
    return "\n\n".join(parts)


def build(path: Path, sizes: dict[str, int], participants: int) -> dict[str, int]:
    """A migrated SQLite file with a session of `sizes[key]` posts for each key."""
    from sqlalchemy import create_engine, insert

    from forum_server.accounts.countries import region_for
    from forum_server.migrate import migrate
    from forum_server.rooms.models import (
        ForumSession,
        Post,
        Question,
        SessionModerator,
        SessionPeriod,
        Space,
        Thread,
    )
    from forum_server.tables import accounts_models

    asyncio.run(migrate(f"sqlite+aiosqlite:///{path}"))
    engine = create_engine(f"sqlite:///{path}")
    rng = random.Random(7)
    opens = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    user = accounts_models.User
    genders = ["female", "male", "other", "prefer_not_to_say", None]
    affiliations = ["party", "party", "party", "ngo", "igo", "academia", "industry", "other"]
    with engine.begin() as conn:
        people = []
        for i in range(participants):
            country = COUNTRIES[i % len(COUNTRIES)]
            people.append(
                dict(
                    email=f"p{i}@example.org",
                    display_name=f"Participant {i}",
                    country=country,
                    region=region_for(country),
                    organization=f"Organization {i % 300}",
                    affiliation=affiliations[i % len(affiliations)],
                    gender=genders[i % len(genders)],
                )
            )
        conn.execute(insert(user), people)
        conn.execute(insert(Space), [dict(slug="bench", title="Benchmark forum")])
        ids = {}
        for key, count in sizes.items():
            title = f"Session {key}"
            session_id = conn.execute(
                insert(ForumSession).values(space_id=1, title=title).returning(ForumSession.id)
            ).scalar_one()
            ids[key] = session_id
            conn.execute(
                insert(SessionPeriod),
                [dict(session_id=session_id, opens_at=opens, closes_at=opens + timedelta(14))],
            )
            conn.execute(insert(SessionModerator), [dict(session_id=session_id, user_id=1)])
            threads = []
            for n in range(1, 4):
                thread_id = conn.execute(
                    insert(Thread)
                    .values(session_id=session_id, title=f"Question {n}")
                    .returning(Thread.id)
                ).scalar_one()
                conn.execute(
                    insert(Question),
                    [
                        dict(
                            session_id=session_id,
                            number=n,
                            text=_paragraph(rng, 25),
                            thread_id=thread_id,
                        )
                    ],
                )
                threads.append(thread_id)
            for n in range(10):
                threads.append(
                    conn.execute(
                        insert(Thread)
                        .values(session_id=session_id, title=f"Topic {n}", author_id=2 + n)
                        .returning(Thread.id)
                    ).scalar_one()
                )
            next_id = conn.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM posts").scalar()
            by_thread: dict[int, list[int]] = {t: [] for t in threads}
            batch = []
            for i in range(count):
                post_id = next_id + i
                # Most posts answer the guiding questions; a tenth go to topics.
                thread = threads[i % 3] if rng.random() < 0.9 else rng.choice(threads[3:])
                earlier = by_thread[thread]
                parent = rng.choice(earlier[-200:]) if earlier and rng.random() < 0.4 else None
                earlier.append(post_id)
                body = _body(rng)
                roll = rng.random()
                status = "hidden" if roll < 0.01 else "pending" if roll < 0.015 else "published"
                batch.append(
                    dict(
                        id=post_id,
                        thread_id=thread,
                        session_id=session_id,
                        parent_id=parent,
                        author_id=1 + rng.randrange(participants),
                        body=body,
                        html="".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n")),
                        status=status,
                        highlighted=rng.random() < 0.0005,
                        created_at=opens + timedelta(seconds=i * 14 * 86400 // count),
                    )
                )
                if len(batch) == 10_000:
                    conn.execute(insert(Post), batch)
                    batch.clear()
            if batch:
                conn.execute(insert(Post), batch)
    engine.dispose()
    return ids


async def _child(fmt: str, db_path: str, session_id: int, out: str) -> dict[str, float]:
    from forum_server.accounts.admin import COMMAND_LINE
    from forum_server.db import Database

    url = f"sqlite+aiosqlite:///{db_path}"
    db = Database(url)
    started = time.perf_counter()
    try:
        if fmt == "baseline":
            from sqlalchemy import select

            from forum_server.accounts.models import User
            from forum_server.rooms.models import Post

            async with db.read() as session:
                rows = (
                    await session.execute(
                        select(
                            Post.id,
                            Post.parent_id,
                            Post.created_at,
                            Post.body,
                            Post.html,
                            User.display_name,
                            User.country,
                        )
                        .outerjoin(User, User.id == Post.author_id)
                        .where(Post.session_id == session_id)
                        .order_by(Post.thread_id, Post.id)
                    )
                ).all()
            size = len(rows)
        else:
            from forum_server.reports import formats, pdf_annex

            if fmt == "pdf-weasyprint":  # the transcript laid out as before, for the ratio
                pdf_annex.available = lambda t: False  # type: ignore[assignment]
                fmt = "pdf"
            from forum_server.reports.transcript import compile_session_report

            transcript = await compile_session_report(db, COMMAND_LINE, session_id)
            chosen = formats.check_format(fmt)

            def write() -> int:
                with open(out, "wb") as file:
                    formats.write(transcript, chosen, file)
                return os.path.getsize(out)

            size = await asyncio.to_thread(write)
    finally:
        await db.dispose()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "seconds": time.perf_counter() - started,
        # CPU time too: on a shared machine the wall time says as much about the others.
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
        "bytes": size,
    }


def _measure(fmt: str, db_path: Path, session_id: int, workdir: Path) -> dict[str, float]:
    out = workdir / f"report.{fmt}"
    done = subprocess.run(
        [sys.executable, __file__, "--child", fmt, str(db_path), str(session_id), str(out)],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{fmt} failed:\n{done.stderr[-3000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    out.unlink(missing_ok=True)
    return result


def _row(name: str, r: dict[str, float], base: dict[str, float] | None, versus: str) -> str:
    ratio = f"{r['seconds'] / base['seconds']:>9.1f} {versus}" if base else f"{'':>9}"
    size = f"{r['bytes'] / 1e6:>8.1f}" if "bytes" in r and name != "baseline" else f"{'':>8}"
    return f"{name:<40} {r['seconds']:>8.1f} {r['cpu']:>7.1f} {r['peak_mb']:>8.0f} {size} {ratio}"


HEADER = f"{'':<40} {'seconds':>8} {'cpu s':>7} {'peak MB':>8} {'size MB':>8} {'ratio':>9}"


def formats_run(args: argparse.Namespace, workdir: Path) -> None:
    """Every format on one big session, against one SELECT of its posts."""
    db_path = workdir / "bench.db"
    started = time.perf_counter()
    ids = build(db_path, {"big": args.posts}, args.participants)
    print(
        f"built {args.posts:,} posts from {args.participants:,} participants in "
        f"{time.perf_counter() - started:.1f} s ({db_path.stat().st_size / 1e6:.0f} MB SQLite file)"
    )
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}\n")
    base = _measure("baseline", db_path, ids["big"], workdir)
    print(HEADER)
    print(_row("baseline: one SELECT of all posts", base, None, ""))
    for fmt in args.formats.split(","):
        print(_row(fmt, _measure(fmt, db_path, ids["big"], workdir), base, "x SELECT"), flush=True)


def pdf_run(args: argparse.Namespace, workdir: Path) -> None:
    """PDF at 2,000 and 20,000 posts (and 100,000 with --pdf-huge), each against one
    SELECT of the same posts; at 2,000 also the transcript laid out by WeasyPrint as
    before, the ratio that says what the faster annex gains."""
    sizes = {f"{n}": n for n in (2_000, 20_000, 100_000 if args.pdf_huge else 0) if n}
    db_path = workdir / "pdf.db"
    started = time.perf_counter()
    ids = build(db_path, sizes, args.participants)
    print(
        f"built sessions of {', '.join(f'{n:,}' for n in sizes.values())} posts from "
        f"{args.participants:,} participants in {time.perf_counter() - started:.1f} s"
    )
    print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}\n")
    print(HEADER)
    for key, posts in sizes.items():
        base = _measure("baseline", db_path, ids[key], workdir)
        print(_row(f"{posts:,} posts: one SELECT", base, None, ""), flush=True)
        if posts <= 2_000:
            old = _measure("pdf-weasyprint", db_path, ids[key], workdir)
            print(_row(f"{posts:,} posts: pdf, all WeasyPrint", old, base, "x SELECT"), flush=True)
        pdf = _measure("pdf", db_path, ids[key], workdir)
        print(_row(f"{posts:,} posts: pdf", pdf, base, "x SELECT"), flush=True)
        if posts <= 2_000:
            print(f"{'':<40} all WeasyPrint / annex: {old['seconds'] / pdf['seconds']:.1f} x")
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=2_000)
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="comma-separated, of " + ", ".join(FORMATS)
    )
    parser.add_argument("--pdf", action="store_true", help="PDF at 2,000 and 20,000 posts")
    parser.add_argument("--pdf-huge", action="store_true", help="with --pdf: 100,000 posts too")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fmt, db_path, session_id, out = args.child
        print(json.dumps(asyncio.run(_child(fmt, db_path, int(session_id), out))))
        return
    with tempfile.TemporaryDirectory(prefix="forum-report-bench-") as tmp:
        (pdf_run if args.pdf else formats_run)(args, Path(tmp))


if __name__ == "__main__":
    main()
