/**
 * One output port of a store-and-forward Ethernet switch: a FIFO with a finite buffer in
 * bytes in front of a link. A frame occupies the buffer from the moment it has been fully
 * received until its last bit has left; a frame that does not fit is dropped (tail drop).
 *
 * Nothing about a port depends on what happens downstream, so its schedule is computed when
 * a frame is offered — no simulator events.
 */
import type { SimTime } from "../../sim/time.js";
import { Deque } from "../kernel/deque.js";

export class SwitchPort {
  private readonly ends = new Deque<number>(64);
  private readonly sizes = new Deque<number>(64);
  private bytes = 0;
  private free: SimTime = 0;

  constructor(
    /** Buffer, bytes. */
    readonly buffer: number,
  ) {}

  /**
   * A frame of `bytes` has been received at time `at` and needs `serPs` on the output link.
   * Returns the time its last bit leaves the port, or -1 if it was dropped. Frames must be
   * offered in order of `at`.
   */
  offer(at: SimTime, bytes: number, serPs: SimTime): SimTime {
    while (this.ends.length > 0 && this.ends.peek()! <= at) {
      this.ends.shift();
      this.bytes -= this.sizes.shift()!;
    }
    if (this.bytes + bytes > this.buffer) return -1;
    const start = this.free > at ? this.free : at;
    const end = start + serPs;
    this.free = end;
    this.ends.push(end);
    this.sizes.push(bytes);
    this.bytes += bytes;
    return end;
  }

  /** Frames accepted whose last bit has not left by `t`. */
  heldAt(t: SimTime): number {
    let n = 0;
    for (let i = 0; i < this.ends.length; i++) if (this.ends.at(i)! > t) n++;
    return n;
  }
}
