"""What a stack restored from a backup must hold, as an inventory (hub.inventory) built from the manifest."""

from __future__ import annotations

from hub.backup.manifest import Manifest
from hub.inventory.objects import ObjectRef
from hub.inventory.state import CollectionState, Inventory, ObjectsState, objects_checksum


def expected_inventory(manifest: Manifest) -> Inventory:
    refs = [ObjectRef(e.key, e.sha256, e.size, e.content_type) for e in manifest.objects]
    return Inventory(
        collections={
            name: CollectionState(part.records, part.sha256) for name, part in manifest.collections.items()
        },
        objects=ObjectsState(
            referenced=len(refs), bytes=sum(ref.size for ref in refs), sha256=objects_checksum(refs)
        ),
    )
