import pytest  # noqa: E402

from danbao.products.tests.support import params  # noqa: F401
from danbao.projects.tests.support import b_manager, gm, world  # noqa: F401
from danbao.rules.tests.support import catalogue  # noqa: F401
from danbao.securities.tests.support import approved, archivist  # noqa: F401


@pytest.fixture(autouse=True)
def no_review_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Due diligence before risk review is the diligence app's to test; the approved projects here
    go straight through the approval flow (as in danbao/projects/tests)."""
    from danbao.projects.services import approval

    monkeypatch.setattr(approval, "REVIEW_SUBMIT_CHECKS", [])
