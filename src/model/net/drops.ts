/**
 * Drops per stage (design §4 `drops`), counted twice: over the whole run (for the
 * conservation equation, which must balance at every instant) and within the measurement
 * window (the reported metric). A drop is dated when it happens — a switch drop at the
 * frame's arrival at the switch.
 */
import { DROP_STAGES } from "../../dsl/metrics.js";
import type { SimTime } from "../../sim/time.js";

export type DropStage = (typeof DROP_STAGES)[number];

/**
 * The stages a network path can drop at. `driver_fault` (work lost to a driver's death or a
 * device reset) is counted always but reported only when the scenario injects faults.
 */
export const NET_DROP_STAGES = ["switch", "nic_fifo", "rx_ring", "backlog", "socket_rcvbuf", "loopback_ring", "late_reply", "driver_fault"] as const satisfies readonly DropStage[];
export type NetDropStage = (typeof NET_DROP_STAGES)[number];

export class DropCounters {
  private readonly total = new Map<NetDropStage, number>();
  private readonly windowed = new Map<NetDropStage, number>();

  constructor(
    readonly windowStart: SimTime,
    readonly windowEnd: SimTime,
    /** Report `driver_fault` (the scenario has faults). */
    readonly withDriverFault = false,
  ) {
    for (const s of NET_DROP_STAGES) {
      this.total.set(s, 0);
      this.windowed.set(s, 0);
    }
  }

  add(stage: NetDropStage, at: SimTime, n = 1): void {
    this.total.set(stage, this.total.get(stage)! + n);
    if (at >= this.windowStart && at < this.windowEnd) this.windowed.set(stage, this.windowed.get(stage)! + n);
  }

  /** Drops at every stage since the start of the run. */
  allTime(): number {
    let n = 0;
    for (const v of this.total.values()) n += v;
    return n;
  }

  stageAllTime(stage: NetDropStage): number {
    return this.total.get(stage)!;
  }

  /** Drops per stage within the window, in the fixed stage order. */
  inWindow(): Partial<Record<NetDropStage, number>> {
    const out: Partial<Record<NetDropStage, number>> = {};
    for (const s of NET_DROP_STAGES) if (s !== "driver_fault" || this.withDriverFault) out[s] = this.windowed.get(s)!;
    return out;
  }
}
