"""A bounded load generator of many distinct clients, run as its own process.

`python -m tests.bench.clients SPEC.json OUT.json` reads a spec, loads
127.0.0.1 for a bounded time, and writes its findings as JSON. It runs in a
process of its own, never in the bench's or gunicorn's, and reports its own
CPU time and the load average, so that its share of the two cores is seen.

Modes (spec["mode"]):

- "poll": each client (a Cookie header, or "" for an anonymous one) GETs
  one path at `rate` requests per second (a fixed schedule, like htmx's
  `every 1s`; a client late on its schedule sends at once and the lateness is
  counted), or as fast as it can when `rate` is 0, for `seconds`; with
  `conditional`, each sends back the ETag of its last answer (If-None-Match),
  as the live page does, and the unchanged answers (204, 304) are counted;
- "act": each client first GETs `page` (its CSRF cookie and token, and the
  idempotency key the page issues it, as a browser does), then all POST
  `form` to `path` at the same moment (a barrier), then optional `after`
  POSTs run one by one (e.g. the chair's announcement). A form's
  `idempotency_key` that begins with "-" is a suffix to the issued key.

Without Django: the standard library only, so that it starts fast.
"""

import http.client
import json
import os
import random
import re
import resource
import sys
import threading
import time
from urllib.parse import urlencode, urlsplit

TIMEOUT = 30.0
TOKEN = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
# The idempotency key a page issues its reader (fundapp.idempotency.FORM_KEY).
ISSUED_KEY = re.compile(r"f[0-9a-f]{16}\.[0-9a-f]{24}")


def percentile(ordered: list[float], share: float) -> float:
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def _require_loopback(host: str) -> None:
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"Only loopback is loaded, not {host}.")


class Client:
    """One browser: its own cookies and a connection (reopened when closed)."""

    def __init__(self, host: str, port: int, cookie: str = ""):
        self.host, self.port = host, port
        self.cookies = dict(
            part.strip().split("=", 1) for part in cookie.split(";") if "=" in part
        )
        self.connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT)

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            raise
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()  # gunicorn's sync workers close each time
        self.etag = response.getheader("ETag") or self.etag
        return response.status, data

    etag = None

    def close(self) -> None:
        self.connection.close()


def run_poll(spec: dict, host: str, port: int) -> dict:
    path, rate, seconds = spec["path"], float(spec["rate"]), float(spec["seconds"])
    headers = spec.get("headers", {})
    conditional = spec.get("conditional", False)
    cookies = spec["clients"]
    lock = threading.Lock()
    found = {"latencies": [], "non_2xx": 0, "errors": 0, "late": 0, "statuses": {}}
    start = time.monotonic() + 0.5
    deadline = start + seconds

    def client_loop(index: int) -> None:
        client = Client(host, port, cookies[index])
        mine, bad, failed, late, statuses = [], 0, 0, 0, {}
        rng = random.Random(index)  # noqa: S311 (spreads the clients' phases)
        due = start + (rng.random() / rate if rate else 0.0)
        while True:
            if rate:
                if due >= deadline:
                    break
                now = time.monotonic()
                if due > now:
                    time.sleep(due - now)
                elif now - due > 0.05:
                    late += 1
                due += 1.0 / rate
            elif time.monotonic() >= deadline:
                break
            sent = time.perf_counter()
            sending = dict(headers)
            if conditional and client.etag:
                sending["If-None-Match"] = client.etag
            try:
                status, _body = client.request("GET", path, headers=sending)
            except (OSError, http.client.HTTPException):
                failed += 1
                continue
            mine.append((time.perf_counter() - sent) * 1000)
            statuses[status] = statuses.get(status, 0) + 1
            if not (200 <= status < 300 or status == 304):
                bad += 1
        client.close()
        with lock:
            found["latencies"].extend(mine)
            found["non_2xx"] += bad
            found["errors"] += failed
            found["late"] += late
            for status, count in statuses.items():
                found["statuses"][status] = found["statuses"].get(status, 0) + count

    threads = [
        threading.Thread(target=client_loop, args=(i,), daemon=True)
        for i in range(len(cookies))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + TIMEOUT + 5)
    elapsed = time.monotonic() - start
    latencies = sorted(found.pop("latencies"))
    return {
        **found,
        "requests": len(latencies),
        "requests_per_second": len(latencies) / elapsed if elapsed > 0 else 0.0,
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "max_ms": latencies[-1] if latencies else 0.0,
    }


