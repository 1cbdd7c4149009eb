from django.urls import path

from jixiao.accounts import import_views, security_views, views

app_name = "manage"

urlpatterns = [
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/<str:change>/", views.organisation_change, name="organisation_change"),
    path("accounts/", views.accounts, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_detail, name="account"),
    path("accounts/<int:pk>/reset-password/", views.account_reset_password, name="account_reset_password"),
    path("accounts/<int:pk>/active/", views.account_set_active, name="account_set_active"),
    path("import/", import_views.import_upload, name="import"),
    path("import/confirm/", import_views.import_confirm, name="import_confirm"),
    path("import/template/", import_views.import_template, name="import_template"),
    path("security/", security_views.security, name="security"),
    path("sessions/", security_views.sessions, name="sessions"),
    path("sessions/<int:pk>/end/", security_views.session_end, name="session_end"),
    path("lockouts/clear/", security_views.lockout_clear, name="lockout_clear"),
]
