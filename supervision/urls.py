from django.urls import path

from . import views

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
]
