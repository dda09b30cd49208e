from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from accounts.views import home
from config import converters  # noqa: F401  (registers <id:…>, which every app's URLs use, before they are read)

# A database that cannot be reached gets its own page (503); any other failure, Django's 500 page.
handler500 = "config.outage.server_error"

urlpatterns = [
    path("", home, name="home"),
    # accounts/: sign-in, sign-out, password change (Django's views, our templates)
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    # accounts/reset/: setting a password from an e-mailed link (new accounts from a roster, forgotten passwords)
    path(
        "accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    # i18n/: the language switcher posts here
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("", include("coursework.urls")),
    path("", include("portfolio.urls")),
    path("", include("caseplans.urls")),
    path("", include("analysis.urls")),
    path("", include("toolkits.urls")),
    path("", include("grading.urls")),
    path("", include("jobs.urls")),
    path("directory/", include("directory.urls")),
]
