/**
 * An M/M/1 queue built only from kernel primitives: an arrival event that reschedules itself,
 * a FIFO of arrival times and one server whose departure event starts the next service.
 * Tests check its mean time in system against queueing theory, 1/(μ − λ); the bench uses it
 * as a realistic small model (two event kinds, two random streams, a growing FIFO).
 *
 * Statistics are running sums over fixed-size batches, so memory does not grow with the
 * number of customers (the RSS figure relies on that).
 */
import { PS_PER_S, roundTime, type Probe, type Rng, type Simulator } from "../src/sim/index.js";

export interface MM1Params {
  /** λ, customers per second. */
  arrivalRatePerS: number;
  /** μ, customers per second one busy server completes. */
  serviceRatePerS: number;
  /** Customers whose departure is discarded while the queue forgets its empty start. */
  warmupCustomers: number;
  /** Customers measured after the warm-up; the run stops at the last one's departure. */
  customers: number;
  /** Number of equal batches the measured customers are cut into (batch means method). */
  batches: number;
}

export interface MM1Result {
  /** Mean time in system (waiting + service) of the measured customers, seconds. */
  meanSojournS: number;
  /** Mean time in system of each batch, seconds, in departure order. */
  batchMeansS: number[];
  /** Longest the FIFO got (customers waiting, not counting the one in service). */
  maxQueue: number;
  eventsFired: number;
  /** Simulated time at the last measured departure, seconds. */
  endS: number;
}

/** Theoretical mean time in system of an M/M/1 queue, seconds: 1/(μ − λ). */
export function mm1MeanSojournS(p: Pick<MM1Params, "arrivalRatePerS" | "serviceRatePerS">): number {
  return 1 / (p.serviceRatePerS - p.arrivalRatePerS);
}

/**
 * Wire an M/M/1 queue into `sim`; call `start()` and run the simulator. It calls
 * `sim.stop()` at the last measured departure. Probes: `mm1/arrival` (a = queue length after
 * the arrival, b = 0) and `mm1/departure` (a = time in system in ps, b = queue length left).
 */
export class MM1 {
  readonly arrivalProbe: Probe;
  readonly departureProbe: Probe;

  private readonly batchSize: number;
  private readonly batchSumsPs: Float64Array;
  private readonly meanInterarrivalPs: number;
  private readonly meanServicePs: number;
  private readonly arrivalRng: Rng;
  private readonly serviceRng: Rng;
  // FIFO of arrival times (ps) as a power-of-two ring; it doubles when full, so it grows
  // with the longest queue seen, never with the number of customers.
  private fifo = new Float64Array(64);
  private head = 0;
  private count = 0;
  private busy = false;
  private departed = 0;
  private maxQueue = 0;
  private endPs = 0;

  constructor(
    private readonly sim: Simulator,
    private readonly p: MM1Params,
    name = "mm1",
  ) {
    if (!(p.arrivalRatePerS > 0 && p.serviceRatePerS > p.arrivalRatePerS)) {
      throw new Error(`bug: M/M/1 needs 0 < λ < μ, got λ=${p.arrivalRatePerS}/s μ=${p.serviceRatePerS}/s`);
    }
    if (p.customers % p.batches !== 0) {
      throw new Error(`bug: ${p.customers} customers do not split into ${p.batches} equal batches`);
    }
    this.batchSize = p.customers / p.batches;
    this.batchSumsPs = new Float64Array(p.batches);
    this.meanInterarrivalPs = PS_PER_S / p.arrivalRatePerS;
    this.meanServicePs = PS_PER_S / p.serviceRatePerS;
    this.arrivalRng = sim.rng(`${name}/arrivals`);
    this.serviceRng = sim.rng(`${name}/service`);
    this.arrivalProbe = sim.probes.get(`${name}/arrival`);
    this.departureProbe = sim.probes.get(`${name}/departure`);
  }

  start(): void {
    this.sim.after(this.interarrival(), this.onArrival);
  }

