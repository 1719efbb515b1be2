"""Draft synthesis benchmark (not a test): the time to draft a session's syntheses
(the whole session and each of its six questions) from N published posts, against
the time to read those posts alone, in one run.

    .venv/bin/python bench/synthesis.py               # 2,000 posts
    .venv/bin/python bench/synthesis.py --posts 20000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.search_corpus import Corpus  # noqa: E402


async def run(posts: int, rounds: int) -> None:
    from sqlalchemy import insert, select

    from forum_server.accounts.models import User
    from forum_server.db import Database
    from forum_server.migrate import migrate
    from forum_server.orm import utcnow
    from forum_server.policy import Actor
    from forum_server.rooms import sessions, spaces
    from forum_server.rooms.models import Post, Question
    from forum_server.rooms.schemas import SessionCreate, SpaceCreate
    from forum_server.synthesis.drafts import _published, session_synthesis

    secretariat = Actor(is_secretariat=True, display_name="Secretariat")
    with tempfile.TemporaryDirectory(prefix="forum-synthesis-bench-") as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await migrate(url)
        db = Database(url)
        await spaces.create_space(db, secretariat, SpaceCreate(slug="s", title="Forum"))
        now = utcnow()
        created = await sessions.create_session(
            db,
            secretariat,
            "s",
            SessionCreate.model_validate(
                {
                    "title": "Bench",
                    "opens_at": now,
                    "questions": [f"Question {n}?" for n in range(1, 7)],
                }
            ),
        )
        rng = random.Random(7)
        corpus = Corpus(rng)
        regions = ["AFR", "APAC", "EEG", "GRULAC", "WEOG"]
        async with db.write() as uow:
            await uow.session.execute(
                insert(User),
                [
                    {
                        "email": f"p{n}@example.org",
                        "display_name": f"Participant {n}",
                        "region": regions[n % 5],
                        "country": "KE",
                    }
                    for n in range(200)
                ],
            )
            users = list(await uow.session.scalars(select(User.id)))
            threads = list(
                await uow.session.scalars(
                    select(Question.thread_id).where(Question.session_id == created.id)
                )
            )
            await uow.session.execute(
                insert(Post),
                [
                    {
                        "thread_id": threads[n % len(threads)],
                        "session_id": created.id,
                        "author_id": rng.choice(users),
                        "body": corpus.body(rng, "en"),
                        "html": "",
                        "status": "published",
                        "created_at": now,
                    }
                    for n in range(posts)
                ],
            )
        read, draft, cpu = [], [], []
        for _ in range(rounds):
            began = time.perf_counter()
            async with db.read() as session:
                await _published(session, created.id)
            read.append(time.perf_counter() - began)
            began, began_cpu = time.perf_counter(), time.process_time()
            async with db.read() as session:
                result = await session_synthesis(session, secretariat, created.id)
            draft.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
        await db.dispose()
    cited = sum(len(d.excerpts) for d in (result.session, *result.questions))
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}")
    print(
        f"{posts:,} posts: drafting best {min(draft):.2f} s, median "
        f"{sorted(draft)[len(draft) // 2]:.2f} s, CPU best {min(cpu):.2f} s "
        f"({cited} excerpts in 7 drafts); "
        f"reading the posts alone best {min(read):.2f} s (ratio {min(draft) / min(read):.1f})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.posts, args.rounds))


if __name__ == "__main__":
    main()
