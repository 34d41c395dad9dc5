from django.urls import path

from . import views

app_name = "publicity"
urlpatterns = [
    path("", views.campaign_list, name="campaign_list"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", views.campaign_update, name="campaign_update"),
    path("campaigns/<int:pk>/summary/", views.campaign_summary, name="campaign_summary"),
    path(
        "campaigns/<int:pk>/summary.xlsx",
        views.campaign_summary_xlsx,
        name="campaign_summary_xlsx",
    ),
    path(
        "campaigns/<int:campaign_pk>/activities/new/",
        views.activity_create,
        name="activity_create",
    ),
    path("activities/", views.activity_list, name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", views.activity_update, name="activity_update"),
    path("activities/<int:pk>/delete/", views.activity_delete, name="activity_delete"),
    path("photos/<uuid:pk>/", views.photo_view, name="photo"),
    path("photos/<uuid:pk>/delete/", views.photo_delete, name="photo_delete"),
]
