"""The lists of a project's pages, written in Python.

A project's timeline is its longest list (30 entries at first, every day of
a patrol's volunteer hours when whole), and through the template each entry
cost its kind's `{% if %}` chain, lookups, filters and `{% blocktranslate %}`:
a third of a cold render of the biggest project. Here (and for the schedule,
the milestones, the observations and the money page's expenses) each string
is translated once per render, each kind of link is reversed once
(`fundapp.links.links_to`), and every value is escaped (`format_html`); the
HTML is the templates'."""

from html import escape

from django import template
from django.template.defaultfilters import floatformat, linebreaksbr, truncatechars
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from fundapp.choices import choice_labels
from fundapp.links import links_to
from fundapp.money import format_cny
from projects.models import (
    DeviationFlag,
    Disbursement,
    Expense,
    Installment,
    ProgressReport,
)

register = template.Library()


def _labels(model, field_name: str) -> dict:
    return choice_labels(model._meta.get_field(field_name))


def _with(text: str, **values) -> str:
    """A `{% blocktranslate %}` of `text` (translated already): its values
    escaped, the translation itself as written."""
    return text % {name: conditional_escape(value) for name, value in values.items()}


def _escaped_labels(model, field_name: str) -> dict:
    """A field's choice labels in the reader's language, escaped."""
    return {
        value: escape(str(label)) for value, label in _labels(model, field_name).items()
    }


class _Timeline:
    """What every entry of one render shares: the translations, the links
    and whether the reader sees receipts and bank references.

    The entries are the longest list of the page, so they are written with
    f-strings and `html.escape` (what Django's `escape` does, without its
    lazy-string wrapper and a format_html per piece): every text of a row
    and every translation is escaped; numbers, days, amounts and links are
    written by Python. A `{% blocktranslate %}`'s text is written as
    translated, with its values escaped, as the template did.
    """

    def __init__(self, project_pk: int, can_view_receipts: bool):
        self.can_view_receipts = can_view_receipts
        self.photo = links_to("projects:photo", project_pk)
        self.receipt = links_to("projects:receipt", project_pk)
        self.report_kinds = _escaped_labels(ProgressReport, "kind")
        self.report_states = _escaped_labels(ProgressReport, "status")
        self.expense_states = _escaped_labels(Expense, "status")
        self.flag_kinds = _escaped_labels(DeviationFlag, "kind")
        self.flag_states = _escaped_labels(DeviationFlag, "state")
        # Translated once per render (and written out, for makemessages).
        self.paid = escape(gettext("Paid"))
        self.installment = gettext("installment %(number)s")
        self.bank_reference = escape(gettext("bank reference"))
        self.photo_of = gettext("Photo: %(name)s")
        self.milestone = escape(gettext("Milestone"))
        self.spent = escape(gettext("Spent"))
        self.over_budget = escape(gettext("over budget"))
        self.receipt_word = escape(gettext("receipt"))
        self.volunteers_word = escape(gettext("Volunteers"))
        self.site_observation = escape(gettext("Site observation"))
        self.flagged = escape(gettext("Flagged as deviating"))
        self.returned = escape(gettext("Returned to the fund"))

    @staticmethod
    def label(labels: dict, value: str) -> str:
        return labels[value] if value in labels else escape(value)

    def payment(self, item) -> str:
        number = self.installment % {"number": int(item.position)}
        html = f"<strong>{self.paid}</strong> {format_cny(item.amount)} · {number}"
        if self.can_view_receipts and item.bank_reference:
            html += f" · {self.bank_reference} {escape(item.bank_reference)}"
        return html

    def photos(self, photos) -> str:
        items = []
        for pk, name in photos:
            link = escape(self.photo(pk))
            alt = self.photo_of % {"name": escape(name)}
            items.append(
                f'<li><a href="{link}"><img src="{link}" alt="{alt}" loading="lazy"'
                ' width="160" height="120"></a></li>'
            )
        return '<ul class="photos">' + "".join(items) + "</ul>"

    def report(self, item) -> str:
        count = int(item["participants"])
        residents = ngettext("%(counter)s resident", "%(counter)s residents", count) % {
            "counter": count
        }
        html = (
            f"<strong>{self.label(self.report_kinds, item['kind'])}</strong>"
            f" · {escape(item['place'])} · {residents}"
            f' <span class="badge">{self.label(self.report_states, item["status"])}'
            f"</span> <p>{linebreaksbr(item['summary'])}</p>"
        )
        if item["milestone"]:
            html += (
                f'<p class="muted">{self.milestone}: {escape(item["milestone"])}</p>'
            )
        if item["photos"]:
            html += " " + self.photos(item["photos"])
        return html

    def expense(self, item) -> str:
        html = (
            f"<strong>{self.spent}</strong> {format_cny(item['amount'])}"
            f" · {escape(item['description'])} · {escape(item['item'])}"
            f' <span class="badge">{self.label(self.expense_states, item["status"])}'
            "</span>"
        )
        if item["over_budget_reason"]:
            html += f' <span class="badge over-budget">{self.over_budget}</span>'
        if self.can_view_receipts:
            link = escape(self.receipt(item["id"]))
            html += f' · <a href="{link}">{self.receipt_word}</a>'
        return html

    def volunteers(self, item) -> str:
        count = int(item["people"])
        people = ngettext(
            "%(counter)s volunteer, %(hours)s hours",
            "%(counter)s volunteers, %(hours)s hours",
            count,
        ) % {"counter": count, "hours": escape(str(item["hours"]))}
        return f"<strong>{self.volunteers_word}</strong> · {people}"

    def observation(self, item) -> str:
        score = f" · {int(item['score'])}/5" if item["score"] else ""
        notes = escape(truncatechars(item["notes"], 200))
        return f"<strong>{self.site_observation}</strong>{score}: {notes}"

    def flag(self, item) -> str:
        return (
            f"<strong>{self.flagged}</strong>: {self.label(self.flag_kinds, item.kind)}"
            f' <span class="badge">{self.label(self.flag_states, item.state)}</span>'
        )

    def return_(self, item) -> str:
        html = f"<strong>{self.returned}</strong> {format_cny(item['amount'])}"
        if self.can_view_receipts:
            html += f" · {self.bank_reference} {escape(item['bank_reference'])}"
        return html


