/**
 * A UDP socket with Linux 2.6.6 buffer accounting (net/core/sock.c, net/core/datagram.c):
 *
 * - Sizes: SO_RCVBUF / SO_SNDBUF set the buffer to 2 × min(request, rmem_max / wmem_max)
 *   (at least 256 / 2048 bytes); a socket that never asks keeps rmem_default / wmem_default.
 * - Receive: sock_queue_rcv_skb() drops a datagram when rmem_alloc + truesize ≥ rcvbuf;
 *   otherwise it is queued and a sleeping reader is woken.
 * - Send: sock_alloc_send_skb() lets the writer allocate while wmem_alloc < sndbuf, else it
 *   sleeps; the transmit skb's truesize stays charged until the driver frees it after
 *   transmission (sock_wfree), which wakes the writer once wmem_alloc ≤ sndbuf / 2
 *   (sock_def_write_space).
 *
 * Costs: `udp_recvmsg` and `udp_sendmsg` (with `dev_xmit`) per datagram plus the copy to or
 * from user space (`copy_per_byte`), charged as `stack`; wake-ups as `wakeup` in the waker's
 * context.
 */
import { NOTHING, RUN, type Context, type Program, type Task } from "../cpu/index.js";
import type { Kernel, WaitQueue } from "../kernel/index.js";
import type { SimTime } from "../../sim/time.js";
import { Deque } from "../kernel/deque.js";
import type { InHand } from "./ledger.js";
import type { Packet, TxOwner } from "./packet.js";
import type { NetStack } from "./stack.js";

/** Linux 2.6.6 SOCK_MIN_RCVBUF and SOCK_MIN_SNDBUF (include/net/sock.h). */
export const SOCK_MIN_RCVBUF = 256;
export const SOCK_MIN_SNDBUF = 2048;

/** The buffer size a socket ends up with: `request` 0 means setsockopt was never called. */
export function effectiveBuffer(request: number, max: number, dflt: number, min: number): number {
  if (request <= 0) return dflt;
  const v = Math.min(request, max) * 2;
  return v < min ? min : v;
}

export interface SocketConfig {
  rcvbuf: number;
  sndbuf: number;
  /** Truesize of a transmit skb for this socket's datagrams, bytes. */
  txTruesize: number;
}

export class UdpSocket implements TxOwner {
  private readonly queue = new Deque<Packet>(128);
  /** Bytes of truesize queued for reading, and charged for transmit buffers in flight. */
  rmem = 0;
  wmem = 0;
  private readonly readers: WaitQueue;
  private readonly writers: WaitQueue;
  private readonly recvPs: SimTime;
  private readonly sendPs: SimTime;
  private readonly copyPs: (bytes: number) => SimTime;
  /** Writers blocked on a full send buffer so far (a diagnostic count). */
  sendBlocks = 0;
  /** Datagrams queued for reading so far, and read so far. */
  queued = 0;
  read = 0;
  /** Transmit buffers charged to the send buffer so far. */
  charged = 0;
  /** Transmit buffers released so far. */
  released = 0;
  /** Write-space wake-ups owed: set by a release that frees enough, paid by `wakeWriters`. */
  private writeSpace = false;

  private readonly inHand: InHand;

  constructor(
    k: Kernel,
    readonly name: string,
    readonly cfg: SocketConfig,
    /** The stack it sends through (and whose in-hand count it keeps). */
    private readonly stack: NetStack,
    /** Counts a receive-buffer drop. */
    private readonly onDrop: (pkt: Packet) => void,
  ) {
    this.inHand = stack.inHand;
    this.readers = k.waitQueue(`${name}.rcv`);
    this.writers = k.waitQueue(`${name}.snd`);
    this.recvPs = k.cost("udp_recvmsg");
    this.sendPs = k.cost("udp_sendmsg");
    this.copyPs = (b) => k.costs.copy(b);
  }

  /** Datagrams waiting to be read. */
  get length(): number {
    return this.queue.length;
  }

  /** Tasks sleeping in recvfrom() or in sendto(). */
  get sleepingReaders(): number {
    return this.readers.length;
  }

  get sleepingWriters(): number {
    return this.writers.length;
  }

  /**
   * sock_queue_rcv_skb() + sk_data_ready(), in the soft IRQ: queue `pkts[0..n)` (held by
   * the caller, who releases them) or drop each that does not fit; wake a sleeping reader.
   */
  *deliver(cx: Context, pkts: readonly Packet[], n: number): Program {
    let queued = 0;
    for (let i = 0; i < n; i++) {
      const p = pkts[i]!;
      if (this.rmem + p.truesize >= this.cfg.rcvbuf) {
        this.onDrop(p);
        continue;
      }
      this.rmem += p.truesize;
      this.queue.push(p);
      queued++;
    }
    this.queued += queued;
    this.inHand.release(n);
    if (queued > 0 && this.readers.length > 0) yield* this.readers.wakeOne(cx);
  }

  /** recvfrom() body (kernel mode, blocking): the next datagram, held by the caller. */
  *recv(self: Task): Program<Packet> {
    while (this.queue.length === 0) yield* this.readers.sleep(self);
    const p = this.queue.shift()!;
    this.rmem -= p.truesize;
    this.read++;
    this.inHand.hold();
    if (self.run(this.recvPs + this.copyPs(p.payload), "stack")) yield RUN;
    return p;
  }

  /**
   * sendto() body (kernel mode, blocking) for `p`, held by the caller: wait for send-buffer
   * space, build the transmit skb (copying the payload from user space), charge its
   * truesize to this socket, and dev_queue_xmit() it — the stack work in one burst.
   */
  *sendto(self: Task, p: Packet): Program {
    if (this.wmem >= this.cfg.sndbuf) {
      this.sendBlocks++;
      while (this.wmem >= this.cfg.sndbuf) yield* this.writers.sleep(self);
    }
    if (self.run(this.sendPs + this.copyPs(p.payload) + this.stack.devXmitPs, "stack")) yield RUN;
    p.truesize = this.cfg.txTruesize;
    p.owner = this;
    this.wmem += p.truesize;
    this.charged++;
    yield* this.stack.queueXmit(self, p);
  }

  /**
   * sock_wfree(): the transmit buffer of `p` is freed. Call `wakeWriters(cx)` after a batch
   * of releases to pay for the wake-up it may owe (sock_def_write_space).
   */
  release(p: Packet): void {
    this.wmem -= p.truesize;
    this.released++;
    p.owner = null;
    if (this.writers.length > 0 && 2 * this.wmem <= this.cfg.sndbuf) this.writeSpace = true;
  }

  /** Wake a writer blocked on the send buffer if a release made room (charges `wakeup`). */
  wakeWriters(cx: Context): Program {
    // Decided when called (just before the program would run): nothing owed, the usual
    // case after a batch of releases, costs no generator.
    if (!this.writeSpace) return NOTHING;
    return this.payWriteSpace(cx);
  }

  private *payWriteSpace(cx: Context): Program {
    this.writeSpace = false;
    if (this.writers.length > 0) yield* this.writers.wakeOne(cx);
  }
}
