from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from coursework.models import Booking, Course, Enrollment, Extension, Reference, RosterImport, Slot, Task, TaskChange


class TaskInline(admin.StackedInline):
    model = Task
    extra = 0
    fields = [
        ("position", "label", "kind", "deliverable"),
        ("due_week", "due_at_override", "cutoff_at", "max_points"),
        ("rating_period", "rubric", "is_hidden"),
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


class ReferenceInline(admin.TabularInline):
    model = Reference
    extra = 0
    fields = ["position", "group", "text", "url"]


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
        (
            _("Course document"),
            {
                "fields": [
                    "expected_points",
                    "compiler",
                    ("department_protocol_number", "department_protocol_date"),
                    ("faculty_protocol_number", "faculty_protocol_date"),
                ]
            },
        ),
    ]
    inlines = [TaskInline, ReferenceInline, EnrollmentInline]


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


class BookingInline(admin.TabularInline):
    model = Booking
    extra = 0
    raw_id_fields = ["student"]


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "starts_at", "ends_at", "place", "capacity"]
    list_filter = ["kind", "task__course"]
    list_select_related = ["task__course"]
    raw_id_fields = ["task", "created_by"]
    inlines = [BookingInline]


@admin.register(RosterImport)
class RosterImportAdmin(admin.ModelAdmin):
    list_display = ["course", "file_name", "uploaded_by", "uploaded_at", "applied_at"]
    list_filter = ["course"]
    list_select_related = ["course", "uploaded_by"]
    readonly_fields = ["rows"]
    raw_id_fields = ["uploaded_by", "applied_by"]


@admin.register(TaskChange)
class TaskChangeAdmin(admin.ModelAdmin):
    list_display = ["task", "kind", "old_value", "new_value", "affected_grades", "changed_by", "changed_at"]
    list_filter = ["kind", "task__course"]
    list_select_related = ["task", "changed_by"]
    raw_id_fields = ["task", "changed_by"]
