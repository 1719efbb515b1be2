"""Report benchmark (not a test).

Builds a temporary SQLite forum with one session of 100,000 posts from 2,000
participants (bulk inserts, replies to earlier posts, highlights, a few hidden and
pending posts, fourteen days), then compiles its report to each format, each in its
own process so that the peak memory (maxrss) is that format's alone. In the same run
it measures the baseline: reading every post, with its author, in one plain SELECT
through the same SQLAlchemy + aiosqlite stack, and prints each format's ratio to it.

PDF is laid out by WeasyPrint in parts (to_pdf.CHUNK_POSTS posts of the transcript
at a time) joined with pypdf; it is measured on the big session like the others, and
on a second, smaller one (`--pdf-posts`, 0 to skip it) to compare.

    .venv/bin/python bench/report.py                       # 100,000 posts, 2,000 people
    .venv/bin/python bench/report.py --posts 20000 --participants 500 --formats pdf
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


def build(path: Path, posts: int, participants: int, pdf_posts: int) -> dict[str, int]:
    """A migrated SQLite file with a big session (and a small one for PDF)."""
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
        for key, title, count in (("big", "Big session", posts), ("pdf", "PDF session", pdf_posts)):
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
            from forum_server.reports import formats
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--participants", type=int, default=2_000)
    parser.add_argument("--pdf-posts", type=int, default=2_000)
    parser.add_argument(
        "--formats", default=",".join(FORMATS), help="comma-separated, of " + ", ".join(FORMATS)
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        fmt, db_path, session_id, out = args.child
        print(json.dumps(asyncio.run(_child(fmt, db_path, int(session_id), out))))
        return

    with tempfile.TemporaryDirectory(prefix="forum-report-bench-") as tmp:
        workdir = Path(tmp)
        db_path = workdir / "bench.db"
        started = time.perf_counter()
        ids = build(db_path, args.posts, args.participants, args.pdf_posts)
        print(
            f"built {args.posts:,} + {args.pdf_posts:,} posts from {args.participants:,} "
            f"participants in {time.perf_counter() - started:.1f} s "
            f"({db_path.stat().st_size / 1e6:.0f} MB SQLite file)"
        )
        print(f"cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}\n")
        base = _measure("baseline", db_path, ids["big"], workdir)
        rows = [("baseline: one SELECT of all posts", base)]
        for fmt in args.formats.split(","):
            rows.append((fmt, _measure(fmt, db_path, ids["big"], workdir)))
        if args.pdf_posts:
            pdf_base = _measure("baseline", db_path, ids["pdf"], workdir)
            pdf = _measure("pdf", db_path, ids["pdf"], workdir)

        print(
            f"{'format':<36} {'seconds':>8} {'cpu s':>7} {'x SELECT':>9} {'peak MB':>8} "
            f"{'size MB':>8}"
        )
        for name, r in rows:
            ratio = r["seconds"] / base["seconds"]
            size = r["bytes"] / 1e6 if name != rows[0][0] else float("nan")
            print(
                f"{name:<36} {r['seconds']:>8.1f} {r['cpu']:>7.1f} {ratio:>9.1f} "
                f"{r['peak_mb']:>8.0f} {size:>8.1f}"
            )
        if args.pdf_posts:
            label = f"pdf ({args.pdf_posts:,}-post session)"
            ratio = pdf["seconds"] / pdf_base["seconds"]
            print(
                f"{label:<36} {pdf['seconds']:>8.1f} {pdf['cpu']:>7.1f} {ratio:>9.1f} "
                f"{pdf['peak_mb']:>8.0f} {pdf['bytes'] / 1e6:>8.1f}"
            )
        print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
