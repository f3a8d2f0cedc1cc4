/**
 * Exact coalescing (design §1, issue 7): the simulator may do a run of work that nothing can
 * observe or preempt without an event per step, provided a per-event reference mode exists
 * and gives identical traces. Each test runs one point of a shipped scenario twice through
 * the point runner — coalescing on, then the reference mode (`reference: true`) — with a
 * listener on every probe (Probes.subscribeAll), and compares the two traces event by event
 * (probe, time, both arguments), then the metrics. It also checks that the coalescing did
 * happen, and that it accounts for exactly the events it saved.
 */
import { expect } from "chai";
import { loadScenario } from "../../src/dsl/load.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { planScenario } from "../../src/dsl/plan.js";
import type { System } from "../../src/model/system.js";
import { pointSeed } from "../../src/run/identity.js";
import { simulate, type PointOutcome } from "../../src/run/point.js";
import type { Program, Task } from "../../src/model/cpu/index.js";
import { IdleMeter, Kernel } from "../../src/model/kernel/index.js";
import { Simulator } from "../../src/sim/kernel.js";
import { ns, testMachine } from "../model/helpers.js";

/** A whole probe trace, held compactly: probe ids, times and arguments in parallel arrays. */
class Trace {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  probe: number[] = [];
  time: number[] = [];
  a: number[] = [];
  b: number[] = [];

  record = (name: string, t: number, a: number, b: number): void => {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    this.probe.push(id);
    this.time.push(t);
    this.a.push(a);
    this.b.push(b);
  };

  get length(): number {
    return this.probe.length;
  }

  line(i: number): string {
    return i < this.length ? `${this.names[this.probe[i]!]} t=${this.time[i]} a=${this.a[i]} b=${this.b[i]}` : "(end of trace)";
  }
}

/** The first index where two traces differ, or -1. */
function firstDifference(x: Trace, y: Trace): number {
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    if (x.names[x.probe[i]!] !== y.names[y.probe[i]!] || x.time[i] !== y.time[i] || !Object.is(x.a[i], y.a[i]) || !Object.is(x.b[i], y.b[i])) return i;
  }
  return x.length === y.length ? -1 : n;
}

interface Run {
  trace: Trace;
  outcome: PointOutcome;
  fired: number;
  coalesced: number;
}

async function runTraced(file: string, set: string[], reference: boolean): Promise<Run> {
  const r = await loadScenario(packagePath("scenarios", file), { set });
  expect(r.scenario, JSON.stringify(r.diagnostics)).to.not.equal(undefined);
  const { plan } = planScenario(r.scenario!, { quick: true });
  const p = plan!.points[0]!;
  const trace = new Trace();
  let sys: System | undefined;
  const outcome = await simulate(
    p.scenario,
    pointSeed(p.scenario.run.seed, p.seedParams, 0),
    {
      afterBuild: (s) => {
        sys = s;
        s.sim.probes.subscribeAll(trace.record);
      },
    },
    { reference },
  );
  return { trace, outcome, fired: sys!.sim.eventsFired, coalesced: sys!.sim.eventsCoalesced };
}

/** Points: scenario file and --set overrides (applied on top of --quick). */
const POINTS: [string, string[]][] = [
  ["ide-kernel.yaml", ["workload.transfer_size=1 sectors", "workload.bytes=1 MiB"]],
  ["ide-kernel.yaml", ["workload.transfer_size=8 sectors", "workload.bytes=2 MiB"]],
  ["ide-kernel.yaml", ["workload.transfer_size=256 sectors", "workload.bytes=16 MiB"]],
  ["ide-user.yaml", ["workload.transfer_size=1 sectors", "workload.bytes=1 MiB"]],
  ["ide-user.yaml", ["workload.transfer_size=8 sectors", "workload.bytes=2 MiB"]],
  ["ide-user.yaml", ["workload.transfer_size=2048 sectors", "workload.bytes=32 MiB"]],
  ["ide-user.yaml", ["workload.transfer_size=1 sectors", "workload.bytes=1 MiB", "devices.hda.driver.delivery=signal"]],
  ["gige-kernel.yaml", ["workload.offered_load=300 Mb/s", "run.warmup=5 ms", "run.duration=30 ms"]],
  ["gige-kernel.yaml", ["workload.offered_load=850 Mb/s", "run.warmup=5 ms", "run.duration=30 ms"]],
  ["gige-kernel.yaml", ["workload.offered_load=1000 Mb/s", "run.warmup=5 ms", "run.duration=30 ms"]],
  ["gige-user.yaml", ["workload.offered_load=300 Mb/s", "run.warmup=5 ms", "run.duration=30 ms"]],
  ["gige-user.yaml", ["workload.offered_load=850 Mb/s", "run.warmup=5 ms", "run.duration=30 ms"]],
  ["gige-user.yaml", ["workload.offered_load=1000 Mb/s", "run.warmup=5 ms", "run.duration=30 ms"]],
  ["gige-user.yaml", ["workload.offered_load=850 Mb/s", "devices.eth0.driver.delivery=signal", "run.warmup=5 ms", "run.duration=20 ms"]],
  ["loopback-tap.yaml", ["run.warmup=5 ms", "run.duration=20 ms"]],
  ["holdoff-sweep.yaml", ["run.warmup=5 ms", "run.duration=20 ms"]],
  ["socket-buffers.yaml", ["run.warmup=5 ms", "run.duration=20 ms"]],
  ["userlevel-batching.yaml", ["run.warmup=5 ms", "run.duration=20 ms"]],
  ["core-smoke.yaml", []],
  // Driver faults: a crash or a hang of the user-level driver, recovered; a kernel crash.
  ["gige-user-crash.yaml", []],
  ["gige-user-crash.yaml", ["faults.inject.driver.fault=hang"]],
  ["ide-user-crash.yaml", []],
  ["ide-user-crash.yaml", ["faults.inject.driver.fault=hang"]],
  ["gige-kernel-crash.yaml", []],
];

