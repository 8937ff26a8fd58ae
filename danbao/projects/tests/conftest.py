import pytest

from danbao.products.tests.support import params  # noqa: F401
from danbao.projects.tests.support import b_manager, gm, world  # noqa: F401
from danbao.rules.tests.support import catalogue  # noqa: F401


@pytest.fixture(autouse=True)
def no_review_checks(monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    """The checks apps above projects register before risk review (due diligence complete) are
    theirs to test (danbao/diligence/tests); here the list starts empty and a test may add its own."""
    from danbao.projects.services import approval

    checks: list = []  # type: ignore[type-arg]
    monkeypatch.setattr(approval, "REVIEW_SUBMIT_CHECKS", checks)
    return checks
