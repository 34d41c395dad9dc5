from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_create, name="create"),
    path("new/earlier/", views.earlier_complaints, name="earlier"),
    path("bulk/", views.complaint_bulk, name="bulk"),
    path("export/", views.complaint_export, name="export"),
    path("export/<int:pk>/", views.export_status, name="export_status"),
    path("export/<int:pk>/download/", views.export_download, name="export_download"),
    path("handlers/", views.handler_options, name="handler_options"),
    path("staff/", views.staff_options, name="staff_options"),
    path("answer-templates/", views.answer_template_list, name="answer_templates"),
    path("answer-templates/new/", views.answer_template_edit, name="answer_template_new"),
    path("answer-templates/<int:pk>/", views.answer_template_edit, name="answer_template_edit"),
    path("<int:pk>/", views.complaint_detail, name="detail"),
    path("<int:pk>/print/", views.complaint_print, name="print"),
    path("<int:pk>/print.pdf", views.complaint_print_pdf, name="print_pdf"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.complaint_attachment,
        name="attachment",
    ),
    path("<int:pk>/reveal/", views.complaint_reveal, name="reveal"),
    path("<int:pk>/act/<slug:action>/", views.complaint_act, name="act"),
]
