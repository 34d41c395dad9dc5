from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.open_direct, name="open_direct"),
    path("new/<int:complaint_pk>/", views.open_from_complaint, name="open_from_complaint"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<slug:action>/", views.act, name="act"),
    path("<int:pk>/print/application/", views.print_application, name="print_application"),
    path("<int:pk>/print/session/<int:session_pk>/", views.print_session, name="print_session"),
    path("<int:pk>/print/agreement/", views.print_agreement, name="print_agreement"),
]
