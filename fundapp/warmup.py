"""Make a web process ready before it serves anyone.

A process's first request of each page compiled its templates, loaded the
translation catalogues and built the URL resolver: 212 ms of CPU for the fund
page instead of 18 (`make load`'s database), on top of the 0.5 s of starting
Python and Django. Gunicorn replaces each worker after `--max-requests`, so
in a busy hour those first requests came back again and again and made the
slowest one in a hundred. `warm()` does that work once, when the WSGI
application is loaded: in gunicorn's master with `--preload` (deploy/), so
every worker it forks starts warm, and in each process otherwise.

It reads no database (a connection opened in the master would be shared by
the workers it forks); `tests/fundapp/test_warmup.py` runs it with the
database blocked.
"""

import logging
import sys
from pathlib import Path

import django
from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def _template_roots(engine) -> list[Path]:
    """The project's template folders and Django's form widgets' (what the
    pages render), not those of the admin or other installed packages."""
    ours = Path(settings.BASE_DIR).resolve()
    installed = Path(sys.prefix).resolve()  # a virtualenv inside the project
    forms = Path(django.__file__).resolve().parent / "forms" / "templates"
    return [
        root
        for root in (Path(folder).resolve() for folder in engine.template_dirs)
        if (root.is_relative_to(ours) and not root.is_relative_to(installed))
        or root == forms
    ]


def warm() -> int:
    """Build the URL resolver, load every language's catalogue and compile the
    templates (kept by the cached loader); the number of templates compiled."""
    get_resolver().url_patterns  # noqa: B018 (imports every view)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Linli")
    compiled = 0
    for engine in engines.all():
        for root in _template_roots(engine):
            for path in sorted(root.rglob("*.html")):
                name = path.relative_to(root).as_posix()
                try:
                    engine.get_template(name)
                except (TemplateDoesNotExist, TemplateSyntaxError) as error:
                    # A page that cannot compile fails when it is asked for,
                    # as it would have without the warm-up.
                    logger.warning("Template %s not compiled: %s", name, error)
                else:
                    compiled += 1
    return compiled
