"""Public URLs. Everything under /portal/ is reachable without login; nothing else is
(tests/security/test_route_matrix.py)."""

from django.urls import path

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
]
