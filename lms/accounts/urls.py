from django.urls import path

from lms.accounts import views

app_name = "accounts"
urlpatterns = [
    path("register/", views.register_view, name="register"),
    path("register/done/", views.register_done_view, name="register_done"),
    path("hromadas.json", views.hromadas_json_view, name="hromadas_json"),
    path(
        "confirm/resend/",
        views.resend_confirmation_view,
        name="resend_confirmation",
    ),
    path("confirm/<str:token>/", views.confirm_email_view, name="confirm_email"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/done/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "password/change/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("profile/", views.profile_view, name="profile"),
    path("data/", views.data_view, name="data"),
    path("data.json", views.data_json_view, name="data_json"),
    path("delete/", views.delete_account_view, name="delete"),
    path("deleted/", views.deleted_view, name="deleted"),
]
