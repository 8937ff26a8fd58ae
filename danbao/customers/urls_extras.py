urlpatterns: list = []  # related parties, statements, credit records, screening
