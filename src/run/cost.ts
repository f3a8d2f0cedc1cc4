/**
 * A rough, deterministic estimate of how long a point takes to simulate, so that the pool
 * can start the most expensive points first (longest processing time first: with N workers
 * the run then ends when the total work is spread evenly, not when the last long point,
 * started late, finishes alone). It orders points only: results are kept in plan order and
 * never depend on it.
 *
 * The unit is arbitrary; only the order between the points of one plan matters, and they
 * share a workload type. Fitted loosely to the paper sweeps' timings (docs/performance.md):
 * a disk read costs about the same whatever its size up to one request, and about three
 * times more with the driver at user level; an echo point costs in proportion to the
 * packets it carries, about the same in either placement (the user-level path's extra
 * bursts are batched per activation). The progress bar and ETA weigh points by it too.
 */
import type { NormalisedScenario } from "../dsl/normalised.js";

const SECTOR_BYTES = 512;
/** User-level placement against in-kernel, per unit of work: disk reads (measured ≈ 2.7–3.4 on Fig. 2). */
const USER_FACTOR_DISK = 3;
/**
 * The same for echoed packets: gige-user against gige-kernel, one compiled point of 1 s,
 * 0.161/0.070 vs 0.185/0.049 s at 300 Mb/s and 0.129/0.123 vs 0.133/0.133 s at 850 Mb/s.
 */
const USER_FACTOR_ECHO = 1.1;

export function estimatedCost(s: NormalisedScenario): number {
  const w = s.workload as Record<string, unknown>;
  const num = (v: unknown, d: number): number => (typeof v === "number" && Number.isFinite(v) ? v : d);
  const reps = Math.max(1, num(w.repetitions, 1));
  const dev = typeof w.device === "string" ? s.devices[w.device] : undefined;
  const user = dev?.driver.placement === "user";
  const seconds = s.run.warmup + s.run.duration;
  switch (w.type) {
    case "disk-read": {
      const bytes = num(w.bytes, 0);
      const transfer = Math.max(SECTOR_BYTES, num(w.transfer_size, SECTOR_BYTES));
      const maxSectors = Math.max(1, num(dev?.max_sectors, 256));
      const requestsPerRead = Math.ceil(transfer / SECTOR_BYTES / maxSectors);
      return reps * Math.ceil(bytes / transfer) * (1 + requestsPerRead) * (user ? USER_FACTOR_DISK : 1);
    }
    case "udp-echo": {
      // Packets per second offered, capped near wire speed (1 Gb/s of 1 KiB payloads).
      const pps = Math.min(num(w.offered_load, 0), 1e9) / (8 * Math.max(1, num(w.payload, 1024)));
      return reps * seconds * (1000 + pps) * (user ? USER_FACTOR_ECHO : 1);
    }
    default:
      return reps * seconds;
  }
}

/** `points` by estimated cost, the most expensive first; ties in plan order. */
export function costliestFirst<P extends { index: number; scenario: NormalisedScenario }>(points: readonly P[]): P[] {
  const cost = new Map(points.map((p) => [p, estimatedCost(p.scenario)]));
  return [...points].sort((a, b) => cost.get(b)! - cost.get(a)! || a.index - b.index);
}
