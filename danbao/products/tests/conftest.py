from danbao.products.tests.support import gm, params  # noqa: F401