  result(): MM1Result {
    let sum = 0;
    for (let i = 0; i < this.batchSumsPs.length; i++) sum += this.batchSumsPs[i]!;
    const n = this.p.customers;
    return {
      meanSojournS: sum / n / PS_PER_S,
      batchMeansS: Array.from(this.batchSumsPs, (s) => s / this.batchSize / PS_PER_S),
      maxQueue: this.maxQueue,
      eventsFired: this.sim.eventsFired,
      endS: this.endPs / PS_PER_S,
    };
  }

  // Delays are rounded to whole picoseconds (the kernel's unit); with means of ~1 µs the
  // rounding shifts the mean by less than 1e-6 relative.
  private interarrival(): number {
    return roundTime(this.arrivalRng.exponential(this.meanInterarrivalPs));
  }

  private service(): number {
    return roundTime(this.serviceRng.exponential(this.meanServicePs));
  }

  // Arrow functions so the handlers are allocated once, not per scheduling.
  private readonly onArrival = (): void => {
    const sim = this.sim;
    sim.after(this.interarrival(), this.onArrival);
    if (!this.busy) {
      // The customer goes straight into service; its arrival time waits at the FIFO head.
      this.busy = true;
      sim.after(this.service(), this.onDeparture);
    }
    this.push(sim.now);
    if (this.count - 1 > this.maxQueue) this.maxQueue = this.count - 1;
    if (this.arrivalProbe.active) this.arrivalProbe.emit(this.count - 1, 0);
  };

  private readonly onDeparture = (): void => {
    const sim = this.sim;
    const sojournPs = sim.now - this.shift();
    const k = this.departed++ - this.p.warmupCustomers;
    if (k >= 0) {
      this.batchSumsPs[Math.floor(k / this.batchSize)]! += sojournPs;
    }
    if (this.departureProbe.active) this.departureProbe.emit(sojournPs, this.count);
    if (k === this.p.customers - 1) {
      this.endPs = sim.now;
      sim.stop();
      return;
    }
    if (this.count > 0) sim.after(this.service(), this.onDeparture);
    else this.busy = false;
  };

  private push(t: number): void {
    if (this.count === this.fifo.length) {
      const bigger = new Float64Array(this.fifo.length * 2);
      for (let i = 0; i < this.count; i++) bigger[i] = this.fifo[(this.head + i) & (this.fifo.length - 1)]!;
      this.fifo = bigger;
      this.head = 0;
    }
    this.fifo[(this.head + this.count++) & (this.fifo.length - 1)] = t;
  }

  private shift(): number {
    const t = this.fifo[this.head]!;
    this.head = (this.head + 1) & (this.fifo.length - 1);
    this.count--;
    return t;
  }
}

/** Build, run and measure one M/M/1 queue in a fresh simulator. */
export function runMM1(sim: Simulator, p: MM1Params): MM1Result {
  const q = new MM1(sim, p);
  q.start();
  sim.run();
  return q.result();
}

/**
 * Two-sided 99 % quantiles of Student's t (t_{0.995, df}), from standard tables, for the
 * batch counts we use; batch means with B batches have B − 1 degrees of freedom.
 */
const T_995: Readonly<Record<number, number>> = { 9: 3.2498, 19: 2.8609, 29: 2.7564, 49: 2.68, 99: 2.6264 };

/** Grand mean and 99 % confidence half-width of a list of batch means. */
export function batchMeansCI99(batchMeans: readonly number[]): { mean: number; halfWidth: number } {
  const b = batchMeans.length;
  const t = T_995[b - 1];
  if (t === undefined) throw new Error(`bug: no t quantile for ${b} batches (have ${Object.keys(T_995).map((d) => +d + 1).join(", ")})`);
  let mean = 0;
  for (const x of batchMeans) mean += x;
  mean /= b;
  let ss = 0;
  for (const x of batchMeans) ss += (x - mean) ** 2;
  const sd = Math.sqrt(ss / (b - 1));
  return { mean, halfWidth: (t * sd) / Math.sqrt(b) };
}
