"""Guarantee products (产品管理): versioned eligibility, pricing, risk shares, materials, monitoring, approval flow."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "danbao.products"
    label = "products"
    verbose_name = _("Products")
