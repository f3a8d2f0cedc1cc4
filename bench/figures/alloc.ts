/**
 * engine_minor_gcs_per_million_events: is the event loop allocation-free? The hold model
 * (bench/hold.ts) runs 2·10^6 events to let V8 optimise (unoptimised code boxes numbers and
 * does allocate), then five windows of 2·10^6 more while a PerformanceObserver counts
 * young-generation collections; the figure is the quietest window. One boxed double per
 * event (16 bytes) reads as about 3.5 here; the draft kernel read 2 to 7.5; the goal is 0.
 *
 * It runs in a fresh child process. V8 boxes a double (an event id, a time) passed to or
 * returned from a call it does not inline; the kernel keeps times off call boundaries, but
 * `after` returns the event id, so whether an event allocates depends on V8 inlining
 * `after` into the handler, and that depends on the process's history: after the engine
 * figure has run its simulators in the same process, this reads 3.5.
 */
import { runChild } from "../build.js";
import type { Figure } from "../figure.js";


export const allocFigure: Figure = {
  id: "alloc",
  metrics: {
    engine_minor_gcs_per_million_events: {
      unit: "GCs/10^6 events",
      description: "young-generation GCs per 10^6 hold-model events, quietest of 5 windows after warm-up, fresh process",
      goal: "0",
    },
  },
  async run() {
    const { stdout } = await runChild("bench/alloc-child.ts", []);
    const { minorGcsPerMillionEvents } = JSON.parse(stdout) as { minorGcsPerMillionEvents: number };
    return { engine_minor_gcs_per_million_events: Math.round(minorGcsPerMillionEvents * 1000) / 1000 };
  },
};
