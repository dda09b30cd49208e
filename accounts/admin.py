from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Department, User

admin.site.site_header = _("Course portal administration")
admin.site.site_title = _("Course portal")
admin.site.index_title = _("Administration")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "faculty", "university"]
    search_fields = ["name", "name_ru", "name_en", "university"]
    fieldsets = [
        (None, {"fields": ["name", "name_ru", "name_en"]}),
        (_("Faculty"), {"fields": ["faculty", "faculty_ru", "faculty_en"]}),
        (_("University"), {"fields": ["university", "university_ru", "university_en"]}),
    ]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "last_name", "first_name", "role", "department", "is_active"]
    list_filter = ["role", "department", "is_active", "is_staff"]
    search_fields = ["username", "last_name", "first_name", "middle_name", "email", "student_number"]
    list_select_related = ["department"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Portal"), {"fields": ["middle_name", "role", "department", "student_number", "preferred_language"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Portal"), {"fields": ["last_name", "first_name", "middle_name", "role", "department"]}),
    ]
