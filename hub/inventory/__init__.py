"""What the stack holds, counted and checksummed so that two moments (or a stack and a backup manifest) can be
reconciled: every record of every data collection, every object the records reference, every search index
entry. Used by `pantau backup reconcile` and the restore drill; meant to serve a general `pantau check`.
The search part is computed in `search/` (search.inventory) and handed in, since the domain never imports it.
"""
