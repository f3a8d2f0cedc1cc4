/**
 * Execution contexts and their programs.
 *
 * Everything the CPU executes is a *program*: a generator that yields commands, SimPy-style.
 * `yield cx.run(ps, "driver")` asks for a CPU burst of `ps` picoseconds charged to the class
 * "driver"; `BLOCK` (yielded by wait-queue helpers, never written by hand) gives up the CPU
 * until someone wakes the task. Composite operations (a system call, a semaphore down, a
 * read() on an IRQ file) are generator functions used with `yield*`, and return values.
 *
 * A burst is the unit of preemption: a higher-priority context suspends it (keeping the
 * time left) and it resumes later. State changes a program makes between bursts take
 * effect at the instant the previous burst ended.
 *
 * There are three kinds of context, matching the scheduler's priority levels:
 * hard IRQ > soft IRQ > task (kernel threads, then user processes by nice, then idle).
 */
import type { Probe } from "../../sim/probe.js";
import type { SimTime } from "../../sim/time.js";
import { activityIndex, type ActivityClass } from "./activity.js";

/**
 * The burst asked for with `run()` is already over: the CPU executed it during the call
 * (see `Context.run`). The program goes on; yielding it is allowed and costs only a resume.
 */
export const DONE = 0 as const;
/** A CPU burst was requested with `run()`: fields `reqPs`/`reqCls` hold it. */
export const RUN = 1 as const;
/** The task gives up the CPU until woken (it has already queued itself somewhere). */
export const BLOCK = 2 as const;
export type Command = typeof DONE | typeof RUN | typeof BLOCK;

/** What a context needs of the CPU that runs it: bursts done during `run()` (cpu.ts). */
export interface BurstExecutor {
  runInline(cx: Context, ps: SimTime, cls: number): boolean;
}

/** A program: yields commands, may return a value (`yield*` composes them). */
export type Program<R = void> = Generator<Command, R, void>;

/**
 * A program that does nothing: `yield* NOTHING` returns at once. For hot operations that
 * can tell, when called, that they have nothing to do, so that the common case costs no
 * generator (an allocation and a frame). One shared, finished generator: a finished
 * generator answers every next() with done, so it can be delegated to any number of times.
 */
export const NOTHING: Program = (function* (): Program {})();
NOTHING.next();

/**
 * Hand-written programs: iterators that `yield*` delegates to like any generator, for the
 * kernel's hottest primitives, where a generator would cost an allocation and a frame to
 * save and restore per call. Each is written as the generator it replaces would run, and
 * decides what it can when called (as NOTHING's users do: `yield* f()` runs `f`'s first
 * step at once, so nothing happens in between).
 */
export abstract class HandProgram<R> {
  abstract next(): IteratorResult<Command, R>;
  return(value: R): IteratorResult<Command, R> {
    return { value, done: true };
  }
  throw(e: unknown): never {
    throw e;
  }
  [Symbol.iterator](): this {
    return this;
  }
}

/** The results hand-written programs give `yield*`, which reads them at once and keeps none. */
const YIELD_BLOCK: IteratorYieldResult<Command> = { value: BLOCK, done: false };
export const YIELD_RUN: IteratorYieldResult<Command> = { value: RUN, done: false };

/**
 * `yield BLOCK` once, then return: the end of every sleep. One shared instance serves every
 * task: it is armed and yields at once (inside the same `yield*`), and a task resumed later
 * finds it disarmed and returns.
 */
class BlockOnce extends HandProgram<void> {
  private armed = false;
  private readonly finished: IteratorReturnResult<void> = { value: undefined, done: true };
  arm(): Program {
    this.armed = true;
    return this as unknown as Program;
  }
  next(): IteratorResult<Command, void> {
    if (!this.armed) return this.finished;
    this.armed = false;
    return YIELD_BLOCK;
  }
}
const BLOCK_ONCE = new BlockOnce();

/** A program that gives up the CPU until woken (the caller has queued the task somewhere). */
export function blockOnce(): Program {
  return BLOCK_ONCE.arm();
}

/**
 * A program that returns `value` at once, like NOTHING with a result. One shared instance:
 * `yield*` reads the value before anything can ask for another.
 */
class Returning extends HandProgram<unknown> {
  private readonly result: { value: unknown; done: true } = { value: undefined, done: true };
  of<R>(value: R): Program<R> {
    this.result.value = value;
    return this as unknown as Program<R>;
  }
  next(): IteratorResult<Command, unknown> {
    return this.result;
  }
}
const RETURNING = new Returning();

/** A program that returns `value` at once: `return returning(x)` from a decided-when-called operation. */
export function returning<R>(value: R): Program<R> {
  return RETURNING.of(value);
}

/**
 * A burst already asked for with `run()` (which returned RUN), then `then()`'s value: the
 * slow path of an operation whose burst could not run inline. Allocated only then.
 */
class AfterBurst<R> extends HandProgram<R> {
  private yielded = false;
  constructor(private readonly then: () => R) {
    super();
  }
  next(): IteratorResult<Command, R> {
    if (!this.yielded) {
      this.yielded = true;
      return YIELD_RUN;
    }
    return { value: this.then(), done: true };
  }
}

/**
 * `yield cx.run(ps, cls)` then `then()`, returning its value — without a generator when the
 * burst runs inline (Context.run returned DONE), the usual case:
 *   return burstThen(cx.run(ps, cls), () => this.take());
 * The burst must be asked for in the call itself (run() is called first, as the generator's
 * first statement would be).
 */
