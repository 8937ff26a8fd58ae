urlpatterns: list = []  # department, position, user, role and grant pages
