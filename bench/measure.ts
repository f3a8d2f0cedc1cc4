/**
 * Wall-clock throughput of a simulator, shared by the engine figures: run the model's own
 * events for a while to let V8 optimise, then count events in at least `minMs` of wall time.
 * Events are those fired plus those coalesced (Simulator.eventsCoalesced: steps done without
 * an event of their own), i.e. the events the per-event reference mode would fire: the same
 * work, whatever the coalescing saves.
 */
import type { Simulator } from "../src/sim/index.js";

export interface ThroughputOptions {
  /** Wall time to measure for, ms (the brief asks for runs of at least 1 s). */
  minMs?: number;
  /** Events fired before measuring, so that optimised code is what gets measured. */
  warmupEvents?: number;
}

/** Events per wall-clock second of `sim`, whose model must keep scheduling events. */
export function eventsPerSecond(sim: Simulator, opts: ThroughputOptions = {}): number {
  const minMs = opts.minMs ?? 1000;
  const warmupEvents = opts.warmupEvents ?? 200_000;
  // Simulated span of one run() call, ps. It doubles until a call takes ~10 ms, so reading
  // the clock costs nothing measurable whatever the model's event density.
  let chunkPs = 1e6;
  const advance = (): void => {
    if (sim.pending === 0) throw new Error("bug: the benchmark model ran out of events");
    sim.run(sim.now + chunkPs);
  };
  const events = (): number => sim.eventsFired + sim.eventsCoalesced;
  while (events() < warmupEvents) {
    const t = performance.now();
    advance();
    if (performance.now() - t < 10) chunkPs *= 2;
  }
  const start = performance.now();
  const firedAtStart = events();
  let elapsed = 0;
  while (elapsed < minMs) {
    const t = performance.now();
    advance();
    const now = performance.now();
    if (now - t < 10) chunkPs *= 2;
    elapsed = now - start;
  }
  return ((events() - firedAtStart) * 1000) / elapsed;
}

/** The best of `runs` measurements, each on a fresh model: the least disturbed by the host. */
export function bestOf(runs: number, measure: () => number): number {
  let best = 0;
  for (let i = 0; i < runs; i++) best = Math.max(best, measure());
  return best;
}
