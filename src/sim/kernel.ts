/**
 * The discrete-event kernel: integer time, events ordered by (time, priority, sequence) so
 * that ties are deterministic, cancellable events, seeded per-component random streams and
 * probes. It knows nothing about devices, drivers or YAML.
 *
 * Hot path: events live in pooled slots (typed arrays), the agenda is a binary heap of slot
 * indices with back-pointers for O(log n) cancellation. Scheduling and firing allocate
 * nothing once the pool has grown to the run's high-water mark.
 */
import { Probes } from "./probe.js";
import { Rng, deriveSeed } from "./rng.js";
import type { SimTime } from "./time.js";

/** What an event does when it fires; `tag` is the integer given when it was scheduled. */
export type EventHandler = (tag: number) => void;

/** Opaque handle of a scheduled event: slot + generation, so a stale handle cancels nothing. */
export type EventId = number;

const GEN_MUL = 1 << 22; // slots < 4 M live events; generation in the high bits
/** Sequence numbers below 2^43, priorities 0..511: (priority, seq) packs exactly in a double. */
const PRIO_MUL = 2 ** 43;
export const MAX_PRIORITY = 511;

export class Simulator {
  /** Current simulated time (integer ps). */
  now: SimTime = 0;
  /** Events fired so far. */
  eventsFired = 0;
  readonly probes: Probes;

  private seq = 0;
  private stopped = false;

  // Slot pool.
  private cap: number;
  private time: Float64Array;
  private key: Float64Array; // priority * PRIO_MUL + seq
  private tag: Float64Array;
  private gen: Uint32Array;
  private pos: Int32Array; // heap position of slot, -1 when free
  private handler: (EventHandler | undefined)[];
  private free: Int32Array;
  private freeTop = 0;

  // Heap of slot indices.
  private heap: Int32Array;
  private size = 0;

  constructor(readonly seed = 1, initialCapacity = 1024) {
    this.cap = initialCapacity;
    this.time = new Float64Array(this.cap);
    this.key = new Float64Array(this.cap);
    this.tag = new Float64Array(this.cap);
    this.gen = new Uint32Array(this.cap);
    this.pos = new Int32Array(this.cap).fill(-1);
    this.handler = new Array(this.cap);
    this.free = new Int32Array(this.cap);
    for (let i = 0; i < this.cap; i++) this.free[i] = this.cap - 1 - i;
    this.freeTop = this.cap;
    this.heap = new Int32Array(this.cap);
    this.probes = new Probes(() => this.now);
  }

  /** A random stream for the component at `path`, independent of every other path. */
  rng(path: string): Rng {
    return new Rng(deriveSeed(this.seed, path));
  }

  /** Number of pending events. */
  get pending(): number {
    return this.size;
  }

  /** Schedule `fn(tag)` at absolute time `t` (integer, not before now). */
  at(t: SimTime, fn: EventHandler, tag = 0, priority = 0): EventId {
    if (t < this.now || !Number.isInteger(t)) {
      throw new Error(`bug: event scheduled at ${t}, now is ${this.now} (times are integer ps, never in the past)`);
    }
    if (this.freeTop === 0) this.grow();
    const s = this.free[--this.freeTop]!;
    this.time[s] = t;
    this.key[s] = priority * PRIO_MUL + this.seq++;
    this.tag[s] = tag;
    this.handler[s] = fn;
    this.siftUp(this.size++, s);
    return this.gen[s]! * GEN_MUL + s;
  }

  /** Schedule `fn(tag)` after `delay` (integer ps, ≥ 0). */
  after(delay: SimTime, fn: EventHandler, tag = 0, priority = 0): EventId {
    return this.at(this.now + delay, fn, tag, priority);
  }

  /** Cancel a pending event; false if it already fired or was cancelled. */
  cancel(id: EventId): boolean {
    const s = id % GEN_MUL;
    if (s >= this.cap || this.pos[s]! < 0 || this.gen[s] !== Math.floor(id / GEN_MUL)) return false;
    this.removeAt(this.pos[s]!);
    this.release(s);
    return true;
  }

  /** Whether `id` is still pending. */
  isPending(id: EventId): boolean {
    const s = id % GEN_MUL;
    return s < this.cap && this.pos[s]! >= 0 && this.gen[s] === Math.floor(id / GEN_MUL);
  }

  /** Time of the next event, or Infinity. */
  peekTime(): SimTime {
    return this.size > 0 ? this.time[this.heap[0]!]! : Infinity;
  }

  /** Stop `run` after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Fire events in order while the next one is at or before `until`. When the agenda runs
   * dry or `until` is reached (and nothing called stop), time advances to `until`.
   */
  run(until: SimTime = Infinity): void {
    this.stopped = false;
    const time = this.time;
    const heap = this.heap;
    while (this.size > 0 && !this.stopped) {
      const s = this.heap[0]!;
      const t = time[s]!;
      if (t > until) break;
      this.removeAt(0);
      const fn = this.handler[s]!;
      const tag = this.tag[s]!;
      this.release(s);
      this.now = t;
      this.eventsFired++;
      fn(tag);
    }
    void heap;
    if (!this.stopped && until !== Infinity && this.now < until) this.now = until;
  }

  private release(s: number): void {
    this.pos[s] = -1;
    this.handler[s] = undefined;
    this.gen[s] = (this.gen[s]! + 1) % 0x7fffffff;
    this.free[this.freeTop++] = s;
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && this.key[a]! < this.key[b]!);
  }

  private siftUp(i: number, s: number): void {
    const heap = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ps = heap[p]!;
      if (!this.less(s, ps)) break;
      heap[i] = ps;
      this.pos[ps] = i;
      i = p;
    }
    heap[i] = s;
    this.pos[s] = i;
  }

  private siftDown(i: number, s: number): void {
    const heap = this.heap;
    const n = this.size;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && this.less(heap[r]!, heap[c]!)) c = r;
      const cs = heap[c]!;
      if (!this.less(cs, s)) break;
      heap[i] = cs;
      this.pos[cs] = i;
      i = c;
    }
    heap[i] = s;
    this.pos[s] = i;
  }

  private removeAt(i: number): void {
    const last = this.heap[--this.size]!;
    if (i === this.size) return;
    const p = i > 0 ? this.heap[(i - 1) >> 1]! : -1;
    if (p >= 0 && this.less(last, p)) this.siftUp(i, last);
    else this.siftDown(i, last);
  }

  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    if (cap > GEN_MUL) throw new Error(`bug: more than ${GEN_MUL} pending events`);
    const f64 = (a: Float64Array) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.time = f64(this.time);
    this.key = f64(this.key);
    this.tag = f64(this.tag);
    const gen = new Uint32Array(cap);
    gen.set(this.gen);
    this.gen = gen;
    const pos = new Int32Array(cap).fill(-1);
    pos.set(this.pos);
    this.pos = pos;
    const heap = new Int32Array(cap);
    heap.set(this.heap);
    this.heap = heap;
    this.handler.length = cap;
    const free = new Int32Array(cap);
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.freeTop = cap - old;
    this.free = free;
    this.cap = cap;
  }
}
