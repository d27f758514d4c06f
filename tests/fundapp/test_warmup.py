"""The web process's warm-up (fundapp/warmup.py): it compiles the pages'
templates and reads no database, so gunicorn's master may run it before it
forks its workers (--preload)."""

from django.conf import settings
from django.template import engines

from fundapp.warmup import _template_roots, warm


def _cached(engine) -> dict:
    (loader,) = engine.engine.template_loaders
    return loader.get_template_cache


def test_the_warm_up_compiles_every_page_template_without_the_database(
    django_db_blocker,
):
    engine = engines["django"]
    _cached(engine).clear()

    with django_db_blocker.block():  # any query would raise here
        compiled = warm()

    names = set(_cached(engine))
    assert compiled == len(names) > 100
    assert "fundapp/fund_detail.html" in names
    assert "councils/includes/meeting_live.html" in names
    assert "django/forms/widgets/input.html" in names
    assert not any(name.startswith("admin/") for name in names)


def test_only_the_projects_and_the_form_widgets_folders_are_warmed():
    roots = [root.as_posix() for root in _template_roots(engines["django"])]

    assert [root for root in roots if "site-packages" not in root] == [
        (settings.BASE_DIR / "templates").resolve().as_posix()
    ]
    assert [root for root in roots if "site-packages" in root] == [
        root for root in roots if root.endswith("django/forms/templates")
    ]
