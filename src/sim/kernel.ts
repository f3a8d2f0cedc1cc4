/**
 * The discrete-event kernel: integer time, events ordered by (time, priority, sequence) so
 * that ties are deterministic, cancellable events, seeded per-component random streams and
 * probes. It knows nothing about devices, drivers or YAML.
 *
 * Hot path (measured by `npm run bench`, figure engine_events_per_s):
 * - Events live in pooled slots (typed arrays); scheduling and firing allocate nothing once
 *   the pool has grown to the run's high-water mark. That includes V8's hidden allocations:
 *   a double outside the small-integer range (any time past 2.1 µs) is boxed on the heap
 *   when it is passed to or returned from a call that V8 does not inline, so public methods
 *   store times in typed arrays at once and the helpers take slot numbers and positions.
 * - The agenda is a 4-ary min-heap held as two parallel arrays indexed by heap position
 *   (event time, slot): comparisons read times without going through the slot, and the
 *   heap is half as deep as a binary one.
 * - Removal walks the hole down to a leaf along the smallest children, chosen branch-free,
 *   then lets the entry that fills it rise (Floyd's bottom-up method).
 * - Deferred pop: the event being fired stays at the heap root, dead, while its handler
 *   runs. The handler's first `at`/`after` overwrites the root and sinks once, instead of a
 *   removal plus an insertion; if the handler schedules nothing, the root is removed after
 *   it returns.
 * - Lazy cancellation: `cancel` marks the event and leaves it in the heap, to be dropped
 *   when it reaches the root; the heap is rebuilt without cancelled events whenever they
 *   make up more than half of it, so the heap holds at most 2 × pending + 64 entries. This
 *   keeps position back-pointers, and their upkeep, out of every sift.
 * Every entry point that could observe a dead or cancelled root settles it first, so none
 * of this is visible to callers.
 *
 * Exact coalescing (design §1): a model whose handler would schedule one more event of its
 * own may instead move the clock there and carry on (`advanceTo`), when that event would
 * be the very next to fire: nothing can happen in between, so nothing can observe or
 * preempt the difference. It takes its sequence number when the reference run would
 * (`takeSeq`), so that, when it does need the event after all (`atTaken`), every tie is
 * broken as in the reference run. A simulator made with `reference: true` refuses every
 * advance: one event per step, the reference that tests compare traces against.
 */
import { Probes } from "./probe.js";
import { Rng, deriveSeed } from "./rng.js";
import type { SimTime } from "./time.js";

/** What an event does when it fires; `tag` is the number given when it was scheduled. */
export type EventHandler = (tag: number) => void;

/** Opaque handle of a scheduled event: slot + generation, so a stale handle cancels nothing. */
export type EventId = number;

/** Slots below 2^22 (4 M events in the heap); the generation (< 2^31) sits above: ids < 2^53. */
const GEN_MUL = 2 ** 22;
const GEN_MASK = 0x7fffffff;
/** Sequence numbers below 2^43 and priorities 0..511, so priority * 2^43 + seq is exact. */
const PRIO_MUL = 2 ** 43;
/** Priorities are integers 0..MAX_PRIORITY; at equal times the smaller priority fires first. */
export const MAX_PRIORITY = 511;
/** Cancelled events tolerated in the heap before a rebuild is worth its O(n) pass. */
const MIN_COMPACT = 64;

export interface SimulatorOptions {
  /**
   * Per-event reference mode: every exact coalescing is off (`advanceTo` always refuses), so
   * each step of every model is an event of its own. Results and probe traces are identical
   * either way (test/perf/reference.test.ts); only the number of events differs.
   */
  reference?: boolean;
}

export class Simulator {
  /** Current simulated time (integer ps). Read it; only the kernel moves it. */
  now: SimTime = 0;
  /** Events fired so far. */
  eventsFired = 0;
  /** Events a model did without one: clock advances granted by `advanceTo`. */
  eventsCoalesced = 0;
  readonly probes: Probes;
  /** Reference mode (SimulatorOptions): no coalescing. */
  readonly reference: boolean;

  private seq = 0;
  private stopped = false;
  /** Horizon of the `run` in progress (-Infinity outside one): no advance beyond it. */
  private horizon = -Infinity;
  private cap: number;

  // Slot pool, indexed by slot. A slot is pending while its handler is set; firing or
  // cancelling clears the handler and bumps the generation, which retires the event's id.
  private slotTime: Float64Array; // also in heapTime; here so helpers pass slots only
  private slotKey: Float64Array; // priority * PRIO_MUL + seq: the order among equal times
  private slotTag: Float64Array;
  private slotGen: Uint32Array;
  private slotHandler: (EventHandler | undefined)[];
  private free: Int32Array; // stack of free slots
  private freeTop: number;

