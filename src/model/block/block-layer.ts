/**
 * The kernel's block layer for one disk, after Linux 2.6.6 (fs/direct-io.c, drivers/block/
 * ll_rw_blk.c), reduced to what an O_DIRECT read of a contiguous range does:
 *
 *   read(fd, buf, n) with O_DIRECT, in the reader's system call:
 *     pin the user buffer's pages and map them for DMA (bus addresses resolved here, in the
 *     kernel, for either driver placement: paper §3.2, §3.4.1),
 *     build requests of at most the driver's `max_sectors` (blk_queue_max_sectors: larger
 *     reads become several requests, as Linux splits bios at the queue limit),
 *     queue them and unplug: the driver placement's request function takes them,
 *     sleep until every request of this read has completed;
 *   end_request, in whatever context the driver completes in (the kernel ISR, or the
 *   block loopback's completion system call): account the request, and when the read's
 *   last request is done wake the reader.
 *
 * Costs: `dma_map_per_page` per page pinned and mapped and `blk_submit` per request at
 * submission, `blk_complete` per request at completion (unmapping and unpinning included),
 * all class "stack"; waking the reader is `wakeup` in the completing context's class.
 *
 * A request can also end in error (EIO: its driver died and the in-flight policy fails the
 * work it held); the read() it belongs to then returns −EIO once all its requests are done.
 *
 * Probes (a, b): `block/<disk>/submit` (sectors, request id), `block/<disk>/complete`
 * (sectors, request id), `block/<disk>/fail` (sectors, request id).
 */
import type { Probe } from "../../sim/probe.js";
import { Deque } from "../kernel/deque.js";
import { RUN, type Context, type Program, type Task } from "../cpu/index.js";
import type { Kernel } from "../kernel/index.js";
import { WaitQueue } from "../kernel/index.js";
import { SECTOR_BYTES } from "./drive-mechanics.js";

/** One O_DIRECT read() in progress: its reader sleeps until all its requests are done. */
/** What read() returns when a request of it failed: −EIO. */
export const EIO = -5;

export class DirectIo {
  /** Requests of this read not yet completed. */
  outstanding = 0;
  /** A request of this read ended in error. */
  failed = false;

  constructor(
    readonly reader: Task,
    /** Where the reader sleeps (one wait queue per reader, reused across its reads). */
    readonly waiters: WaitQueue,
  ) {}
}

/** A block request: contiguous sectors, its buffer's pages pinned and mapped for DMA. */
export interface BlockRequest {
  readonly id: number;
  readonly lba: number;
  readonly sectors: number;
  /** Pages of the reader's buffer it covers, each with its bus address resolved. */
  readonly pages: number;
  readonly dio: DirectIo;
}

/** What the block layer calls when requests are queued (the driver placement's request_fn). */
export interface RequestFn {
  /** Take queued requests (process context of the submitter, queue lock held). */
  requestFn(cx: Context): Program;
}

export class BlockLayer {
  private readonly queue = new Deque<BlockRequest>(64);
  private driver: RequestFn | null = null;
  private readonly dioWaits = new Map<Task, WaitQueue>();
  private nextId = 1;
  /** Requests submitted / completed, counted where each happens (conservation). */
  submitted = 0;
  completed = 0;
  /** Requests ended in error. */
  failed = 0;
  /** Requests inside end_request (its CPU burst), counted neither queued nor done yet. */
  ending = 0;
  sectorsSubmitted = 0;
  sectorsCompleted = 0;
  private readonly pSubmit: Probe;
  private readonly pComplete: Probe;
  private readonly pFail: Probe;
  private readonly mapPerPage: number;
  private readonly submitCost: number;
  private readonly completeCost: number;
  private readonly pageSize: number;

