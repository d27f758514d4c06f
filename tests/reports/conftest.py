import pytest


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Report files go to a temporary folder, not the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
