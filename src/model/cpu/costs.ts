/**
 * The machine's cost table in simulated time. The normalised scenario gives every primitive
 * in seconds per occurrence (src/dsl/normalised.ts, COST_NAMES); here each becomes integer
 * picoseconds once, so that a burst's length is a table lookup on the hot path.
 */
import { COST_NAMES, type CostName, type MachineModel } from "../../dsl/normalised.js";
import { fromSeconds, type SimTime } from "../../sim/time.js";

export class CostTable {
  private readonly ps: Record<CostName, SimTime>;
  /** Memory copy, seconds per byte (kept in seconds: a byte costs well under 1 ps·10³). */
  private readonly copyPerByteS: number;
  /** Page size, bytes (DMA mapping and pinning work per page). */
  readonly pageSize: number;

  constructor(machine: MachineModel) {
    const ps = {} as Record<CostName, SimTime>;
    for (const name of COST_NAMES) {
      const s = machine.costs[name];
      if (!(s >= 0) || !Number.isFinite(s)) {
        throw new Error(`bug: machine cost ${name} = ${s} s (normalisation must give a finite, non-negative number)`);
      }
      ps[name] = fromSeconds(s);
    }
    this.ps = ps;
    this.copyPerByteS = machine.costs.copy_per_byte;
    this.pageSize = machine.page_size;
    if (!(this.pageSize > 0)) throw new Error(`bug: machine.page_size = ${this.pageSize} bytes`);
  }

  /** Cost of one occurrence of `name`, integer ps. */
  get(name: CostName): SimTime {
    return this.ps[name];
  }

  /**
   * Copying `bytes` bytes, integer ps. Rounded once per copy, not per byte, so a 1 KiB copy
   * is within 0.5 ps of bytes × copy_per_byte.
   */
  copy(bytes: number): SimTime {
    return fromSeconds(bytes * this.copyPerByteS);
  }

  /** Pages touched by a buffer of `bytes` bytes starting on a page boundary. */
  pages(bytes: number): number {
    return bytes <= 0 ? 0 : Math.ceil(bytes / this.pageSize);
  }

  /** Pinning and bus-address translation (DMA mapping) of a `bytes`-byte buffer, ps. */
  dmaMap(bytes: number): SimTime {
    return this.pages(bytes) * this.ps.dma_map_per_page;
  }
}
