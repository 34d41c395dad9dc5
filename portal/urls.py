"""Public URLs. Everything under /portal/ is reachable without login, except the
office's staff pages under /portal/office/ (declared permission, login required);
nothing else is public (tests/security/test_route_matrix.py)."""

from django.urls import path

from .directory import views as directory
from .submission import views as submission

app_name = "portal"

urlpatterns = [
    # The online complaint form; ``?to=<institution pk>`` pre-sets the outlet (the QR
    # code on an outlet's poster links here).
    path("complain/", submission.complain, name="complain"),
    # 投诉办理查询: no code, secret or personal data in any of these paths.
    path("track/", submission.track, name="track"),
    path("track/case/", submission.track_case, name="track_case"),
    path("track/case/add/", submission.track_add, name="track_add"),
    path("track/case/verdict/", submission.track_verdict, name="track_verdict"),
    path("track/case/letter.pdf", submission.track_letter, name="track_letter"),
    path("track/end/", submission.track_end, name="track_end"),
    # 投诉渠道公示 (portal.directory).
    path("directory/", directory.directory, name="directory"),
    path("directory/<int:pk>/", directory.institution, name="institution"),
    path("directory/<int:pk>/poster/", directory.poster, name="poster"),
    path("directory/<int:pk>/poster.pdf", directory.poster_pdf, name="poster_pdf"),
    path("office/directory/incomplete/", directory.incomplete, name="directory_incomplete"),
]