  // 4-ary min-heap on (time, slotKey[slot]), indexed by heap position; children of i are
  // 4i+1..4i+4. Positions at and beyond `size` hold time +Infinity, so the descent reads
  // all four children of the last parent without asking which exist (hence cap + 4
  // entries), and an empty heap peeks Infinity.
  private heapTime: Float64Array;
  private heapSlot: Int32Array;
  private size = 0;
  /** Cancelled events still in the heap. */
  private cancelled = 0;
  /** The root is the event now firing, already released (see the file comment). */
  private rootDead = false;

  constructor(
    readonly seed = 1,
    initialCapacity = 1024,
    opts: SimulatorOptions = {},
  ) {
    this.reference = opts.reference ?? false;
    const cap = Math.max(1, Math.floor(initialCapacity));
    this.cap = cap;
    this.slotTime = new Float64Array(cap);
    this.slotKey = new Float64Array(cap);
    this.slotTag = new Float64Array(cap);
    this.slotGen = new Uint32Array(cap);
    this.slotHandler = new Array<EventHandler | undefined>(cap).fill(undefined);
    this.free = new Int32Array(cap);
    // Lowest slot on top of the stack, so slots are handed out 0, 1, 2, ...
    for (let i = 0; i < cap; i++) this.free[i] = cap - 1 - i;
    this.freeTop = cap;
    this.heapTime = new Float64Array(cap + 4).fill(Infinity);
    this.heapSlot = new Int32Array(cap + 4);
    this.probes = new Probes(() => this.now);
  }

  /** A random stream for the component at `path`, independent of every other path. */
  rng(path: string): Rng {
    return new Rng(deriveSeed(this.seed, path));
  }

  /** Number of pending events. */
  get pending(): number {
    return this.size - this.cancelled - (this.rootDead ? 1 : 0);
  }

  /**
   * Schedule `fn(tag)` at absolute time `t` (integer ps, not before now). At equal times
   * the smaller `priority` (integer 0..MAX_PRIORITY) fires first, then the earlier scheduled.
   */
  at(t: SimTime, fn: EventHandler, tag = 0, priority = 0): EventId {
    if (t < this.now || !Number.isInteger(t)) this.badTime(t);
    if (priority !== 0) this.checkPriority(priority);
    const s = this.take(fn, tag, priority);
    this.slotTime[s] = t;
    this.insert(s);
    return this.slotGen[s]! * GEN_MUL + s;
  }

  /** Schedule `fn(tag)` after `delay` (integer ps, ≥ 0). */
  after(delay: SimTime, fn: EventHandler, tag = 0, priority = 0): EventId {
    // Not a call to at(): the sum would cross a call boxed (see the file comment), and a
    // small body lets V8 inline this into the model's handler.
    const t = this.now + delay;
    if (!(delay >= 0) || !Number.isInteger(t)) this.badTime(t);
    if (priority !== 0) this.checkPriority(priority);
    const s = this.take(fn, tag, priority);
    this.slotTime[s] = t;
    this.insert(s);
    return this.slotGen[s]! * GEN_MUL + s;
  }

  /** Cancel a pending event; false if it already fired or was cancelled. */
  cancel(id: EventId): boolean {
    if (!this.isPending(id)) return false;
    const s = id % GEN_MUL;
    this.slotHandler[s] = undefined;
    this.slotGen[s] = (this.slotGen[s]! + 1) & GEN_MASK;
    if (++this.cancelled >= MIN_COMPACT && 2 * this.cancelled > this.size) this.compact();
    return true;
  }

  /** Whether `id` is still pending. */
  isPending(id: EventId): boolean {
    const s = id % GEN_MUL;
    // A slot out of range or fractional reads undefined from both arrays.
    return this.slotGen[s] === (id - s) / GEN_MUL && this.slotHandler[s] !== undefined;
  }

  /** Time of the next event, or Infinity when none is pending. */
  peekTime(): SimTime {
    this.settle();
    return this.heapTime[0]!;
  }

  /**
   * The sequence number an event scheduled now would get, taken now for a later `atTaken`
   * (see the file comment). Cheap: a counter.
   */
  takeSeq(): number {
    return this.seq++;
  }

