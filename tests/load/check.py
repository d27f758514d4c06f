"""After a load run: is every confirmed action in the database exactly once?

`python -m tests.load.check SPEC.json RECORD.jsonl OUT.json` runs in a child
process on the load database once gunicorn and the worker have stopped. It
compares what the locust users recorded (tests/load/records.py) with the
rows: each support, comment and vote that was confirmed is there once, and
nothing is there that was not confirmed (an action answered as a failure but
saved anyway, or saved twice); the meeting's log holds one vote event per
vote; and exactly one report version was made, with its files.
"""

import json
import sys
from collections import Counter

from tests.load.records import read_record


def _row(what: str, confirmed: int, stored: int, problems: list[str]) -> dict:
    return {
        "what": what,
        "confirmed": confirmed,
        "stored": stored,
        "problems": problems,
    }


def _compare(what: str, confirmed: Counter, stored: Counter) -> dict:
    """Each confirmed item stored once; nothing stored that was not confirmed."""
    problems = []
    missing = [item for item in confirmed if stored[item] == 0]
    twice = [item for item, n in stored.items() if n > 1]
    recorded_twice = [item for item, n in confirmed.items() if n > 1]
    unconfirmed = [item for item in stored if item not in confirmed]
    for label, items in (
        ("confirmed but not in the database", missing),
        ("in the database more than once", twice),
        ("confirmed more than once", recorded_twice),
        ("in the database but never confirmed", unconfirmed),
    ):
        if items:
            problems.append(f"{len(items)} {label}, e.g. {sorted(items)[:3]}")
    return _row(what, sum(confirmed.values()), sum(stored.values()), problems)


def supports(spec: dict, actions: list[dict]) -> dict:
    from proposals.models import Support

    confirmed = Counter(
        (a["resident"], a["proposal"]) for a in actions if a["kind"] == "support"
    )
    rows = Support.objects.filter(
        proposal_id__in=[p["pk"] for p in spec["proposals"]]
    ).values_list("resident__phone", "proposal_id")
    return _compare("supports", confirmed, Counter(rows))


def comments(spec: dict, actions: list[dict]) -> dict:
    from proposals.models import Comment

    confirmed = Counter(
        (a["resident"], a["proposal"], a["token"])
        for a in actions
        if a["kind"] == "comment"
    )
    prefix = f"load-{spec['tag']}-"
    stored = Counter()
    rows = Comment.objects.filter(
        proposal_id__in=[p["pk"] for p in spec["proposals"]], body__startswith=prefix
    ).values_list("author__phone", "proposal_id", "body")
    for phone, proposal, body in rows:
        stored[(phone, proposal, body.split(" ", 1)[0])] += 1
    return _compare("comments", confirmed, stored)


def votes(spec: dict, actions: list[dict]) -> dict:
    """Votes per member and question (the n-th question put in the run)."""
    from councils.models import MeetingEvent, Vote

    confirmed = Counter(
        (a["member"], a["question"]) for a in actions if a["kind"] == "vote"
    )
    questions = list(
        MeetingEvent.objects.filter(meeting_id=spec["meeting"], type="put_question")
        .order_by("sequence")
        .values_list("pk", flat=True)
    )
    number = {pk: index + 1 for index, pk in enumerate(questions)}
    stored = Counter(
        (phone, number.get(question))
        for phone, question in Vote.objects.filter(
            question__meeting_id=spec["meeting"]
        ).values_list("member__phone", "question_id")
    )
    found = _compare("votes", confirmed, stored)
    events = MeetingEvent.objects.filter(
        meeting_id=spec["meeting"], type="vote"
    ).count()
    if events != found["stored"]:
        found["problems"].append(
            f"{events} vote events in the meeting's log for {found['stored']} votes"
        )
    return found


def reports(spec: dict, actions: list[dict]) -> dict:
    """Exactly one version made, the one the social worker was sent to."""
    from reports.models import ReportVersion

    confirmed = [a for a in actions if a["kind"] == "report"]
    versions = list(
        ReportVersion.objects.filter(report__fund__community__code=spec["community"])
    )
    done = [v for v in versions if v.status == ReportVersion.Status.DONE]
    problems = []
    if len(confirmed) != 1:
        problems.append(f"{len(confirmed)} reports seen made by the social worker")
    if len(versions) != 1 or len(done) != 1:
        problems.append(
            f"{len(versions)} versions requested, {len(done)} made "
            f"({', '.join(sorted({v.status for v in versions})) or 'none'})"
        )
    for version in done:
        if not version.files.exists():
            problems.append(f"version {version.pk} has no files")
        if confirmed and confirmed[0]["version"] != version.pk:
            problems.append(
                f"the social worker saw version {confirmed[0]['version']}, "
                f"the database made {version.pk}"
            )
    return _row("reports made", len(confirmed), len(done), problems)


def check(spec: dict, actions: list[dict]) -> list[dict]:
    return [
        supports(spec, actions),
        comments(spec, actions),
        votes(spec, actions),
        reports(spec, actions),
    ]


def main(argv: list[str]) -> None:
    import os

    import django

    spec_path, record_path, out_path = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fundapp.settings")
    django.setup()
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    found = check(spec, read_record(record_path))
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump(found, handle)


if __name__ == "__main__":
    main(sys.argv[1:])
