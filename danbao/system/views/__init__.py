"""Pages of the system app, one module per area."""
