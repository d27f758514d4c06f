from django.utils.translation import get_language


def language_switch(request):
    """The language the reader is not using, for the switch on every page."""
    current = get_language() or "zh-hans"
    return {"other_language": "en" if current.startswith("zh") else "zh-hans"}
