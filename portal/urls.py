"""Public URLs. Everything under /portal/ is reachable without login; nothing else is
(tests/security/test_route_matrix.py)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    # The online complaint form; ``?to=<institution pk>`` pre-sets the outlet (the QR
    # code on an outlet's poster links here).
    path("complain/", views.complain, name="complain"),
]
