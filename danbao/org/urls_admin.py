"""Administration pages: departments, positions, users (system administrator), roles, role grants."""

from django.urls import path

from danbao.org.views import departments, grants, positions, roles, users

urlpatterns = [
    path("org/departments/", departments.department_list, name="department-list"),
    path("org/departments/new/", departments.department_create, name="department-create"),
    path("org/departments/<int:pk>/edit/", departments.department_edit, name="department-edit"),
    path("org/departments/<int:pk>/deactivate/", departments.department_deactivate, name="department-deactivate"),
    path("org/departments/<int:pk>/activate/", departments.department_activate, name="department-activate"),
    path("org/positions/", positions.position_list_view, name="position-list"),
    path("org/positions/new/", positions.position_create, name="position-create"),
    path("org/positions/<int:pk>/edit/", positions.position_edit, name="position-edit"),
    path("org/positions/<int:pk>/toggle/", positions.position_toggle, name="position-toggle"),
    path("org/users/", users.user_list_view, name="user-list"),
    path("org/users/new/", users.user_create, name="user-create"),
    path("org/users/<int:pk>/", users.user_detail, name="user-detail"),
    path("org/users/<int:pk>/edit/", users.user_edit, name="user-edit"),
    path("org/users/<int:pk>/disable/", users.user_disable, name="user-disable"),
    path("org/users/<int:pk>/enable/", users.user_enable, name="user-enable"),
    path("org/users/<int:pk>/reset-password/", users.user_reset_password, name="user-reset-password"),
    path("org/roles/", roles.role_list_view, name="role-list"),
    path("org/roles/new/", roles.role_create, name="role-create"),
    path("org/roles/<int:pk>/edit/", roles.role_edit, name="role-edit"),
    path("org/roles/<int:pk>/toggle/", roles.role_toggle, name="role-toggle"),
    path("org/grants/", grants.grant_list, name="grant-list"),
    path("org/grants/<int:pk>/", grants.grant_edit, name="grant-edit"),
]
