"""The demo gives JMJY its council, past meetings with minutes, and one today."""

import pytest
from django.utils import timezone

from councils.models import Council, Meeting, MeetingEvent, Minutes
from fundapp.demo import load_demo

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_council_and_is_idempotent():
    load_demo()
    events = MeetingEvent.objects.count()

    load_demo()

    council = Council.objects.get(community__code="JMJY")
    assert council.terms.count() == 2
    assert council.terms.get(name="第二届居民议事会").seats.count() == 23
    assert MeetingEvent.objects.count() == events > 0
    assert Minutes.objects.filter(status="approved").count() == 2
    assert Meeting.objects.filter(
        council=council, scheduled_at__date=timezone.localdate()
    ).exists()
