"""A Redis cache that cannot be reached is a miss, at once, never an error."""

import multiprocessing
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

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


def _redis_cache(database: int):
    import redis

    url = f"redis://127.0.0.1:6379/{database}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    config = cache_from_url(url)
    return ForgivingRedisCache(config["LOCATION"], config)


def test_one_redis_client_serves_every_command_and_thread():
    """Django made a redis.Redis per command (KeptClientRedisCacheClient)."""
    cache = _redis_cache(13)
    cache.clear()

    def count(number):
        cache.set(f"n{number}", number)
        return cache.get(f"n{number}")

    with ThreadPoolExecutor(8) as threads:
        found = list(threads.map(count, range(64)))

    assert found == list(range(64))
    assert len(cache._cache._clients) == 1
    assert cache._cache.get_client() is cache._cache.get_client(write=True)


def test_a_process_forked_after_the_client_was_made_uses_its_own_connections():
    """gunicorn --preload forks workers from a master that may have used it."""
    cache = _redis_cache(13)
    cache.set("before-the-fork", "kept")
    parent_connection = cache._cache.get_client().connection_pool

    def child(answers):
        cache.set("in-the-child", os.getpid())
        answers.put((cache.get("before-the-fork"), cache.get("in-the-child")))

    context = multiprocessing.get_context("fork")
    answers = context.Queue()
    process = context.Process(target=child, args=(answers,))
    process.start()
    kept, written = answers.get(timeout=10)
    process.join(10)

    assert process.exitcode == 0
    assert (kept, written) == ("kept", process.pid)
    assert cache.get("in-the-child") == process.pid
    assert cache._cache.get_client().connection_pool is parent_connection
