from django.urls import path

from jixiao.library import views

app_name = "library"

urlpatterns = [
    path("", views.library_index, name="index"),
    path("suggest/", views.library_suggest, name="suggest"),
    path("<int:pk>/", views.library_detail, name="detail"),
    path("<int:pk>/merge/", views.library_merge_view, name="merge"),
    path("<int:pk>/recommend/", views.library_recommend_view, name="recommend"),
]
