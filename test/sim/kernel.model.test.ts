/**
 * The kernel against an obviously correct one: random scenarios (events that spawn, cancel,
 * peek and stop, with many equal times and priorities, runs to intermediate horizons and a
 * pool that must grow) give the same trace on both. The reference keeps a plain array and
 * scans it for the least (time, priority, sequence), so the heap, deferred pop, lazy
 * cancellation and compaction of the real kernel all have to agree with it.
 */
import { expect } from "chai";
import fc from "fast-check";
import { Simulator, type EventHandler } from "../../src/sim/index.js";

/** The part of the kernel's API the scenarios use. */
interface Kernel {
  readonly now: number;
  readonly pending: number;
  at(t: number, fn: EventHandler, tag?: number, priority?: number): number;
  after(delay: number, fn: EventHandler, tag?: number, priority?: number): number;
  cancel(id: number): boolean;
  isPending(id: number): boolean;
  peekTime(): number;
  stop(): void;
  run(until?: number): void;
}

class ReferenceKernel implements Kernel {
  now = 0;
  private seq = 0;
  private stopped = false;
  private events: { t: number; priority: number; seq: number; fn: EventHandler; tag: number }[] = [];

  get pending(): number {
    return this.events.length;
  }

  at(t: number, fn: EventHandler, tag = 0, priority = 0): number {
    if (t < this.now || !Number.isInteger(t)) throw new Error("bad time");
    const seq = this.seq++;
    this.events.push({ t, priority, seq, fn, tag });
    return seq;
  }

  after(delay: number, fn: EventHandler, tag = 0, priority = 0): number {
    return this.at(this.now + delay, fn, tag, priority);
  }

  cancel(id: number): boolean {
    const i = this.events.findIndex((e) => e.seq === id);
    if (i < 0) return false;
    this.events.splice(i, 1);
    return true;
  }

  isPending(id: number): boolean {
    return this.events.some((e) => e.seq === id);
  }

  peekTime(): number {
    return this.events.reduce((m, e) => Math.min(m, e.t), Infinity);
  }

  stop(): void {
    this.stopped = true;
  }

  run(until = Infinity): void {
    this.stopped = false;
    for (;;) {
      let best = -1;
      this.events.forEach((e, i) => {
        const b = this.events[best];
        if (!b || e.t < b.t || (e.t === b.t && (e.priority < b.priority || (e.priority === b.priority && e.seq < b.seq)))) best = i;
      });
      const e = this.events[best];
      if (!e || e.t > until) break;
      this.events.splice(best, 1);
      this.now = e.t;
      e.fn(e.tag);
      if (this.stopped) break;
    }
    if (!this.stopped && until !== Infinity && this.now < until) this.now = until;
  }
}

interface Behaviour {
  spawn: { delay: number; priority: number }[];
  /** Indices (mod the number of ids issued so far) of events to cancel. */
  cancel: number[];
  peek: boolean;
  stop: boolean;
}

interface Scenario {
  capacity: number;
  initial: { t: number; priority: number }[];
  /** Event n behaves as behaviours[n % length]. */
  behaviours: Behaviour[];
  /** Horizons of successive run(until) calls, each followed by cancellations from outside. */
  steps: { until: number; cancel: number[] }[];
  maxEvents: number;
}

/** Play `sc` on `k` and return its trace: what fired when, and what every query answered. */
function play(k: Kernel, sc: Scenario): string[] {
  const trace: string[] = [];
  const ids: number[] = [];
  const cancel = (indices: number[]): void => {
    for (const c of indices) {
      if (ids.length === 0) return;
      const i = c % ids.length;
      const pendingBefore = k.isPending(ids[i]!);
      trace.push(`cancel #${i} pending=${pendingBefore} -> ${k.cancel(ids[i]!)}`);
    }
  };
  const fire = (label: number): void => {
    trace.push(`${k.now} fire #${label} pending=${k.pending}`);
    const b = sc.behaviours[label % sc.behaviours.length]!;
    if (b.peek) trace.push(`peek ${k.peekTime()}`);
    cancel(b.cancel);
    for (const s of b.spawn) if (ids.length < sc.maxEvents) ids.push(k.after(s.delay, fire, ids.length, s.priority));
    if (b.stop) k.stop();
  };
  for (const e of sc.initial) ids.push(k.at(e.t, fire, ids.length, e.priority));
  for (const step of sc.steps) {
    k.run(step.until);
    trace.push(`run(${step.until}) now=${k.now} pending=${k.pending}`);
    cancel(step.cancel);
  }
  // Stops may interrupt a run; every run fires at least one event, so this ends.
  while (k.pending > 0) k.run();
  trace.push(`end now=${k.now} peek=${k.peekTime()}`);
  return trace;
}

const behaviour = (maxSpawn: number, maxCancel: number) =>
  fc.record({
    spawn: fc.array(fc.record({ delay: fc.integer({ min: 0, max: 30 }), priority: fc.integer({ min: 0, max: 3 }) }), {
      maxLength: maxSpawn,
    }),
    cancel: fc.array(fc.nat(10_000), { maxLength: maxCancel }),
    peek: fc.boolean(),
    stop: fc.integer({ min: 0, max: 15 }).map((x) => x === 0),
  });

/**
 * Ranges are given as [min, max] lengths. fast-check keeps arrays short unless told
 * otherwise (size "small"), so the large scenario asks for its lengths explicitly.
 */
const scenario = (size: {
  initial: [number, number];
  maxSpawn: number;
  maxCancel: number;
  stepCancel: [number, number];
  maxEvents: number;
}) =>
  fc.record({
    capacity: fc.integer({ min: 1, max: 8 }),
    initial: fc.array(fc.record({ t: fc.integer({ min: 0, max: 50 }), priority: fc.integer({ min: 0, max: 3 }) }), {
      minLength: size.initial[0],
      maxLength: size.initial[1],
    }),
    behaviours: fc.array(behaviour(size.maxSpawn, size.maxCancel), { minLength: 1, maxLength: 8 }),
    steps: fc
      .array(
        fc.record({
          until: fc.integer({ min: 0, max: 300 }),
          cancel: fc.array(fc.nat(10_000), { minLength: size.stepCancel[0], maxLength: size.stepCancel[1] }),
        }),
        { maxLength: 5 },
      )
      .map((steps) => steps.sort((a, b) => a.until - b.until)),
    maxEvents: fc.constant(size.maxEvents),
  });

describe("event kernel against a reference kernel", () => {
  it("small random scenarios give the same trace", () => {
    fc.assert(
      fc.property(scenario({ initial: [0, 30], maxSpawn: 3, maxCancel: 2, stepCancel: [0, 3], maxEvents: 300 }), (sc) => {
        expect(play(new Simulator(1, sc.capacity), sc)).to.deep.equal(play(new ReferenceKernel(), sc));
      }),
      { numRuns: 300, seed: 20050501 },
    );
  });

  it("large scenarios with many cancellations (which rebuild the agenda) give the same trace", () => {
    fc.assert(
      fc.property(scenario({ initial: [200, 400], maxSpawn: 3, maxCancel: 4, stepCancel: [100, 400], maxEvents: 3000 }), (sc) => {
        expect(play(new Simulator(1, sc.capacity), sc)).to.deep.equal(play(new ReferenceKernel(), sc));
      }),
      { numRuns: 25, seed: 20050502 },
    );
  });
});
