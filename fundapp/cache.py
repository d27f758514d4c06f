"""A Redis cache whose absence is a miss, never a failed request.

Everything the app keeps in the cache (the live meeting's version and room,
the engine's state, rendered pages, rate-limit counters) can be made again
from the database. So while Redis is stopped or restarting, a read finds
nothing, a write keeps nothing and the request goes on, logged; once Redis is
back the cache fills again, with no restart of the app. Rate limits count
nothing meanwhile (they let requests through rather than refuse them all).

Connecting and each command give up after `REDIS_SECONDS`: a Redis that hangs
costs a request a fraction of a second, not a worker's whole timeout.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

REDIS_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
REDIS_SECONDS = 0.5


def _unreachable(operation: str, error: Exception) -> None:
    logger.warning("Cache unreachable, %s skipped: %s", operation, error)


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache; Redis unreachable reads as a miss (see above)."""

    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS") or {})}
        params["OPTIONS"].setdefault("socket_connect_timeout", REDIS_SECONDS)
        params["OPTIONS"].setdefault("socket_timeout", REDIS_SECONDS)
        super().__init__(server, params)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("get", error)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("has_key", error)
            return False

    def add(self, key, value, timeout=None, version=None):
        # Nothing was kept: the caller that adds a fresh value uses its own.
        try:
            return super().add(key, value, timeout, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("add", error)
            return True

    def set(self, key, value, timeout=None, version=None):
        try:
            super().set(key, value, timeout, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("set", error)

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("set_many", error)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("delete", error)
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("delete_many", error)

    def incr(self, key, delta=1, version=None):
        # A counter that cannot be read counts from nothing.
        try:
            return super().incr(key, delta, version)
        except REDIS_UNREACHABLE as error:
            _unreachable("incr", error)
            return delta

    def clear(self):
        try:
            return super().clear()
        except REDIS_UNREACHABLE as error:
            _unreachable("clear", error)
            return False
