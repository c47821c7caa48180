"""Backup and restore of everything a ministry files: the MongoDB data and the objects it references.

Elasticsearch is derived (a restore rebuilds it from MongoDB) and Redis holds only queues and limits, so
neither is backed up. A target (a directory or an S3 bucket, hub.backup.targets) holds:

    blobs/xx/<name>         sealed content, each stored once across every backup: segments of a
                            collection's raw BSON (zlib-compressed) and object bytes, named by an HMAC of
                            their SHA-256 (hub.backup.crypto)
    backups/<id>/manifest   sealed JSON: the point-in-time marker, every collection's segments with counts
                            and checksums, every object with its key, size, SHA-256 and blob

Every file is encrypted and authenticated with AES-256-GCM per 1 MiB chunk, under keys derived from the
operator's secret (PANTAU_BACKUP_KEY or PANTAU_BACKUP_KEY_FILE), which is never written to the target. Each
backup is complete on its own (a restore reads one manifest); it is incremental in what it writes, since
segments and objects already in the target are reused (hub.backup.create explains the consistency model).

Modules: create, verify, restore, prune (retention), service (a run under the lease, as the scheduler and
the command line do it), runs (run records and the lease), commands (`pantau backup`).
"""
