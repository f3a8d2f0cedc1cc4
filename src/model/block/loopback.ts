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
 */
import type { Context, Program, Task } from "../cpu/index.js";
import type { Kernel, SpscRing, UserIrq } from "../kernel/index.js";
import type { BlockLayer, BlockRequest, RequestFn } from "./block-layer.js";
import type { IdeHost } from "./ide-driver.js";

export class BlockLoopback implements RequestFn, IdeHost {
  readonly requests: SpscRing<BlockRequest>;
  readonly completions: SpscRing<BlockRequest>;
  /** The driver's IRQ file, once it has registered. */
  private irq: UserIrq | null = null;
  private readonly entryPs: number;

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
  }

  /**
   * The driver opens the loopback's master file and maps the rings (the body of that
   * system call): from now on it is activated through `irq`.
   */
  *register(irq: UserIrq): Program {
    this.irq = irq;
  }

  // ------------------------------------------------------------ kernel side

  /** request_fn of the loopback block device: queue → request ring, then activate the driver. */
  *requestFn(cx: Context): Program {
    const moved = yield* this.fill(cx);
    if (moved > 0 && this.irq !== null) yield* this.irq.post(cx);
  }

  /** The body of the driver's completion system call. */
  *completeBody(self: Task): Program {
    for (;;) {
      const req = this.completions.peek();
      if (req === undefined) break;
      yield self.run(this.entryPs, "stack");
      this.completions.dequeue();
      this.completionsDequeued++;
      yield* this.layer.endRequest(self, req);
    }
    // Requests that did not fit the ring earlier; the driver reads the ring before it sleeps.
    const moved = yield* this.fill(self);
    if (moved > 0 && this.irq !== null) yield* this.irq.post(self);
  }

  private *fill(cx: Context): Program<number> {
    const n = Math.min(this.layer.queued, this.requests.free);
    if (n === 0) return 0;
    yield cx.run(n * this.entryPs, "stack");
    for (let i = 0; i < n; i++) {
      this.requests.enqueue(this.layer.nextRequest()!);
      this.requestsEnqueued++;
    }
    return n;
  }

  // ------------------------------------------------------------ driver side (IdeHost)

  *nextRequest(cx: Context): Program<BlockRequest | undefined> {
    if (this.requests.isEmpty) return undefined;
    yield cx.run(this.entryPs, "driver");
    this.requestsDequeued++;
    return this.requests.dequeue();
  }

  *complete(cx: Context, req: BlockRequest): Program {
    yield cx.run(this.entryPs, "driver");
    if (!this.completions.enqueue(req)) throw new Error(`bug: block loopback completion ring full`);
    this.completionsEnqueued++;
  }

  /** Completions waiting for the driver's system call. */
  get completionsPending(): number {
    return this.completions.size;
  }
}
