"""Object storage (MinIO/S3) behind a small interface; the SDK is synchronous, so calls run in threads."""

from __future__ import annotations

import io
from typing import BinaryIO

import anyio.to_thread
from minio import Minio
from minio.error import S3Error

PART_SIZE = 16 * 1024 * 1024


class ObjectStore:
    def __init__(self, client: Minio, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    async def ensure_bucket(self) -> None:
        def ensure() -> None:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket)

        await anyio.to_thread.run_sync(ensure)

    async def put(self, key: str, stream: BinaryIO, length: int, content_type: str) -> None:
        await anyio.to_thread.run_sync(
            lambda: self.client.put_object(
                self.bucket, key, stream, length, content_type=content_type, part_size=PART_SIZE
            )
        )

    async def remove(self, key: str) -> None:
        await anyio.to_thread.run_sync(lambda: self.client.remove_object(self.bucket, key))

    async def exists(self, key: str) -> bool:
        def stat() -> bool:
            try:
                self.client.stat_object(self.bucket, key)
            except S3Error as error:
                if error.code in {"NoSuchKey", "NoSuchObject"}:
                    return False
                raise
            return True

        return await anyio.to_thread.run_sync(stat)

    def read_sync(self, key: str, limit: int) -> bytes:
        """At most `limit` bytes of an object (callers bound memory by the upload cap)."""
        response = self.client.get_object(self.bucket, key)
        try:
            buffer = io.BytesIO()
            for chunk in response.stream(1024 * 1024):
                buffer.write(chunk)
                if buffer.tell() > limit:
                    raise ValueError(f"object {key} is larger than {limit} bytes")
            return buffer.getvalue()
        finally:
            response.close()
            response.release_conn()

    def keys_sync(self, prefix: str = "") -> list[str]:
        return [
            item.object_name
            for item in self.client.list_objects(self.bucket, prefix=prefix, recursive=True)
            if item.object_name is not None
        ]
