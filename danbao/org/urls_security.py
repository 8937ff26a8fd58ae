urlpatterns: list = []  # security policy, online users, sessions, unlock, two-factor pages
