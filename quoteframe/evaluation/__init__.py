"""Gold readers and metrics for `quoteframe evaluate`."""
