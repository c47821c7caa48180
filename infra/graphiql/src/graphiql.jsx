// GraphiQL for the hub's /graphql, bundled at set-up from pinned packages (build.mjs): the page loads
// nothing from outside the hub, so it works on an air-gapped network.
import { explorerPlugin } from "@graphiql/plugin-explorer";
import "@graphiql/plugin-explorer/style.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/style.css";
import { createRoot } from "react-dom/client";

const config = JSON.parse(document.getElementById("pantau-graphiql-config").textContent);

// Monaco runs its language services in workers, bundled beside this file.
globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const name = label === "json" || label === "graphql" ? label : "editor";
    return new Worker(`${config.assets}/${name}.worker.js`, { type: "module" });
  },
};

const endpoint = new URL(config.endpoint, window.location.href);
const subscriptionUrl = new URL(endpoint);
subscriptionUrl.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

// The header editor's JSON (`{"Authorization": "Bearer …"}`) goes with every request, and as the
// graphql-transport-ws `connection_init` payload for subscriptions.
const fetcher = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: subscriptionUrl.href });

const DEFAULT_QUERY = `# Pantau Hub GraphiQL (development only).
#
# 1. Log in: run the mutation below with your username and password.
# 2. Open "Headers" (bottom) and paste {"Authorization": "Bearer <accessToken>"}.
# 3. Ask for something, e.g. { viewer { name role region { code name } } }
#
# The Explorer (left) lists every field; Ctrl-Enter runs the operation.

mutation Login {
  sessionCreate(input: {username: "admin", password: ""}) {
    accessToken
    errors { field message code }
  }
}
`;

createRoot(document.getElementById("graphiql")).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={[explorerPlugin()]}
    defaultQuery={DEFAULT_QUERY}
    defaultHeaders={'{\n  "Authorization": "Bearer "\n}'}
    defaultEditorToolsVisibility="headers"
    isHeadersEditorEnabled
    shouldPersistHeaders={false}
    inputValueDeprecation
  />,
);
