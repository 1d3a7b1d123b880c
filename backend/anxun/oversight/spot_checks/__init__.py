"""The random spot check (双随机一公开): registries, reproducible draws, results, publication."""
