// Healthcheck of the `mongo` service in docker-compose.yml (run by mongosh inside the container).
//
// On the first start it initiates the single-member replica set `rs0`; it reports healthy only once this
// node is the writable primary, so that services depending on `mongo: service_healthy` can write at once.
// The member is named by its compose service name, which is also the host in PANTAU_MONGO_URL.
const REPLICA_SET = { _id: "rs0", members: [{ _id: 0, host: "mongo:27017" }] };

const admin = db.getSiblingDB("admin");
admin.auth(process.env.MONGO_INITDB_ROOT_USERNAME, process.env.MONGO_INITDB_ROOT_PASSWORD);

try {
  rs.status();
} catch (error) {
  if (error.codeName !== "NotYetInitialized") {
    throw error;
  }
  print("initiating replica set " + REPLICA_SET._id);
  rs.initiate(REPLICA_SET);
}

if (!admin.runCommand({ hello: 1 }).isWritablePrimary) {
  print("not yet the writable primary");
  quit(1);
}
