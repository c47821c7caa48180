"""The GraphQL schema (Strawberry): types written over domain objects, one package per domain."""