export function burstThen<R>(cmd: Command, then: () => R): Program<R> {
  if (cmd === DONE) return returning(then());
  return new AfterBurst(then) as unknown as Program<R>;
}

export const LEVEL_TASK = 0;
export const LEVEL_SOFT = 1;
export const LEVEL_HARD = 2;
export type Level = typeof LEVEL_TASK | typeof LEVEL_SOFT | typeof LEVEL_HARD;

export class Context {
  /** Burst asked for by the last `run()` and not yet taken by the CPU. */
  reqPs: SimTime = 0;
  reqCls = 0;
  reqPending = false;
  /** Time left of the burst in progress, ps (Infinity: runs until preempted; 0: needs a step). */
  remaining: SimTime = 0;
  /** Activity class index of the burst in progress. */
  cls = 0;
  /** The program being executed (hard and soft contexts get a new one per activation). */
  gen: Program | null = null;
  /**
   * Class charged for kernel primitives (semaphore, wake-up, mask) done in this context:
   * "irq" in a hard IRQ, "softirq" in a soft IRQ, "syscall" in a task.
   */
  kernelClass: ActivityClass;
  /** The CPU, once the context is attached to one (it may then run bursts during `run()`). */
  cpu: BurstExecutor | null = null;

  constructor(
    readonly level: Level,
    /** Core this context runs on (tasks are pinned: no migration). */
    readonly core: number,
    kernelClass: ActivityClass,
  ) {
    this.kernelClass = kernelClass;
  }

  /**
   * A CPU burst of `ps` picoseconds (integer ≥ 0, or Infinity for "until preempted")
   * charged to `cls`. Use as `yield cx.run(ps, cls)`, or, on hot paths,
   * `if (cx.run(ps, cls)) yield RUN;`.
   *
   * Returns RUN: the program must yield it, and resumes when the burst is over. Or DONE: the
   * burst is over already, because nothing could have happened during it — the CPU ran it
   * at once, moving the clock (`Cpu.runInline`, exact coalescing; never in reference mode).
   * Yielding DONE is harmless (the CPU resumes the program at once); not yielding it saves
   * the round trip through every `yield*` frame of the program.
   */
  run(ps: SimTime, cls: ActivityClass): Command {
    const idx = activityIndex(cls);
    if (this.reqPending || idx < 0 || !(ps >= 0) || (!Number.isInteger(ps) && ps !== Infinity)) badRun(this.reqPending, ps, cls);
    const cpu = this.cpu;
    if (cpu !== null && cpu.runInline(this, ps, idx)) return DONE;
    this.reqPs = ps;
    this.reqCls = idx;
    this.reqPending = true;
    return RUN;
  }
}

function badRun(pending: boolean, ps: SimTime, cls: string): never {
  if (pending) throw new Error(`bug: run() called twice without yield in between`);
  if (activityIndex(cls) < 0) throw new Error(`bug: unknown activity class ${String(cls)}`);
  throw new Error(`bug: burst of ${ps} ps (bursts are integer picoseconds ≥ 0)`);
}

export const TASK_READY = 0;
export const TASK_RUNNING = 1;
export const TASK_BLOCKED = 2;
export const TASK_EXITED = 3;
export type TaskState = typeof TASK_READY | typeof TASK_RUNNING | typeof TASK_BLOCKED | typeof TASK_EXITED;

/** An address space; identity is all that matters (switching into another one costs a refill). */
export class AddressSpace {
  constructor(readonly name: string) {}
}

/** Something a blocked task is queued on; killing the task removes it. */
export interface Waitable {
  remove(task: Task): void;
}

/** Something a task holds open; closed without CPU cost when the task dies (paper §3.1.1). */
export interface Closable {
  closeOnExit(task: Task): void;
}

export type TaskProgram = (self: Task) => Program;

/**
 * A process or kernel thread. Priority rank: lower runs first; kernel threads rank above
 * every user process (rank = nice − 1000), user processes by nice, the per-core swapper last.
 */
export class Task extends Context {
  state: TaskState = TASK_READY;
  /** Nesting depth of kernel mode (system calls); kernel threads are always in the kernel. */
  kernelDepth: number;
  /** Executing its switch-in prefix (a context_switch burst) before its own code. */
  switching = false;
  savedRemaining: SimTime = 0;
  savedCls = 0;
  /** Its own code holds the CPU (drives the `proc/<name>/run` probe). */
  onCpu = false;
  waitingOn: Waitable | null = null;
  readonly files = new Set<Closable>();
  /** Scheduling rank: lower runs first (see the class comment). */
  readonly rank: number;
  /** `proc/<name>/…` probes, set by the CPU when the task is created. */
  probes: TaskProbes | null = null;

  constructor(
    readonly pid: number,
    readonly name: string,
    core: number,
    readonly nice: number,
    readonly kernelThread: boolean,
    /** User address space; null for kernel threads and the swapper (lazy TLB keeps the last). */
    readonly mm: AddressSpace | null,
    readonly program: TaskProgram | null,
  ) {
    super(LEVEL_TASK, core, "syscall");
    this.kernelDepth = kernelThread ? 1 : 0;
    this.rank = program === null ? Infinity : kernelThread ? nice - 1000 : nice;
  }

  get alive(): boolean {
    return this.state !== TASK_EXITED;
  }
}

/** Per-task probes (arguments documented where they are emitted, in cpu.ts). */
export interface TaskProbes {
  readonly run: Probe;
  readonly wake: Probe;
  readonly block: Probe;
  readonly exit: Probe;
}
