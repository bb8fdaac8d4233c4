import fc from "fast-check";
import { judgeInclusion } from "./judge-inclusion.js";
import { schemaNodeArbitrary } from "./testing/schema-pair-arbitrary.js";
const pairs = fc.sample(fc.tuple(schemaNodeArbitrary, schemaNodeArbitrary), { numRuns: 400, seed: Number(process.argv[2] ?? 1) });
let i = 0;
for (const [a, b] of pairs) { i++; console.error(i, JSON.stringify([a, b])); const t = Date.now(); judgeInclusion(a, b); judgeInclusion(b, a); const ms = Date.now() - t; if (ms > 300) console.log(ms, JSON.stringify(a), JSON.stringify(b)); }
console.log("done");
