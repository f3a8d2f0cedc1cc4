/**
 * Golden tests: every runnable scenario in scenarios/ is run with --quick through the CLI's
 * own path and its results document compared with the committed snapshot in test/snapshots/.
 * A missing or different snapshot fails; only `npm run test:update` (never with CI set)
 * rewrites them. Scenarios whose models do not exist yet are listed explicitly, so a model
 * landing without its snapshots fails here.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { missingModels } from "../../src/run/runner.js";

const SCENARIOS = packagePath("scenarios");
const SNAPSHOTS = packagePath("test", "snapshots");
const UPDATE = process.env.LOOPDRV_UPDATE_SNAPSHOTS === "1" && !process.env.CI;

/** Scenarios that validate but whose device or workload models are still to come. */
const NOT_YET_RUNNABLE: Record<string, string> = {
};

/** The model version changes with every model edit; snapshots pin results, not the hash. */
function stable(doc: string): string {
  return doc.replace(/"model_version": "[0-9a-f]+"/, '"model_version": "<model>"');
}

const files = readdirSync(SCENARIOS).filter((f) => f.endsWith(".yaml")).sort();

describe("scenario snapshots (--quick)", function () {
  this.timeout(600_000);

  it("the list of not-yet-runnable scenarios is exactly those whose models are missing", async () => {
    const missing: string[] = [];
    for (const f of files) {
      const r = await loadScenario(path.join(SCENARIOS, f));
      const p = planScenario(r.scenario!, { quick: true });
      if (missingModels(p.plan!).length) missing.push(f);
    }
    expect(missing).to.deep.equal(Object.keys(NOT_YET_RUNNABLE).filter((f) => files.includes(f)).sort());
  });

  for (const f of files) {
    if (NOT_YET_RUNNABLE[f]) continue;
    it(`${f} gives its committed results`, async () => {
      const io = memoryIo({});
      const code = await runCli(["run", path.join("scenarios", f), "--quick", "--json", "--quiet"], { ...io, cwd: packagePath() });
      expect(code, io.stderr).to.equal(0);
      const got = stable(io.stdout);
      const snap = path.join(SNAPSHOTS, f.replace(/\.yaml$/, ".quick.json"));
      if (UPDATE) {
        writeFileSync(snap, got);
        return;
      }
      expect(existsSync(snap), `missing snapshot ${path.relative(packagePath(), snap)}: run \`npm run test:update\``).to.equal(true);
      expect(got).to.equal(readFileSync(snap, "utf8"));
    });
  }
});
