"""Reason codes of the organisation and account services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PASSWORD_INVALID = ErrorCode("org.password_invalid", _("The password does not meet the policy: %(reasons)s"))
PERMISSION_DENIED = ErrorCode("org.permission_denied", _("You do not have permission to do this."))

# Departments and positions (services/departments.py, services/positions.py).
CODE_TAKEN = ErrorCode("org.code_taken", _("The code %(taken)s is already used."))
DEPARTMENT_CYCLE = ErrorCode("org.department_cycle", _("A department cannot be moved under itself or one of its sub-departments."))
DEPARTMENT_PARENT_INACTIVE = ErrorCode("org.department_parent_inactive", _("The parent department is deactivated."))
DEPARTMENT_HAS_USERS = ErrorCode(
    "org.department_has_users", _("The department still has %(count)s active users; move or disable them first.")
)
DEPARTMENT_HAS_CHILDREN = ErrorCode(
    "org.department_has_children", _("The department still has %(count)s active sub-departments; deactivate or move them first.")
)
ALREADY_INACTIVE = ErrorCode("org.already_inactive", _("It is already deactivated."))

# Users (services/users.py).
LOGIN_NAME_INVALID = ErrorCode(
    "org.login_name_invalid", _("A login name has 3 to 30 characters: letters, digits, dot, underscore or hyphen.")
)
LOGIN_NAME_RESERVED = ErrorCode("org.login_name_reserved", _("The login name %(username)s is reserved and cannot be used."))
LOGIN_NAME_TAKEN = ErrorCode("org.login_name_taken", _("The login name %(username)s is already used."))
MOBILE_INVALID = ErrorCode("org.mobile_invalid", _("Enter an 11-digit mainland mobile number."))
MOBILE_TAKEN = ErrorCode("org.mobile_taken", _("The mobile number is already registered to another account."))
EMPLOYEE_NO_TAKEN = ErrorCode("org.employee_no_taken", _("The employee number %(employee_no)s is already registered to another account."))
EMPLOYEE_NO_REQUIRED = ErrorCode(
    "org.employee_no_required", _("Every account must be bound to a person: enter the employee number and mobile.")
)
DEPARTMENT_INACTIVE = ErrorCode("org.department_inactive", _("The department is deactivated."))
CANNOT_DISABLE_SELF = ErrorCode("org.cannot_disable_self", _("You cannot disable your own account."))
REASON_REQUIRED = ErrorCode("org.reason_required", _("Please give a reason."))
ALREADY_IN_STATE = ErrorCode("org.already_in_state", _("The account is already in that state."))
ADMIN_EXISTS = ErrorCode("org.admin_exists", _("An active account with the role %(role)s already exists."))

# Roles and grants (services/roles.py).
ROLE_READ_ONLY = ErrorCode("org.role_read_only", _("The administrator roles are built in and cannot be changed here."))
ROLE_BUILTIN = ErrorCode("org.role_builtin", _("Built-in roles cannot be deactivated."))
ROLE_ADMIN_PERMISSION = ErrorCode("org.role_admin_permission", _("A business role cannot contain administrator permissions: %(codes)s."))
ROLE_UNKNOWN_PERMISSION = ErrorCode("org.role_unknown_permission", _("Unknown permission codes: %(codes)s."))
ROLE_CODE_INVALID = ErrorCode(
    "org.role_code_invalid", _("A role code has 2 to 32 characters: lower-case letters, digits and underscores, starting with a letter.")
)
ROLE_SCOPE_DEPARTMENTS = ErrorCode(
    "org.role_scope_departments", _("Choose at least one department for the data scope “chosen departments”.")
)
ROLE_SCOPE_INVALID = ErrorCode("org.role_scope_invalid", _("This data scope cannot be given to a business role."))
GRANT_SELF = ErrorCode("org.grant_self", _("You cannot change your own roles."))
GRANT_ADMIN_ROLE = ErrorCode(
    "org.grant_admin_role", _("The administrator roles cannot be granted here; they are assigned only when the system is set up.")
)
GRANT_ADMIN_EXCLUSIVE = ErrorCode(
    "org.grant_admin_exclusive", _("%(user)s is an administrator and cannot hold any other role (separation of duties).")
)
GRANT_ROLE_INACTIVE = ErrorCode("org.grant_role_inactive", _("The role %(role)s is deactivated and cannot be granted."))
