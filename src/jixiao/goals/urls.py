from django.urls import path

from jixiao.goals import views

app_name = "goals"

urlpatterns = [
    path("", views.goal_list, name="list"),
    path("start/<int:project_id>/", views.goal_start, name="start"),
    path("<int:pk>/", views.goal_detail, name="detail"),
    path("<int:pk>/edit/", views.goal_edit, name="edit"),
    path("<int:pk>/adjust/", views.goal_adjust, name="adjust"),
    path("<int:pk>/copy/", views.goal_copy, name="copy"),
    path("<int:pk>/download/", views.goal_download, name="download"),
    path("<int:pk>/import/", views.goal_import, name="import"),
    path("<int:pk>/<str:action>/", views.goal_action, name="action"),
]