@register.simple_tag
def project_timeline(timeline, project_pk: int, can_view_receipts: bool) -> str:
    """`selectors.project_timeline`'s entries as the page's list."""
    if not timeline:
        return format_html(
            '<p class="muted">{}</p>', gettext("Nothing has happened yet.")
        )
    writer = _Timeline(project_pk, can_view_receipts)
    kinds = {
        "payment": writer.payment,
        "report": writer.report,
        "expense": writer.expense,
        "volunteers": writer.volunteers,
        "observation": writer.observation,
        "flag": writer.flag,
        "return": writer.return_,
    }
    # The kind is one of TIMELINE_KINDS and the day an ISO date: nothing to
    # escape in them; each kind escapes what it writes.
    items = [
        f'<li class="entry-{entry.kind}"> <time datetime="{entry.day}">'
        f"{entry.day}</time> {kinds[entry.kind](entry.subject)} </li>"
        for entry in timeline
    ]
    return mark_safe(  # noqa: S308  (every text escaped, see _Timeline)
        '<ol class="project-timeline" data-testid="timeline"> '
        + " ".join(items)
        + " </ol>"
    )


def _schedule_words(context) -> dict:
    """The schedule's words, translated and escaped once per render (the
    template's `render_context` lasts one render)."""
    words = context.render_context.get(_schedule_words)
    if words is None:
        words = context.render_context[_schedule_words] = {
            "installment": gettext("Installment %(number)s"),
            "paid_on": gettext("on %(day)s, by %(method)s"),
            "bank_reference": escape(gettext("bank reference")),
            "signed_by": escape(gettext("Signed by")),
            "triggers": _escaped_labels(Installment, "trigger"),
            "methods": _escaped_labels(Disbursement, "method"),
            # The installment's state.
            "paid": escape(gettext("paid")),
            "requested": escape(gettext("requested, waiting for signatures")),
            "on_hold": escape(gettext("on hold")),
            "cancelled": escape(gettext("cancelled")),
            "scheduled": escape(gettext("scheduled")),
        }
    return words


@register.simple_tag(takes_context=True)
def installment_facts(context, row, can_view_receipts: bool) -> str:
    """An installment's amount, trigger, state, payment and signers: the
    `<p>`s of its item in the schedule (the buttons of the people who act
    stay in the template). Written as the timeline is (see _Timeline)."""
    words = _schedule_words(context)
    number = words["installment"] % {"number": int(row.position)}
    trigger = _Timeline.label(words["triggers"], row.trigger)
    due = f" {row.due_on.isoformat()}" if row.due_on else ""
    html = (
        f"<p><strong>{number}</strong>: {format_cny(row.amount)}"
        f' <span class="muted">({escape(floatformat(row.percent, "-2"))}%,'
        f" {trigger}{due})</span></p>"
        f' <p><span class="badge" data-testid="installment-state">'
        f"{words[row.state]}</span> "
    )
    payment = row.disbursement
    if payment is not None and payment.status == "paid":
        html += words["paid_on"] % {
            "day": payment.paid_on.isoformat(),
            "method": _Timeline.label(words["methods"], payment.method),
        }
        if can_view_receipts and payment.bank_reference:
            html += (
                f" · {words['bank_reference']}"
                f' <span data-testid="bank-reference">'
                f"{escape(payment.bank_reference)}</span>"
            )
    html += " </p>"
    if row.signatures:
        html += f' <p class="muted">{words["signed_by"]} {escape(row.signed_by)}</p>'
    return mark_safe(html)  # noqa: S308  (every text escaped)


