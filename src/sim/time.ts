/**
 * Simulated time is an integer count of picoseconds held in a JS number.
 *
 * Why picoseconds: a 900 MHz cycle is 1111.1 ps, so cycle-denominated costs round to
 * within 0.01 % of a cycle, and 2^53 ps is about 2.5 simulated hours, far beyond any run.
 * Integers keep event order exact and runs reproducible on every host.
 */
export type SimTime = number;

export const PS_PER_S = 1e12;
export const PS_PER_MS = 1e9;
export const PS_PER_US = 1e6;
export const PS_PER_NS = 1e3;

/** Seconds (SI, from the normalised scenario) to integer simulated time. */
export function fromSeconds(s: number): SimTime {
  return Math.round(s * PS_PER_S);
}

/** Integer simulated time to seconds. */
export function toSeconds(t: SimTime): number {
  return t / PS_PER_S;
}

/** A cost in CPU cycles at clock `hz` as integer simulated time. */
export function cyclesToTime(cycles: number, hz: number): SimTime {
  return Math.round((cycles * PS_PER_S) / hz);
}
