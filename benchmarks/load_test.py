"""Replay a captured mix of callback requests with N concurrent users, after a checked priming pass.

Each user is a thread with its own keep-alive connection (http.client), posting the mix's requests one after
another with no think time, starting at its own place in the mix; the threads are spread over a few processes so
the load generator itself is not held back by one interpreter lock. (wrk is not installed on this machine.)
"""

from __future__ import annotations

import http.client
import multiprocessing
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench_stats import MixRequest, percentile

HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate, br",  # what a browser sends: compression is part of serving
}
CACHE_HEADER = "X-Response-Cache"
OK = (200, 204)  # 204: the callback chose not to update (PreventUpdate), a normal answer
GENERATOR = "Python threads with http.client keep-alive connections, spread over processes"


@dataclass
class LoadResult:
    users: int
    seconds: float
    latencies_ms: list[float]
    errors: int

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    def p(self, q: float) -> float | None:
        return percentile(self.latencies_ms, q) if self.latencies_ms else None


def _connection(base: str) -> http.client.HTTPConnection:
    address = urlsplit(base)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=30)


def post(connection: http.client.HTTPConnection, request: MixRequest) -> tuple[int, str | None]:
    """POST one captured request; (status, the response-cache header). Reads the whole body, as a browser does."""
    connection.request("POST", request.url, body=request.body.encode(), headers=HEADERS)
    response = connection.getresponse()
    response.read()
    return response.status, response.getheader(CACHE_HEADER)


@dataclass
class Priming:
    """What the priming pass found: the requests that answered, those that did not, and the cache hits after it."""

    kept: list[MixRequest]
    failed: list[str]
    cacheable: int = 0
    hits: int = 0
    missed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = f"{len(self.kept)} of {len(self.kept) + len(self.failed)} requests answered"
        if self.failed:
            text += f"; FAILED (left out of the load): {'; '.join(self.failed)}"
        if self.cacheable:
            text += f"; second pass: {self.hits} of {self.cacheable} cacheable requests served from the cache"
        if self.missed:
            text += f"; NOT from the cache: {'; '.join(self.missed[:5])}"
        return text


def prime(base: str, mix: list[MixRequest], cacheable: set[str] | None) -> Priming:
    """Replay every request once (each must answer 200, or 204 for no update; one that does not is reported and
    left out of the load); with ``cacheable`` (the dashboard's public callbacks), replay the rest again and check
    each of those was answered from the response cache."""
    connection = _connection(base)
    kept, failed = [], []
    for request in mix:
        status, _ = post(connection, request)
        if status in OK:
            kept.append(request)
        else:
            failed.append(f"{request.page} {_short(request.output)}: HTTP {status}")
    result = Priming(kept, failed)
    if cacheable is None:
        return result
    for request in kept:
        status, header = post(connection, request)
        if request.output in cacheable:
            result.cacheable += 1
            if header == "hit":
                result.hits += 1
            else:
                result.missed.append(f"{request.page} {_short(request.output)}")
    connection.close()
    return result


def _short(output: str) -> str:
    return output if len(output) <= 60 else output[:57] + "..."


def _user(base: str, mix: list[MixRequest], start: int, deadline: float, out: list, errors: list) -> None:
    connection = _connection(base)
    index = start
    while time.perf_counter() < deadline:
        request = mix[index % len(mix)]
        index += 1
        began = time.perf_counter()
        try:
            status, _ = post(connection, request)
        except (OSError, http.client.HTTPException):
            errors.append(1)
            connection.close()
            connection = _connection(base)
            continue
        elapsed = (time.perf_counter() - began) * 1000
        if status in OK:
            out.append(elapsed)
        else:
            errors.append(1)
    connection.close()


def _process(args: tuple[str, list[MixRequest], list[int], float]) -> tuple[list[float], int]:
    import threading

    base, mix, starts, seconds = args
    latencies: list[float] = []
    errors: list[int] = []
    deadline = time.perf_counter() + seconds
    threads = [threading.Thread(target=_user, args=(base, mix, s, deadline, latencies, errors)) for s in starts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, len(errors)


def run(base: str, mix: list[MixRequest], users: int, seconds: float, processes: int = 2) -> LoadResult:
    """``users`` concurrent users for ``seconds``; each starts at its own place in the mix."""
    spread = max(1, len(mix) // users)
    starts = [u * spread for u in range(users)]
    shares = [(base, mix, starts[p::processes], seconds) for p in range(processes) if starts[p::processes]]
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        parts = pool.map(_process, shares)
    latencies = [x for part, _ in parts for x in part]
    # The window is the measure: a request in flight at its end finishes after it.
    return LoadResult(users, seconds, latencies, sum(e for _, e in parts))
