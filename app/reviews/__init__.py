"""Review chains: who reviews, recommends and decides each kind of record, as region data."""
