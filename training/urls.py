from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.session_list, name="list"),
    path("new/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/materials/<int:material_pk>/", views.material_download, name="material"),
    path("staff/<int:user_pk>/", views.staff_history, name="staff"),
    path("institutions/<int:pk>/", views.institution_totals, name="institution"),
]