  constructor(
    private readonly k: Kernel,
    readonly name: string,
    /** The queue limit the driver announces: sectors per request (one ATA command). */
    readonly maxSectors: number,
  ) {
    if (!(Number.isInteger(maxSectors) && maxSectors >= 1)) throw new Error(`bug: max_sectors ${maxSectors}`);
    this.pSubmit = k.sim.probes.get(`block/${name}/submit`);
    this.pComplete = k.sim.probes.get(`block/${name}/complete`);
    this.pFail = k.sim.probes.get(`block/${name}/fail`);
    this.mapPerPage = k.cost("dma_map_per_page");
    this.submitCost = k.cost("blk_submit");
    this.completeCost = k.cost("blk_complete");
    this.pageSize = k.costs.pageSize;
  }

  /** The driver placement that serves this queue. */
  attach(driver: RequestFn): void {
    this.driver = driver;
  }

  /** Requests queued and not yet taken by the driver. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * The body of an O_DIRECT read() of `bytes` bytes from sector `lba` into a page-aligned
   * buffer, in the reader's system call. Returns the bytes read.
   */
  *read(self: Task, lba: number, bytes: number): Program<number> {
    if (this.driver === null) throw new Error(`bug: block device ${this.name} has no driver`);
    if (!(bytes > 0 && bytes % SECTOR_BYTES === 0)) throw new Error(`bug: O_DIRECT read of ${bytes} bytes`);
    let wq = this.dioWaits.get(self);
    if (wq === undefined) {
      wq = new WaitQueue(this.k, `${self.name}.dio`);
      this.dioWaits.set(self, wq);
    }
    const dio = new DirectIo(self, wq);
    const sectors = bytes / SECTOR_BYTES;
    const P = this.pageSize;
    let pagesTotal = 0;
    const reqs: BlockRequest[] = [];
    for (let done = 0; done < sectors; ) {
      const n = Math.min(this.maxSectors, sectors - done);
      const first = done * SECTOR_BYTES;
      const end = first + n * SECTOR_BYTES;
      const pages = Math.floor((end - 1) / P) - Math.floor(first / P) + 1;
      pagesTotal += pages;
      reqs.push({ id: this.nextId++, lba: lba + done, sectors: n, pages, dio });
      done += n;
    }
    // get_user_pages + DMA mapping of the whole buffer, then one request set-up per request.
    if (self.run(pagesTotal * this.mapPerPage + reqs.length * this.submitCost, "stack")) yield RUN;
    dio.outstanding = reqs.length;
    for (const r of reqs) {
      this.queue.push(r);
      this.submitted++;
      this.sectorsSubmitted += r.sectors;
      if (this.pSubmit.active) this.pSubmit.emit(r.sectors, r.id);
    }
    yield* this.driver.requestFn(self);
    while (dio.outstanding > 0) yield* dio.waiters.sleep(self);
    return dio.failed ? EIO : bytes;
  }

  /** Put `reqs` back at the head of the queue, in order (work a dead driver held, for its successor). */
  requeueFront(reqs: readonly BlockRequest[]): void {
    for (let i = reqs.length - 1; i >= 0; i--) this.queue.unshift(reqs[i]!);
  }

  /** elv_next_request + dequeue: the oldest queued request, or undefined. */
  nextRequest(): BlockRequest | undefined {
    return this.queue.shift();
  }

  /**
   * end_request: account `req` as done (or, with `error`, failed: EIO); wake its reader when
   * its read is complete.
   */
  *endRequest(cx: Context, req: BlockRequest, error = false): Program {
    this.ending++;
    if (cx.run(this.completeCost, "stack")) yield RUN;
    this.ending--;
    const dio = req.dio;
    if (error) {
      this.failed++;
      dio.failed = true;
      if (this.pFail.active) this.pFail.emit(req.sectors, req.id);
    } else {
      this.completed++;
      this.sectorsCompleted += req.sectors;
      if (this.pComplete.active) this.pComplete.emit(req.sectors, req.id);
    }
    dio.outstanding--;
    if (dio.outstanding === 0) yield* dio.waiters.wakeOne(cx);
  }
}
