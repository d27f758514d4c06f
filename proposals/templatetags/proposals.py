from django import template

from proposals.selectors import notification_unread_count
from proposals.services.notifications import notification_text as _text

register = template.Library()


@register.filter
def notification_text(notification) -> str:
    """The sentence a notification says, in the reader's language."""
    return _text(notification)


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The reader's unread notifications: one COUNT, none for a visitor."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return notification_unread_count(actor=user)
