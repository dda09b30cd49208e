from django.contrib import admin

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
    list_display = ["letter", "min_percent", "max_percent", "gpa", "traditional", "department"]
    list_filter = ["department"]


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
