/**
 * The block loopback (paper §3.4.1): a small kernel module through which a user-level
 * driver serves the kernel's block layer. Its request function moves queued requests, with
 * their bus addresses already resolved by the block layer, into a request ring in memory
 * shared with the driver and activates the driver by upping the semaphore of its IRQ file
 * (the same activation an interrupt gives, §3.4.2). The driver puts finished requests on a
 * completion ring and makes a system call; the kernel side drains that ring, ending each
 * request in the block layer (which wakes the reader), and refills the request ring from
 * the queue if the ring had been full.
 *
 * Both rings are lock-free SPSC rings of `capacity` slots (`loopback_ring`). Costs:
 * `blk_ring_entry` for every descriptor written or read — class "stack" on the kernel
 * side, "driver" on the driver's.
 *
 * When the driver dies (src/model/faults) its registration closes after its IRQ file and its
 * DMA ledger (the disk's channel was reset first, aborting the command in progress): the
 * loopback is without a driver until a new one registers. The requests handed to the dead
 * driver — on the request ring, or taken by it and not yet on the completion ring — are, by
 * the in-flight policy (after ublk's recovery modes), put back at the head of the block
 * layer's queue for the next driver (`reissue`) or failed with EIO (`requeue`, `fail`);
 * requests submitted meanwhile wait in the queue (`requeue`, `reissue`) or fail at once
 * (`fail`). Completions the dead driver had posted are still good: the kernel ends them.
 * The kernel's part that needs the CPU (ending and failing requests, waking readers) runs at
 * once from a kernel timer, like ublk's monitor work. The new driver's registration system
 * call re-establishes the rings and hands it what is queued.
 */
import type { InFlightPolicy } from "../../dsl/normalised.js";
import type { Probe } from "../../sim/probe.js";
import { NOTHING, RUN, type Context, type Program, type Task } from "../cpu/index.js";
import type { DmaMappings, Kernel, KernelTimer, SpscRing, UserIrq } from "../kernel/index.js";
import type { BlockLayer, BlockRequest, RequestFn } from "./block-layer.js";
import type { IdeHost } from "./ide-driver.js";

export class BlockLoopback implements RequestFn, IdeHost {
  readonly requests: SpscRing<BlockRequest>;
  readonly completions: SpscRing<BlockRequest>;
  /** The driver's IRQ file, once it has registered. */
  private irq: UserIrq | null = null;
  private readonly entryPs: number;
  /** What happens to work in flight when the driver dies. */
  policy: InFlightPolicy = "requeue";
  /** No driver serves: from a driver's death until its successor registers. */
  down = false;
  /** Requests the driver took from the request ring and has not yet put on the completion ring. */
  private readonly outstanding: BlockRequest[] = [];
  /** Requests of a dead driver the kernel's reclaim work will fail. */
  private readonly toFail: BlockRequest[] = [];
  private reclaimPending = false;
  private readonly reclaimTimer: KernelTimer;
  /** The ledger of pages mapped for the driver's device (null while none serves). */
  private dma: DmaMappings | null = null;
  /** `loopback/<name>/register` at a re-registration (a: requests queued for the new driver). */
  private readonly pRegister: Probe;

  // Counted on each side, for the conservation equations.
  requestsEnqueued = 0;
  requestsDequeued = 0;
  completionsEnqueued = 0;
  completionsDequeued = 0;

  constructor(
    private readonly k: Kernel,
    name: string,
    private readonly layer: BlockLayer,
    capacity: number,
  ) {
    this.requests = k.ring<BlockRequest>(`${name}.requests`, capacity);
    this.completions = k.ring<BlockRequest>(`${name}.completions`, capacity);
    this.entryPs = k.cost("blk_ring_entry");
    this.reclaimTimer = k.timer(`${name}.reclaim`, (cx) => this.reclaim(cx));
    this.pRegister = k.sim.probes.get(`loopback/${name}/register`);
  }

  /** Requests handed to the driver and not yet back, or held for the kernel's reclaim work. */
  get held(): number {
    return this.outstanding.length + this.toFail.length;
  }

  /**
   * The driver opens the loopback's master file and maps the rings (the body of that
   * system call): from now on it is activated through `irq`. A driver registering after
   * another died finds the rings re-established and what was queued meanwhile on them.
   */
  *register(irq: UserIrq, dma: DmaMappings | null = null): Program {
    if (this.reclaimPending) {
      this.reclaimTimer.cancel();
      yield* this.reclaim(irq.owner);
    }
    this.irq = irq;
    this.dma = dma;
    if (dma !== null) for (let i = 0; i < this.requests.size; i++) dma.map(this.requests.at(i)!.pages);
    if (this.down) {
      this.down = false;
      if (this.pRegister.active) this.pRegister.emit(this.layer.queued, 0);
      yield* this.requestFn(irq.owner);
    }
  }

