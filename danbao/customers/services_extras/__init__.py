"""Services of the parts hanging off a customer: statements, related parties, screening, credit."""
