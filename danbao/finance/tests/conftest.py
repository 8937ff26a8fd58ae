from danbao.finance.tests.support import b_manager, clerk, fin_world, gm, project  # noqa: F401
from danbao.products.tests.support import params  # noqa: F401
from danbao.rules.tests.support import catalogue  # noqa: F401
