from django.urls import path

from jixiao.public import views

app_name = "public"

urlpatterns = [
    path("", views.public_index, name="index"),
    path("<int:pk>/", views.public_report, name="report"),
    path("<int:pk>/download/<str:kind>/", views.public_download, name="download"),
]
