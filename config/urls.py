from django.conf import settings
from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from complaints import views as complaint_views

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER
admin.site.index_title = settings.ADMIN_SITE_HEADER


class FaviconView(RedirectView):
    """Browsers ask every site for /favicon.ico, pages without a <link rel="icon">
    (the admin's) included: point them at the local icon instead of a 404 logged as a
    warning on each visit."""

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view()),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("complaints/", include("complaints.urls")),
    path("supervision/", include("supervision.urls")),
    path("mediation/", include("mediation.urls")),
    path("training/", include("training.urls")),
    path("convention/", include("convention.urls")),
    path("notifications/", include("notifications.urls")),
    path("publicity/", include("publicity.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("portal/", include("portal.urls")),
    # The portal's captcha images (django-simple-captcha, drawn locally); its views
    # reverse these names without a namespace, so they are mounted here.
    path("portal/captcha/", include("captcha.urls")),
    path("", include("institutions.urls")),
    path("", complaint_views.home, name="home"),
]
