"""Customer models, one module per area. The profile part owns customer.py; the other parts own
relations.py, financials.py, credit.py and screening.py and add their import lines here."""

from danbao.customers.models.credit import *  # noqa: F401,F403,E402
from danbao.customers.models.customer import *  # noqa: F401,F403
from danbao.customers.models.financials import *  # noqa: F401,F403,E402
from danbao.customers.models.relations import *  # noqa: F401,F403,E402
from danbao.customers.models.screening import *  # noqa: F401,F403,E402
