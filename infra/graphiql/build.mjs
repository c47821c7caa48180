// Bundles GraphiQL (src/graphiql.jsx) and Monaco's workers into dist/ with esbuild: `node build.mjs`.
// infra/bootstrap.sh runs it after `npm ci`; the hub serves dist/ under /graphiql in development.
import { build } from "esbuild";
import { rmSync } from "node:fs";

const dist = new URL("./dist/", import.meta.url).pathname;
rmSync(dist, { recursive: true, force: true });

const common = {
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2022",
  legalComments: "linked",
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: { graphiql: "src/graphiql.jsx" },
  outdir: dist,
  jsx: "automatic",
  loader: { ".ttf": "file", ".woff": "file", ".woff2": "file" },
  assetNames: "[name]-[hash]",
});

await build({
  ...common,
  entryPoints: {
    "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js",
    "json.worker": "monaco-editor/esm/vs/language/json/json.worker.js",
    "graphql.worker": "monaco-graphql/esm/graphql.worker.js",
  },
  outdir: dist,
});
