/**
 * Property: whatever the fault schedule — crashes and hangs at any times, faults with a
 * probability per activation, any in-flight policy, heartbeat and restart settings, either
 * placement — every conservation equation holds (issued = completed + lost + in flight),
 * not only at the end of the run but at every instant the run is looked at, and the CPU
 * time accounted adds up.
 */
import { expect } from "chai";
import fc from "fast-check";
import { checkSystemInvariants } from "../../src/model/system.js";
import { build, diskScenario, netScenario, scenarioOf } from "./fault-helpers.js";

const SEED = 20050816;

const fault = fc.record({
  kind: fc.constantFrom("crash", "hang"),
  /** µs from the start of the run. */
  atUs: fc.integer({ min: 500, max: 45_000 }),
  /** Repeat period, µs (0: once). */
  everyUs: fc.oneof(fc.constant(0), fc.integer({ min: 700, max: 20_000 })),
});

const schedule = fc.record({
  timed: fc.array(fault, { minLength: 0, maxLength: 4 }),
  /** Per-activation probability of a crash (0: none). */
  probability: fc.oneof(fc.constant(0), fc.double({ min: 0.0005, max: 0.03, noNaN: true })),
  randomKind: fc.constantFrom("crash", "hang"),
  policy: fc.constantFrom("requeue", "reissue", "fail"),
  heartbeatUs: fc.integer({ min: 1_000, max: 12_000 }),
  missed: fc.integer({ min: 2, max: 4 }),
  delayUs: fc.integer({ min: 0, max: 3_000 }),
  costUs: fc.integer({ min: 0, max: 300 }),
  placement: fc.constantFrom("user", "user", "user", "kernel"),
  /** Where the run is stopped to look (µs). */
  looks: fc.array(fc.integer({ min: 1, max: 49_999 }), { minLength: 1, maxLength: 6 }),
});

type Schedule = typeof schedule extends fc.Arbitrary<infer T> ? T : never;

function faultsYaml(s: Schedule, device: string): string {
  const lines = ["  inject:"];
  s.timed.forEach((f, i) => {
    lines.push(`    f${i}: {device: ${device}, fault: ${f.kind}, at: ${f.atUs} us${f.everyUs ? `, every: ${f.everyUs} us` : ""}}`);
  });
  if (s.probability > 0) lines.push(`    random: {device: ${device}, fault: ${s.randomKind}, probability: ${s.probability}}`);
  if (lines.length === 1) lines[0] = "  inject: {}";
  lines.push(`  supervisor: {heartbeat: ${s.heartbeatUs} us, missed: ${s.missed}, restart_delay: ${s.delayUs} us, restart_cost: ${s.costUs} us, in_flight: ${s.policy}}`);
  return lines.join("\n");
}

async function holds(text: string, s: Schedule): Promise<void> {
  const sys = build(await scenarioOf(text));
  const end = Math.round(50e9);
  for (const us of [...new Set(s.looks)].sort((a, b) => a - b)) {
    sys.sim.run(us * 1e6);
    expect(checkSystemInvariants(sys), `at ${us} µs`).to.deep.equal([]);
    if (sys.k.panicked !== null || sys.workload.done) return;
  }
  sys.sim.run(end);
  expect(checkSystemInvariants(sys), "at the end").to.deep.equal([]);
}

describe("fault schedules never break conservation", function () {
  this.timeout(120_000);

  it("UDP echo through the e1000 driver", async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (s) => {
        await holds(netScenario(faultsYaml(s, "eth0"), { placement: s.placement as "user" | "kernel", load: "850 Mb/s", duration: "50 ms" }), s);
      }),
      { seed: SEED, numRuns: 40, endOnFailure: true },
    );
  });

  it("O_DIRECT reads through the IDE driver", async () => {
    await fc.assert(
      fc.asyncProperty(schedule, async (s) => {
        await holds(diskScenario(faultsYaml(s, "hda"), { placement: s.placement as "user" | "kernel", bytes: "3 MiB", transfer: "16 sectors" }), s);
      }),
      { seed: SEED, numRuns: 30, endOnFailure: true },
    );
  });
});
