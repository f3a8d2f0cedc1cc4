/**
 * The meters' kernel counters (KernelCounters) are counted by the CPU where the probes
 * `cpu<N>/irq`, `/activation`, `/ctxsw` and `/syscall` are emitted, not by listeners on those
 * probes. This checks them against listeners on the probes, over the measurement window,
 * on points of the shipped scenarios that exercise every kind (and signal delivery, whose
 * extra switch is counted by the IRQ file, not the scheduler).
 */
import { expect } from "chai";
import { loadScenario } from "../../src/dsl/load.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { planScenario } from "../../src/dsl/plan.js";
import { attachMeters, buildSystem } from "../../src/model/system.js";
import { KernelCounters } from "../../src/model/kernel/index.js";
import { pointSeed } from "../../src/run/identity.js";
import { setup } from "./helpers.js";

const POINTS: [string, string[]][] = [
  ["ide-user.yaml", ["workload.transfer_size=1 sectors", "workload.bytes=256 KiB"]],
  ["ide-kernel.yaml", ["workload.transfer_size=8 sectors", "workload.bytes=256 KiB"]],
  ["gige-user.yaml", ["workload.offered_load=850 Mb/s", "run.warmup=5 ms", "run.duration=20 ms"]],
  ["gige-user.yaml", ["devices.eth0.driver.delivery=signal", "run.warmup=5 ms", "run.duration=20 ms"]],
  ["gige-kernel.yaml", ["workload.offered_load=300 Mb/s", "run.warmup=5 ms", "run.duration=20 ms"]],
];

const PROBES = { interrupts: "irq", driverActivations: "activation", contextSwitches: "ctxsw", systemCalls: "syscall" } as const;

describe("kernel counters", () => {
  for (const [file, set] of POINTS) {
    it(`${file} ${set.join(" ")}: equal to listeners on the probes over the window`, async () => {
      const r = await loadScenario(packagePath("scenarios", file), { set });
      const p = planScenario(r.scenario!, { quick: true }).plan!.points[0]!;
      const sys = buildSystem(p.scenario, pointSeed(p.scenario.run.seed, p.seedParams, 0));
      const { start, end } = sys.window;
      const heard = { interrupts: 0, driverActivations: 0, contextSwitches: 0, systemCalls: 0 };
      for (const [key, probe] of Object.entries(PROBES) as [keyof typeof heard, string][]) {
        sys.sim.probes.get(`cpu0/${probe}`).subscribe((t) => {
          if (t >= start && t < end) heard[key]++;
        });
      }
      const meters = attachMeters(sys);
      sys.sim.run(end);
      expect(meters.counters.counts()).to.deep.equal(heard);
      // Every kind happened (a kernel-placed driver has no activations).
      for (const [key, n] of Object.entries(heard)) if (!(key === "driverActivations" && file.includes("kernel"))) expect(n, key).to.be.greaterThan(0);
    });
  }

  it("count nothing outside their window, and one window per kernel", () => {
    const { sim, k } = setup();
    const counters = new KernelCounters(k, { start: 1e6, end: 2e6 });
    let inWindow = 0;
    let all = 0;
    sim.probes.get("cpu0/syscall").subscribe((t) => {
      all++;
      if (t >= 1e6 && t < 2e6) inWindow++;
    });
    k.spawn("caller", function* (self) {
      for (;;) yield* k.syscall(self, function* () {});
    });
    sim.run(3e6);
    expect(counters.counts().systemCalls).to.equal(inWindow);
    expect(inWindow).to.be.greaterThan(0);
    expect(all).to.be.greaterThan(2 * inWindow);
    expect(() => new KernelCounters(k)).to.throw(/second counting window/);
  });
});
