"""Load on 127.0.0.1 for a bounded time: wrk, or a Python fallback without it."""

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int  # wrk counts 4xx and 5xx here; redirects are checked apart
    errors: int  # socket errors: connect, read, write, timeout
    tool: str

    @property
    def failed(self) -> bool:
        return self.non_2xx > 0 or self.errors > 0 or self.requests == 0


def wrk_path() -> str | None:
    return shutil.which("wrk")


def require_loopback(url: str) -> None:
    host = urlsplit(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise ValueError(f"The bench only loads loopback, not {host}.")


def parse_duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not match:
        raise ValueError(f"Unreadable wrk latency {text!r}")
    return float(match.group(1)) * UNITS_MS[match.group(2)]


def parse_wrk(output: str) -> LoadResult:
    """Read requests/s, p50, p99, non-2xx and socket errors from `wrk --latency`."""
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    total = re.search(r"(\d+) requests in", output)
    latencies = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)", output, re.MULTILINE))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if not rate or "50" not in latencies or "99" not in latencies:
        raise ValueError(f"Unreadable wrk output:\n{output}")
    return LoadResult(
        requests_per_second=float(rate.group(1)),
        p50_ms=parse_duration_ms(latencies["50"]),
        p99_ms=parse_duration_ms(latencies["99"]),
        requests=int(total.group(1)) if total else 0,
        non_2xx=int(non_2xx.group(1)) if non_2xx else 0,
        errors=sum(int(n) for n in errors.groups()) if errors else 0,
        tool="wrk",
    )


def run_wrk(url: str, *, threads: int, connections: int, seconds: int) -> LoadResult:
    require_loopback(url)
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        url,
    ]
    done = subprocess.run(  # noqa: S603 (fixed arguments, loopback only)
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    return parse_wrk(done.stdout)


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def run_python(url: str, *, connections: int, seconds: int, **_ignored) -> LoadResult:
    """A bounded closed-loop load of keep-alive connections from threads.

    Slower than wrk (the client shares the GIL and the two cores), so its
    numbers understate the server: use them only to compare rows of one run.
    """
    require_loopback(url)
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    counts = {"non_2xx": 0, "errors": 0}
    lock = threading.Lock()

    def worker():
        mine, bad, failed = [], 0, 0
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                connection.request("GET", target)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(
                    parts.hostname, parts.port, timeout=10
                )
                continue
            mine.append((time.perf_counter() - started) * 1000)
            if not 200 <= response.status < 300:
                bad += 1
        connection.close()
        with lock:
            latencies.extend(mine)
            counts["non_2xx"] += bad
            counts["errors"] += failed

    workers = [threading.Thread(target=worker, daemon=True) for _ in range(connections)]
    started = time.monotonic()
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(seconds + 15)
    elapsed = time.monotonic() - started
    latencies.sort()
    return LoadResult(
        requests_per_second=len(latencies) / elapsed if elapsed else 0.0,
        p50_ms=percentile(latencies, 0.50),
        p99_ms=percentile(latencies, 0.99),
        requests=len(latencies),
        non_2xx=counts["non_2xx"],
        errors=counts["errors"],
        tool="python",
    )


def run_load(url: str, *, threads: int, connections: int, seconds: int) -> LoadResult:
    runner = run_wrk if wrk_path() else run_python
    return runner(url, threads=threads, connections=connections, seconds=seconds)


# Many distinct clients ---------------------------------------------------------

LUA_ROTATING = """-- generated by tests.bench.load: each request as the next client
local clients = {%(clients)s}
local counter = 0
init = function(args)
  counter = math.random(#clients)
end
request = function()
  counter = counter %% #clients + 1
  local headers = {["HX-Request"] = "true"}
  if clients[counter] ~= "" then
    headers["Cookie"] = clients[counter]
  end
  return wrk.format("GET", %(path)s, headers)
end
"""


LUA_CONDITIONAL = """-- generated by tests.bench.load: each request as the next client,
-- sending back the ETag it would hold (If-None-Match), as the live page does
local clients = {%(clients)s}
-- Each client's ETag is "<version>.<its own part>": the version is the
-- meeting's, the same for all, and follows the last answer's.
local parts = {%(parts)s}
local version = %(version)s
local counter = 0
init = function(args)
  counter = math.random(#clients)
end
request = function()
  counter = counter %% #clients + 1
  local headers = {["HX-Request"] = "true"}
  if clients[counter] ~= "" then
    headers["Cookie"] = clients[counter]
  end
  headers["If-None-Match"] = '"' .. version .. "." .. parts[counter] .. '"'
  return wrk.format("GET", %(path)s, headers)
end
response = function(status, headers, body)
  local etag = headers["ETag"] or headers["etag"]
  if etag then
    local found = string.match(etag, '^"([^.]+)%%.')
    if found then version = found end
  end
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk_clients(
    url: str,
    cookies: list[str],
    *,
    threads: int,
    connections: int,
    seconds: int,
    etags: list[str] | None = None,
) -> LoadResult:
    """wrk as fast as it can, each request with the next client's Cookie header.

    The cookies rotate through a generated Lua script (wrk's `request()`), so
    that members with their own sessions and anonymous observers ("") are mixed
    in the proportion given. With `etags` (each client's, `"<version>.<own
    part>"`), each request sends back its client's ETag, whose version follows
    the last answer's (a conditional poll).
    """
    require_loopback(url)
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if etags:
        split = [etag.strip('"').split(".", 1) for etag in etags]
        script = LUA_CONDITIONAL % {
            "clients": ", ".join(lua_string(c) for c in cookies),
            "parts": ", ".join(lua_string(own) for _version, own in split),
            "version": lua_string(split[0][0]),
            "path": lua_string(path),
        }
    else:
        script = LUA_ROTATING % {
            "clients": ", ".join(lua_string(c) for c in cookies),
            "path": lua_string(path),
        }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [
            wrk_path(),
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            handle.name,
            url,
        ]
        done = subprocess.run(  # noqa: S603 (fixed arguments, loopback only)
            command, capture_output=True, text=True, timeout=seconds + 30, check=True
        )
    finally:
        os.unlink(handle.name)
    return parse_wrk(done.stdout)


def run_clients(spec: dict, *, timeout: float) -> dict:
    """Run tests.bench.clients in a process of its own; its JSON findings."""
    require_loopback(spec["base_url"])
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as folder:
        spec_path = os.path.join(folder, "spec.json")
        out_path = os.path.join(folder, "out.json")
        with open(spec_path, "w") as handle:
            json.dump(spec, handle)
        done = subprocess.run(  # noqa: S603 (fixed arguments, loopback only)
            [sys.executable, "-m", "tests.bench.clients", spec_path, out_path],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"The load generator failed:\n{done.stderr[-3000:]}")
        with open(out_path) as handle:
            return json.load(handle)
