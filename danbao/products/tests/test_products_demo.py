"""The demo step: ten products published within the policy caps, idempotent."""

from typing import Any

import pytest

from danbao.products.demo import seed
from danbao.products.models import Product, ProductVersion

pytestmark = pytest.mark.django_db


def test_demo_creates_ten_products_within_caps_and_is_idempotent(params: Any) -> None:
    seed()
    assert Product.objects.count() == 10
    assert Product.objects.filter(status="active").count() == 10
    assert ProductVersion.objects.filter(status="draft").count() == 0
    xw = Product.objects.get(code="XW-LDZJ")
    assert xw.versions.count() == 2
    seed()
    assert Product.objects.count() == 10
    assert ProductVersion.objects.count() == 11
