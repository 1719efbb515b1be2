"""Page serving benchmark (not a test).

Starts `forum-server serve` (uvicorn, SQLite, loopback) on a temporary data folder with
a thread of 200 contributions (every fourth a reply), and in the same run a bare
Starlette app on the same uvicorn settings, serving a Jinja page of the same size
(200 articles with the same texts, rendered on every request) and a trivial route.
Both run in one process each; the load comes from `wrk` (N connections) on the same
machine, so the load generator's own CPU is part of what limits every figure.

Measured, each as requests/s and p50/p99 latency:

- `/healthz` against the bare trivial route,
- a guest's thread page against the bare Jinja page,
- the same page for the forum's administrator (signed in with an API token: a
  moderator's page, with reply forms; never kept whole, so each post's markup comes
  from the per-post cache and the page's queries run) against the bare Jinja page,
- a guest's thread page revalidated (`If-None-Match` with its ETag: 304) against the
  bare trivial route.

Bodies are not compressed (wrk sends no Accept-Encoding), on either side.

    .venv/bin/python bench/pages.py                     # 64 connections, 10 s each
    .venv/bin/python bench/pages.py --connections 16 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from live import PASSWORD, ForumServer, free_port

POSTS = 200
SENTENCES = [
    "Peer learning between ministries worked better than any workshop we ran.",
    "In our region the **training budget** was cut twice, so we pooled it with two "
    "neighbouring countries and shared one curriculum.",
    "What should change: reporting cycles. We report to *four* bodies on the same "
    "indicators, each in its own format.",
    "A shared glossary in the six languages saved our translators weeks.",
    "See the [annex](https://example.org/annex) for the figures from 2019 to 2024.",
    "- mentoring pairs across agencies\n- one online course, not five\n- fewer meetings",
]


def post_text(n: int) -> str:
    """About 350 to 700 characters of Markdown, varied from post to post."""
    parts = [SENTENCES[(n + i) % len(SENTENCES)] for i in range(3 + n % 4)]
    return f"Contribution {n}.\n\n" + "\n\n".join(parts)


def fill_thread(server: ForumServer) -> tuple[int, str]:
    """A thread of POSTS contributions; its path and the bodies (for the baseline)."""
    token, _session_id, thread_id = server.setup_session()
    headers = {"Authorization": f"Bearer {token}"}
    parents: list[int] = []
    with httpx.Client(base_url=server.base, timeout=30, headers=headers) as client:
        for n in range(POSTS):
            body: dict[str, object] = {"body": post_text(n), "lang": "en"}
            if n % 4 == 3 and parents:
                body["parent_id"] = parents[-1]
            answer = client.post(f"/api/v1/threads/{thread_id}/posts", json=body)
            answer.raise_for_status()
            parents.append(answer.json()["id"])
    return thread_id, f"/threads/{thread_id}"


# --- the baseline: bare Starlette + Jinja -------------------------------------------------

BARE_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="/static/forum.css"></head>
<body><main><h1>{{ title }}</h1>
{% for post in posts %}
<article class="post" id="post-{{ post.id }}"><header><strong>{{ post.author }}</strong>
<span class="meta">{{ post.country }}</span></header>
<div class="post-body" dir="auto">{{ post.html|safe }}</div>
<footer class="meta"><a href="#post-{{ post.id }}">
<time datetime="{{ post.when }}">{{ post.when }}</time></a></footer>
</article>
{% endfor %}
<p>{{ padding }}</p>
</main></body></html>
"""


def bare_app():  # type: ignore[no-untyped-def]
    """The baseline app (uvicorn --factory): the page data comes from BENCH_PAGE_DATA."""
    from jinja2 import Environment
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse, PlainTextResponse
    from starlette.routing import Route

    data = json.loads(Path(os.environ["BENCH_PAGE_DATA"]).read_text())
    template = Environment(autoescape=True).from_string(BARE_TEMPLATE)

    async def trivial(_request):  # type: ignore[no-untyped-def]
        return PlainTextResponse("ok")

    async def page(_request):  # type: ignore[no-untyped-def]
        return HTMLResponse(template.render(data))

    return Starlette(routes=[Route("/trivial", trivial), Route("/page", page)])


def bare_page_data(forum_page_bytes: int) -> dict[str, object]:
    """The same texts as the forum's thread, padded to the forum page's size."""
    from markdown_it import MarkdownIt

    md = MarkdownIt()
    posts = [
        {
            "id": n + 1,
            "author": "Bench Admin",
            "country": "KE",
            "html": md.render(post_text(n)),
            "when": "2026-01-01T10:00:00Z",
        }
        for n in range(POSTS)
    ]
    data: dict[str, object] = {"title": "Q?", "posts": posts, "padding": ""}
    from jinja2 import Environment

    size = len(Environment(autoescape=True).from_string(BARE_TEMPLATE).render(data).encode())
    data["padding"] = "x" * max(0, forum_page_bytes - size)
    return data


