from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coursework.models import Course, Enrollment, Extension, Task


class TaskInline(admin.StackedInline):
    model = Task
    extra = 0
    fields = [
        ("position", "label", "kind", "deliverable"),
        ("due_week", "due_at_override", "cutoff_at", "max_points"),
        "title",
        "title_ru",
        "title_en",
        "description",
        "description_ru",
        "description_en",
        "portfolio",
        "portfolio_ru",
        "portfolio_en",
    ]


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    autocomplete_fields = ["student"]


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "academic_year", "term", "start_date", "department"]
    list_filter = ["academic_year", "term", "department"]
    search_fields = ["code", "title", "title_ru", "title_en"]
    list_select_related = ["department"]
    filter_horizontal = ["instructors"]
    fieldsets = [
        (None, {"fields": ["department", "code", "academic_year", "term", "start_date", "instructors"]}),
        (_("Title"), {"fields": ["title", "title_ru", "title_en"]}),
        (_("Educational programme"), {"fields": ["programme", "programme_ru", "programme_en"]}),
    ]
    inlines = [TaskInline, EnrollmentInline]


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["label", "title", "course", "kind", "deliverable", "due_week", "max_points"]
    list_filter = ["kind", "deliverable", "course__academic_year", "course"]
    search_fields = ["label", "title", "course__code"]
    list_select_related = ["course"]


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ["student", "course", "academic_group"]
    list_filter = ["academic_group", "course"]
    search_fields = ["student__username", "student__last_name", "student__first_name", "academic_group"]
    list_select_related = ["student", "course"]
    autocomplete_fields = ["student", "course"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    list_display = ["task", "student", "due_at", "cutoff_at", "granted_by", "granted_at"]
    list_filter = ["task__course"]
    search_fields = ["student__username", "student__last_name", "task__label"]
    list_select_related = ["task", "student", "granted_by"]
    autocomplete_fields = ["student"]
    raw_id_fields = ["task"]
