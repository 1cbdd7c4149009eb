from django.urls import path

from jixiao.tracking import review_views, upload_views, views

app_name = "tracking"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/versions/", review_views.report_versions, name="report_versions"),
    path("reports/<int:pk>/<str:action>/", review_views.report_action, name="report_action"),
    path("reports/bulk/", review_views.bulk_action, name="bulk_action"),
    path("inbox/", review_views.inbox, name="inbox"),
    path("rollup/", views.rollup, name="rollup"),
    path("upload/", upload_views.upload, name="upload"),
    path("upload/confirm/", upload_views.upload_confirm, name="upload_confirm"),
]