def _with_issued_key(form: dict, page: str) -> dict:
    """The form with its idempotency key made from the one the page issued."""
    suffix = form.get("idempotency_key", "")
    if not suffix.startswith("-"):
        return form
    issued = ISSUED_KEY.search(page)
    if issued is None:
        raise SystemExit("The page issued no idempotency key.")
    return {**form, "idempotency_key": issued.group(0) + suffix}


def _form_post(client: Client, path: str, form: dict, token: str, referer: str):
    body = urlencode(form)
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-CSRFToken": token,
        "HX-Request": "true",
        "Referer": referer,
    }
    return client.request("POST", path, body=body, headers=headers)


def run_act(spec: dict, host: str, port: int) -> dict:
    """Everyone POSTs at once (a barrier), each with their session and CSRF token."""
    page, path = spec["page"], spec["path"]
    referer = f"http://{host}:{port}{page}"
    actors = spec["clients"]
    prepared = []
    for actor in actors:
        client = Client(host, port, actor["cookie"])
        status, body = client.request("GET", page)
        text = body.decode("utf-8", "replace")
        match = TOKEN.search(text)
        if status != 200 or not match:
            raise SystemExit(f"GET {page} answered {status} without a CSRF token.")
        prepared.append((client, match.group(1), _with_issued_key(actor["form"], text)))
    barrier = threading.Barrier(len(prepared))
    results: list[dict] = [{} for _ in prepared]

    def act(index: int) -> None:
        client, token, form = prepared[index]
        client.connection.connect()  # connected before the barrier
        barrier.wait()
        sent = time.perf_counter()
        try:
            status, body = _form_post(client, path, form, token, referer)
        except (OSError, http.client.HTTPException) as error:
            results[index] = {"error": str(error)}
            return
        results[index] = {
            "ms": (time.perf_counter() - sent) * 1000,
            "status": status,
            "refused": 'role="alert"' in body.decode("utf-8", "replace"),
        }

    threads = [threading.Thread(target=act, args=(i,)) for i in range(len(prepared))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 5)
    after = []
    for step in spec.get("after", []):
        client = Client(host, port, step["cookie"])
        status, body = client.request("GET", page)
        text = body.decode("utf-8", "replace")
        token = TOKEN.search(text).group(1)
        form = _with_issued_key(step["form"], text)
        status, body = _form_post(client, path, form, token, referer)
        after.append(
            {"status": status, "refused": 'role="alert"' in body.decode("utf-8")}
        )
        client.close()
    for client, _token, _form in prepared:
        client.close()
    times = sorted(r["ms"] for r in results if "ms" in r)
    return {
        "requests": len(times),
        "errors": sum(1 for r in results if "error" in r),
        "non_2xx": sum(1 for r in results if r.get("status", 200) != 200),
        "refused": sum(1 for r in results if r.get("refused")),
        "p50_ms": percentile(times, 0.50),
        "p99_ms": percentile(times, 0.99),
        "max_ms": times[-1] if times else 0.0,
        "after": after,
    }


def main(argv: list[str]) -> None:
    spec_path, out_path = argv
    with open(spec_path) as handle:
        spec = json.load(handle)
    parts = urlsplit(spec["base_url"])
    _require_loopback(parts.hostname)
    load_before = os.getloadavg()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    wall = time.monotonic()
    runner = {"poll": run_poll, "act": run_act}[spec["mode"]]
    found = runner(spec, parts.hostname, parts.port)
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    wall = time.monotonic() - wall
    found.update(
        generator_cpu_seconds=cpu,
        generator_cpu_share=cpu / wall if wall else 0.0,
        wall_seconds=wall,
        load_before=load_before,
        load_after=os.getloadavg(),
    )
    with open(out_path, "w") as handle:
        json.dump(found, handle)


if __name__ == "__main__":
    main(sys.argv[1:])
