/**
 * The DMA mappings the kernel made on a user-level driver's behalf (paper §3.2: "the system
 * call keeps track of the mappings so that when the user-level process crashes or exits they
 * can be torn down cleanly"). The ledger is a file the driver holds: when the driver dies, the
 * kernel first quiesces the device it drove — without an IOMMU nothing else stops a device
 * from writing into a page about to be reused, so its bus mastering is switched off (a device
 * reset) — then releases every mapping and unpins the pages. Nothing of it costs CPU here:
 * like closing files, it is part of the dying process's exit (cpu.ts `exit`).
 *
 * Counted in pages (`CostTable.pages`), since pinning and mapping are paid per page. A new
 * incarnation of the driver gets a new ledger; the old one, closed, ignores late unmaps
 * (buffers salvaged after the death were already released with it).
 *
 * Probe `dma/<owner>/pages` (a: pages mapped after the change, b: the change: +n mapped,
 * −n unmapped or released).
 */
import type { Probe } from "../../sim/probe.js";
import type { Closable, Task } from "../cpu/index.js";

export class DmaMappings implements Closable {
  private pagesNow = 0;
  private open = true;
  /** Pages released at the owner's death. */
  released = 0;
  private readonly p: Probe;

  constructor(
    probes: { get(name: string): Probe },
    readonly owner: Task,
    /** Stop the device's DMA before anything is released (called once, at the owner's death). */
    private readonly quiesce: () => void,
  ) {
    this.p = probes.get(`dma/${owner.name}/pages`);
  }

  /** Pages mapped now. */
  get pages(): number {
    return this.pagesNow;
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** The kernel pinned and mapped `pages` pages for the owner's device. */
  map(pages: number): void {
    if (!this.open || pages === 0) return;
    this.pagesNow += pages;
    if (this.p.active) this.p.emit(this.pagesNow, pages);
  }

  /** The kernel unmapped and unpinned `pages` pages (the buffers came back). */
  unmap(pages: number): void {
    if (!this.open || pages === 0) return;
    this.pagesNow -= pages;
    if (this.pagesNow < 0) throw new Error(`bug: ${this.owner.name} unmapped more DMA pages than it had mapped (${this.pagesNow})`);
    if (this.p.active) this.p.emit(this.pagesNow, -pages);
  }

  /** The owner died: quiesce the device, then release every mapping. */
  closeOnExit(): void {
    if (!this.open) return;
    this.quiesce();
    this.released = this.pagesNow;
    this.pagesNow = 0;
    this.open = false;
    this.owner.files.delete(this);
    if (this.p.active) this.p.emit(0, -this.released);
  }
}
