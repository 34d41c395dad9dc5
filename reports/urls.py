from django.urls import path

from . import views
from .returns import views as returns

app_name = "reports"
urlpatterns = [
    path("", views.pack_index, name="index"),
    path("packs/<uuid:pk>/", views.pack_detail, name="pack"),
    path("packs/<uuid:pk>/download/", views.pack_download, name="download"),
    path("returns/", returns.return_index, name="returns"),
    path("returns/codes/", returns.return_codes, name="return_codes"),
    path("hotline/", views.hotline_import, name="hotline"),
    path("import/", views.history_import, name="import"),
    path("import/template.xlsx", views.history_import_template, name="import_template"),
    path("import/<uuid:pk>/", views.history_import_job, name="import_job"),
    path("import/<uuid:pk>/confirm/", views.history_import_confirm, name="import_confirm"),
    path("import/<uuid:pk>/cancel/", views.history_import_cancel, name="import_cancel"),
    path("import/<uuid:pk>/errors.csv", views.history_import_errors, name="import_errors"),
]