  // ------------------------------------------------------------ kernel side

  /** request_fn of the loopback block device: queue → request ring, then activate the driver. */
  requestFn(cx: Context): Program {
    // Decided when called, and done then when its burst runs inline: every read submits.
    if (this.down) return this.requestFnDown(cx);
    return this.fillAndPost(cx);
  }

  /** No driver: with `fail`, new work fails at once; otherwise it waits in the queue. */
  private *requestFnDown(cx: Context): Program {
    if (this.policy === "fail") {
      for (let r = this.layer.nextRequest(); r !== undefined; r = this.layer.nextRequest()) yield* this.layer.endRequest(cx, r, true);
    }
  }

  /** The body of the driver's completion system call. */
  *completeBody(self: Task): Program {
    yield* this.endCompleted(self);
    // Requests that did not fit the ring earlier; the driver reads the ring before it sleeps.
    yield* this.fillAndPost(self);
  }

  private *endCompleted(cx: Context): Program {
    for (;;) {
      const req = this.completions.peek();
      if (req === undefined) break;
      if (cx.run(this.entryPs, "stack")) yield RUN;
      this.completions.dequeue();
      this.completionsDequeued++;
      this.dma?.unmap(req.pages);
      yield* this.layer.endRequest(cx, req);
    }
  }

  /**
   * Queued requests onto the request ring (as many as fit, one burst), then a simulated
   * interrupt if any moved. Decided when called; no program when nothing is queued or the
   * burst runs inline.
   */
  private fillAndPost(cx: Context): Program {
    const n = Math.min(this.layer.queued, this.requests.free);
    if (n === 0) return NOTHING;
    if (cx.run(n * this.entryPs, "stack") === RUN) return this.fillAfterBurst(cx, n);
    return this.filled(cx, n);
  }

  private *fillAfterBurst(cx: Context, n: number): Program {
    yield RUN;
    yield* this.filled(cx, n);
  }

  private filled(cx: Context, n: number): Program {
    for (let i = 0; i < n; i++) {
      const r = this.layer.nextRequest()!;
      this.requests.enqueue(r);
      this.requestsEnqueued++;
      this.dma?.map(r.pages);
    }
    return this.irq !== null ? this.irq.post(cx) : NOTHING;
  }

  /** The driver died (its registration closed): see the file comment. */
  driverDied(): void {
    this.irq = null;
    this.dma = null; // released with the DMA ledger, which closed just before
    this.down = true;
    const handed = this.outstanding.splice(0);
    for (let r = this.requests.dequeue(); r !== undefined; r = this.requests.dequeue()) {
      this.requestsDequeued++; // taken back by the kernel
      handed.push(r);
    }
    if (this.policy === "reissue") this.layer.requeueFront(handed);
    else this.toFail.push(...handed);
    this.reclaimPending = true;
    this.reclaimTimer.armAfter(0);
  }

  /** The kernel's clean-up after a death, with a CPU context (a timer soft IRQ, or the new driver's registration). */
  private *reclaim(cx: Context): Program {
    if (!this.reclaimPending) return;
    this.reclaimPending = false;
    yield* this.endCompleted(cx);
    for (let r = this.toFail.shift(); r !== undefined; r = this.toFail.shift()) yield* this.layer.endRequest(cx, r, true);
    if (this.down && this.policy === "fail") yield* this.requestFn(cx);
  }

  // ------------------------------------------------------------ driver side (IdeHost)

  hasRequest(): boolean {
    return !this.requests.isEmpty;
  }

  *nextRequest(cx: Context): Program<BlockRequest | undefined> {
    if (this.requests.isEmpty) return undefined;
    if (cx.run(this.entryPs, "driver")) yield RUN;
    this.requestsDequeued++;
    const r = this.requests.dequeue()!;
    this.outstanding.push(r);
    return r;
  }

  *complete(cx: Context, req: BlockRequest): Program {
    if (cx.run(this.entryPs, "driver")) yield RUN;
    if (!this.completions.enqueue(req)) throw new Error(`bug: block loopback completion ring full`);
    this.completionsEnqueued++;
    // In order, as a single-command driver completes them: the oldest (no splice: it allocates).
    if (this.outstanding[0] === req) this.outstanding.shift();
    else {
      const i = this.outstanding.indexOf(req);
      if (i >= 0) this.outstanding.splice(i, 1);
    }
  }

  /** Completions waiting for the driver's system call. */
  get completionsPending(): number {
    return this.completions.size;
  }
}
