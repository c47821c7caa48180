"""The audit chain: one entry per change, each keyed hash covering the previous entry's hash, anchored by
signed checkpoints kept outside MongoDB.

Pieces: `chain` (hash schemes, pure), `checks` (what a sound chain is, pure), `checkpoint` (the signed
statement of a head, pure), `service` (append, verify: MongoDB), `pending` (an entry written into the
changed document in the same update as the change, sealed), `linker` (pending entries into the chain, in
batches, under a lease), `anchor` (checkpoints in the object store), `commands` (`pantau audit
verify|checkpoint|link`). The periodic `pantau.checkpoint_audit` task calls `anchor.checkpoint_now` every
PANTAU_AUDIT_CHECKPOINT_INTERVAL_SECONDS, `pantau.link_audit` calls `linker.link_pending` every
PANTAU_AUDIT_LINK_INTERVAL_SECONDS.

Who records. The domain: each service that changes state writes the change's pending entry in the same
document update (on insert, in the inserted document), so no crash can leave a change without its entry;
the schema never records. Audited deletes are pending entries that the linker carries out once linked.
Events that change no document (a failed login) are appended directly with `service.record`: there is no
change for the entry to be torn from.

Threat model. Entries are HMAC-SHA256 under PANTAU_AUDIT_KEY (scheme 2), which lives in the environment of
the app, worker and scheduler and never in the database; entries written before keys came in stay plain
SHA-256 (scheme 1) and are accepted only before the first keyed entry. Checkpoints ("entry `seq` had hash
`h`; keyed from seq `k`"), signed with a key derived from the same secret, are written to the object store
(a separate system with its own credentials) and copied into the logs.

- Write access to MongoDB alone (a leaked connection string, an injection, a rogue database admin): altering,
  inserting, deleting or reordering an entry, or re-linking the chain from some entry on with recomputed
  hashes, fails verification at that entry: plain SHA-256 or another key gives a hash mismatch, relabelling
  entries as scheme 1 is a downgrade (after a keyed entry, or from the seq the checkpoints say keying began,
  which also catches a whole chain rewritten unkeyed). Cutting the tail or rolling the database back to an
  older backup leaves a sound chain, but a shorter one: any checkpoint beyond the cut reports it (as
  "truncated", or as "rewritten" at the checkpoint's seq once new entries have grown past it). What this
  attacker can still do: cut the entries written since the latest checkpoint (at most one interval of
  them), delete the whole chain before its first checkpoint exists, change other collections without any
  audit entry (the chain records what the app did, not what was done to the database behind its back), and
  remove pending entries before they are linked (the same: a change without its entry). Planting a pending
  entry does not get it signed into the chain: pending entries are sealed with a key derived from the audit
  key, and an unsealed one is set aside (`audit_rejected`), which `pantau audit verify` fails on.
- MongoDB and the object store, without the key: no entry or checkpoint can be forged, and a planted or
  altered checkpoint makes verification fail (loudly: a denial of the check, not a cover-up). But deleting
  checkpoints first makes a cut tail, or a whole chain rewritten unkeyed, go unnoticed, except against the
  copies in the logs. Against this attacker the checkpoint prefix needs write-once storage (S3 object lock in
  compliance mode on the bucket, or a second bucket whose credential may put but not delete).
- The key (a compromised app, worker or scheduler host, which also holds both sets of credentials): entries
  and checkpoints can be forged from then on. Entries before a checkpoint the attacker cannot remove still
  cannot be rewritten unnoticed (the checkpoint records their hash). Keep the key out of backups and rotate
  it after a compromise; rotation is not built yet: every keyed entry verifies under one key only, so a new
  key needs a key id in each entry (a scheme 3) before it can be changed without failing verification.
"""
