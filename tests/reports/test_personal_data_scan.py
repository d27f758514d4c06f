"""No anonymous page or API answer shows a phone number, an address or an
unverified resident's name: a crawl of the demo as a stranger, following every
link from the home page and every open data endpoint, finds none (PIPL: what a
person gave to be verified stays with the social workers)."""

import json
import re
from collections import deque
from urllib.parse import urldefrag, urlparse

import pytest
from django.test import Client

from fundapp.demo import load_demo
from fundapp.models import Membership, User

pytestmark = pytest.mark.django_db

# Pages a stranger can reach are crawled up to this many.
MOST_PAGES = 600
LINK = re.compile(r'href="([^"#]+)"')
# Downloads and forms: read once as files, not crawled for links.
SKIP = re.compile(r"/(login|logout|register|i18n|admin)/|\.pdf$|/files/")


def _secrets() -> dict[str, str]:
    """What no stranger may read: every phone number, every address, and the
    names of residents nobody has verified."""
    secrets = {}
    for phone in User.objects.exclude(phone__isnull=True).exclude(phone=""):
        secrets[phone.phone] = f"the phone of {phone.username}"
    for address in Membership.objects.exclude(address="").values_list(
        "address", flat=True
    ):
        secrets[address] = "an address"
    verified = Membership.objects.filter(verified_at__isnull=False).values("user_id")
    for user in User.objects.exclude(pk__in=verified).exclude(display_name=""):
        if not user.is_staff:
            secrets[user.display_name] = f"the name of unverified {user.username}"
    return secrets


def _open_data_lists(client: Client) -> list[str]:
    """Every list of the open data API, as its schema names them."""
    schema = client.get("/api/schema/", {"format": "json"}).json()
    return [path for path in schema["paths"] if "{" not in path]


def _crawl(client: Client) -> dict[str, str]:
    start = ["/", *_open_data_lists(client)]
    seen, pages = set(start), {}
    queue = deque(start)
    while queue and len(pages) < MOST_PAGES:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code != 200:
            continue
        if response.get("Content-Type", "").startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
            links = re.findall(r'"(http://testserver/api/[^"]+)"', body)
        elif hasattr(response, "streaming_content"):
            body = b"".join(response.streaming_content).decode("utf-8", "replace")
            links = []
        else:
            body = response.content.decode("utf-8", "replace")
            links = LINK.findall(body)
        pages[url] = body
        for link in links:
            link = urldefrag(link.replace("&amp;", "&"))[0]
            parsed = urlparse(link)
            if parsed.netloc not in ("", "testserver") or SKIP.search(parsed.path):
                continue
            path = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if path.startswith("/") and path not in seen:
                seen.add(path)
                queue.append(path)
    return pages


def test_a_stranger_reads_no_phone_address_or_unverified_name():
    load_demo()
    secrets = _secrets()
    stranger = Client()
    stranger.cookies["django_language"] = "zh-hans"

    pages = _crawl(stranger)

    leaks = sorted(
        f"{url}: {what}"
        for url, body in pages.items()
        for secret, what in secrets.items()
        if len(secret) >= 4 and secret in body
    )
    assert len(pages) > 50
    assert {"/api/proposals/", "/api/projects/", "/api/ledger/"} <= set(pages)
    assert leaks == []


def test_the_scan_would_see_a_leak_where_staff_may_read_them():
    """The secrets are real: the social workers' page of residents waiting to
    be verified shows their numbers, addresses and names."""
    load_demo()
    secrets = _secrets()
    worker = (
        Membership.objects.filter(
            community__code="JMJY", role="social_worker", verified_at__isnull=False
        )
        .first()
        .user
    )
    client = Client()
    client.force_login(worker)

    page = client.get("/c/JMJY/residents/").content.decode()

    kinds = {
        what.split(" of ")[0] for secret, what in secrets.items() if secret in page
    }
    assert {"the phone", "an address"} <= kinds