@register.simple_tag(takes_context=True)
def project_expenses(
    context, expenses, project_pk: int, *, receipts: bool, answers: bool, reviews: bool
) -> str:
    """The money page's expenses (`selectors.ExpenseRow`) as its articles:
    with the receipt's link for those who see `receipts`, the link to
    answer a query for those who record them (`answers`) and the review's
    form for those who review them (`reviews`, the row's `review_form`)."""
    if not expenses:
        return format_html(
            '<p class="muted">{}</p>', gettext("No expense is recorded yet.")
        )
    # Written as the timeline is (see _Timeline): every text escaped.
    states = _escaped_labels(Expense, "status")
    over_budget = escape(gettext("over budget"))
    why_over = escape(gettext("Why over the budget line"))
    question = escape(gettext("Question"))
    receipt_of = gettext("Receipt: %(name)s")
    receipt = links_to("projects:receipt", project_pk)
    answer = links_to("projects:expense_answer", project_pk)
    answer_word = escape(gettext("Answer the question"))
    review = links_to("projects:expense_review", project_pk)
    articles = []
    for expense in expenses:
        status = _Timeline.label(states, expense.status)
        over = (
            f'<span class="badge over-budget">{over_budget}</span>'
            if expense.over_budget_reason
            else ""
        )
        parts = [
            f"<p><strong>{format_cny(expense.amount)}</strong>"
            f" · {escape(expense.description)} · {escape(expense.item)}"
            f" · {expense.spent_on.isoformat()}"
            f' <span class="badge" data-testid="expense-status">{status}</span>'
            f" {over}</p>"
        ]
        if expense.over_budget_reason:
            parts.append(f"<p>{why_over}: {escape(expense.over_budget_reason)}</p>")
        if expense.query:
            parts.append(f'<p class="muted">{question}: {escape(expense.query)}</p>')
        if receipts or answers:
            name = receipt_of % {"name": escape(expense.receipt_name)}
            parts.append(
                f'<p><a href="{escape(receipt(expense.pk))}"'
                f' data-testid="receipt-link">{name}</a></p>'
            )
        if reviews and expense.review_form is not None:
            parts.append(
                _review_form(review(expense.pk), context.get("csrf_token"), expense)
            )
        if answers and expense.status == Expense.Status.QUERIED:
            parts.append(
                f'<a class="button secondary" href="{escape(answer(expense.pk))}">'
                f"{answer_word}</a>"
            )
        articles.append(
            '<article class="card expense" data-testid="expense"> '
            + " ".join(parts)
            + " </article>"
        )
    return mark_safe(" ".join(articles))  # noqa: S308  (every text escaped)


def _csrf_input(csrf_token) -> str:
    """What `{% csrf_token %}` writes."""
    if not csrf_token or csrf_token == "NOTPROVIDED":  # noqa: S105  (Django's marker)
        return ""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_token
    )


def _review_form(action: str, csrf_token, expense) -> str:
    """The social worker's form to accept or query a waiting expense."""
    return format_html(
        '<form method="post" action="{}" class="stack" data-once>{}{}'
        ' <div class="field"><label for="query-expense-{}">{}</label>'
        ' <textarea id="query-expense-{}" name="query" rows="2" maxlength="300">'
        "</textarea></div>"
        ' <div class="actions"><button type="submit" name="accept" value="1"'
        ' data-testid="accept-expense">{}</button>'
        ' <button type="submit" name="query_it" value="1" class="secondary"'
        ' data-testid="query-expense">{}</button></div> </form>',
        action,
        _csrf_input(csrf_token),
        expense.review_form["idempotency_key"],
        expense.pk,
        gettext("Question, if you query it"),
        expense.pk,
        gettext("Accept"),
        gettext("Query"),
    )


@register.simple_tag
def milestone_items(milestones) -> str:
    """The project's milestones (`selectors.project_page`'s dicts) as `<li>`s."""
    reached = gettext("reached")
    not_yet = format_html('<span class="muted">{}</span>', gettext("not yet reached"))
    return mark_safe(  # noqa: S308  (each item is format_html's)
        "".join(
            format_html(
                "<li>{} · {} · {}</li>",
                milestone["title"],
                milestone["due_on"].isoformat(),
                format_html(
                    "<strong>{} {}</strong>",
                    reached,
                    milestone["reached_on"].isoformat(),
                )
                if milestone["reached_on"]
                else not_yet,
            )
            for milestone in milestones
        )
    )


@register.simple_tag
def observation_items(observations) -> str:
    """The evaluation team's observations (`selectors.project_observations`)
    as `<li>`s."""
    return mark_safe(  # noqa: S308  (each item is format_html's)
        "".join(
            format_html(
                "<li>{} · {}{}: {}</li>",
                observation["observed_on"].isoformat(),
                observation["evaluator"],
                format_html(" · {}/5", observation["score"])
                if observation["score"]
                else "",
                observation["notes"],
            )
            for observation in observations
        )
    )
