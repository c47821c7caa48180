"""A small, realistic data set written through the services (reports, incidents, documents with versions, the
trash, audit entries), for drills and demos: `pantau seed sample`. Needs the regions and templates seeded.

Round 1 creates; each later round changes what is there the way operators do (edits, new versions, a
deletion, new uploads) and adds a little, so that a backup taken between rounds has something to catch up.
Documents are text files, varied per region and round; one file is uploaded in two regions, so two records
share its bytes.
"""
