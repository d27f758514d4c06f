"""The long lists of the proposal pages, written in Python.

A busy proposal lists a hundred comments and a community's list twenty
cards. Through the template language each row cost tens of variable
lookups, a `{% url %}`, a `|date` and a `{% blocktranslate %}`: most of a
cold render. These tags write the same HTML, character for character (the
templates they replace are quoted in each docstring), from the rows the
selectors read: every value is escaped, the sentences are translated and
the links reversed once per list (`fundapp.links.links_to`), not once per row.
"""

import re
from html import escape as _html_escape

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.dateformat import DateFormat, re_escaped, re_formatchars
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from fundapp.choices import choice_labels
from fundapp.links import links_to
from fundapp.money import format_cny
from proposals.models import Proposal, ProposalEvent

register = template.Library()


def _escaped(value) -> str:
    """`django.utils.html.escape` without its check for a lazy argument."""
    return _html_escape(str(value))


def _lines(text: str) -> str:
    """`{{ text|linebreaksbr }}`: escaped, each line break a `<br>`."""
    return _escaped(_LINE_BREAK.sub("\n", text)).replace("\n", "<br>")


_LINE_BREAK = re.compile(r"\r\n|\r")


def _datetime_formatter():
    """`{{ value|date:"DATETIME_FORMAT" }}`, escaped, for the rows of one list.

    The format is Django's for the active language, split once for the list
    (Django's `dateformat.format` splits it again for every value), each
    piece written by Django's `DateFormat`; values are shown in the current
    time zone, as the template showed them.
    """
    pieces = [
        (bool(index % 2), piece if index % 2 else re_escaped.sub(r"\1", piece))
        for index, piece in enumerate(
            re_formatchars.split(formats.get_format("DATETIME_FORMAT"))
        )
        if piece
    ]
    zone = timezone.get_current_timezone()

    def formatted(value) -> str:
        if timezone.is_aware(value):
            value = value.astimezone(zone)
        written = DateFormat(value)
        return _escaped(
            "".join(
                str(getattr(written, piece)()) if is_code else piece
                for is_code, piece in pieces
            )
        )

    return formatted


@register.simple_tag(takes_context=True)
def comment_list(context, comments, can_moderate) -> str:
    """The comments of includes/comment_list.html, as its loop wrote them::

    <article class="comment[ hidden]" data-testid="comment">
      <p class="muted">{{ comment.author }} · {{ comment.created_at|date }}</p>
      hidden: <p><em>Hidden by a social worker: {{ reason }}</em></p>
              and, for a moderator, <p class="muted">{{ body|linebreaksbr }}</p>
      shown:  <p>{{ body|linebreaksbr }}</p>
              and, for a moderator, the form that hides it
    </article>
    """
    if not comments:
        return format_html("<p>{}</p>", gettext("No comments yet."))
    hidden_by = gettext("Hidden by a social worker: %(reason)s")
    if can_moderate:
        hide_link = links_to("proposals:comment_hide", context["proposal"].pk)
        token = CsrfTokenNode().render(context)
        why, hide = _escaped(gettext("Why hide it?")), _escaped(gettext("Hide"))
    when = _datetime_formatter()
    parts = []
    for comment in comments:
        hidden = " hidden" if comment.is_hidden else ""
        head = (
            f'\n  <article class="comment{hidden}" data-testid="comment">\n'
            f'    <p class="muted">{_escaped(comment.author)} · '
            f"{when(comment.created_at)}</p>\n    "
        )
        body = _lines(comment.body)
        if comment.is_hidden:
            reason = hidden_by % {"reason": _escaped(comment.hidden_reason)}
            shown = f'<p class="muted">{body}</p>' if can_moderate else ""
            main = f"\n      <p><em>{reason}</em></p>\n      {shown}\n    "
        elif can_moderate:
            pk = comment.pk
            main = (
                f"\n      <p>{body}</p>\n      \n"
                f'        <form method="post" action="{_escaped(hide_link(pk))}"'
                f' class="hide-comment">{token}\n'
                f'          <label for="hide-{pk}">{why}</label>\n'
                f'          <input id="hide-{pk}" name="reason" maxlength="300"'
                " required>\n"
                f'          <button type="submit" class="secondary">{hide}</button>\n'
                "        </form>\n      \n    "
            )
        else:
            main = f"\n      <p>{body}</p>\n      \n    "
        parts.append(f"{head}{main}\n  </article>\n")
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