describe("exact coalescing: identical to the per-event reference mode", function () {
  this.timeout(120_000);

  for (const [file, set] of POINTS) {
    it(`${file} ${set.join(" ")}: every probe emits the same trace, and the metrics are the same`, async () => {
      const fast = await runTraced(file, set, false);
      const ref = await runTraced(file, set, true);
      const i = firstDifference(fast.trace, ref.trace);
      expect(i, `traces differ at entry ${i} of ${ref.trace.length}:\n  coalesced: ${fast.trace.line(i)}\n  reference: ${ref.trace.line(i)}`).to.equal(-1);
      expect(ref.trace.length).to.be.greaterThan(1000);
      expect(fast.outcome.status).to.equal(ref.outcome.status);
      expect(fast.outcome.error).to.equal(ref.outcome.error);
      expect(JSON.stringify(fast.outcome.metrics)).to.equal(JSON.stringify(ref.outcome.metrics));
      // The reference mode coalesces nothing; the other does, and every event it saved is counted.
      expect(ref.coalesced).to.equal(0);
      expect(fast.coalesced).to.be.greaterThan(0);
      expect(fast.fired + fast.coalesced).to.equal(ref.fired);
    });
  }
});

/**
 * The shipped scenarios run on one core; this system has two, with work crossing between
 * them: a process on core 1 ups a semaphore a process on core 0 sleeps on, an interrupt
 * line routed to core 1 is raised by a device at its own pace, and both cores have the
 * idle-meter process and a CPU-bound process of lower priority.
 */
function twoCoreTrace(reference: boolean): { trace: Trace; fired: number; coalesced: number } {
  const sim = new Simulator(7, undefined, { reference });
  const k = new Kernel(sim, testMachine({ cores: 2 }));
  const trace = new Trace();
  sim.probes.subscribeAll(trace.record);
  const sem = k.semaphore("work");
  k.spawn(
    "consumer",
    function* (self: Task): Program {
      for (;;) {
        yield* k.syscall(self, sem.down(self));
        yield self.run(ns(300), "application");
      }
    },
    { core: 0 },
  );
  k.spawn(
    "producer",
    function* (self: Task): Program {
      for (;;) {
        yield self.run(ns(500), "application");
        yield* k.syscall(self, sem.up(self));
        yield* k.sleep(self, ns(1000));
      }
    },
    { core: 1 },
  );
  for (const core of [0, 1]) {
    k.spawn(
      `hog${core}`,
      function* (self: Task): Program {
        for (;;) yield self.run(ns(2000), "application");
      },
      { core, nice: 10 },
    );
  }
  k.irq(9, 1);
  k.requestIrq(9, function* (cx): Program {
    yield cx.run(ns(400), "driver");
  });
  const tick = (): void => {
    k.irq(9).raise();
    sim.after(ns(700), tick);
  };
  sim.after(ns(700), tick);
  new IdleMeter(k);
  sim.run(ns(1_000_000));
  return { trace, fired: sim.eventsFired, coalesced: sim.eventsCoalesced };
}

describe("exact coalescing on two cores", () => {
  it("gives the reference mode's trace of every probe, event by event", () => {
    const fast = twoCoreTrace(false);
    const ref = twoCoreTrace(true);
    const i = firstDifference(fast.trace, ref.trace);
    expect(i, `traces differ at entry ${i} of ${ref.trace.length}:\n  coalesced: ${fast.trace.line(i)}\n  reference: ${ref.trace.line(i)}`).to.equal(-1);
    expect(ref.trace.length).to.be.greaterThan(10_000);
    expect(ref.coalesced).to.equal(0);
    expect(fast.coalesced).to.be.greaterThan(0);
    expect(fast.fired + fast.coalesced).to.equal(ref.fired);
  });
});

