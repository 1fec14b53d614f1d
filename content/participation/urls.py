from django.urls import path

from content.participation import views

app_name = "participation"

urlpatterns = [
    path("<int:page_id>/apply/", views.apply_view, name="apply"),
    path(
        "applications/<int:pk>/withdraw/",
        views.withdraw_view,
        name="withdraw",
    ),
]
