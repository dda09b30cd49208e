from django.contrib import admin

from accounts.models import Department
from grading.models import (
    Criterion,
    Grade,
    GradeChange,
    HolisticBand,
    HolisticScale,
    LetterGrade,
    Level,
    Rubric,
)
from grading.selectors.grades import forget_letters


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["position", "title", "title_ru", "title_en"]
    show_change_link = True


@admin.register(Rubric)
class RubricAdmin(admin.ModelAdmin):
    list_display = ["title", "department", "holistic_scale", "updated_at"]
    list_filter = ["department"]
    search_fields = ["title", "title_ru", "title_en"]
    list_select_related = ["department", "holistic_scale"]
    inlines = [CriterionInline]


class LevelInline(admin.TabularInline):
    model = Level
    extra = 0
    fields = ["position", "title", "min_percent", "max_percent", "descriptor", "descriptor_ru", "descriptor_en"]


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    list_display = ["title", "rubric", "position"]
    list_filter = ["rubric"]
    list_select_related = ["rubric"]
    inlines = [LevelInline]


class HolisticBandInline(admin.StackedInline):
    model = HolisticBand
    extra = 0


@admin.register(HolisticScale)
class HolisticScaleAdmin(admin.ModelAdmin):
    inlines = [HolisticBandInline]


@admin.register(LetterGrade)
class LetterGradeAdmin(admin.ModelAdmin):
    """Letters edited here are forgotten by the cache at once, as the letter scale's services do
    (``forget_letters``): a changed scale is shown on the next page, not after the cache's timeout."""

    list_display = ["letter", "min_percent", "max_percent", "gpa", "traditional", "department"]
    list_filter = ["department"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_letters(obj.department)
        if change and "department" in form.changed_data:  # the scale it left changed too
            before = form.initial.get("department")
            forget_letters(Department(pk=before) if before is not None else None)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        forget_letters(obj.department)

    def delete_queryset(self, request, queryset):
        departments = {letter.department for letter in queryset.select_related("department")}
        super().delete_queryset(request, queryset)
        for department in departments:
            forget_letters(department)


class GradeChangeInline(admin.TabularInline):
    model = GradeChange
    extra = 0
    fields = ["action", "changed_by", "changed_at", "before", "after"]
    readonly_fields = fields
    can_delete = False


@admin.register(Grade)
class GradeAdmin(admin.ModelAdmin):
    """Read-only: grades change only through the grading page, so every change is in their history."""

    list_display = ["version", "state", "points", "percent", "graded_by", "updated_at"]
    list_filter = ["state", "submission__task__course"]
    list_select_related = ["version__submission__task", "version__submission__student", "graded_by"]
    readonly_fields = [field.name for field in Grade._meta.fields]
    inlines = [GradeChangeInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
