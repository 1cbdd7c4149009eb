from django.urls import path

from jixiao.evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("", views.evaluation_list, name="list"),
    path("scoring/", views.evaluation_scoring, name="scoring"),
    path("draft/<int:project_id>/", views.evaluation_draft, name="draft"),
    path("<int:pk>/", views.evaluation_detail, name="detail"),
    path("<int:pk>/edit/", views.evaluation_edit, name="edit"),
    path("<int:pk>/download/xlsx/", views.evaluation_xlsx, name="xlsx"),
    path("<int:pk>/download/pdf/", views.evaluation_pdf, name="pdf"),
    path("<int:pk>/<str:action>/", views.evaluation_action, name="action"),
]
