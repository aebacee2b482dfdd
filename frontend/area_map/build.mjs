// Builds the map component: src/index.js and deck.gl (from package.json) -> build/area_map.<hash>.js
// plus build/index.html that loads it. The build output is committed, so running the app needs no Node;
// tests/test_area_map.py rebuilds it (when npm is present) and checks that the committed files match.
//
//   npm ci && npm run build:map
import {build} from "esbuild";
import {mkdirSync, readdirSync, rmSync, writeFileSync} from "node:fs";
import {dirname, join, resolve} from "node:path";
import {fileURLToPath} from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, process.argv[2] || "build");  // another folder: to compare with the committed build
mkdirSync(out, {recursive: true});
for (const name of readdirSync(out)) rmSync(join(out, name));
const result = await build({
  entryPoints: [join(here, "src", "index.js")], bundle: true, minify: true, format: "iife",
  target: "es2020", outdir: out, entryNames: "area_map.[hash]", legalComments: "eof", metafile: true,
  logLevel: "warning",
});
const bundle = Object.keys(result.metafile.outputs).map((path) => path.split("/").pop())[0];
writeFileSync(join(out, "index.html"), `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Map</title>
<style>
  html, body { margin: 0; padding: 0; background: transparent; overflow: hidden; }
  #map { position: relative; width: 100%; }
  .notice { position: absolute; left: 8px; right: 8px; bottom: 8px; padding: 8px 10px; border-radius: 4px;
            background: #1a1a1a; color: #ffffff; font: 15px/1.35 sans-serif; }
</style>
</head>
<body>
<div id="map" role="img"></div>
<script src="${bundle}"></script>
</body>
</html>
`);
console.log(`built ${bundle}`);
