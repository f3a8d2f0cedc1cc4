/**
 * The IDE driver's own logic, the same code in both placements (design §1: placement
 * changes only the mechanisms on the path, never the cost of the driver's own work):
 *
 *   start:     take the next request, program the taskfile and the busmaster engine, write
 *              READ DMA (one command per request: the block layer already split requests
 *              at the driver's max_sectors);
 *   interrupt: test the busmaster INTR bit; if set, stop the engine, clear INTR, read the
 *              ATA status (acknowledging the interrupt), complete the request, start the
 *              next one.
 *
 * Where requests come from and where completions go is the placement's `IdeHost`: the
 * kernel's request queue and end_request (driver in the kernel), or the block loopback's
 * shared rings (driver at user level). `cx` is the ISR's hard-IRQ context or the driver
 * process.
 *
 * Register accesses per operation follow Linux 2.6.6's generic busmaster IDE code
 * (drivers/ide/ide-dma.c, ide-disk.c, ide-iops.c), one uncached access each:
 * - issue: device control, features, sector count, LBA low/mid/high, device (7 writes);
 *   ide_dma_setup: PRD table address, direction, status read-modify-write (1 read,
 *   3 writes); the command register (1 write); ide_dma_start: command read-modify-write
 *   (1 read, 1 write) — 2 reads, 12 writes;
 * - interrupt: ide_dma_test_irq reads the busmaster status (1 read); __ide_dma_end:
 *   command read-modify-write to stop, status read-modify-write to clear (2 reads,
 *   2 writes); ide_dma_intr reads the ATA status (1 read) — 4 reads, 2 writes.
 * The driver's remaining work is `ide_command` per command and `ide_interrupt` per
 * completion. All of it is class "driver".
 */
import { NOTHING, RUN, type Context, type Program } from "../cpu/index.js";
import type { Kernel } from "../kernel/index.js";
import type { BlockRequest } from "./block-layer.js";
import type { IdeController } from "./ide-controller.js";

export const ISSUE_REG_READS = 2;
export const ISSUE_REG_WRITES = 12;
export const TEST_IRQ_REG_READS = 1;
export const END_REG_READS = 3;
export const END_REG_WRITES = 2;

/** Where the driver gets requests and returns them: differs by placement. */
export interface IdeHost {
  /** A request is waiting: `nextRequest` would return one. */
  hasRequest(): boolean;
  /** The next request to serve, or undefined (charges its own cost, if any). */
  nextRequest(cx: Context): Program<BlockRequest | undefined>;
  /** Hand a finished request back. */
  complete(cx: Context, req: BlockRequest): Program;
}

export class IdeDriverLogic {
  /** The request whose command is on the drive. */
  private current: BlockRequest | null = null;
  private host: IdeHost | null = null;
  private readonly issuePs: number;
  private readonly testPs: number;
  private readonly finishPs: number;

  constructor(
    k: Kernel,
    readonly hw: IdeController,
  ) {
    const rr = k.cost("reg_read");
    const rw = k.cost("reg_write");
    this.issuePs = k.cost("ide_command") + ISSUE_REG_READS * rr + ISSUE_REG_WRITES * rw;
    this.testPs = TEST_IRQ_REG_READS * rr;
    this.finishPs = k.cost("ide_interrupt") + END_REG_READS * rr + END_REG_WRITES * rw;
  }

  attach(host: IdeHost): void {
    this.host = host;
  }

  /** A new process runs this logic after the old one died: it knows of no command in progress. */
  reset(): void {
    this.current = null;
  }

  /** A command is on the drive. */
  get busy(): boolean {
    return this.current !== null;
  }

  /** The request being served, if any (conservation walks it). */
  get inService(): BlockRequest | null {
    return this.current;
  }

  /** If the drive is idle and a request is waiting, issue its command. */
  start(cx: Context): Program {
    // Decided here, when called (just before the program would run): most activations
    // find nothing to start, and then no generator is made.
    if (this.current !== null || !this.host!.hasRequest()) return NOTHING;
    return this.issue(cx);
  }

  private *issue(cx: Context): Program {
    const req = yield* this.host!.nextRequest(cx);
    if (req === undefined) return;
    this.current = req;
    if (cx.run(this.issuePs, "driver")) yield RUN;
    this.hw.readDma(req.lba, req.sectors);
  }

  /**
   * Service the drive's interrupt if it has one: returns false (after the status test) when
   * the busmaster INTR bit is clear.
   */
  *interrupt(cx: Context): Program<boolean> {
    if (!this.hw.interruptPending) {
      if (cx.run(this.testPs, "driver")) yield RUN;
      return false;
    }
    if (cx.run(this.testPs + this.finishPs, "driver")) yield RUN;
    this.hw.acknowledge();
    const req = this.current;
    if (req === null) throw new Error(`bug: disk ${this.hw.name} interrupted with no command in progress`);
    this.current = null;
    yield* this.host!.complete(cx, req);
    yield* this.start(cx);
    return true;
  }
}