@register.simple_tag
def proposal_timeline(events) -> str:
    """The steps of proposal_body.html's timeline, as its loop wrote them::

    <li><span class="muted">{{ event.at|date }}</span> · {{ event.actor }}
      · {{ action }}[ → {{ to_status }}, when it moved to another status
      than the action names][<br><q>{{ event.reason }}</q>]</li>
    """
    actions = choice_labels(ProposalEvent._meta.get_field("action"))
    statuses = choice_labels(ProposalEvent._meta.get_field("to_status"))
    when = _datetime_formatter()
    parts = []
    for event in events:
        action = str(actions.get(event.action, event.action))
        moved = ""
        if event.to_status and event.to_status != event.from_status:
            to_status = str(statuses.get(event.to_status, event.to_status))
            if to_status != action:
                moved = f" → {_escaped(to_status)}"
        reason = ""
        if event.reason and event.action != ProposalEvent.Action.SUPPORT_WITHDRAWN:
            reason = f"<br><q>{_escaped(event.reason)}</q>"
        parts.append(
            f'\n      <li><span class="muted">{when(event.at)}</span> · '
            f"{_escaped(event.actor)} · {_escaped(action)}{moved}{reason}</li>\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


@register.simple_tag
def proposal_cards(cards) -> str:
    """The cards of proposal_list_body.html's loop, each as
    includes/proposal_card.html writes a proposal (which the other lists of
    proposals, of models, still use)."""
    if not cards:
        return format_html("\n      <p>{}</p>\n    ", gettext("No proposal matches."))
    statuses = choice_labels(Proposal._meta.get_field("status"))
    categories = choice_labels(Proposal._meta.get_field("category"))
    link = links_to("proposals:detail")
    requested, supports = _escaped(gettext("Requested")), _escaped(gettext("Supports"))
    comments, proposer = _escaped(gettext("Comments")), _escaped(gettext("Proposer"))
    parts = []
    for card in cards:
        status = str(statuses.get(card.status, card.status))
        category = ""
        if card.category:
            category = f"· {_escaped(categories.get(card.category, card.category))}"
        parts.append(
            '\n      <article class="card proposal-card" data-testid="proposal-card">\n'
            f'  <h3><a href="{_escaped(link(card.pk))}">{_escaped(card.title)}'
            '</a></h3>\n  <p class="muted">\n'
            f'    <span class="badge status-{_escaped(card.status)}">'
            f"{_escaped(capfirst(status))}</span>\n    {category}\n"
            f"    · {_escaped(card.round_title)}\n  </p>\n"
            '  <dl class="facts">\n'
            f"    <dt>{requested}</dt><dd>{_escaped(format_cny(card.requested_amount))}"
            f"</dd>\n    <dt>{supports}</dt><dd>{card.support_count}</dd>\n"
            f"    <dt>{comments}</dt><dd>{card.comment_count}</dd>\n"
            f"    <dt>{proposer}</dt><dd>{_escaped(card.proposer)}</dd>\n"
            "  </dl>\n</article>\n\n    "
        )
    return mark_safe("".join(parts))  # noqa: S308 (every value is escaped above)


@register.simple_tag
def filter_fields(form) -> str:
    """The fields of the list's filter, as its loop of includes/field.html
    wrote them (`_fields_html`)."""
    return _fields_html(form)


@register.simple_tag
def form_fields(form) -> str:
    """A form as includes/form.html writes it: the errors of no one field,
    the hidden fields, then the others (`_fields_html`)."""
    errors = form.non_field_errors()
    alert = ""
    if errors:
        alert = format_html(
            '<div role="alert"><ul class="errorlist nonfield">{}</ul></div>',
            format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
        )
    hidden = format_html_join("", "{}", ((field,) for field in form.hidden_fields()))
    return format_html(
        "{}\n{}\n{}\n", alert, hidden, _fields_html(form.visible_fields())
    )


def _fields_html(fields) -> str:
    """Each field as includes/field.html writes a field whose widget is
    neither a checkbox nor a radio button::

    <div class="field[ invalid]">
      <label for="{{ field.id_for_label }}">{{ field.label }}[ (optional)]</label>
      {{ field }}
      [<p class="help">{{ field.help_text }}</p>]
      [<div role="alert"><ul class="errorlist">{{ each error }}</ul></div>]
    </div>

    A checkbox or radio button is left to the template.
    """
    optional = format_html(' <span class="muted">({})</span>', gettext("optional"))
    parts = []
    for field in fields:
        if getattr(field.field.widget, "input_type", None) in ("checkbox", "radio"):
            parts.append(render_to_string("includes/field.html", {"field": field}))
            continue
        errors = field.errors
        help_text = ""
        if field.help_text:
            help_text = format_html(
                '<p class="help" id="{}_helptext">{}</p>',
                field.auto_id,
                field.help_text,
            )
        alert = ""
        if errors:
            alert = format_html(
                '<div role="alert"><ul class="errorlist" id="{}_error">{}</ul></div>',
                field.auto_id,
                format_html_join("", "<li>{}</li>", ((error,) for error in errors)),
            )
        needed = field.field.required or getattr(field.field, "needed_to_submit", None)
        parts.append(
            format_html(
                '<div class="field{}">\n  \n    <label for="{}">{}{}</label>\n'
                "    {}\n  \n  {}\n  \n  {}\n</div>\n",
                " invalid" if errors else "",
                field.id_for_label,
                field.label,
                "" if needed else optional,
                field,
                help_text,
                alert,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 (each part is format_html's)
