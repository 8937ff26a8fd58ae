from django.urls import path

from danbao.system.views import calendar, dictionaries, jobs, numbering, overview, parameters

app_name = "system"
urlpatterns = [
    path("overview/", overview.overview, name="overview"),
    path("calendar/", calendar.calendar_page, name="calendar"),
    path("calendar/days/add/", calendar.calendar_day_add, name="calendar-day-add"),
    path("calendar/days/<int:pk>/", calendar.calendar_day_edit, name="calendar-day-edit"),
    path("calendar/days/<int:pk>/delete/", calendar.calendar_day_delete, name="calendar-day-delete"),
    path("calendar/import/", calendar.calendar_import, name="calendar-import"),
    path("calendar/years/", calendar.calendar_year_mark, name="calendar-year-mark"),
    path("dictionaries/", dictionaries.dict_list, name="dict-list"),
    path("dictionaries/add/", dictionaries.dict_type_add, name="dict-add"),
    path("dictionaries/<int:pk>/", dictionaries.dict_detail, name="dict-detail"),
    path("dictionaries/<int:pk>/edit/", dictionaries.dict_type_edit, name="dict-edit"),
    path("dictionaries/<int:pk>/items/<int:item_pk>/", dictionaries.dict_item_edit, name="dict-item-edit"),
    path("dictionaries/<int:pk>/items/<int:item_pk>/toggle/", dictionaries.dict_item_toggle, name="dict-item-toggle"),
    path("dictionaries/<int:pk>/items/<int:item_pk>/move/", dictionaries.dict_item_move, name="dict-item-move"),
    path("parameters/", parameters.param_list, name="param-list"),
    path("parameters/<int:pk>/", parameters.param_detail, name="param-detail"),
    path("numbering/", numbering.numbering_list, name="numbering-list"),
    path("numbering/add/", numbering.numbering_add, name="numbering-add"),
    path("numbering/<int:pk>/", numbering.numbering_edit, name="numbering-edit"),
    path("jobs/", jobs.job_list, name="job-list"),
    path("jobs/<int:pk>/toggle/", jobs.job_toggle, name="job-toggle"),
    path("jobs/<int:pk>/run/", jobs.job_run, name="job-run"),
    path("jobs/<int:pk>/log/", jobs.job_log, name="job-log"),
]
