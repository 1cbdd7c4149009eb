from django.urls import path

from jixiao.api import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.token_list, name="list"),
    path("<int:pk>/revoke/", views.token_revoke, name="revoke"),
    path("all/", views.all_tokens, name="all"),
    path("all/<int:pk>/revoke/", views.any_token_revoke, name="revoke_any"),
]
