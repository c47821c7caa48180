"""The official region tree: national root, provinces, regencies and cities with Kemendagri codes."""
