"""Every pinned version and fixed address of the local services, in one place.

Change a version here and the next `up` rebuilds or downloads what depends on it (the build outputs are
keyed by version). The mongo-java-server version lives in `infra/mongo/pom.xml`; a newer pom triggers a
rebuild of the launcher. `UV_VERSION` is repeated in `infra/bootstrap.sh` (a test keeps the two equal).
"""

from __future__ import annotations

UV_VERSION = "0.13.9"
MINIO_MODULE = "github.com/minio/minio"
MINIO_VERSION = "v0.0.0-20260212201848-7aac2a2c5b7c"
# SeaweedFS 4.53 (Apache-2.0): its go.mod has replace directives, so `go install` refuses it; the module is
# downloaded and built from a writable copy instead (infra/local/seaweedfs_build.py).
SEAWEEDFS_MODULE = "github.com/seaweedfs/seaweedfs"
SEAWEEDFS_VERSION = "v0.0.0-20261109003541-7506e5f91cd6"
ELASTICSEARCH_VERSION = "9.5.2"
ELASTICSEARCH_ARTIFACT = (
    f"org.elasticsearch.distribution.integ-test-zip:elasticsearch:{ELASTICSEARCH_VERSION}:zip"
)
MONGO_POM = "infra/mongo/pom.xml"  # pins mongo-java-server 1.47.0 and slf4j-simple 2.0.17
MONGO_LAUNCHER = "infra/mongo/PantauMongo.java"
# Redis and Tesseract come from the Debian release of the machine (see infra/bootstrap.sh).

HOST = "127.0.0.1"
MONGO_PORT = 27027
MONGO_TEST_PORT = 27028
MINIO_PORT = 9010
MINIO_CONSOLE_PORT = 9011
ES_HTTP_PORT = 9210
ES_TRANSPORT_PORT = 9310
REDIS_PORT = 6390
# SeaweedFS runs master, volume server, filer and S3 gateway in one process; each also listens for gRPC on its
# HTTP port + 10000 (SeaweedFS's own convention, given explicitly here).
SEAWEEDFS_S3_PORT = 9020
SEAWEEDFS_MASTER_PORT = 9021
SEAWEEDFS_VOLUME_PORT = 9022
SEAWEEDFS_FILER_PORT = 9023
SEAWEEDFS_GRPC_OFFSET = 10000

MONGO_HEAP = "-Xmx1g"
ES_HEAP = "-Xms512m -Xmx1g"
ES_USER = "pantau-es"  # system user Elasticsearch runs as when the manager runs as root
ES_CLUSTER = "pantau-local"
