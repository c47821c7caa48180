// The GraphQL-over-HTTP server audit of graphql-http, run against a hub: `node audit.mjs <url of /graphql>`.
// Prints one JSON object: the count of audits and those that did not pass (id, status, name, reason).
import { auditServer } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs http://127.0.0.1:8000/graphql");
  process.exit(2);
}
const results = await auditServer({ url });
const failed = results
  .filter((result) => result.status !== "ok")
  .map(({ id, status, name, reason }) => ({ id, status, name, reason }));
console.log(JSON.stringify({ total: results.length, passed: results.length - failed.length, failed }));
