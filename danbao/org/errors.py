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

# Sign-in, sessions, two-factor and the security policy (services/auth.py, sessions.py, otp.py, policy.py).
LOGIN_DISABLED = ErrorCode("org.login_disabled", _("This account is disabled. Please contact the system administrator."))
LOGIN_EXPIRED = ErrorCode("org.login_expired", _("This account is past its end date. Please contact the system administrator."))
LOGIN_TEMPORARY_EXPIRED = ErrorCode(
    "org.login_temporary_expired", _("The temporary password has expired. Ask the system administrator for a new one.")
)
LOGIN_SUPERUSER = ErrorCode("org.login_superuser", _("Super-user accounts cannot sign in to the production system."))
OLD_PASSWORD_WRONG = ErrorCode("org.old_password_wrong", _("The current password is not correct."))
PASSWORD_SAME = ErrorCode("org.password_same", _("The new password must differ from the current one."))
NOT_LOCKED = ErrorCode("org.not_locked", _("The account is not locked."))
SESSION_NOT_FOUND = ErrorCode("org.session_not_found", _("The session does not exist or has already ended."))
SESSION_IS_CURRENT = ErrorCode("org.session_is_current", _("This is the session you are using; sign out instead."))
OTP_INVALID = ErrorCode("org.otp_invalid", _("The verification code is not correct or has already been used."))
OTP_THROTTLED = ErrorCode("org.otp_throttled", _("Too many wrong codes. Please wait %(seconds)s seconds and try again."))
OTP_ALREADY_SET_UP = ErrorCode("org.otp_already_set_up", _("Two-factor authentication is already set up."))
OTP_NOT_SET_UP = ErrorCode("org.otp_not_set_up", _("Two-factor authentication is not set up."))
OTP_MANDATORY = ErrorCode("org.otp_mandatory", _("Two-factor authentication is mandatory for your role and cannot be turned off."))
PASSWORD_WRONG = ErrorCode("org.password_wrong", _("The password is not correct."))
POLICY_INVALID = ErrorCode("org.policy_invalid", _("The security policy is not valid: %(reasons)s"))
