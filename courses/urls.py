from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("enrol/<int:course_id>/", views.enrol_view, name="enrol"),
    path(
        "lessons/<int:lesson_id>/complete/",
        views.complete_lesson_view,
        name="complete_lesson",
    ),
]
