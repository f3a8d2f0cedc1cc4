/**
 * Lock-free single-producer/single-consumer circular buffer in shared memory (paper §3.3).
 *
 * Fixed capacity; enqueue fails when full (the caller counts the drop). The ring never
 * wakes anyone: batching is the producer's choice of when to activate the consumer (several
 * enqueues, then one up() or IRQ-file post). The CPU cost of touching an entry is the
 * caller's (it is part of the driver's or stack's work and charged there).
 *
 * Hot path: a preallocated slot array and two counters; no allocation per entry.
 */
import type { Probe } from "../../sim/probe.js";
import type { Probes } from "../../sim/probe.js";

export class SpscRing<T> {
  private readonly slots: (T | undefined)[];
  private head = 0; // next slot to dequeue
  private used = 0;
  private readonly pEnq: Probe;
  private readonly pDeq: Probe;

  constructor(
    probes: Probes,
    readonly name: string,
    readonly capacity: number,
  ) {
    if (!(Number.isInteger(capacity) && capacity >= 1)) throw new Error(`bug: ring ${name} capacity ${capacity}`);
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
    this.pEnq = probes.get(`ring/${name}/enqueue`);
    this.pDeq = probes.get(`ring/${name}/dequeue`);
  }

  /** Entries waiting. */
  get size(): number {
    return this.used;
  }

  get free(): number {
    return this.capacity - this.used;
  }

  get isEmpty(): boolean {
    return this.used === 0;
  }

  get isFull(): boolean {
    return this.used === this.capacity;
  }

  /** Producer side: append, or return false (and change nothing) when full. */
  enqueue(item: T): boolean {
    if (this.used === this.capacity) {
      if (this.pEnq.active) this.pEnq.emit(this.used, 0); // a: occupancy after; b: 1 accepted, 0 rejected
      return false;
    }
    let tail = this.head + this.used;
    if (tail >= this.capacity) tail -= this.capacity;
    this.slots[tail] = item;
    this.used++;
    if (this.pEnq.active) this.pEnq.emit(this.used, 1);
    return true;
  }

  /** Consumer side: the oldest entry, or undefined when empty. */
  dequeue(): T | undefined {
    if (this.used === 0) return undefined;
    const item = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    this.used--;
    if (this.pDeq.active) this.pDeq.emit(this.used, 0); // a: occupancy after
    return item;
  }

  /** The i-th oldest entry (0 = next to dequeue) without taking it; undefined beyond the last. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.used) return undefined;
    const j = this.head + i;
    return this.slots[j >= this.capacity ? j - this.capacity : j];
  }

  /** Consumer side: the oldest entry without taking it. */
  peek(): T | undefined {
    return this.used === 0 ? undefined : this.slots[this.head];
  }
}
