"""Customer URLs: the profile part's patterns (urls_profile.py) and the other parts' (urls_extras.py)."""

from danbao.customers import urls_extras, urls_profile

app_name = "customers"
urlpatterns = [*urls_profile.urlpatterns, *urls_extras.urlpatterns]
