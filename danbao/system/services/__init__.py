"""Write services of the system app, one module per area."""
