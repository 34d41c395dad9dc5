from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = settings.ADMIN_SITE_HEADER
admin.site.site_title = settings.ADMIN_SITE_HEADER
admin.site.index_title = settings.ADMIN_SITE_HEADER

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("publicity/", include("publicity.urls")),
    path("", include("institutions.urls")),
]
