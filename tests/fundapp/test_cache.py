"""A Redis cache that cannot be reached is a miss, at once, never an error."""

import time

from fundapp.cache import ForgivingRedisCache
from fundapp.environment import cache_from_url
from tests.bench.server import free_port


def test_a_redis_cache_nobody_answers_reads_empty_and_keeps_nothing(caplog):
    config = cache_from_url(f"redis://127.0.0.1:{free_port()}/0")
    cache = ForgivingRedisCache(config["LOCATION"], config)
    started = time.monotonic()

    assert config["BACKEND"] == "fundapp.cache.ForgivingRedisCache"
    assert cache.get("version", "missing") == "missing"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("version", "fresh") is True  # the caller uses its own
    cache.set("version", "fresh")
    assert cache.incr("rate:comment", 1) == 1  # counts from nothing
    assert cache.has_key("version") is False
    assert cache.delete("version") is False
    assert time.monotonic() - started < 5
    # Said once, not at every read.
    assert caplog.text.count("Cache unreachable") == 1
