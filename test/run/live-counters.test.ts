/**
 * The dashboard's live counters are read between slices; reading them must change nothing:
 * a point simulated with the slice hook gives the very metrics it gives without it.
 */
import { expect } from "chai";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { pointSeed } from "../../src/run/identity.js";
import { simulate, type LiveCounters } from "../../src/run/point.js";

async function firstPoint(file: string, set: string[]) {
  const r = await loadScenario(packagePath("scenarios", file), { set });
  return planScenario(r.scenario!, { quick: true }).plan!.points[0]!;
}

describe("live counters", function () {
  this.timeout(60_000);

  for (const [file, set] of [
    ["core-smoke.yaml", ["devices.tick.driver.placement=user", "devices.tick.rate=20000/s"]],
    ["gige-user.yaml", ["workload.offered_load=900Mb/s"]],
  ] as const) {
    it(`leave the results of ${file} unchanged, and count up as the point runs`, async () => {
      const p = await firstPoint(file, [...set]);
      const seed = pointSeed(p.scenario.run.seed, p.seedParams);
      const plain = await simulate(p.scenario, seed);
      const seen: LiveCounters[] = [];
      const watched = await simulate(p.scenario, seed, { onSlice: (s) => void (s.live && seen.push(s.live)) });
      expect(watched.metrics).to.deep.equal(plain.metrics);
      expect(watched.events).to.equal(plain.events);
      expect(seen.length).to.be.greaterThan(10);
      const last = seen[seen.length - 1]!;
      expect(last.interrupts).to.be.greaterThan(0);
      for (let i = 1; i < seen.length; i++) expect(seen[i]!.simSeconds).to.be.greaterThan(seen[i - 1]!.simSeconds);
      const total = Object.values(last.cpuSeconds).reduce((a, b) => a + b, 0);
      expect(total).to.be.closeTo(last.simSeconds, 1e-9);
    });
  }
});
