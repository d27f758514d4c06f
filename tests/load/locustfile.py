"""The people of a load run, for locust (`make load` starts it; see tests/load).

Residents browse the community's pages, support proposals and comment on
them; a council of 23 watch their live meeting (each polls its fragment every
second, sending back its ETag, as the page does) and vote on each question
the chair puts; the chair runs the meeting (a member moves, another seconds,
the chair states the question, puts it, and announces the result once all
have voted); a social worker has last year's annual report made and waits
for it. Everyone is signed in with a session made by the setup
(tests/load/setup.py), whose spec names them (LINLI_LOAD_SPEC).

Each action the server confirms (a support or a comment whose success
message came back, a vote answered without a refusal, the report made) is
written as a JSON line to LINLI_LOAD_RECORD; at the end, every request's
timing is summed up per kind into LINLI_LOAD_STATS (tests/load/records.py).
The checker compares the record with the database afterwards.

No Django here: locust patches the standard library with gevent first.
"""

import json
import os
import random
import re
import time

import gevent
from gevent.lock import Semaphore
from locust import HttpUser, between, constant, constant_pacing, events, task
from locust.exception import StopUser

from tests.load.records import (
    ERROR,
    SUCCESS,
    message_levels,
    shown_version,
    summarise,
)

with open(os.environ["LINLI_LOAD_SPEC"], encoding="utf-8") as _handle:
    SPEC = json.load(_handle)
RECORD = open(os.environ["LINLI_LOAD_RECORD"], "a", encoding="utf-8")  # noqa: SIM115
STATS_PATH = os.environ["LINLI_LOAD_STATS"]
# Seconds after the start before the social worker asks for the report.
REPORT_AFTER = float(os.environ.get("LINLI_LOAD_REPORT_AFTER", "10"))
# Seconds the chair waits for the last votes before announcing anyway.
VOTE_WINDOW = 20.0

CODE = SPEC["community"]
MEETING_PK = SPEC["meeting"]
PROPOSALS = {p["pk"]: p["proposer"] for p in SPEC["proposals"]}
TOKEN = re.compile(r'"X-CSRFToken":\s*"([^"]+)"')
# The idempotency key a page issues its reader (fundapp.idempotency.FORM_KEY).
ISSUED_KEY = re.compile(r"f[0-9a-f]{16}\.[0-9a-f]{24}")
FORM_KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
STATUS = re.compile(r'data-status="(\w+)"')
VERSION = re.compile(r"/reports/v/(\d+)/")
FILE = re.compile(r'href="(/reports/v/\d+/report\.pdf)"')

TIMINGS: list[tuple[str, float, bool]] = []
ERRORS: dict[str, int] = {}
STARTED = time.monotonic()
_residents = list(SPEC["residents"])
_councillors = list(SPEC["councillors"])


class Meeting:
    """What the chair and the members share: the question open to vote."""

    members: list = []
    question = 0  # the number of questions put so far
    open = False
    answered = 0  # votes answered (confirmed or not) on the open question


def record(**action) -> None:
    RECORD.write(json.dumps(action) + "\n")
    RECORD.flush()


@events.request.add_listener
def _timed(name, response_time, exception, **_kwargs):
    TIMINGS.append((name, response_time, exception is not None))
    if exception is not None:
        key = f"{name}: {str(exception)[:160]}"
        ERRORS[key] = ERRORS.get(key, 0) + 1


@events.quitting.add_listener
def _summed_up(**_kwargs):
    RECORD.close()
    with open(STATS_PATH, "w", encoding="utf-8") as handle:
        json.dump(
            {
                "kinds": summarise(TIMINGS),
                "names": summarise(TIMINGS, key_of=str),
                "errors": ERRORS,
            },
            handle,
        )


def _why(response) -> str:
    """A failed answer's status, or why none came (status 0)."""
    if response.status_code == 0:
        return f"no answer: {response.error!r}"[:200]
    return f"status {response.status_code}"


