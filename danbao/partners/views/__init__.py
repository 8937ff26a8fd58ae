"""Partner pages: banks (banks.py), agreements (agreements.py), risk-sharing partners and channels (others.py)."""
