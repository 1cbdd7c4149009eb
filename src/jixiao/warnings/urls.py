from django.urls import path

from jixiao.warnings import views

app_name = "warnings"

urlpatterns = [
    path("", views.warning_list, name="list"),
    path("issue/", views.warning_issue, name="issue"),
    path("<int:pk>/", views.warning_detail, name="detail"),
    path("<int:pk>/notice.pdf", views.warning_notice_pdf, name="notice"),
    path("<int:pk>/files/<int:file_pk>/", views.warning_file, name="file"),
    path("<int:pk>/<str:action>/", views.warning_action, name="action"),
]