  /** `at(t, fn, tag)` (priority 0) with the sequence number taken earlier by `takeSeq`. */
  atTaken(t: SimTime, fn: EventHandler, tag: number, seq: number): EventId {
    if (t < this.now || !Number.isInteger(t)) this.badTime(t);
    if (this.freeTop === 0) this.grow();
    const s = this.free[--this.freeTop]!;
    this.slotKey[s] = seq;
    this.slotTag[s] = tag;
    this.slotHandler[s] = fn;
    this.slotTime[s] = t;
    this.insert(s);
    return this.slotGen[s]! * GEN_MUL + s;
  }

  /**
   * Exact coalescing, from inside a handler: move the clock to `t` without an event, if an
   * event of priority 0 scheduled now for `t` would be the next to fire — `t` strictly
   * before every pending event (a cancelled one still counts: the test stays cheap and
   * errs on the side of an event), within the horizon of the run in progress, and nobody
   * called `stop`. Returns false, changing nothing, otherwise and always in reference mode.
   * The caller then does at once what that event's handler would have done.
   */
  advanceTo(t: SimTime): boolean {
    if (this.reference || this.stopped || !(t <= this.horizon)) return false;
    const h = this.heapTime;
    let next: number;
    if (this.rootDead) {
      // The root is the event firing now: the next one is the smallest of its children
      // (positions past the end hold +Infinity).
      const a = h[1]! < h[2]! ? h[1]! : h[2]!;
      const b = h[3]! < h[4]! ? h[3]! : h[4]!;
      next = a < b ? a : b;
    } else {
      next = h[0]!;
    }
    if (!(t < next)) return false;
    if (t < this.now || !Number.isInteger(t)) this.badTime(t);
    this.now = t;
    this.eventsCoalesced++;
    return true;
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
    // A handler that threw may have left its root dead.
    if (this.rootDead) this.dropRoot();
    this.horizon = until;
    try {
      this.loop(until);
    } finally {
      this.horizon = -Infinity;
    }
    if (!this.stopped && until !== Infinity && this.now < until) this.now = until;
  }

  private loop(until: SimTime): void {
    // heapTime[0] is +Infinity when the heap is empty, so only a run without a horizon
    // needs the size test.
    for (;;) {
      const t = this.heapTime[0]!;
      if (t > until || this.size === 0) break;
      const s = this.heapSlot[0]!;
      const fn = this.slotHandler[s];
      if (fn === undefined) {
        this.dropCancelledRoot();
        continue;
      }
      const tag = this.slotTag[s]!;
      this.slotHandler[s] = undefined; // drop the closure: a fired event keeps nothing alive
      this.slotGen[s] = (this.slotGen[s]! + 1) & GEN_MASK;
      this.free[this.freeTop++] = s;
      this.rootDead = true;
      this.now = t;
      this.eventsFired++;
      fn(tag);
      if (this.rootDead) this.dropRoot();
      if (this.stopped) break;
    }
  }

  private badTime(t: number): never {
    throw new Error(`bug: event scheduled at ${t}, now is ${this.now} (times are integer ps, never in the past)`);
  }

  private checkPriority(priority: number): void {
    if (!(priority > 0 && priority <= MAX_PRIORITY && Number.isInteger(priority))) {
      throw new Error(`bug: event priority ${priority} is not an integer in 0..${MAX_PRIORITY}`);
    }
  }

  /** A free slot, filled with the handler, tag and (priority, seq) key. */
  private take(fn: EventHandler, tag: number, priority: number): number {
    if (this.freeTop === 0) this.grow();
    const s = this.free[--this.freeTop]!;
    this.slotKey[s] = priority * PRIO_MUL + this.seq++;
    this.slotTag[s] = tag;
    this.slotHandler[s] = fn;
    return s;
  }

  /** Put slot `s` (its time already in slotTime) into the heap. */
  private insert(s: number): void {
    if (this.rootDead) {
      // Take the firing event's place at the root: one sift instead of a pop and a push.
      this.rootDead = false;
      this.sink(0, s);
    } else {
      this.rise(this.size++, s);
    }
  }

  /** Remove the dead root, and cancelled events that surface at the root. */
  private settle(): void {
    if (this.rootDead) this.dropRoot();
    while (this.size > 0 && this.slotHandler[this.heapSlot[0]!] === undefined) this.dropCancelledRoot();
  }

  private dropRoot(): void {
    this.rootDead = false;
    const n = --this.size;
    const last = this.heapSlot[n]!;
    this.heapTime[n] = Infinity; // keep the sentinel
    if (n > 0) this.sink(0, last);
  }

