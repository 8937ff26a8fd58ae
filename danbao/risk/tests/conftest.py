from danbao.ledger.tests.support import approved, lettered  # noqa: F401
from danbao.monitoring.tests.support import guarantee, monitoring_params  # noqa: F401
from danbao.products.tests.support import params  # noqa: F401
from danbao.projects.tests.support import b_manager, gm, world  # noqa: F401
from danbao.rules.tests.support import catalogue  # noqa: F401
