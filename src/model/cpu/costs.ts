/**
 * The machine's cost table in simulated time. The normalised scenario gives every primitive
 * in seconds per occurrence (src/dsl/normalised.ts, COST_NAMES); here each becomes integer
 * picoseconds once, so that a burst's length is a table lookup on the hot path.
 */
import { COST_NAMES, type CostName, type MachineModel } from "../../dsl/normalised.js";
import { fromSeconds, PS_PER_S, roundTime, type SimTime } from "../../sim/time.js";

export class CostTable {
  private readonly ps: Readonly<Record<CostName, SimTime>>;
  /** The same by name for `get(name)` (a Map lookup beats an object's keyed one). */
  private readonly byName: ReadonlyMap<CostName, SimTime>;
  /** Memory copy, seconds per byte (kept in seconds: a byte costs well under 1 ps·10³). */
  private readonly copyPerByteS: number;
  /** Page size, bytes (DMA mapping and pinning work per page). */
  readonly pageSize: number;

  constructor(machine: MachineModel) {
    for (const name of COST_NAMES) {
      const s = machine.costs[name];
      if (!(s >= 0) || !Number.isFinite(s)) {
        throw new Error(`bug: machine cost ${name} = ${s} s (normalisation must give a finite, non-negative number)`);
      }
    }
    this.ps = costRecord((name) => fromSeconds(machine.costs[name]));
    this.byName = new Map(Object.entries(this.ps) as [CostName, SimTime][]);
    this.copyPerByteS = machine.costs.copy_per_byte;
    this.pageSize = machine.page_size;
    if (!(this.pageSize > 0)) throw new Error(`bug: machine.page_size = ${this.pageSize} bytes`);
  }

  /** Cost of one occurrence of `name`, integer ps. */
  get(name: CostName): SimTime {
    return this.byName.get(name)!;
  }

  /**
   * Copying `bytes` bytes, integer ps. Rounded once per copy, not per byte, so a 1 KiB copy
   * is within 0.5 ps of bytes × copy_per_byte.
   */
  copy(bytes: number): SimTime {
    return roundTime(bytes * this.copyPerByteS * PS_PER_S); // fromSeconds, with the hot path's rounding
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

/**
 * A record with one entry per cost name, for lookups on the hot path. Built in one piece
 * (Object.fromEntries): V8 keeps such an object in fast mode, whereas one that receives 30
 * keyed stores falls back to a dictionary, and every cost lookup became a hash probe
 * (measured: about 2 % of a disk point's time in `Kernel.cost` alone).
 */
export function costRecord(value: (name: CostName) => SimTime): Readonly<Record<CostName, SimTime>> {
  return Object.freeze(Object.fromEntries(COST_NAMES.map((name) => [name, value(name)])) as Record<CostName, SimTime>);
}
