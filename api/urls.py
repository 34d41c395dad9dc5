"""/api/: the schema, its docs page, version 1 of the API, and a JSON 404 for the
rest (mounted at "api/" by config/urls.py)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import auth, complaints, directory, notifications
from .views.base import NotFoundView

app_name = "api"

v1 = [
    path("auth/token/", auth.TokenObtainView.as_view(), name="token"),
    path("complaints/", complaints.ComplaintListCreate.as_view(), name="complaint-list"),
    path("complaints/<int:pk>/", complaints.ComplaintDetail.as_view(), name="complaint-detail"),
    path(
        "complaints/<int:pk>/timeline/",
        complaints.ComplaintTimeline.as_view(),
        name="complaint-timeline",
    ),
    path(
        "complaints/<int:pk>/transitions/",
        complaints.TransitionList.as_view(),
        name="complaint-transitions",
    ),
    *[
        path(
            f"complaints/<int:pk>/transitions/{name}/",
            view.as_view(),
            name=f"complaint-transition-{name}",
        )
        for name, view in complaints.TRANSITION_VIEWS.items()
    ],
    path(
        "complaints/<int:pk>/attachments/",
        complaints.AttachmentListCreate.as_view(),
        name="complaint-attachments",
    ),
    path(
        "complaints/<int:pk>/attachments/<int:attachment_pk>/download/",
        complaints.AttachmentDownload.as_view(),
        name="complaint-attachment-download",
    ),
    path(
        "complaints/<int:pk>/answer-templates/",
        complaints.AnswerTemplateList.as_view(),
        name="complaint-answer-templates",
    ),
    path(
        "complaints/<int:pk>/reveal/", complaints.ComplaintReveal.as_view(), name="complaint-reveal"
    ),
    path("institutions/", directory.InstitutionList.as_view(), name="institution-list"),
    path(
        "institutions/<int:pk>/", directory.InstitutionDetail.as_view(), name="institution-detail"
    ),
    path(
        "institutions/<int:pk>/handlers/",
        directory.InstitutionHandlers.as_view(),
        name="institution-handlers",
    ),
    path("categories/", directory.CategoryList.as_view(), name="category-list"),
    path("taxonomy-codes/", directory.TaxonomyCodeList.as_view(), name="taxonomy-code-list"),
    path("notifications/", notifications.NotificationList.as_view(), name="notification-list"),
    path(
        "notifications/read/",
        notifications.NotificationMarkRead.as_view(),
        name="notification-read",
    ),
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's set-up as a script (?script), not inline: the
    # page works under the Content-Security-Policy (docs/security.md).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("v1/", include(v1)),
    re_path(r"^", NotFoundView.as_view(), name="not-found"),
]
