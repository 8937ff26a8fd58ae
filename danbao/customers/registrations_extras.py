"""Menu items and 360 tabs of related parties, financial statements, credit records and screening."""
