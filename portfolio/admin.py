from django.contrib import admin

from portfolio.models import Submission, SubmissionFile, Version


class VersionInline(admin.TabularInline):
    model = Version
    extra = 0
    fields = ["number", "state", "submitted_at", "is_late", "late_by", "statement_accepted"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True


class SubmissionFileInline(admin.TabularInline):
    model = SubmissionFile
    extra = 0
    fields = ["original_name", "extension", "size", "sha256", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["task", "student", "created_at"]
    list_filter = ["task__course", "task__label"]
    search_fields = ["student__username", "student__last_name", "task__label"]
    list_select_related = ["task", "student"]
    raw_id_fields = ["task", "student"]
    inlines = [VersionInline]


@admin.register(Version)
class VersionAdmin(admin.ModelAdmin):
    """Read-only: versions are written by the hand-in workflow only, so nothing is ever lost."""

    list_display = ["submission", "number", "state", "submitted_at", "is_late"]
    list_filter = ["state", "is_late", "submission__task__course"]
    list_select_related = ["submission__task", "submission__student"]
    readonly_fields = [field.name for field in Version._meta.fields]
    inlines = [SubmissionFileInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
