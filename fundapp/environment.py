"""Reading settings from the environment, with embedded defaults (stdlib only)."""

import os
from urllib.parse import parse_qsl, unquote, urlsplit

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env(name: str, default: str) -> str:
    """Return the variable, or the default when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    """Return the variable read as a boolean; refuse words that are neither."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"{name}={raw!r} is not a boolean (use true or false).")


def env_int(name: str, default: int) -> int:
    """Return the variable read as a whole number; refuse anything else."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a whole number.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    """Return a comma-separated variable as a list of non-empty items."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    """Turn `sqlite:///path` or `postgres://user:pw@host:port/name` into DATABASES."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        # sqlite:////abs/path.db is absolute and sqlite:///rel.db relative:
        # either way the path is what follows the third slash.
        name = unquote(parts.path)[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": name or ":memory:",
            # Several requests at once on a laptop: readers don't block the
            # writer (WAL), a writer takes the lock when its transaction
            # begins (IMMEDIATE: no deadlock upgrading a read lock, which
            # SQLite answers at once with "database is locked"), and waits
            # its turn for up to 20 s instead of failing.
            "OPTIONS": {
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=20000;"
                ),
            },
        }
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        options = dict(parse_qsl(parts.query))
        max_age = int(options.pop("conn_max_age", "60"))
        # A database that does not answer (a host down, a network cut) is a
        # 503 page within seconds, not a worker stuck until it is killed.
        options.setdefault("connect_timeout", "5")
        # The planner's price of reading a page out of order. Its default (4)
        # is a spinning disk's; the fund's data sits in memory or on SSD, and
        # with it PostgreSQL read all 10,000 people to name the authors of a
        # proposal's 120 comments (3.5 ms instead of 0.5). A URL may give its
        # own `options`.
        options.setdefault("options", "-c random_page_cost=1.1")
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": max_age,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ValueError(f"Unsupported DATABASE_URL scheme {parts.scheme!r}.")


def cache_from_url(url: str) -> dict:
    """`locmem://` (one process; the default), `redis://host:port/db` (shared),
    `file:///path` (files: shared by the processes of one machine) or
    `dummy://` (nothing kept)."""
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme in {"redis", "rediss"}:
        # Redis stopped or restarting is a miss, not a failed request.
        return {
            "BACKEND": "fundapp.cache.ForgivingRedisCache",
            "LOCATION": url,
        }
    if scheme == "file":
        if not parts.path:
            raise ValueError("A file:// cache needs a folder: file:///path/to/folder.")
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": unquote(parts.path),
        }
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ValueError(f"Unsupported cache URL scheme {scheme!r}.")


# How often one person, or one address, may do a thing (fundapp/ratelimits.py):
# scope: (requests, seconds).
DEFAULT_RATE_LIMITS = {
    "register": (5, 3600),
    "comment": (20, 600),
    "support": (60, 600),
    "upload": (30, 600),
    "api": (600, 60),
}


def rate_limits_from(text: str) -> dict[str, tuple[int, int]]:
    """The defaults, changed by `scope=requests/seconds,…` (0 requests: no
    limit); refuses anything else."""
    limits = dict(DEFAULT_RATE_LIMITS)
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        scope, _, rate = part.partition("=")
        count, _, seconds = rate.partition("/")
        if scope not in DEFAULT_RATE_LIMITS or not (
            count.isdigit() and seconds.isdigit() and int(seconds) >= 1
        ):
            raise ValueError(
                f"LINLI_RATE_LIMITS: {part!r} is not scope=requests/seconds "
                f"with a scope of {', '.join(DEFAULT_RATE_LIMITS)}"
            )
        limits[scope] = (int(count), int(seconds))
    return limits
