"""The shared kernel: small pieces every layer uses, each written once — the clock, database ids, the region
filter clause and paging with sealed cursors. It imports nothing else of the hub."""
