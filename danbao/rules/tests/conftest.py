from danbao.products.tests.support import gm, params  # noqa: F401
from danbao.rules.tests.support import book, catalogue  # noqa: F401
