// Creates the application's MongoDB user (least privilege: readWrite on the app database only).
//
// The official image runs this once, on the first start with an empty data volume, connected as the root
// user (MONGO_INITDB_ROOT_*), before the replica set exists. Changing MONGO_APP_PASSWORD later does not
// change the user: see infra/docker/README.md.
const username = process.env.MONGO_APP_USERNAME;
const password = process.env.MONGO_APP_PASSWORD;
const database = process.env.MONGO_APP_DATABASE;

if (!username || !password || !database) {
  throw new Error("MONGO_APP_USERNAME, MONGO_APP_PASSWORD and MONGO_APP_DATABASE must all be set");
}

db.getSiblingDB("admin").createUser({
  user: username,
  pwd: password,
  roles: [{ role: "readWrite", db: database }],
});
print("created MongoDB user " + username + " with readWrite on " + database);
