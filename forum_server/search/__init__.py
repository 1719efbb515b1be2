"""Full-text search: the index, written with every change (index.py), and queries that
carry the policy's clause inside them (queries.py)."""
