from django.contrib import admin

from directory.models import Entry, EntryCategory


class EntryCategoryInline(admin.TabularInline):
    model = EntryCategory
    extra = 0
    can_delete = False
    readonly_fields = ["category"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    """Entries are derived from students' rows (directory.services); only their hiding is edited, on the site."""

    list_display = ["name", "city", "region", "organisation_type", "student_count", "checked_on", "is_hidden"]
    list_filter = ["department", "is_hidden", "region", "organisation_type", "cost"]
    search_fields = ["name", "city", "key"]
    list_select_related = ["department"]
    inlines = [EntryCategoryInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
