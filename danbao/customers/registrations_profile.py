"""Menu items, permission group, demo step and 360 tabs of the customer profile part."""
