"""Storage behind small interfaces; only the modules here know pymongo."""
