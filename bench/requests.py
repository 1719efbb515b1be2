"""The cost of every request: a benchmark (not a test).

Starts `forum-server serve` (uvicorn, SQLite, loopback) on a temporary data folder and,
in the same run, the bare Starlette app of bench/pages.py on the same uvicorn settings,
then measures with `wrk` (N connections, on the same machine) each as requests/s and
p50/p99 latency:

- `/healthz` (no database) against the bare trivial route,
- `GET /api/v1/me` with a bearer token against the bare trivial route,
- `GET /api/v1/me` with a browser's sign-in cookie (and its CSRF cookie) against the
  bare trivial route.

`/api/v1/me` reads its account from the database on every request, whoever asks; who
is asking (the token or the cookie) is what the identity cache spares.

    .venv/bin/python bench/requests.py                     # 64 connections, 10 s each
    .venv/bin/python bench/requests.py --connections 16 --seconds 5
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys

import httpx
from live import PASSWORD, ForumServer
from pages import BareServer, Figure, wrk

ADMIN = "bench@example.org"


def bearer_token(forum: ForumServer) -> str:
    answer = httpx.post(forum.base + "/api/v1/tokens", json={"email": ADMIN, "password": PASSWORD})
    answer.raise_for_status()
    token: str = answer.json()["token"]
    return token


def sign_in_cookie(forum: ForumServer) -> str:
    """The Cookie header of a browser signed in through the sign-in form."""
    with httpx.Client(base_url=forum.base, timeout=30) as browser:
        page = browser.get("/login").text
        marker = 'name="csrf-token" content="'
        start = page.index(marker) + len(marker)
        csrf = page[start : page.index('"', start)]
        signed_in = browser.post(
            "/login", data={"email": ADMIN, "password": PASSWORD, "csrf_token": csrf}
        )
        assert signed_in.status_code == 303, signed_in.status_code
        return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())


def compare(
    name: str, url: str, headers: dict[str, str], baseline_url: str, connections: int, seconds: int
) -> tuple[Figure, Figure]:
    ours = wrk(url, connections, seconds, headers)
    base = wrk(baseline_url, connections, seconds, {})
    print(f"\n{name}")
    print(f"  forum    {ours}")
    print(f"  baseline {base}")
    print(f"  ratio    {ours.rps / base.rps:.2f} of the baseline's req/s")
    return ours, base


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
        token = bearer_token(forum)
        cookie = sign_in_cookie(forum)
        me = forum.base + "/api/v1/me"
        for headers in ({"Authorization": f"Bearer {token}"}, {"Cookie": cookie}):
            httpx.get(me, headers=headers).raise_for_status()  # both are signed in
        # The bare app's page is not measured here: its data only has to be there.
        bare = BareServer({"title": "", "posts": [], "padding": ""})
        bare.start()
        trivial = bare.base + "/trivial"
        print(
            f"{args.connections} connections, {args.seconds} s each; "
            f"load average before {os.getloadavg()[0]:.2f}"
        )
        pairs = [
            ("/healthz vs bare trivial", forum.base + "/healthz", {}),
            (
                "GET /api/v1/me, bearer token vs bare trivial",
                me,
                {"Authorization": f"Bearer {token}"},
            ),
            ("GET /api/v1/me, sign-in cookie vs bare trivial", me, {"Cookie": cookie}),
        ]
        for name, url, headers in pairs:
            compare(name, url, headers, trivial, args.connections, args.seconds)
        print(f"\nload average after {os.getloadavg()[0]:.2f}")
    finally:
        if bare:
            bare.stop()
        forum.stop()


if __name__ == "__main__":
    main()
