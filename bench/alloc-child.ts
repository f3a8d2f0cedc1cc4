/**
 * Child process of the alloc figure (bench/figures/alloc.ts): measure young-generation
 * collections per 10^6 hold-model events and print them as one JSON line. A fresh process,
 * because what V8 inlines into the event loop, and so what it must box, depends on what
 * else the process ran before (see the figure's comment).
 */
import { PerformanceObserver, constants, type PerformanceEntry } from "node:perf_hooks";
import { Simulator } from "../src/sim/index.js";
import { HOLD_MEAN_PS, HOLD_PENDING, startHold } from "./hold.js";

const WARMUP_EVENTS = 2_000_000;
const WINDOW_EVENTS = 2_000_000;
const WINDOWS = 5;

/** Let queued performance entries reach their observer (they are delivered asynchronously). */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 20));

/**
 * Young collections per 10^6 events in the quietest of WINDOWS windows: V8 optimises on a
 * background thread, so on a busy host the first windows may still run unoptimised code.
 */
async function minorGcsPerMillionEvents(): Promise<number> {
  const sim = new Simulator(1);
  startHold(sim, HOLD_PENDING, HOLD_MEAN_PS);
  // With 1000 pending events of mean hold 1 µs, 1 ps of simulated time holds 1e-3 events.
  const psPerEvent = HOLD_MEAN_PS / HOLD_PENDING;
  sim.run(WARMUP_EVENTS * psPerEvent);
  let minor = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
    }
  });
  observer.observe({ entryTypes: ["gc"] });
  await flush();
  let best = Infinity;
  for (let w = 0; w < WINDOWS; w++) {
    const minorBefore = minor;
    const firedBefore = sim.eventsFired;
    sim.run(sim.now + WINDOW_EVENTS * psPerEvent);
    const fired = sim.eventsFired - firedBefore;
    await flush();
    best = Math.min(best, ((minor - minorBefore) * 1e6) / fired);
  }
  observer.disconnect();
  return best;
}

process.stdout.write(`${JSON.stringify({ minorGcsPerMillionEvents: await minorGcsPerMillionEvents() })}\n`);