class BareServer:
    def __init__(self, data: dict[str, object]) -> None:
        self.dir = tempfile.TemporaryDirectory(prefix="bare-bench-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        path = Path(self.dir.name) / "page.json"
        path.write_text(json.dumps(data))
        self.env = {**os.environ, "BENCH_PAGE_DATA": str(path)}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "--factory", "pages:bare_app"),
                *("--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"),
                "--no-access-log",
            ],
            env=self.env,
            cwd=Path(__file__).parent,
        )
        for _ in range(100):
            try:
                httpx.get(self.base + "/trivial", timeout=1)
                return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("the bare server did not start")

    def stop(self) -> None:
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)
        self.dir.cleanup()


# --- load ---------------------------------------------------------------------------------


@dataclass
class Figure:
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int  # non-2xx/3xx answers and socket errors

    def __str__(self) -> str:
        shown = f"{self.rps:9.0f} req/s  p50 {self.p50_ms:7.2f} ms  p99 {self.p99_ms:7.2f} ms"
        return shown + (f"  ({self.errors} errors)" if self.errors else "")


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if found is None:  # wrk prints "-nan" or the like when it saw too few answers
        print(f"(latency not read: {text!r})")
        return float("nan")
    value, unit = found.groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1e3, "m": 6e4, "h": 3.6e6}[unit]


def wrk(url: str, connections: int, seconds: int, headers: dict[str, str]) -> Figure:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if os.environ.get("BENCH_WRK_OUTPUT"):
        print(out)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # The latency distribution's lines ("     50%    3.97ms"), not a stdev's "80.50%".
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))  # type: ignore[union-attr]
    errors = sum(
        int(n) for n in re.findall(r"(?:Non-2xx or 3xx responses|Socket errors:.*?):\s+(\d+)", out)
    )
    return Figure(rps, p50, p99, errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed (Debian: apt-get install wrk)")

    forum = ForumServer()
    forum.start()
    bare: BareServer | None = None
    try:
        _thread_id, path = fill_thread(forum)
        # A guest's first visit: the page, its ETag and the CSRF cookie its forms use.
        first = httpx.get(forum.base + path, headers={"Accept-Encoding": "identity"})
        first.raise_for_status()
        tag = first.headers["etag"]
        cookie = "; ".join(f"{k}={v}" for k, v in first.cookies.items())
        guest = {"Cookie": cookie}
        check = httpx.get(forum.base + path, headers={**guest, "If-None-Match": tag})
        assert check.status_code == 304, check.status_code
        bare = BareServer(bare_page_data(len(first.content)))
        bare.start()
        bare_size = len(httpx.get(bare.base + "/page").content)
        print(
            f"thread of {POSTS} posts: forum page {len(first.content)} bytes, "
            f"bare page {bare_size} bytes; {args.connections} connections, "
            f"{args.seconds} s each; load average before {os.getloadavg()[0]:.2f}"
        )
        login = {"email": "bench@example.org", "password": PASSWORD}
        token = httpx.post(forum.base + "/api/v1/tokens", json=login).json()["token"]
        admin = {"Authorization": f"Bearer {token}"}
        httpx.get(forum.base + path, headers=admin).raise_for_status()
        pairs = [
            ("/healthz vs bare trivial", forum.base + "/healthz", {}, bare.base + "/trivial"),
            ("guest thread page vs bare Jinja page", forum.base + path, guest, bare.base + "/page"),
            (
                "administrator's thread page vs bare Jinja page",
                forum.base + path,
                admin,
                bare.base + "/page",
            ),
            (
                "guest thread page, 304 vs bare trivial",
                forum.base + path,
                {**guest, "If-None-Match": tag},
                bare.base + "/trivial",
            ),
        ]
        for name, url, headers, baseline_url in pairs:
            ours = wrk(url, args.connections, args.seconds, headers)
            base = wrk(baseline_url, args.connections, args.seconds, {})
            print(f"\n{name}")
            print(f"  forum    {ours}")
            print(f"  baseline {base}")
            print(f"  ratio    {ours.rps / base.rps:.2f} of the baseline's req/s")
        print(f"\nload average after {os.getloadavg()[0]:.2f}")
    finally:
        if bare:
            bare.stop()
        forum.stop()


if __name__ == "__main__":
    main()
