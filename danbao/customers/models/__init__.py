"""Customer models, one module per area. The profile part owns customer.py; the other parts own
relations.py, financials.py, credit.py and screening.py and add their import lines here."""

from danbao.customers.models.customer import *  # noqa: F401,F403
