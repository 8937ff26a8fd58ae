"""Partner URLs (mounted at /partners/): banks, agreements, risk-sharing partners, channels."""

from django.urls import path

from danbao.partners.views import agreements, banks, others

app_name = "partners"

urlpatterns: list = [
    path("", banks.bank_list, name="bank-list"),
    path("banks/new/", banks.bank_create, name="bank-create"),
    path("banks/<int:pk>/", banks.bank_detail, name="bank-detail"),
    path("banks/<int:pk>/edit/", banks.bank_edit, name="bank-edit"),
    path("banks/<int:pk>/active/", banks.bank_active, name="bank-active"),
    path("banks/<int:pk>/contacts/new/", banks.contact_create, name="contact-create"),
    path("banks/<int:pk>/contacts/<int:contact_pk>/deactivate/", banks.contact_deactivate, name="contact-deactivate"),
    path("agreements/", agreements.agreement_list, name="agreement-list"),
    path("agreements/new/", agreements.agreement_create, name="agreement-create"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement-detail"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement-edit"),
    path("agreements/<int:pk>/activate/", agreements.agreement_activate, name="agreement-activate"),
    path("agreements/<int:pk>/terminate/", agreements.agreement_terminate, name="agreement-terminate"),
    path("risk-sharing/", others.partner_list, name="partner-list"),
    path("risk-sharing/new/", others.partner_create, name="partner-create"),
    path("risk-sharing/<int:pk>/", others.partner_detail, name="partner-detail"),
    path("risk-sharing/<int:pk>/edit/", others.partner_edit, name="partner-edit"),
    path("risk-sharing/<int:pk>/active/", others.partner_active, name="partner-active"),
    path("channels/", others.channel_list, name="channel-list"),
    path("channels/new/", others.channel_create, name="channel-create"),
    path("channels/<int:pk>/", others.channel_detail, name="channel-detail"),
    path("channels/<int:pk>/edit/", others.channel_edit, name="channel-edit"),
    path("channels/<int:pk>/active/", others.channel_active, name="channel-active"),
]
