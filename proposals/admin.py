"""The admin: a read-only view of calls and proposals, with actions that call services.

Nothing here writes a field itself: a status, an amount, a text or a team
changes only through `proposals.services`, which check who acts and audit
it, so every field is read-only and each action calls one service.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import (
    Attachment,
    BudgetLine,
    Comment,
    Notification,
    Proposal,
    ProposalEvent,
    ProposalVersion,
    Round,
    Support,
)


def run_service(modeladmin, request, queryset, call, done_message: str) -> None:
    """Call a service on each selected row; report refusals row by row."""
    done = 0
    for obj in queryset:
        try:
            call(obj, request.user)
        except PermissionDenied:
            modeladmin.message_user(
                request,
                _("%(object)s: you may not do this.") % {"object": obj},
                messages.ERROR,
            )
        except ValidationError as error:
            modeladmin.message_user(
                request,
                f"{obj}: {' '.join(error.messages)}",
                messages.ERROR,
            )
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request, done_message % {"count": done}, messages.SUCCESS
        )


class ReadOnlyAdmin(admin.ModelAdmin):
    """Every field shown, none editable; rows come from the site's services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = [field.name for field in self.model._meta.fields]
        many = [field.name for field in self.model._meta.many_to_many]
        return fields + many


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ("position", "item", "quantity", "unit", "unit_cost")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "uploaded_by", "uploaded_at")


class VersionInline(ReadOnlyInline):
    model = ProposalVersion
    fields = ("number", "created_at", "created_by")


class EventInline(ReadOnlyInline):
    model = ProposalEvent
    fk_name = "proposal"
    fields = ("at", "actor", "action", "from_status", "to_status", "reason")


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "community",
        "opens_on",
        "closes_on",
        "budget_amount",
        "ceiling_amount",
        "closed_at",
    )
    list_filter = ("community",)
    search_fields = ("title",)
    list_select_related = ("community",)
    actions = ["close_now"]

    @admin.action(description=_("Close the selected calls now"))
    def close_now(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda call, user: services.round_close(round=call, actor=user),
            _("%(count)s calls closed."),
        )


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "community",
        "round",
        "status",
        "requested_amount",
        "support_count",
        "submitted_at",
    )
    list_filter = ("status", "category", "community")
    search_fields = ("title", "problem")
    list_select_related = ("community", "round")
    inlines = [BudgetLineInline, AttachmentInline, VersionInline, EventInline]
    actions = ["start_screening", "mark_eligible"]

    @admin.action(description=_("Start screening the selected proposals"))
    def start_screening(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda proposal, user: services.proposal_screen_start(
                proposal=proposal, actor=user
            ),
            _("%(count)s proposals in screening."),
        )

    @admin.action(description=_("Mark the selected proposals eligible"))
    def mark_eligible(self, request, queryset):
        run_service(
            self,
            request,
            queryset,
            lambda proposal, user: services.proposal_mark_eligible(
                proposal=proposal, actor=user
            ),
            _("%(count)s proposals marked eligible."),
        )


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "author", "created_at", "hidden_at")
    list_filter = ("hidden_at",)
    search_fields = ("body",)
    list_select_related = ("proposal", "author")


@admin.register(Support)
class SupportAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "resident", "created_at")
    list_select_related = ("proposal", "resident")


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("recipient", "proposal", "kind", "created_at", "read_at")
    list_filter = ("kind",)
    list_select_related = ("recipient", "proposal")
