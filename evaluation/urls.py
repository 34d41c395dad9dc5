from django.urls import path

from . import views

app_name = "evaluation"
urlpatterns = [
    path("", views.home, name="home"),
    path("sheets/<int:pk>/", views.sheet_detail, name="sheet"),
    path("periods/<int:pk>/self-assessment/", views.self_assessment, name="self_assessment"),
    path("periods/<int:pk>/notice/", views.notice, name="notice"),
    path("evidence/<uuid:pk>/", views.evidence_file, name="evidence"),
]