class Person(HttpUser):
    """Someone signed in with the session the setup made for them."""

    abstract = True

    def sign_in(self, person: dict) -> None:
        self.me = person
        # A connection per request, as nginx opens to gunicorn in production
        # (deploy/nginx.conf keeps no upstream connection alive): a kept-alive
        # connection that gunicorn closes as the next request is sent is reset,
        # which a browser retries and nginx never meets.
        self.client.headers["Connection"] = "close"
        self.client.cookies.set(SPEC["session_cookie_name"], person["session"])

    def page(self, path: str, name: str, **headers) -> str | None:
        """GET a page that must answer 200; its text (None if it did not)."""
        with self.client.get(
            path, name=name, headers=headers, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(_why(response))
                return None
            return response.text

    def post_form(self, path: str, name: str, token: str, data: dict):
        """POST a form as the page's form does; the response, not followed."""
        return self.client.post(
            path,
            name=name,
            data={"csrfmiddlewaretoken": token, **data},
            headers={"X-CSRFToken": token},
            allow_redirects=False,
            catch_response=True,
        )


class Resident(Person):
    """A verified resident: reads, supports and comments, with pauses."""

    wait_time = between(3, 10)

    def on_start(self):
        if not _residents:
            raise StopUser
        self.sign_in(_residents.pop(0))
        self.supported: set[int] = set()
        self.comments = 0

    @task(3)
    def fund_page(self):
        self.page(f"/c/{CODE}/", "browse: fund page")

    @task(3)
    def proposals(self):
        self.page(f"/c/{CODE}/proposals/", "browse: proposals")

    @task(4)
    def proposal(self):
        self.page(f"/proposals/{random.choice(list(PROPOSALS))}/", "browse: proposal")  # noqa: S311

    @task(1)
    def report_back(self):
        self.page(f"/c/{CODE}/report-back/", "browse: report-back")

    @task(1)
    def meeting(self):
        self.page(f"/meetings/{MEETING_PK}/", "browse: meeting page")

    @task(1)
    def support(self):
        choices = [
            pk
            for pk, proposer in PROPOSALS.items()
            if pk not in self.supported and proposer != self.me["phone"]
        ]
        if not choices:
            return
        pk = random.choice(choices)  # noqa: S311
        self._act(pk, "support", f"/proposals/{pk}/support/", {})

    @task(1)
    def comment(self):
        pk = random.choice(list(PROPOSALS))  # noqa: S311
        self.comments += 1
        token = f"load-{SPEC['tag']}-{self.me['phone']}-{self.comments}"
        body = f"{token} 支持这个提议，希望冬天前能装好。"
        self._act(pk, "comment", f"/proposals/{pk}/comments/", {"body": body}, token)

    def _act(self, pk: int, kind: str, path: str, data: dict, token=None) -> None:
        """Open the proposal, post its form, read the message, follow back."""
        text = self.page(f"/proposals/{pk}/", "browse: proposal")
        found = TOKEN.search(text or "")
        if not found:
            return
        name = f"{kind}: POST {path.replace(str(pk), '[pk]')}"
        with self.post_form(path, name, found.group(1), data) as response:
            levels = message_levels(response.cookies.get("messages"))
            if response.status_code != 302:
                response.failure(_why(response))
            elif ERROR in levels or SUCCESS not in levels:
                response.failure(f"refused (message levels {levels})")
            else:
                response.success()
                if kind == "support":
                    self.supported.add(pk)
                    record(kind=kind, resident=self.me["phone"], proposal=pk)
                else:
                    record(
                        kind=kind, resident=self.me["phone"], proposal=pk, token=token
                    )
        # The browser follows the redirect and shows the message.
        self.page(f"/proposals/{pk}/", "browse: proposal")


class MeetingPerson(Person):
    """A person at the live meeting: polls it every second, acts on it."""

    abstract = True

    def join(self, person: dict) -> None:
        self.sign_in(person)
        self.lock = Semaphore()
        self.actions = 0
        self.etag = None
        text = self.page(f"/meetings/{MEETING_PK}/", "browse: meeting page") or ""
        token, key = TOKEN.search(text), ISSUED_KEY.search(text)
        if not token or not key:
            raise StopUser
        self.token, self.key = token.group(1), key.group(0)
        self.shows(text)

    def shows(self, text: str) -> None:
        """Take the version of the fragment a page or an action's answer
        shows, as the browser polls with the one it shows: after a vote, the
        answer's fragment is the voter's page, and the next poll is a 204."""
        self.etag = shown_version(text) or self.etag

    def poll(self) -> None:
        headers = {"HX-Request": "true"}
        if self.etag:
            headers["If-None-Match"] = self.etag
        with self.client.get(
            f"/meetings/{MEETING_PK}/live/",
            name="live poll: /meetings/[pk]/live/",
            headers=headers,
            catch_response=True,
        ) as response:
            if response.status_code not in (200, 204):
                response.failure(_why(response))
            self.etag = response.headers.get("ETag") or self.etag

    def act(self, action: str, name: str, **fields) -> bool:
        """One action through the page's form (htmx); True if not refused."""
        with self.lock:
            self.actions += 1
            data = {
                "action": action,
                # Each action its own key, made from the one the page issued.
                "idempotency_key": f"{self.key}-{self.actions}",
                **fields,
            }
            with self.client.post(
                f"/meetings/{MEETING_PK}/act/",
                name=name,
                data=data,
                headers={"X-CSRFToken": self.token, "HX-Request": "true"},
                catch_response=True,
            ) as response:
                if response.status_code != 200:
                    response.failure(_why(response))
                    return False
                self.shows(response.text)
                if 'role="alert"' in response.text:
                    refusal = re.search(r'role="alert"[^>]*>(.{0,200})', response.text)
                    response.failure(
                        f"refused: {refusal.group(1) if refusal else '?'}".strip()
                    )
                    return False
                return True


class Councillor(MeetingPerson):
    """A council member: watches the live page, votes on each question."""

    fixed_count = len(SPEC["councillors"])
    wait_time = constant_pacing(1)

    def on_start(self):
        if not _councillors:
            raise StopUser
        self.join(_councillors.pop(0))
        self.voted = 0
        Meeting.members.append(self)

    @task
    def watch(self):
        self.poll()
        question = Meeting.question
        if Meeting.open and question > self.voted:
            self.voted = question
            choice = random.choice(("yes", "yes", "yes", "no"))  # noqa: S311
            confirmed = self.act(
                "vote", "vote: POST /meetings/[pk]/act/ vote", choice=choice
            )
            Meeting.answered += 1
            if confirmed:
                record(kind="vote", member=self.me["phone"], question=question)


class Chair(MeetingPerson):
    """The coordinator in the chair: one question after another."""

    fixed_count = 1
    wait_time = constant(0)

    def on_start(self):
        self.join(SPEC["chair"])

    def pause(self, seconds: float) -> None:
        """Watch the page for a while, as the members do."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            self.poll()
            gevent.sleep(1)

    @task
    def question(self):
        expected = len(SPEC["councillors"])
        waited = time.monotonic()
        while len(Meeting.members) < expected and time.monotonic() - waited < 60:
            self.pause(1)
        members = list(Meeting.members)
        if len(members) < 2:
            self.pause(5)
            return
        number = Meeting.question + 1
        mover, seconder = (
            members[number % len(members)],
            members[(number + 1) % len(members)],
        )
        moved = (
            mover.act(
                "move",
                "meeting: POST /meetings/[pk]/act/ move",
                motion="main",
                text=f"第 {number} 项：同意为楼道照明拨款 {500 + number} 元",
            )
            and seconder.act("second", "meeting: POST /meetings/[pk]/act/ second")
            and self.act("state", "meeting: POST /meetings/[pk]/act/ state")
            and self.act(
                "put_question",
                "meeting: POST /meetings/[pk]/act/ put question",
                method="counted",
            )
        )
        if not moved:
            self.pause(5)
            return
        Meeting.answered = 0
        Meeting.question = number
        Meeting.open = True
        opened = time.monotonic()
        while (
            Meeting.answered < len(members) and time.monotonic() - opened < VOTE_WINDOW
        ):
            self.pause(1)
        Meeting.open = False
        self.act("announce", "meeting: POST /meetings/[pk]/act/ announce")
        self.pause(5)  # the next item is introduced


class Reporter(Person):
    """A social worker who has last year's annual report made, once."""

    fixed_count = 1

    def wait_time(self):
        return 2 if self.version is None or not self.status else 30

    def on_start(self):
        self.sign_in(SPEC["reporter"])
        self.version = None
        self.status = ""

    @task
    def report(self):
        if self.version is None:
            if time.monotonic() - STARTED >= REPORT_AFTER:
                self.request()
        elif not self.status:
            self.progress()
        else:
            self.page(f"/c/{CODE}/reports/", "report: reports page")

    def request(self) -> None:
        text = self.page(f"/c/{CODE}/reports/", "report: reports page") or ""
        token, key = TOKEN.search(text), FORM_KEY.search(text)
        if not token or not key:
            return
        data = {
            "idempotency_key": key.group(1),
            "kind": "annual",
            "source": "",
            "year": str(SPEC["report_year"]),
            "language": "zh-hans",
            "narrative": "负载测试年度报告。",
            "plan": "明年继续。",
        }
        with self.post_form(
            f"/c/{CODE}/reports/", "report: POST request", token.group(1), data
        ) as response:
            found = VERSION.search(response.headers.get("Location", ""))
            if response.status_code != 302 or not found:
                response.failure(f"{response.status_code}, not sent to a version")
                return
            self.version = int(found.group(1))
        self.page(f"/reports/v/{self.version}/", "report: version page")

    def progress(self) -> None:
        text = self.page(
            f"/reports/v/{self.version}/status/",
            "report: status poll",
            **{"HX-Request": "true"},
        )
        status = STATUS.search(text or "")
        if not status or status.group(1) not in ("done", "failed"):
            return
        self.status = status.group(1)
        if self.status == "failed":
            events.request.fire(
                request_type="REPORT",
                name="report: made",
                response_time=0,
                response_length=0,
                exception=RuntimeError(f"version {self.version} failed"),
            )
            return
        page = self.page(f"/reports/v/{self.version}/", "report: version page") or ""
        pdf = FILE.search(page)
        if pdf:
            self.page(pdf.group(1), "report: download PDF")
        record(kind="report", version=self.version, status=self.status)
