"""Replay a captured mix of callback requests with N concurrent users, after a checked priming pass.

Each user is a keep-alive connection posting the mix's requests one after another with no think time, starting at
its own place in the mix. Two load generators: wrk (benchmarks/wrk_mix.lua) when it is installed, and Python
threads with http.client spread over a few processes; the benchmark uses the one that gets more requests a second
out of the hello-world app, so the generator is not what is measured.
"""

from __future__ import annotations

import http.client
import multiprocessing
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench_stats import MixRequest, percentile

HEADERS = {
    "Content-Type": "application/json",
    "Accept": "application/json",
    "Accept-Encoding": "gzip, deflate, br",  # what a browser sends: compression is part of serving
}
CACHE_HEADER = "X-Response-Cache"
OK = (200, 204)  # 204: the callback chose not to update (PreventUpdate), a normal answer
PYTHON = "Python threads with http.client keep-alive connections, over 2 processes"
WRK = "wrk (2 threads, benchmarks/wrk_mix.lua)"
QUANTILES = (50, 95, 99)


@dataclass
class LoadResult:
    generator: str
    users: int
    seconds: float
    requests: int
    errors: int
    percentiles_ms: dict[int, float]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def p(self, q: int) -> float | None:
        return self.percentiles_ms.get(q)


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
        if request.output in cacheable and status == 200:  # a 204 (no update) has nothing to cache
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


def run_python(base: str, mix: list[MixRequest], users: int, seconds: float, processes: int = 2) -> LoadResult:
    """``users`` concurrent users for ``seconds``; each starts at its own place in the mix."""
    spread = max(1, len(mix) // users)
    starts = [u * spread for u in range(users)]
    shares = [(base, mix, starts[p::processes], seconds) for p in range(processes) if starts[p::processes]]
    with multiprocessing.get_context("fork").Pool(len(shares)) as pool:
        parts = pool.map(_process, shares)
    latencies = [x for part, _ in parts for x in part]
    # The window is the measure: a request in flight at its end finishes after it.
    quantiles = {q: percentile(latencies, q) for q in QUANTILES} if latencies else {}
    return LoadResult(PYTHON, users, seconds, len(latencies), sum(e for _, e in parts), quantiles)


def run_wrk(base: str, mix: list[MixRequest], users: int, seconds: float) -> LoadResult | None:
    """The same load through wrk, or None when wrk is not installed."""
    if not shutil.which("wrk"):
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as file:
        file.writelines(f"{r.url}\t{r.body}\n" for r in mix)
    try:
        script = Path(__file__).resolve().parent / "wrk_mix.lua"
        command = ["wrk", "-t2", f"-c{users}", f"-d{round(seconds)}s", "--timeout", "10s", "-s", str(script), base]
        output = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "WRK_MIX": file.name})
    finally:
        os.unlink(file.name)
    line = next((x for x in output.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {(output.stderr or output.stdout)[-300:]}")
    values = {k: int(v) for k, v in (item.split("=") for item in line.split()[1:])}
    quantiles = {q: values[f"p{q}_us"] / 1000 for q in QUANTILES}
    return LoadResult(WRK, users, values["duration_us"] / 1e6, values["requests"], values["errors"], quantiles)


def run(base: str, mix: list[MixRequest], users: int, seconds: float, generator: str) -> LoadResult:
    """The load through the named generator (``PYTHON`` or ``WRK``)."""
    if generator == WRK:
        result = run_wrk(base, mix, users, seconds)
        if result is not None:
            return result
    return run_python(base, mix, users, seconds)


def faster_generator(base: str, mix: list[MixRequest], users: int, seconds: float) -> tuple[str, dict[str, float]]:
    """Which generator gets more requests a second out of this server (the hello-world), and what each got."""
    got = {PYTHON: run_python(base, mix, users, seconds).throughput}
    wrk = run_wrk(base, mix, users, seconds)
    if wrk is not None:
        got[WRK] = wrk.throughput
    return max(got, key=lambda name: got[name]), got
