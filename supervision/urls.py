from django.urls import path

from . import views
from .measures import views as measures

app_name = "supervision"
urlpatterns = [
    path("", views.board, name="board"),
    path("cases/", views.board_cases, name="cases"),
    path("major/", views.major_list, name="major"),
    path("urges/", views.urge_list, name="urges"),
    path("statistics/", views.statistics, name="statistics"),
    path("library/", views.library, name="library"),
    path("library/new/<int:complaint_pk>/", views.case_create, name="case_create"),
    path("library/<int:pk>/", views.case_detail, name="case_detail"),
    path("library/<int:pk>/edit/", views.case_update, name="case_update"),
    path("library/<int:pk>/circulate/", views.case_circulate, name="case_circulate"),
    path("library/<int:pk>/read/", views.case_confirm_read, name="case_read"),
    path("enforcement/", views.enforcement_list, name="enforcement_list"),
    path(
        "enforcement/new/<int:complaint_pk>/", views.enforcement_create, name="enforcement_create"
    ),
    path("enforcement/<int:pk>/", views.enforcement_detail, name="enforcement_detail"),
    path("enforcement/<int:pk>/close/", views.enforcement_close, name="enforcement_close"),
    path("measures/", measures.measure_list, name="measure_list"),
    path("measures/new/", measures.measure_new, name="measure_new"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/files/<int:doc_pk>/", measures.measure_file, name="measure_file"),
    path("rectification/", measures.rectification_list, name="rectification_list"),
    path("rectification/new/", measures.rectification_new, name="rectification_new"),
    path("rectification/<int:pk>/", measures.rectification_detail, name="rectification_detail"),
    path(
        "rectification/<int:pk>/act/<slug:action>/",
        measures.rectification_step,
        name="rectification_step",
    ),
    path(
        "rectification/<int:pk>/files/<int:doc_pk>/",
        measures.rectification_file,
        name="rectification_file",
    ),
]
