"""Incremental sync in the API: the `updatedSince` argument of every listing and the `deleted` feed."""
