"""Everything that speaks HTTP: the GraphQL view and its streamed multipart uploads, request limits,
metrics and logging middleware, the operations endpoints and the export routes.

The domain packages never import this package; it calls them (and the schema, for the GraphQL view).
"""
