/**
 * What happened to the drivers, fault by fault, and what the workload delivered meanwhile:
 * the `fault` metrics and the throughput series (design §4 `series`). Pure bookkeeping fed
 * by the fault machinery and by probe `workload/delivered`, so it can be tested on its own.
 *
 * A fault's outage runs from the moment it struck (the driver died or stopped) to the moment
 * its successor served again; time to detect is strike → the supervisor knew (the death
 * notice, or enough missed heartbeats), time to recover is detection → serving again.
 */
import type { FaultKind } from "../../dsl/normalised.js";
import { toSeconds, type SimTime } from "../../sim/time.js";

export interface FaultRecord {
  /** The injection's name in `faults.inject`. */
  readonly name: string;
  readonly device: string;
  readonly kind: FaultKind;
  /** When it struck, ps. */
  readonly at: SimTime;
  /** The kernel crashed (in-kernel driver): no detection, no recovery. */
  readonly kernelCrash: boolean;
  detectedAt?: SimTime;
  recoveredAt?: SimTime;
}

/** Design §4 `series`: throughput per bin of `bin_s` seconds from the start of the window. */
export interface ThroughputSeries {
  bin_s: number;
  throughput_bits_per_s: number[];
}

export interface FaultMetrics {
  /** Faults that struck in the window. */
  injected: number;
  /** Of those, recovered from (the driver served again). */
  restarts: number;
  /** Means over the faults that reached that stage, s. */
  detect_s?: number;
  recover_s?: number;
  outage_s?: number;
  /** Payload delivered during outages, per second of outage (within the window). */
  outage_throughput_bits_per_s?: number;
}

export class FaultLog {
  readonly records: FaultRecord[] = [];
  /** Bytes delivered per bin since the window start. */
  private readonly bins: number[] = [];
  private outageBytes = 0;

  constructor(
    readonly windowStart: SimTime,
    readonly windowEnd: SimTime,
    readonly binPs: SimTime,
  ) {
    if (!(binPs > 0)) throw new Error(`bug: series bin of ${binPs} ps`);
  }

  strike(name: string, device: string, kind: FaultKind, at: SimTime, kernelCrash = false): FaultRecord {
    const r: FaultRecord = { name, device, kind, at, kernelCrash };
    this.records.push(r);
    return r;
  }

  /** `bytes` of payload reached the client (or the reader) at `at`. */
  delivered(at: SimTime, bytes: number): void {
    if (at < this.windowStart || at >= this.windowEnd) return;
    const i = Math.floor((at - this.windowStart) / this.binPs);
    while (this.bins.length <= i) this.bins.push(0);
    this.bins[i]! += bytes;
    for (const r of this.records) if (!r.kernelCrash && at >= r.at && at < (r.recoveredAt ?? Infinity)) {
      this.outageBytes += bytes;
      break;
    }
  }

  /**
   * The series from the window start to `horizon` (the window end, or where the run stopped:
   * the reads done, a kernel crash), in whole bins. A last part of a bin is left out: a read
   * or two over a sliver of a bin reads as a rate no drive could deliver (2.8 Gb/s from a
   * 461 Mb/s disk), and a part drawn as a whole bin would mislead.
   */
  series(horizon: SimTime): ThroughputSeries {
    const end = Math.min(horizon, this.windowEnd);
    const n = Math.max(0, Math.floor((end - this.windowStart) / this.binPs));
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(((this.bins[i] ?? 0) * 8) / toSeconds(this.binPs));
    return { bin_s: toSeconds(this.binPs), throughput_bits_per_s: out };
  }

  /** The `fault` metrics over the window, as of `now`. */
  metrics(now: SimTime): FaultMetrics {
    const inWindow = this.records.filter((r) => r.at >= this.windowStart && r.at < this.windowEnd);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);
    const detect = inWindow.filter((r) => r.detectedAt !== undefined).map((r) => toSeconds(r.detectedAt! - r.at));
    const recovered = inWindow.filter((r) => r.recoveredAt !== undefined);
    const recover = recovered.filter((r) => r.detectedAt !== undefined).map((r) => toSeconds(r.recoveredAt! - r.detectedAt!));
    const outage = recovered.map((r) => toSeconds(r.recoveredAt! - r.at));
    // Outage time within the window (an outage still open runs to now), for the rate delivered during it.
    let outagePs = 0;
    for (const r of inWindow) {
      if (r.kernelCrash) continue;
      const to = Math.min(r.recoveredAt ?? now, this.windowEnd, now);
      if (to > r.at) outagePs += to - r.at;
    }
    const out: FaultMetrics = { injected: inWindow.length, restarts: recovered.length };
    const d = mean(detect);
    const rc = mean(recover);
    const o = mean(outage);
    if (d !== undefined) out.detect_s = d;
    if (rc !== undefined) out.recover_s = rc;
    if (o !== undefined) out.outage_s = o;
    if (outagePs > 0) out.outage_throughput_bits_per_s = (this.outageBytes * 8) / toSeconds(outagePs);
    return out;
  }
}
