#!/bin/bash
# Entrypoint of the `mongo` service in docker-compose.yml: wraps the official image's entrypoint.
#
# A replica set with access control needs a key file (members authenticate to each other with it, even a
# single member). It is generated once, on the first start, into the persistent /data/configdb volume, with
# the owner and mode mongod insists on; then the image's own entrypoint runs as usual (first-start user
# creation from MONGO_INITDB_ROOT_*, the scripts in /docker-entrypoint-initdb.d, then mongod).
set -Eeuo pipefail

# The same path is given to mongod as --keyFile in docker-compose.yml.
keyfile=/data/configdb/replica-set.key

if [ ! -s "$keyfile" ]; then
	echo "pantau: generating the replica-set key file $keyfile"
	(
		umask 077
		# 756 random bytes are 1008 base64 characters: within mongod's 6..1024, no padding, no newline.
		head -c 756 /dev/urandom | base64 -w 0 > "$keyfile.tmp"
	)
	mv "$keyfile.tmp" "$keyfile"
fi
if [ "$(id -u)" = '0' ]; then
	chown mongodb:mongodb "$keyfile"
fi
chmod 400 "$keyfile"

exec docker-entrypoint.sh "$@"
