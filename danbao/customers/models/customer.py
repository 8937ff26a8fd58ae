"""The customer aggregate (owned by the profile part)."""
