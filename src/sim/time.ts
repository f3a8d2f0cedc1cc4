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

/** A cost in CPU cycles (≥ 0) at clock `hz` as integer simulated time. */
export function cyclesToTime(cycles: number, hz: number): SimTime {
  return roundTime((cycles * PS_PER_S) / hz); // on hot paths: see roundTime
}

/**
 * A non-negative duration in ps rounded to the nearest whole ps (halves up), for random
 * draws and rate arithmetic. Math.floor(x + 0.5) rather than Math.round: equal for
 * non-negative x below 2^52 save one value, 0.49999999999999994 (the largest double below
 * ½, where x + 0.5 rounds up to 1; no model's duration in ps comes near it), and in Node 20
 * the hold benchmark runs ~10 % more events/s with it (measured; V8 emits a longer sequence
 * for Math.round). Used on the hot paths (per packet, per copy) in place of Math.round.
 */
export function roundTime(ps: number): SimTime {
  return Math.floor(ps + 0.5);
}
