"""Incremental sync: what changed since a client's last sync (`updatedSince` on every listing, ordered by
`updated_at, _id`) and what left its view (tombstones: records removed, or moved out of a region)."""
