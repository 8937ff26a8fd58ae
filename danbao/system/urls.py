app_name = "system"
urlpatterns: list = []
