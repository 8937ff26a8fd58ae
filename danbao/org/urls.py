from django.urls import path

from danbao.org.views import auth

app_name = "org"
urlpatterns = [
    path("accounts/login/", auth.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth.PasswordChangeView.as_view(), name="password-change"),
    path("accounts/profile/", auth.profile, name="profile"),
]
