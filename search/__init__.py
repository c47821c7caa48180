"""The derived search index: definitions, Indonesian analysis, indexer and query builder."""
