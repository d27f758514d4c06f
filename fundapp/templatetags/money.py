from django import template

from fundapp.money import format_cny

register = template.Library()


@register.filter
def cny(value):
    """`{{ amount|cny }}` → `¥1,234.50`, the same in every language."""
    return format_cny(value)