  private dropCancelledRoot(): void {
    this.free[this.freeTop++] = this.heapSlot[0]!;
    this.cancelled--;
    this.dropRoot();
  }

  /** Move the hole at heap position `i` up until slot `s` fits there, and put it there. */
  private rise(i: number, s: number): void {
    const t = this.slotTime[s]!;
    const time = this.heapTime;
    const slot = this.heapSlot;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const tp = time[p]!;
      // Equal times are rare in timed models, so the key is read only then.
      if (t > tp || (t === tp && this.slotKey[s]! > this.slotKey[slot[p]!]!)) break;
      time[i] = tp;
      slot[i] = slot[p]!;
      i = p;
    }
    time[i] = t;
    slot[i] = s;
  }

  /**
   * Fill the hole at heap position `i` with slot `s`, which is not less than the parent of
   * `i`: walk the hole down to a leaf along the smallest children, then let `s` rise from
   * there. The entry usually belongs near the bottom, so this saves the comparison with it
   * at every level that the textbook sift-down makes. Keys are unique (the sequence number),
   * so the order of events never depends on the heap's shape.
   */
  private sink(i: number, s: number): void {
    const time = this.heapTime;
    const slot = this.heapSlot;
    const key = this.slotKey;
    const n = this.size;
    for (;;) {
      const c = 4 * i + 1;
      if (c >= n) break;
      // Branch-free choice of the smallest child (a tournament of two pairs): which child
      // wins is a coin toss that a branch predictor cannot learn; making the choice
      // arithmetic measured about +25 % events/s. Equal times are rare, so that test is well
      // predicted, and only then is the key read. Children beyond `size` are +Infinity.
      const t0 = time[c]!;
      const t1 = time[c + 1]!;
      const t2 = time[c + 2]!;
      const t3 = time[c + 3]!;
      const a = c + (t0 === t1 ? +(key[slot[c + 1]!]! < key[slot[c]!]!) : +(t1 < t0));
      const b = c + 2 + (t2 === t3 ? +(key[slot[c + 3]!]! < key[slot[c + 2]!]!) : +(t3 < t2));
      const ta = time[a]!;
      const tb = time[b]!;
      const m = a + (b - a) * (ta === tb ? +(key[slot[b]!]! < key[slot[a]!]!) : +(tb < ta));
      time[i] = time[m]!;
      slot[i] = slot[m]!;
      i = m;
    }
    // Let `s` rise from the leaf (rise(), written out: the times are at hand).
    const t = this.slotTime[s]!;
    while (i > 0) {
      const p = (i - 1) >> 2;
      const tp = time[p]!;
      if (t > tp || (t === tp && key[s]! > key[slot[p]!]!)) break;
      time[i] = tp;
      slot[i] = slot[p]!;
      i = p;
    }
    time[i] = t;
    slot[i] = s;
  }

  /** Rebuild the heap without its cancelled events, freeing their slots. */
  private compact(): void {
    if (this.rootDead) this.dropRoot();
    const slot = this.heapSlot;
    const n = this.size;
    this.size = 0;
    for (let k = 0; k < n; k++) {
      const s = slot[k]!;
      if (this.slotHandler[s] === undefined) {
        this.free[this.freeTop++] = s;
      } else {
        // Re-insert in array order: position k is free, as size <= k.
        this.rise(this.size++, s);
      }
    }
    this.heapTime.fill(Infinity, this.size, n);
    this.cancelled = 0;
  }

  private grow(): void {
    const old = this.cap;
    const cap = old * 2;
    if (cap > GEN_MUL) throw new Error(`bug: more than ${GEN_MUL} events in the heap`);
    const f64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.slotTime = f64(this.slotTime);
    this.slotKey = f64(this.slotKey);
    this.slotTag = f64(this.slotTag);
    const gen = new Uint32Array(cap);
    gen.set(this.slotGen);
    this.slotGen = gen;
    for (let i = old; i < cap; i++) this.slotHandler.push(undefined);
    const heapTime = new Float64Array(cap + 4).fill(Infinity);
    heapTime.set(this.heapTime.subarray(0, this.size));
    this.heapTime = heapTime;
    const heapSlot = new Int32Array(cap + 4);
    heapSlot.set(this.heapSlot);
    this.heapSlot = heapSlot;
    // grow() runs only when every slot is taken, so the free stack holds just the new ones.
    const free = new Int32Array(cap);
    for (let i = 0; i < cap - old; i++) free[i] = cap - 1 - i;
    this.freeTop = cap - old;
    this.free = free;
    this.cap = cap;
  }
}
