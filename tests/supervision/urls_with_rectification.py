"""The project's URLs plus a stand-in ``supervision:rectification_new`` route, to see
the hot spots' "发起整改" action appear once the rectification page exists."""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from config import urls as project
from supervision import urls as supervision


def _stub(request):
    return HttpResponse("rectification")


urlpatterns = [
    p
    for p in project.urlpatterns
    if not (isinstance(p, URLResolver) and getattr(p, "app_name", None) == "supervision")
] + [
    path(
        "supervision/",
        include(
            (
                [
                    *supervision.urlpatterns,
                    path("rectifications/new/", _stub, name="rectification_new"),
                ],
                "supervision",
            )
        ),
    )
]
