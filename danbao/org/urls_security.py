"""Security pages: policy, online users, own sessions, unlock, two-factor."""

from django.urls import path

from danbao.org.views import security

urlpatterns = [
    path("security/policy/", security.policy, name="policy"),
    path("security/online/", security.online_users, name="online-users"),
    path("security/online/<int:pk>/end/", security.session_force_end, name="session-force-end"),
    path("security/users/<int:pk>/unlock/", security.user_unlock, name="user-unlock"),
    path("accounts/sessions/", security.own_sessions, name="sessions"),
    path("accounts/sessions/<int:pk>/end/", security.own_session_end, name="session-end"),
    path("accounts/sessions/end-others/", security.own_sessions_end_others, name="sessions-end-others"),
    path("accounts/2fa/setup/", security.otp_setup, name="otp-setup"),
    path("accounts/2fa/verify/", security.otp_verify, name="otp-verify"),
    path("accounts/2fa/disable/", security.otp_disable, name="otp-disable"),
    path("accounts/confirm/", security.reauth, name="reauth"),
]
