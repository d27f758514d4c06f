"""The council's served measurement in `make bench` (registered by councils/bench.py).

Measured the way people use the live meeting page: through the bench's own
gunicorn (the same sync workers and PostgreSQL database as the other rows),
by a load generator in a process of its own (`tests.bench.clients`):

- the live fragment (`/meetings/<pk>/live/`, polled every second by htmx) for
  23 members, each logged in with their own session, and 50 anonymous
  observers (the page needs no login): each client polls at the page's
  cadence, one request a second, for 20 s, sending back the ETag of its last
  answer as the page does (p50, p99, errors; target p99 under 150 ms), then
  as fast as possible with wrk rotating the 73 clients' cookies and ETags
  (requests/s at saturation; target 1,000);
- the SQL queries of one poll, counted with a short log and again after
  2,000 more events, in the same run (they must be equal), and of a poll
  that sends back its ETag while nothing changed (it must be 0, answered 204);
- 23 members POSTing their vote to `/meetings/<pk>/act/` at the same moment,
  each with their session, CSRF token and the idempotency key the page
  issued them; then the chair's announcement; the database is read
  afterwards: 23 votes stored, one per member, and the announced count equal
  to them (target p99 under 300 ms).

The data is made with the app's own services (`councils.services`,
`fundapp.services`) on the bench database, in a child process that shares
gunicorn's settings and secret key: a bench council in a scale community
(its people are made once; a new meeting each run). Members are logged in
with Django's session engine (`Client.force_login`), not by password, so that
setting up 24 sessions does not cost 24 password hashes. Nothing here uses
tests/factories.py.

Run alone: `make bench BENCH_ARGS="--only council"`.
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from councils.bench import MEMBERS, OBSERVERS
from tests.bench import load
from tests.bench.targets import ServedRow

LOG_EVENTS = 2000
POLL_SECONDS = 20
SATURATION_SECONDS = 10
MAX_P99_MS = 150.0
# Issue 13: about a third of a bare view, so that ten meetings at once fit.
MIN_SATURATION = 1000.0
MAX_VOTE_P99_MS = 300.0
COMMUNITY = "S231"  # a scale community (the fund's scale step); no fund page row
PHONE_PREFIX = "1390099"  # 11 digits with a four-digit number
TERM_NAME = "Bench term"
# Never used to log in (sessions come from the session engine); passes the validators.
PASSWORD = "bench-Linli-council-7Q"  # noqa: S105


# -- In the child process, on the bench database -------------------------------


def _person(community, number: int, role: str):
    from fundapp import services as fund_services
    from fundapp.models import Role, User

    phone = f"{PHONE_PREFIX}{number:04d}"
    user = User.objects.filter(phone=phone).first()
    if user is None:
        user = fund_services.resident_register(
            community=community,
            phone=phone,
            password=PASSWORD,
            display_name=f"Bench member {number}",
            address=f"Bench building, room {number}",
        )
    for held in (Role.RESIDENT, role):
        fund_services.role_grant(
            user=user, community=community, role=held, granted_by=None
        )
    return user


def _council():
    """The bench council: a social worker, a chair (coordinator), 23 councillors."""
    import datetime

    from councils import services
    from councils.models import Council, Seat, Term
    from fundapp.models import Community, Role

    community = Community.objects.filter(code=COMMUNITY).first()
    if community is None:
        raise RuntimeError(
            f"No community {COMMUNITY}: run the bench without --skip-generate."
        )
    worker = _person(community, 0, Role.SOCIAL_WORKER)
    chair = _person(community, 1, Role.COORDINATOR)
    members = [_person(community, 10 + n, Role.COUNCILLOR) for n in range(MEMBERS)]
    # As load_demo does (councils/demo.py): services.council_create refuses
    # every social worker, because councils.permissions._council_community
    # finds no community when given a Community (reported with the bench).
    council, _created = Council.objects.get_or_create(
        community=community, defaults={"name": f"{community.name} council (bench)"}
    )
    term = Term.objects.filter(council=council, name=TERM_NAME).first()
    starts = datetime.date(2020, 1, 1)
    if term is None:
        term = services.term_create(
            council=council,
            actor=worker,
            name=TERM_NAME,
            starts_on=starts,
            councillor_seats=MEMBERS,
            coordinator_seats=1,
        )
    seated = set(Seat.objects.filter(term=term).values_list("holder_id", flat=True))
    for person, role in [(chair, "coordinator"), *((m, "councillor") for m in members)]:
        if person.pk not in seated:
            services.seat_assign(
                term=term,
                holder=person,
                role=role,
                starts_on=starts,
                actor=worker,
            )
    return council, worker, chair, members


def _queries(client, url: str) -> tuple[int, int, int, int, int]:
    """(status, queries with the cache emptied, queries from the cache,
    status and queries of a poll sending back the ETag it got: unchanged)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(url, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as cached:
        again = client.get(url, HTTP_HX_REQUEST="true")
    with CaptureQueriesContext(connection) as unchanged:
        polled = client.get(
            url, HTTP_HX_REQUEST="true", HTTP_IF_NONE_MATCH=again["ETag"]
        )
    return (
        response.status_code,
        len(cold),
        len(cached),
        polled.status_code,
        len(unchanged),
    )


def prepare(out_path: str) -> None:
    """A new meeting in session with a 2,000-event log and a question put to vote.

    Writes JSON: the meeting, the members' and the chair's session cookies,
    and the queries per poll with the short and the long log.
    """
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from councils import services

    council, worker, chair, members = _council()
    meeting = services.meeting_schedule(
        council=council,
        actor=worker,
        scheduled_at=timezone.now(),
        place="Bench hall",
        chair=chair,
    )
    tag = f"bench-{meeting.pk}"
    for person in [chair, *members]:
        services.meeting_check_in(
            meeting=meeting, member=person, idempotency_key=f"{tag}-in-{person.pk}"
        )
    services.meeting_call_to_order(
        meeting=meeting, chair=chair, idempotency_key=f"{tag}-call"
    )
    url = f"/meetings/{meeting.pk}/live/"
    sessions = {}
    for person in [chair, *members]:
        client = Client()
        client.force_login(person)
        sessions[person.pk] = client
    watcher, observer = sessions[members[5].pk], Client()
    short = {"member": _queries(watcher, url), "observer": _queries(observer, url)}
    short_events = meeting.events.count()
    for number in range(LOG_EVENTS // 2):  # the floor given and yielded
        services.floor_recognise(
            meeting=meeting,
            chair=chair,
            member=members[number % MEMBERS],
            idempotency_key=f"{tag}-f-{number}",
        )
        services.floor_yield(
            meeting=meeting,
            member=members[number % MEMBERS],
            idempotency_key=f"{tag}-y-{number}",
        )
    long = {"member": _queries(watcher, url), "observer": _queries(observer, url)}
    long_events = meeting.events.count()
    # The question the members will vote on, put while they watch.
    services.motion_move(
        meeting=meeting,
        member=members[0],
        motion="main",
        text="Bench question",
        idempotency_key=f"{tag}-move",
    )
    services.motion_second(
        meeting=meeting, member=members[1], idempotency_key=f"{tag}-second"
    )
    services.motion_state(meeting=meeting, chair=chair, idempotency_key=f"{tag}-st")
    services.question_put(
        meeting=meeting, chair=chair, method="counted", idempotency_key=f"{tag}-q"
    )
    name = settings.SESSION_COOKIE_NAME

    def cookie(person) -> str:
        return f"{name}={sessions[person.pk].cookies[name].value}"

    found = {
        "meeting": meeting.pk,
        "live": url,
        "page": f"/meetings/{meeting.pk}/",
        "act": f"/meetings/{meeting.pk}/act/",
        "chair": cookie(chair),
        "members": [cookie(person) for person in members],
        "events": {"short": short_events, "long": long_events},
        "queries": {"short": short, "long": long},
    }
    with open(out_path, "w") as handle:
        json.dump(found, handle)


def verify(meeting_pk: int, out_path: str) -> None:
    """What the database holds after the votes and the announcement."""
    from councils.models import Meeting, Vote
    from councils.selectors import meeting_outcome

    meeting = Meeting.objects.get(pk=meeting_pk)
    votes = Vote.objects.filter(question__meeting=meeting)
    decisions = meeting_outcome(meeting)["decisions"]
    found = {
        "stored": votes.count(),
        "members": votes.values("member").distinct().count(),
        "vote_events": meeting.events.filter(type="vote").count(),
        "announced_yes": decisions[-1]["yes"] if decisions else None,
    }
    with open(out_path, "w") as handle:
        json.dump(found, handle)


# -- In the bench process ---------------------------------------------------------


def _child(context, *arguments: str) -> dict:
    """Run this module in a child process on the bench database; its JSON."""
    with tempfile.TemporaryDirectory(prefix="linli-council-") as folder:
        out = os.path.join(folder, "out.json")
        environment = dict(
            context.environment,
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        done = subprocess.run(  # noqa: S603 (fixed arguments)
            [sys.executable, "-m", "tests.bench.council_live", *arguments, out],
            env=environment,
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            timeout=600,
        )
        if done.returncode:
            raise RuntimeError(f"council_live {arguments[0]}:\n{done.stderr[-2000:]}")
        with open(out) as handle:
            return json.load(handle)


def _fmt_load(values) -> str:
    return " ".join(f"{value:.2f}" for value in values)


def _load_note(found: dict) -> str:
    return (
        f"generator {found['generator_cpu_seconds']:.1f} s CPU "
        f"({found['generator_cpu_share']:.0%} of a core) in "
        f"{found['wall_seconds']:.0f} s; load {_fmt_load(found['load_before'])} → "
        f"{_fmt_load(found['load_after'])}"
    )


def _etags(context, path: str, clients: list[str]) -> list[str]:
    """Each client's ETag of the live fragment now (one GET each), so that a
    load generator can send them back as the live page does."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(context.base_url)
    found = []
    for cookie in clients:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        headers = {"HX-Request": "true", **({"Cookie": cookie} if cookie else {})}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        found.append(response.getheader("ETag") or '"none.none"')
        connection.close()
    return found


def served(context) -> list[ServedRow]:
    context.say("    preparing a meeting with a 2,000-event log (app services) …")
    data = _child(context, "prepare")
    queries = data["queries"]
    short, long = queries["short"], queries["long"]
    who = ("member", "observer")
    statuses = {log[person][0] for log in (short, long) for person in who}
    unchanged_statuses = {log[person][3] for log in (short, long) for person in who}
    unchanged_queries = {log[person][4] for log in (short, long) for person in who}
    same = all(short[person][1:3] == long[person][1:3] for person in who)
    counted = (
        f"member {short['member'][1]}/{short['member'][2]} → "
        f"{long['member'][1]}/{long['member'][2]}, observer "
        f"{short['observer'][1]}/{short['observer'][2]} → "
        f"{long['observer'][1]}/{long['observer'][2]}; unchanged poll "
        f"{'/'.join(str(n) for n in sorted(unchanged_queries))}"
    )
    clients = data["members"] + [""] * OBSERVERS
    live_url = context.base_url + data["live"]
    rows = []

    context.say(
        f"    {MEMBERS + OBSERVERS} clients polling at 1/s for {POLL_SECONDS} s, "
        "each sending back its ETag …"
    )
    paced = load.run_clients(
        {
            "mode": "poll",
            "base_url": context.base_url,
            "path": data["live"],
            "clients": clients,
            "rate": 1.0,
            "seconds": POLL_SECONDS,
            "headers": {"HX-Request": "true"},
            "conditional": True,
        },
        timeout=POLL_SECONDS + 120,
    )
    misses = []
    if paced["errors"] or paced["non_2xx"] or statuses != {200}:
        misses.append(
            f"FAILED {paced['non_2xx']} non-2xx, {paced['errors']} errors, "
            f"test client {sorted(statuses)}"
        )
    if not same:
        misses.append("queries grow")
    if unchanged_queries != {0} or unchanged_statuses != {204}:
        misses.append(
            f"an unchanged poll costs {sorted(unchanged_queries)} queries "
            f"(status {sorted(unchanged_statuses)})"
        )
    if paced["p99_ms"] >= MAX_P99_MS:
        misses.append(f"p99 ≥ {MAX_P99_MS:g} ms")
    verdict = (
        misses[0]
        if misses and misses[0].startswith("FAILED")
        else ("no: " + ", ".join(misses) if misses else "yes")
    )
    answered = paced.get("statuses", {})
    rows.append(
        ServedRow(
            f"council live poll, {MEMBERS} members + {OBSERVERS} observers at 1/s: "
            f"{data['live']}",
            requests_per_second=paced["requests_per_second"],
            p50_ms=paced["p50_ms"],
            p99_ms=paced["p99_ms"],
            queries=counted,
            verdict=verdict,
            load=(paced["load_before"], paced["load_after"]),
            notes=[
                f"{paced['requests']} polls in {POLL_SECONDS} s ("
                + ", ".join(f"{n} × {code}" for code, n in sorted(answered.items()))
                + f"), max {paced['max_ms']:.0f} ms, {paced['late']} sent late "
                "(>50 ms behind the 1 s schedule); queries cold/cached with a "
                f"{data['events']['short']}-event and a "
                f"{data['events']['long']}-event log, same run, and of a poll "
                "sending back its ETag; " + _load_note(paced),
            ],
        )
    )

    context.say(f"    saturation: {MEMBERS + OBSERVERS} clients as fast as possible …")
    before = os.getloadavg()
    if load.wrk_path():
        saturated = load.run_wrk_clients(
            live_url,
            clients,
            threads=2,
            connections=MEMBERS + OBSERVERS,
            seconds=SATURATION_SECONDS,
            etags=_etags(context, data["live"], clients),
        )
        note = (
            f"wrk -t2 -c{MEMBERS + OBSERVERS} -d{SATURATION_SECONDS}s, a Lua "
            f"script rotating the {MEMBERS} session cookies and {OBSERVERS} "
            "anonymous, each sending back its ETag; "
            f"{saturated.requests} requests; load "
            f"{_fmt_load(before)} → {_fmt_load(os.getloadavg())}"
        )
        bad = saturated.failed
        rate, p50, p99 = (
            saturated.requests_per_second,
            saturated.p50_ms,
            saturated.p99_ms,
        )
        failures = f"{saturated.non_2xx} non-2xx, {saturated.errors} errors"
    else:
        found = load.run_clients(
            {
                "mode": "poll",
                "base_url": context.base_url,
                "path": data["live"],
                "clients": clients,
                "rate": 0,
                "seconds": SATURATION_SECONDS,
                "headers": {"HX-Request": "true"},
                "conditional": True,
            },
            timeout=SATURATION_SECONDS + 120,
        )
        note = (
            "Python generator (no wrk: apt-get install wrk): understates the "
            "server, its threads share the two cores; "
            + ", ".join(
                f"{n} × {code}" for code, n in sorted(found["statuses"].items())
            )
            + "; "
            + _load_note(found)
        )
        bad = bool(found["errors"] or found["non_2xx"])
        rate, p50, p99 = found["requests_per_second"], found["p50_ms"], found["p99_ms"]
        failures = f"{found['non_2xx']} non-2xx, {found['errors']} errors"
    rows.append(
        ServedRow(
            f"council live poll, saturation, {MEMBERS + OBSERVERS} clients",
            requests_per_second=rate,
            p50_ms=p50,
            p99_ms=p99,
            queries="as above",
            verdict=f"FAILED {failures}"
            if bad
            else ("yes" if rate >= MIN_SATURATION else f"no: < {MIN_SATURATION:g}/s"),
            load=(before, os.getloadavg()),
            notes=[
                note + f"; at 1 poll/s per client this serves ≈ {rate:.0f} "
                "watching people"
            ],
        )
    )

    context.say(f"    {MEMBERS} members voting at once through /act/ …")
    voted = load.run_clients(
        {
            "mode": "act",
            "base_url": context.base_url,
            "page": data["page"],
            "path": data["act"],
            "clients": [
                {
                    "cookie": cookie,
                    "form": {
                        "action": "vote",
                        "choice": "yes",
                        # A suffix to the key the page issues the member.
                        "idempotency_key": f"-bench-vote-{index}",
                    },
                }
                for index, cookie in enumerate(data["members"])
            ],
            "after": [
                {
                    "cookie": data["chair"],
                    "form": {
                        "action": "announce",
                        "idempotency_key": "-bench-announce",
                    },
                }
            ],
        },
        timeout=180,
    )
    stored = _child(context, "verify", str(data["meeting"]))
    problems = []
    if voted["errors"] or voted["non_2xx"] or voted["refused"]:
        problems.append(
            f"{voted['non_2xx']} non-2xx, {voted['errors']} errors, "
            f"{voted['refused']} refused"
        )
    if not (
        stored["stored"]
        == stored["members"]
        == stored["vote_events"]
        == stored["announced_yes"]
        == MEMBERS
    ):
        problems.append(
            f"{MEMBERS} cast, {stored['stored']} stored "
            f"({stored['members']} members, {stored['vote_events']} events), "
            f"{stored['announced_yes']} announced"
        )
    if problems:
        verdict = "FAILED " + "; ".join(problems)
    elif voted["p99_ms"] >= MAX_VOTE_P99_MS:
        verdict = f"no: all recorded, p99 ≥ {MAX_VOTE_P99_MS:g} ms"
    else:
        verdict = "yes (all recorded)"
    rows.append(
        ServedRow(
            f"council {MEMBERS} concurrent votes: POST {data['act']}",
            p50_ms=voted["p50_ms"],
            p99_ms=voted["p99_ms"],
            queries="-",
            verdict=verdict,
            load=(voted["load_before"], voted["load_after"]),
            notes=[
                f"{voted['requests']} POSTs released by a barrier, each with its "
                f"session and CSRF token; DB afterwards: {stored['stored']} votes "
                f"of {stored['members']} members, {stored['vote_events']} vote "
                f"events, {stored['announced_yes']} announced yes; max "
                f"{voted['max_ms']:.0f} ms; " + _load_note(voted)
            ],
        )
    )
    return rows


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    import django

    django.setup()
    command, *rest = argv
    if command == "prepare":
        prepare(*rest)
    elif command == "verify":
        verify(int(rest[0]), rest[1])
    else:
        raise SystemExit(f"Unknown command {command!r}: prepare or verify.")


if __name__ == "__main__":
    main(sys.argv[1:])
