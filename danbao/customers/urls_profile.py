urlpatterns: list = []  # customers list, create, edit, 360, unmask, export
