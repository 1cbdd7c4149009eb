"""A small HTTP load generator for loopback benchmarks: N threads, each a logged-in keep-alive client.

Bounded in time and in count, and it refuses any host but the loopback: this machine only.

    python bench/http_load.py http://127.0.0.1:8000 --user demo-finance --password … --seconds 60
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import random
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_REQUESTS = 500_000
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _loopback_only(host: str) -> None:
    address = ipaddress.ip_address(socket.gethostbyname(host))
    if not address.is_loopback:
        raise SystemExit(f"拒绝向非本机地址 {host} 发送压测流量")


class Client:
    """One browser-like session: cookies, CSRF, keep-alive."""

    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        _loopback_only(parts.hostname)
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.connection.close()  # the server closed a kept-alive connection: retry once
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str, password: str) -> None:
        status, page = self.request("GET", "/login/")
        token = _CSRF_INPUT.search(page).group(1)
        body = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token})
        status, _ = self.request("POST", "/login/", body)
        if status != 302:
            raise SystemExit(f"登录失败（HTTP {status}）：{username}")


@dataclass
class Result:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def p(self, kind: str, q: float) -> float:
        values = sorted(self.latencies.get(kind, []))
        if not values:
            return float("nan")
        return values[min(len(values) - 1, int(q * len(values)))] * 1000


def run(
    base: str, *, pages: dict[str, Callable[[random.Random], str]], username: str, password: str,
    clients: int = 20, seconds: float = 60.0,
) -> Result:
    """``clients`` threads log in, then request the pages in turn (each kind equally often) until time is up."""
    result = Result(latencies={kind: [] for kind in pages}, errors={kind: 0 for kind in pages})
    lock = threading.Lock()
    sessions = [Client(base) for _ in range(clients)]
    for session in sessions:
        session.login(username, password)
    start = time.perf_counter()
    deadline = start + seconds
    counter = iter(range(MAX_REQUESTS))

    def worker(number: int) -> None:
        rng = random.Random(number)
        kinds = list(pages)
        session = sessions[number]
        i = number
        while time.perf_counter() < deadline and next(counter, None) is not None:
            kind = kinds[i % len(kinds)]
            i += 1
            path = pages[kind](rng)
            began = time.perf_counter()
            try:
                status, _ = session.request("GET", path)
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok = False
            elapsed = time.perf_counter() - began
            with lock:
                result.latencies[kind].append(elapsed)
                if not ok:
                    result.errors[kind] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - start
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("--user", default="demo-finance")
    parser.add_argument("--password", required=True)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    pages = {"dashboard": lambda rng: "/", "list": lambda rng: "/reports/", "rollup": lambda rng: "/rollup/"}
    result = run(args.base, pages=pages, username=args.user, password=args.password, clients=args.clients,
                 seconds=args.seconds)
    for kind, values in result.latencies.items():
        print(f"{kind:<10} n={len(values):>6} p50={result.p(kind, .5):7.1f} ms p95={result.p(kind, .95):7.1f} ms "
              f"errors={result.errors[kind]}")


if __name__ == "__main__":
    main()
