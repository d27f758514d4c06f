"""How form widgets are written: Django's templates, except the commonest.

Every page with a filter (the fund page's ledger, the proposal lists) or a
form with a menu writes selects: the proposal list five of them, some 40
options. Written through Django's templates (select.html, select_option.html
and attrs.html for each option) they were a quarter of the rendering of a
cold proposal list. `WidgetRenderer` writes a select, its option groups and
options in Python, character for character as those templates write them
(`tests/fundapp/test_widget_templates.py` compares both). Inputs (text,
number, hidden and the other widgets whose template only includes
input.html) and the textarea are written the same way: through input.html
and attrs.html each cost a cold proposal page a third of a millisecond.
Every other widget keeps its template.
"""

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import template_localtime

WIDGETS = "django/forms/widgets/"
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"
TEXTAREA = f"{WIDGETS}textarea.html"
# The widgets' templates that are input.html and nothing else.
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "password",
        "hidden",
        "url",
        "tel",
        "search",
        "date",
        "datetime",
        "time",
        "color",
        "checkbox",
        "file",
    )
)


def _shown(value) -> str:
    """`{{ value }}`: in local time, localized, then escaped unless safe."""
    value = localize(template_localtime(value))
    return conditional_escape(value if isinstance(value, str) else str(value))


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}` (a safe value stays unescaped)."""
    try:
        text = "%s" % value  # noqa: UP031 (the filter's own formatting)
    except (ValueError, TypeError):
        return ""
    if isinstance(value, SafeData):
        return mark_safe(text)  # noqa: S308 (it was safe before it was formatted)
    return conditional_escape(text)


def _attributes(attrs: dict) -> str:
    """attrs.html: ` name="value"` each, a bare ` name` for True, none for False."""
    return "".join(
        f" {_shown(name)}"
        if value is True
        else f' {_shown(name)}="{_formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def select_html(widget: dict) -> str | None:
    """select.html and its options (each followed by the newline that ends
    select_option.html), or None when an option has a template of its own."""
    parts = [f'<select name="{_shown(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_shown(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"'
                f"{_attributes(option['attrs'])}>{_shown(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308 (every part is escaped above)


def input_html(widget: dict) -> str:
    """input.html: the value unless it is None, then the attributes."""
    value = widget["value"]
    value = "" if value is None else f' value="{_formatted(value)}"'
    return mark_safe(  # noqa: S308 (every part is escaped)
        f'<input type="{_shown(widget["type"])}" name="{_shown(widget["name"])}"'
        f"{value}{_attributes(widget['attrs'])}>"
    )


def textarea_html(widget: dict) -> str:
    """textarea.html: the value on the line after the tag, when there is one."""
    value = _shown(widget["value"]) if widget["value"] else ""
    return mark_safe(  # noqa: S308 (every part is escaped)
        f'<textarea name="{_shown(widget["name"])}"{_attributes(widget["attrs"])}>'
        f"\n{value}</textarea>"
    )


class WidgetRenderer(TemplatesSetting):
    """The project's form renderer (settings.FORM_RENDERER)."""

    def render(self, template_name, context, request=None):
        if template_name == SELECT:
            written = select_html(context["widget"])
            if written is not None:
                return written
        elif template_name in INPUTS:
            return input_html(context["widget"])
        elif template_name == TEXTAREA:
            return textarea_html(context["widget"])
        return super().render(template_name, context, request)
