"""Pages of related parties, statements, screening and credit records (thin function views)."""
