import pytest

from fundapp.celery import app as celery_app
from tests.faults.processes import RUN_SECRET_KEY, RedisServer


@pytest.fixture(autouse=True)
def shared_secret_and_media(settings, tmp_path):
    """The processes a fault test starts share its secret key (sessions and
    form keys made here are theirs too) and a media folder of its own."""
    settings.SECRET_KEY = RUN_SECRET_KEY
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()


@pytest.fixture
def private_redis(tmp_path):
    """A redis-server of this test's own, on a free port; always stopped."""
    server = RedisServer(tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def celery_on(monkeypatch):
    """Tasks sent from the test go to a broker of the test's choosing."""
    # Celery's settings prefer the environment's broker (CI's Redis) to conf.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
    conf = celery_app.conf
    saved = (conf.task_always_eager, conf.broker_url, conf.broker_write_url)
    pools = (celery_app._pool, celery_app.amqp._producer_pool)

    def point_at(url: str):
        conf.task_always_eager, conf.broker_url, conf.broker_write_url = (
            False,
            url,
            None,
        )
        celery_app._pool, celery_app.amqp._producer_pool = None, None
        return celery_app

    yield point_at
    if celery_app._pool is not None:
        celery_app._pool.force_close_all()
    conf.task_always_eager, conf.broker_url, conf.broker_write_url = saved
    celery_app._pool, celery_app.amqp._producer_pool = pools
