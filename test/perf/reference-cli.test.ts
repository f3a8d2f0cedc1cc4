/**
 * The per-event reference mode from the command line: LOOPDRV_REFERENCE=1 simulates every
 * point without exact coalescing, in this thread and in worker threads alike, and the
 * results document is byte for byte the one the coalescing run gives.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { runCli } from "../../cli/app.js";
import { memoryIo } from "../../cli/io.js";
import { loadScenario } from "../../src/dsl/load.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { planScenario } from "../../src/dsl/plan.js";
import type { System } from "../../src/model/system.js";
import { executePoint } from "../../src/run/execute.js";

async function cli(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo(env);
  const code = await runCli(args, { ...io, cwd: packagePath() });
  return { code, stdout: io.stdout, stderr: io.stderr };
}

describe("the per-event reference mode (LOOPDRV_REFERENCE=1)", function () {
  this.timeout(120_000);

  for (const [file, jobs, set] of [
    ["ide-user.yaml", "1", []],
    ["gige-kernel.yaml", "2", ["--set", "run.duration=20 ms"]],
  ] as const) {
    it(`gives the same results document as the coalescing run: ${file}, --jobs ${jobs}`, async () => {
      const args = ["run", path.join("scenarios", file), "--quick", "--json", "--quiet", "--no-cache", "--jobs", jobs, ...set];
      const fast = await cli(args);
      const ref = await cli(args, { LOOPDRV_REFERENCE: "1" });
      expect(fast.code, fast.stderr).to.equal(0);
      expect(ref.code, ref.stderr).to.equal(0);
      expect(ref.stdout).to.equal(fast.stdout);
    });
  }

  it("neither reads nor writes the result cache", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "loopdrv-ref-cache-"));
    try {
      const r = await cli(["run", path.join("scenarios", "core-smoke.yaml"), "--quick", "--json", "--quiet"], { LOOPDRV_CACHE_DIR: dir, LOOPDRV_REFERENCE: "1" });
      expect(r.code, r.stderr).to.equal(0);
      expect(readdirSync(dir)).to.deep.equal([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reaches the simulator: a reference job coalesces nothing, the same job otherwise does", async () => {
    const r = await loadScenario(packagePath("scenarios", "ide-user.yaml"));
    const p = planScenario(r.scenario!, { quick: true }).plan!.points[0]!;
    const job = { index: 0, id: p.id, params: p.params, seedParams: p.seedParams, scenario: p.scenario };
    let last: System | undefined;
    const hooks = { afterBuild: (sys: System) => void (last = sys) };
    await executePoint({ ...job, reference: true }, hooks);
    const ref = last!.sim;
    await executePoint(job, hooks);
    const fast = last!.sim;
    expect([ref.reference, ref.eventsCoalesced > 0, fast.reference, fast.eventsCoalesced > 0]).to.deep.equal([true, false, false, true]);
  });
});
