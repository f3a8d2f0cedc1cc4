import { expect } from "chai";
import { formatDuration, liveRates, ProgressTracker } from "../../src/report/progress.js";
import type { LiveCounters } from "../../src/run/point.js";
import type { PointResult } from "../../src/run/runner.js";

const ok = (i: number): PointResult => ({ id: `p${i}`, params: {}, status: "ok", metrics: {} });

describe("progress arithmetic", () => {
  it("estimates the time left from the work completed so far, running fractions included", () => {
    const t = new ProgressTracker([1, 1, 1, 1]);
    t.onEvent({ type: "start", total: 4, work: 4 }, 0);
    t.onEvent({ type: "point-start", index: 0, id: "p0", params: {} }, 1000);
    t.onEvent({ type: "point-done", index: 0, result: ok(0), events: 100, simSeconds: 1, wallMs: 2000 }, 3000);
    t.onEvent({ type: "point-start", index: 1, id: "p1", params: {} }, 3000);
    t.onEvent({ type: "slice", index: 1, fraction: 0.5, events: 50, simSeconds: 0.5 }, 4000);
    const s = t.snapshot(4000);
    // 1.5 units in 3 s: 2.5 units to go take 5 s.
    expect(s.workDone).to.equal(1.5);
    expect(s.fraction).to.equal(0.375);
    expect(s.etaS).to.equal(5);
    expect(s.eventsPerS).to.equal(50);
    expect(s.simSecondsPerS).to.equal(0.5);
    expect(s.done).to.equal(1);
    expect(s.running.map((r) => r.id)).to.deep.equal(["p1"]);
  });

  it("does not count a dispatched point that has reported nothing as work done", () => {
    const t = new ProgressTracker([1, 1]);
    t.onEvent({ type: "point-start", index: 0, id: "p0", params: {} }, 0);
    t.onEvent({ type: "point-start", index: 1, id: "p1", params: {} }, 0);
    const s = t.snapshot(2000);
    expect(s.workDone).to.equal(0);
    expect(s.etaS).to.equal(undefined);
  });

  it("counts cached points as done but not as speed", () => {
    const t = new ProgressTracker([1, 1, 1]);
    t.onEvent({ type: "point-start", index: 0, id: "p0", params: {}, cached: true }, 0);
    t.onEvent({ type: "point-done", index: 0, result: ok(0), events: 1e6, simSeconds: 10, wallMs: 0, cached: true }, 0);
    t.onEvent({ type: "point-start", index: 1, id: "p1", params: {} }, 0);
    t.onEvent({ type: "point-done", index: 1, result: ok(1), events: 10, simSeconds: 1, wallMs: 4000 }, 4000);
    const s = t.snapshot(4000);
    expect(s.cached).to.equal(1);
    expect(s.done).to.equal(2);
    // One simulated unit took 4 s; one unit is left.
    expect(s.etaS).to.equal(4);
    expect(s.eventsPerS).to.equal(2.5);
  });

  it("weighs points by their repetitions", () => {
    const t = new ProgressTracker([10, 1]);
    t.onEvent({ type: "point-start", index: 0, id: "p0", params: {} }, 0);
    t.onEvent({ type: "slice", index: 0, fraction: 0.5, events: 1, simSeconds: 1 }, 1000);
    expect(t.snapshot(1000).fraction).to.equal(5 / 11);
  });

  it("gives no estimate in the first half second", () => {
    const t = new ProgressTracker([1, 1]);
    t.onEvent({ type: "point-start", index: 0, id: "p0", params: {} }, 0);
    t.onEvent({ type: "slice", index: 0, fraction: 0.5, events: 1, simSeconds: 1 }, 100);
    expect(t.snapshot(400).etaS).to.equal(undefined);
  });
});

describe("live mechanism rates", () => {
  const snap = (sim: number, n: number, cpu: Record<string, number>): LiveCounters => ({
    simSeconds: sim,
    windowStartS: 0.1,
    interrupts: n,
    driverActivations: n / 2,
    contextSwitches: 2 * n,
    systemCalls: 3 * n,
    cpuSeconds: cpu,
    drops: { backlog: 4 },
  });

  it("are rates between the last two snapshots", () => {
    const r = liveRates(snap(0.3, 300, { application: 0.2, idle: 0.1 }), snap(0.2, 100, { application: 0.15, idle: 0.05 }));
    expect(r.warmup).to.equal(false);
    expect(r.interruptsPerS).to.be.closeTo(2000, 1e-9);
    expect(r.driverActivationsPerS).to.be.closeTo(1000, 1e-9);
    expect(r.contextSwitchesPerS).to.be.closeTo(4000, 1e-9);
    expect(r.systemCallsPerS).to.be.closeTo(6000, 1e-9);
    expect(r.cpu.application).to.be.closeTo(0.5, 1e-9);
    expect(r.cpu.idle).to.be.closeTo(0.5, 1e-9);
    expect(r.drops).to.deep.equal({ backlog: 4 });
  });

  it("count from the start of the measurement window when the previous snapshot was in the warm-up", () => {
    const r = liveRates(snap(0.3, 400, { idle: 1 }), snap(0.05, 0, { idle: 0.5 }));
    expect(r.interruptsPerS).to.be.closeTo(2000, 1e-9);
  });

  it("say warming up before the window opens", () => {
    const r = liveRates(snap(0.05, 0, { idle: 1 }));
    expect(r.warmup).to.equal(true);
    expect(r.interruptsPerS).to.equal(0);
  });
});

describe("durations", () => {
  it("read as a person would say them", () => {
    expect([0.42, 9.94, 12.4, 65, 3599, 3723].map(formatDuration)).to.deep.equal(["0.4 s", "9.9 s", "12 s", "1 min 05 s", "59 min 59 s", "1 h 02 min"]);
  });
});

describe("the share of the work each point counts for", () => {
  it("is its estimated cost (the pool's), so the ETA after the costliest points is not inflated", async () => {
    const { loadScenario } = await import("../../src/dsl/load.js");
    const { packagePath } = await import("../../src/dsl/package-root.js");
    const { planScenario } = await import("../../src/dsl/plan.js");
    const { runInfo } = await import("../../src/report/run-info.js");
    const { costliestFirst, estimatedCost } = await import("../../src/run/cost.js");
    const loaded = await loadScenario(packagePath("scenarios", "paper-fig2.yaml"));
    const plan = planScenario(loaded.scenario!).plan!;
    const info = runInfo(plan);
    expect(info.work).to.deep.equal(plan.points.map((p) => estimatedCost(p.scenario)));
    // Fig. 2's 1-sector user-level point, run first, is the longest by far: it counts so.
    const first = costliestFirst(plan.points)[0]!;
    expect(first.params["workload.transfer_size"]).to.equal(512);
    const t = new ProgressTracker(info.work);
    const total = info.work.reduce((a, b) => a + b, 0);
    t.onEvent({ type: "start", total: plan.points.length, work: total }, 0);
    t.onEvent({ type: "point-start", index: first.index, id: first.id, params: first.params }, 0);
    t.onEvent({ type: "point-done", index: first.index, result: ok(first.index), events: 1, simSeconds: 1, wallMs: 4000 }, 4000);
    const s = t.snapshot(4000);
    const share = info.work[first.index]! / total;
    expect(s.fraction).to.be.closeTo(share, 1e-12);
    expect(share).to.be.greaterThan(0.1); // one point of 128, more than a tenth of the work
    expect(s.etaS).to.be.closeTo((4 * (1 - share)) / share, 1e-9);
  });
});
