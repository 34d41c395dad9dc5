"""Public URLs. Everything under /portal/ is reachable without login, except the
office's staff pages under /portal/office/ (declared permission, login required);
nothing else is public (tests/security/test_route_matrix.py)."""

from django.urls import path

from . import views
from .directory import views as directory

app_name = "portal"

urlpatterns = [
    # The online complaint form; ``?to=<institution pk>`` pre-sets the outlet (the QR
    # code on an outlet's poster links here).
    path("complain/", views.complain, name="complain"),
    # 投诉渠道公示 (portal.directory).
    path("directory/", directory.directory, name="directory"),
    path("directory/<int:pk>/", directory.institution, name="institution"),
    path("directory/<int:pk>/poster/", directory.poster, name="poster"),
    path("directory/<int:pk>/poster.pdf", directory.poster_pdf, name="poster_pdf"),
    path("office/directory/incomplete/", directory.incomplete, name="directory_incomplete"),
]
