"""Reason codes of the system-management services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("system.permission_denied", _("You do not have permission to do this."))

CALENDAR_DAY_EXISTS = ErrorCode("system.calendar_day_exists", _("%(date)s is already in the holiday table."))
CALENDAR_NOT_NEEDED = ErrorCode(
    "system.calendar_entry_not_needed",
    _("%(date)s already is a %(what)s by the weekday rule; enter only holidays on weekdays and make-up working days at weekends."),
)
CALENDAR_PACKAGE_UNKNOWN_YEAR = ErrorCode(
    "system.calendar_package_unknown_year",
    _("The holiday package has no data for %(year)s; enter that year's holidays by hand from the State Council notice."),
)

DICT_CODE_EXISTS = ErrorCode("system.dict_code_exists", _("A dictionary with code %(key)s already exists."))
DICT_ITEM_CODE_EXISTS = ErrorCode("system.dict_item_code_exists", _("This dictionary already has an item with code %(key)s."))
DICT_PARENT_INVALID = ErrorCode("system.dict_parent_invalid", _("The parent item must be a top-level item of the same dictionary."))
DICT_UNKNOWN = ErrorCode("system.dict_unknown", _("There is no dictionary with code %(key)s."))

PARAM_UNKNOWN = ErrorCode("system.param_unknown", _("There is no system parameter with code %(key)s."))
PARAM_NOT_IN_FORCE = ErrorCode("system.param_not_in_force", _("Parameter %(key)s has no value in force on %(date)s."))
PARAM_INVALID_VALUE = ErrorCode("system.param_invalid_value", _("Invalid value for %(name)s: %(reason)s"))
PARAM_DATE_REQUIRED = ErrorCode(
    "system.param_date_required", _("A parameter with legal force needs the date from which the new value applies.")
)
PARAM_PERIOD_INVALID = ErrorCode("system.param_period_invalid", _("The end date must not be before the start date."))
PARAM_OVERLAP = ErrorCode(
    "system.param_overlap",
    _("The period overlaps the version valid from %(other)s; versions of one parameter may not overlap."),
)
PARAM_VERSION_IN_FORCE = ErrorCode(
    "system.param_version_in_force",
    _("A version valid from %(date)s has already been in force and cannot be overwritten; choose a later start date."),
)

NUMBERING_UNKNOWN = ErrorCode("system.numbering_unknown", _("There is no active numbering rule with code %(key)s."))
NUMBERING_CODE_EXISTS = ErrorCode("system.numbering_code_exists", _("A numbering rule with code %(key)s already exists."))
NUMBERING_RESET_NEEDS_DATE = ErrorCode(
    "system.numbering_reset_needs_date",
    _("A sequence that restarts %(reset)s needs a date part that shows the %(part)s, or numbers would repeat."),
)
NUMBERING_WIDTH_INVALID = ErrorCode("system.numbering_width_invalid", _("The sequence must have between 2 and 10 digits."))

JOB_UNKNOWN_TASK = ErrorCode("system.job_unknown_task", _("The task %(task)s is not installed on this server."))
