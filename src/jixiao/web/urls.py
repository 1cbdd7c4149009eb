from django.contrib.auth import views as auth_views
from django.urls import include, path

from jixiao.accounts.forms import LoginForm
from jixiao.accounts.views import PasswordChangeView

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("jixiao.api.urls")),
    path("account/api-tokens/", include("jixiao.api.page_urls")),
    path(
        "password/",
        PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
    path("audit/", include("jixiao.audit.urls")),
    path("manage/", include("jixiao.accounts.urls")),
    path("public/", include("jixiao.public.urls")),
    path("library/", include("jixiao.library.urls")),
    path("goals/", include("jixiao.goals.urls")),
    path("evaluations/", include("jixiao.evaluation.urls")),
    path("benchmarking/", include("jixiao.benchmarking.urls")),
    path("warnings/", include("jixiao.warnings.urls")),
    path("", include("jixiao.tracking.urls")),
]
