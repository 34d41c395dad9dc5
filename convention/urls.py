from django.urls import path

from . import views

app_name = "convention"
urlpatterns = [
    path("", views.index, name="index"),
    path("publish/", views.publish, name="publish"),
    path("sign/", views.sign, name="sign"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
]
