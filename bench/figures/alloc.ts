/**
 * engine_minor_gcs_per_million_events: is the event loop allocation-free? The hold model
 * (bench/hold.ts) runs 2·10^6 events to let V8 optimise (unoptimised code boxes numbers and
 * does allocate), then five windows of 2·10^6 more while a PerformanceObserver counts
 * young-generation collections; the figure is the quietest window. The young generation
 * takes several MiB between collections, so 16 bytes per event reads as about 2 here (the
 * draft kernel, which boxed event ids and times across calls, read 3.5); the goal is 0.
 */
import { PerformanceObserver, constants, type PerformanceEntry } from "node:perf_hooks";
import { Simulator } from "../../src/sim/index.js";
import type { Figure } from "../figure.js";
import { HOLD_MEAN_PS, HOLD_PENDING, startHold } from "../hold.js";

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

export const allocFigure: Figure = {
  id: "alloc",
  metrics: {
    engine_minor_gcs_per_million_events: {
      unit: "GCs/10^6 events",
      description: "young-generation GCs per 10^6 hold-model events, quietest of 5 windows after warm-up (allocation-free: 0)",
      goal: "0",
    },
  },
  async run() {
    return { engine_minor_gcs_per_million_events: Math.round((await minorGcsPerMillionEvents()) * 1000) / 1000 };
  },
};
