"""The admin: people and roles are edited here; money only through the services.

Ledger rows are read-only (the database refuses changes on PostgreSQL anyway);
tranches are recorded on the fund page, where the form carries an idempotency
key and the match is checked.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fundapp.models import (
    Account,
    Commitment,
    Community,
    Fund,
    LedgerEntry,
    LedgerTransaction,
    Membership,
    Source,
    Tranche,
    User,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    readonly_fields = ["verified_at", "verified_by", "created_at"]


@admin.register(User)
class LinliUserAdmin(UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, ("Linli", {"fields": ["phone", "display_name"]}))
    list_display = ["username", "display_name", "phone", "is_staff"]
    search_fields = ["username", "display_name", "phone"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "verified_at"]
    list_filter = ["community", "role"]
    search_fields = ["user__display_name", "user__phone", "address"]
    readonly_fields = ["verified_at", "verified_by", "created_at"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "city", "district"]


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "community", "currency"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "kind", "fund"]
    list_filter = ["kind"]


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyAdmin):
    list_display = ["source", "fiscal_year", "reference", "amount", "received_on"]
    list_filter = ["fiscal_year", "fund"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["purpose", "category", "amount", "fund", "created_at"]


@admin.register(Account)
class AccountAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "fund", "kind", "balance"]
    list_filter = ["kind"]


class LedgerEntryInline(admin.TabularInline):
    model = LedgerEntry
    extra = 0
    can_delete = False
    readonly_fields = ["account", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(LedgerTransaction)
class LedgerTransactionAdmin(ReadOnlyAdmin):
    list_display = ["pk", "effective_on", "kind", "amount", "fund", "memo", "reverses"]
    list_filter = ["kind", "fiscal_year"]
    inlines = [LedgerEntryInline]

    def has_change_permission(self, request, obj=None):
        # Viewing the entries needs the change view; nothing can be saved.
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
