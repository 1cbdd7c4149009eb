from django.urls import path

from jixiao.benchmarking import views

app_name = "benchmarking"

urlpatterns = [
    path("", views.benchmark_page, name="index"),
    path("proposals/", views.proposal_list, name="proposals"),
    path("proposals/export/", views.proposal_export, name="proposals_export"),
    path("proposals/<int:report_id>/decide/", views.proposal_decide, name="proposal_decide"),
]
