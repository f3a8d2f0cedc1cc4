/**
 * Every point of a shipped scenario, one after the other, in this thread: the sweep's
 * single-thread time (what `--jobs 1` spends simulating, without start-up or reporting),
 * and its longest points.
 *
 *   npx tsx bench/tools/single-thread.ts paper-fig2.yaml [--quick]
 *
 * Under tsx, about 5 % slower than the compiled CLI (docs/performance.md, Method).
 */
import { loadScenario } from "../../src/dsl/load.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { planScenario } from "../../src/dsl/plan.js";
import { executePoint } from "../../src/run/execute.js";

const [file, ...flags] = process.argv.slice(2);
if (!file) throw new Error("usage: single-thread.ts SCENARIO.yaml [--quick]");
const loaded = await loadScenario(packagePath("scenarios", file), {});
if (!loaded.scenario) throw new Error(`${file} does not load`);
const { plan } = planScenario(loaded.scenario, { quick: flags.includes("--quick") });
if (!plan) throw new Error(`${file} does not plan`);
const times: [number, string, string][] = [];
let total = 0;
for (const p of plan.points) {
  const t0 = performance.now();
  await executePoint({ index: p.index, id: p.id, params: p.params, seedParams: p.seedParams, scenario: p.scenario }, {});
  const s = (performance.now() - t0) / 1000;
  total += s;
  times.push([s, p.id, JSON.stringify(p.params)]);
}
times.sort((a, b) => b[0] - a[0]);
console.log(`${file}: ${times.length} points, ${total.toFixed(2)} s in one thread; longest:`);
for (const [s, id, params] of times.slice(0, 5)) console.log(`  ${s.toFixed(2)} s  ${id}  ${params}`);
