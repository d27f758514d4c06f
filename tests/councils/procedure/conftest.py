import pytest

from tests.councils.procedure import meetings
from tests.councils.procedure.incremental import assert_incremental_equals_replay


@pytest.fixture(autouse=True)
def every_scenario_also_checks_the_kept_state(monkeypatch):
    """Every log a scenario replays is also applied one event at a time to a
    kept state, pickled and read back between events as the cache does; after
    each event it must equal the replay of the log so far
    (councils/meeting_state.py)."""
    replayed = meetings.Log.outcome

    def outcome(self):
        assert_incremental_equals_replay(self.setup, self.events)
        return replayed(self)

    monkeypatch.setattr(meetings.Log, "outcome", outcome)
