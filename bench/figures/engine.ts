/**
 * engine_events_per_s: raw speed of the event kernel on the hold model (bench/hold.ts):
 * every event schedules one successor at an exponential delay (mean 1 µs), so each event
 * costs one pop, one push and one exponential draw, and nothing else. Measured in a fresh
 * process running the compiled tree (bench/kernel-child.ts), like every figure.
 */
import { Simulator } from "../../src/sim/index.js";
import { runChild } from "../build.js";
import type { Figure } from "../figure.js";
import { HOLD_MEAN_PS, startHold } from "../hold.js";
import { bestOf, eventsPerSecond } from "../measure.js";

/** Fixed seed: the same events every time, so only the host's speed varies. */
const SEED = 1;

function holdEventsPerS(pending: number): number {
  const sim = new Simulator(SEED);
  startHold(sim, pending, HOLD_MEAN_PS);
  return eventsPerSecond(sim, { minMs: 1000 });
}

export const engineFigure: Figure = {
  id: "engine",
  metrics: {
    engine_events_per_s: {
      unit: "events/s",
      description: "hold model, 1000 pending events, bare kernel; best of 5 runs of ≥ 1 s",
      goal: "≥ 15e6",
    },
    engine_events_per_s_100_pending: {
      unit: "events/s",
      description: "the same with 100 pending events (a shallower heap); best of 3 runs of ≥ 1 s",
    },
  },
  async run() {
    // In a fresh process running the compiled tree (bench/kernel-child.ts → measureEngine).
    const { stdout } = await runChild("bench/kernel-child.ts", ["engine"]);
    return JSON.parse(stdout) as Record<string, number>;
  },
};

/** The figure's numbers, measured in this process (bench/kernel-child.ts calls it). */
export function measureEngine(): Record<string, number> {
  return {
    engine_events_per_s: Math.round(bestOf(5, () => holdEventsPerS(1000))),
    engine_events_per_s_100_pending: Math.round(bestOf(3, () => holdEventsPerS(100))),
  };
}
