"""URL map of the organisation app.

Sign-in pages are in views/auth.py; security pages (policy, sessions, unlock, two-factor) are listed in
urls_security.py; administration pages (departments, positions, users, roles, grants) in urls_admin.py.
"""

from django.urls import path

from danbao.org import urls_admin, urls_security
from danbao.org.views import auth

app_name = "org"
urlpatterns = [
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/password/", auth.password_change, name="password-change"),
    path("accounts/profile/", auth.profile, name="profile"),
    *urls_admin.urlpatterns,
    *urls_security.urlpatterns,
]
