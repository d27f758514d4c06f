"""The admin: departments, programs, their readers and required reports are
edited here; reports and submissions are read-only (made by the services)."""

from django.contrib import admin

from fundapp.admin import ReadOnlyAdmin

from .models import (
    Department,
    DepartmentViewer,
    DonorProgram,
    ProgramOfficer,
    Report,
    ReportFile,
    ReportVersion,
    Requirement,
    Submission,
)


class ViewerInline(admin.TabularInline):
    model = DepartmentViewer
    extra = 0
    autocomplete_fields = ["user"]


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "kind"]
    list_filter = ["kind"]
    filter_horizontal = ["communities"]
    inlines = [ViewerInline, RequirementInline]


class OfficerInline(admin.TabularInline):
    model = ProgramOfficer
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(DonorProgram)
class DonorProgramAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "department"]
    filter_horizontal = ["sources"]
    inlines = [OfficerInline]


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["kind", "year", "fund", "source", "program"]
    list_filter = ["kind", "year"]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ["report", "number", "status", "requested_by", "requested_at"]
    list_filter = ["status"]
    exclude = ["figures"]


@admin.register(ReportFile)
class ReportFileAdmin(ReadOnlyAdmin):
    list_display = ["version", "part", "size", "sha256"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = [
        "version",
        "department",
        "submitted_by",
        "submitted_at",
        "email_status",
    ]
    list_filter = ["email_status", "department"]
