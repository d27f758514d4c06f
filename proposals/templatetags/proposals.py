from django import template

from proposals.services.notifications import notification_text as _text

register = template.Library()


@register.filter
def notification_text(notification) -> str:
    """The sentence a notification says, in the reader's language."""
    return _text(notification)
