/**
 * The "hold" model, the classic benchmark of event-list speed: a fixed population of pending
 * events, each of which, when it fires, schedules one successor at an exponentially
 * distributed delay. The agenda size stays constant, so the cost per event is one pop plus
 * one push on a heap of `pending` entries, plus one exponential draw.
 */
import { roundTime, type Simulator } from "../src/sim/index.js";

/** Defaults of the engine figure: 1000 pending events (upper end of the 100–1000 brief), mean hold 1 µs. */
export const HOLD_PENDING = 1000;
export const HOLD_MEAN_PS = 1e6;

/** Seed `pending` events into `sim`; from then on every firing schedules its successor. */
export function startHold(sim: Simulator, pending = HOLD_PENDING, meanPs = HOLD_MEAN_PS): void {
  const rng = sim.rng("hold");
  // Rounded to whole picoseconds: the kernel only accepts integer times.
  const hold = (): void => {
    sim.after(roundTime(rng.exponential(meanPs)), hold);
  };
  for (let i = 0; i < pending; i++) sim.after(roundTime(rng.exponential(meanPs)), hold);
}
