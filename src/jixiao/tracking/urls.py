from django.urls import path

from jixiao.tracking import department_views, download_views, period_views, review_views, upload_views, views

app_name = "tracking"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.report_list, name="report_list"),
    path("reports/export/", download_views.report_list_export, name="report_list_export"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="report_edit"),
    path("reports/<int:pk>/versions/", review_views.report_versions, name="report_versions"),
    path("reports/<int:pk>/<str:action>/", review_views.report_action, name="report_action"),
    path("reports/bulk/", review_views.bulk_action, name="bulk_action"),
    path("inbox/", review_views.inbox, name="inbox"),
    path("rollup/", views.rollup, name="rollup"),
    path("periods/", period_views.periods, name="periods"),
    path("completeness/", period_views.completeness, name="completeness"),
    path("departments/", department_views.departments, name="departments"),
    path("upload/", upload_views.upload, name="upload"),
    path("upload/confirm/", upload_views.upload_confirm, name="upload_confirm"),
    path("reports/<int:pk>/download/<str:kind>/", download_views.report_download, name="report_download"),
    path("rollup/download/<str:kind>/", download_views.rollup_download, name="rollup_download"),
    path("template/", download_views.template_download, name="template_download"),
    path("template/upload/", upload_views.template_upload, name="template_upload"),
]
