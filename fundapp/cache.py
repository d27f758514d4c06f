"""A Redis cache whose absence is a miss, never a failed request.

Everything the app keeps in the cache (the live meeting's version and room,
the engine's state, rendered pages, rate-limit counters) can be made again
from the database. So while Redis is stopped or restarting, a read finds
nothing, a write keeps nothing and the request goes on; once Redis is back the
cache fills again, with no restart of the app. Rate limits count nothing
meanwhile (they let requests through rather than refuse them all). The log
says when the cache went away and when it came back, once each.

Connecting and each command give up after `REDIS_SECONDS`: a Redis that hangs
costs a request a fraction of a second, not a worker's whole timeout.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
REDIS_SECONDS = 0.5


class KeptClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, with one `redis.Redis` per server kept.

    Django makes a `redis.Redis` for every command, and redis-py's builds
    its table of some 170 reply callbacks each time: a live poll's dozen
    commands spent more on that than on Redis itself (a tenth of a rendered
    live fragment, under cProfile). A `redis.Redis` is safe to share between
    threads (it takes a connection from its pool for each command), and its
    pool opens new connections in a process forked after it was made.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache; Redis unreachable reads as a miss (see above)."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        params["OPTIONS"].setdefault("socket_connect_timeout", REDIS_SECONDS)
        params["OPTIONS"].setdefault("socket_timeout", REDIS_SECONDS)
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
        self._away = False

    def _forgiving(self, operation: str, fallback, call, *args):
        try:
            result = call(*args)
        except REDIS_UNREACHABLE as error:
            if not self._away:
                self._away = True
                logger.warning(
                    "Cache unreachable (%s: %s): it reads as empty until it is back",
                    operation,
                    error,
                )
            return fallback
        if self._away:
            self._away = False
            logger.warning("Cache reachable again")
        return result

    def get(self, key, default=None, version=None):
        return self._forgiving("get", default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._forgiving("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._forgiving("has_key", False, super().has_key, key, version)

    def add(self, key, value, timeout=None, version=None):
        # Nothing was kept: the caller that adds a fresh value uses its own.
        return self._forgiving("add", True, super().add, key, value, timeout, version)

    def set(self, key, value, timeout=None, version=None):
        self._forgiving("set", None, super().set, key, value, timeout, version)

    def set_many(self, data, timeout=None, version=None):
        return self._forgiving(
            "set_many", list(data), super().set_many, data, timeout, version
        )

    def touch(self, key, timeout=None, version=None):
        return self._forgiving("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._forgiving("delete", False, super().delete, key, version)

    def delete_many(self, keys, version=None):
        self._forgiving("delete_many", None, super().delete_many, keys, version)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read counts from nothing.
        return self._forgiving("incr", delta, super().incr, key, delta, version)

    def clear(self):
        return self._forgiving("clear", False, super().clear)
