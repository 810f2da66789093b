// Copyright 2026 the evalhooks authors. MIT license.
// `node node_smoke.mjs BUNDLE URI EXPERIMENT`: the smoke under Node, against the bundled core.
import { smoke } from "./smoke.mjs";

const [bundle, uri, experiment] = process.argv.slice(2);
const lib = await import(bundle);
console.log(JSON.stringify(await smoke(lib, uri, experiment, "node")));
