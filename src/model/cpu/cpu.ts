/**
 * The CPU: cores, a preemptive priority scheduler and exact time accounting.
 *
 * Priority levels on each core, highest first (design §1):
 *   hard IRQ  — one at a time (handlers do not nest: Linux 2.6 runs them with the line
 *               masked and ia64 SA_INTERRUPT handlers with interrupts off); IRQs taken
 *               while one runs queue in arrival order;
 *   soft IRQ  — a pass over the pending soft IRQs, started when a hard IRQ returns (or a
 *               soft IRQ is raised from process context), preemptible by hard IRQs;
 *   tasks     — kernel threads, then user processes by nice (lower first, FIFO among
 *               equals), then the per-core swapper (the kernel's idle task).
 *
 * A running task is preempted by a better-ranked one only in user mode: the Linux 2.6.6
 * ia64 kernel the paper used is not preemptible (CONFIG_PREEMPT off, an estimate from the
 * era's defconfigs), so a task in a system call keeps the CPU until it returns or blocks.
 * `preemptibleKernel` lifts that. There is no time slicing among equal ranks (no scheduler
 * tick is modelled): equal tasks run until they block.
 *
 * Every change of the loaded task is a context switch, charged as a `context_switch` burst
 * at the start of the incoming task (plus `cache_refill` when it brings a different user
 * address space), including switches to and from the swapper and the idle-meter process.
 *
 * Accounting: on each core exactly one interval is open at any time, of the class of the
 * burst executing; closing it adds its length to that class and emits `cpu<N>/time`. Hence
 * the classes sum to elapsed time × cores exactly, in integer ps.
 *
 * Hot path: no allocation per burst; one simulator event per burst (none for bursts that
 * run until preempted, such as idle) — except that a burst which ends before anything
 * else can happen gets none either: when a burst ends and the core's next burst would end
 * before the next pending event, the CPU moves the clock there itself (Simulator.advanceTo)
 * and carries on, an exact coalescing (nothing can preempt or observe a burst that ends
 * before the next event). With the simulator in reference mode every burst is an event.
 */
import type { EventId, Simulator } from "../../sim/kernel.js";
import type { Probe } from "../../sim/probe.js";
import type { SimTime } from "../../sim/time.js";
import { ACTIVITY_CLASSES, ACTIVITY_COUNT, CONTEXT_SWITCH, IDLE, type ActivityClass } from "./activity.js";
import {
  BLOCK,
  Context,
  DONE,
  LEVEL_HARD,
  LEVEL_SOFT,
  LEVEL_TASK,
  RUN,
  Task,
  TASK_BLOCKED,
  TASK_EXITED,
  TASK_READY,
  TASK_RUNNING,
  type AddressSpace,
  type BurstExecutor,
  type Program,
  type TaskProgram,
} from "./context.js";

/** Something that interrupts a core: an IRQ line or the local timer. */
export interface HardIrqSource {
  /** Interrupt vector (IRQ line number), for probes. */
  readonly vector: number;
  /** True while queued on a core; a second raise before it is taken merges (edge coalescing). */
  queued: boolean;
  /** The whole hard-IRQ program: entry, handler, exit. */
  hardIrq(cx: Context): Program;
}

export interface CpuOptions {
  cores: number;
  /** Context switch, ps (cost `context_switch`). */
  contextSwitchPs: SimTime;
  /** Extra cost of switching into a different user address space, ps (cost `cache_refill`). */
  cacheRefillPs: SimTime;
  /** Allow a task in a system call to be preempted by a better-ranked task. Default false. */
  preemptibleKernel?: boolean;
}

/**
 * Per-core state. Shared by the CPU and the kernel layer (soft IRQ bits, ksoftirqd's
 * bottom-half flag); everything else observes a core through its probes.
 */
export class Core {
  readonly hardCx: Context;
  readonly softCx: Context;
  hardActive = false;
  softActive = false;
  readonly hardQueue: HardIrqSource[] = [];
  /** Soft IRQs raised and not yet run: bit i = soft IRQ number i. */
  softPending = 0;
  /** A hard IRQ returned (or process context raised a soft IRQ): run a soft IRQ pass. */
  softKick = false;
  /** ksoftirqd is inside a soft IRQ pass: no second pass at IRQ exit (in_interrupt()). */
  bhDisabled = false;

  /** Context whose burst executes (or is about to). */
  running: Context;
  /** Task owning process context (the swapper when nothing else is runnable). */
  task: Task;
  /** Task whose state is loaded; picking another one is a context switch. */
  loaded: Task;
  /** User address space loaded in the MMU (kept across kernel threads: lazy TLB). */
  mm: AddressSpace | null = null;
  /** Runnable tasks other than `task`, by rank, FIFO among equals. */
  readonly ready: Task[] = [];
  readonly swapper: Task;

  bursting = false;
  burstEnd: SimTime = 0;
  /** The burst's end event; -1 none; DEFERRED: not scheduled yet, its sequence number in `endSeq`. */
  endEvent: EventId = -1;
  endSeq = 0;
  /**
   * Start and class of the open accounting interval. (Initialised here, not only in the
   * constructor: a field first defined as undefined is stored tagged, and every store of a
   * time past 2^31 ps would then allocate a heap number — once per burst.)
   */
  stamp: SimTime = 0;
  openCls: number = IDLE;
  /** Closed accounting intervals per activity class, ps. */
  readonly acc = new Float64Array(ACTIVITY_COUNT);
  /** Kernel events (COUNT_*) counted in the CPU's counting window (Cpu.countEvent). */
  readonly counts = new Float64Array(COUNT_KINDS);
  dirty = false;

  readonly pTime: Probe;
  readonly pCtxsw: Probe;

  constructor(
    readonly index: number,
    sim: Simulator,
  ) {
    this.hardCx = new Context(LEVEL_HARD, index, "irq");
    this.softCx = new Context(LEVEL_SOFT, index, "softirq");
    this.swapper = new Task(0, `swapper${index}`, index, 0, true, null, null);
    this.swapper.state = TASK_RUNNING;
    this.swapper.remaining = Infinity;
    this.swapper.cls = IDLE;
    this.running = this.swapper;
    this.task = this.swapper;
    this.loaded = this.swapper;
    this.stamp = sim.now;
    this.pTime = sim.probes.get(`cpu${index}/time`);
    this.pCtxsw = sim.probes.get(`cpu${index}/ctxsw`);
  }
}

/**
 * Kernel events counted per core for the meters (KernelCounters), each where its probe is
 * emitted: a device interrupt taken (`cpu<N>/irq`), a user-level driver activation
 * (`cpu<N>/activation`), a context switch (`cpu<N>/ctxsw`), a system call (`cpu<N>/syscall`).
 */
export const COUNT_IRQ = 0;
export const COUNT_ACTIVATION = 1;
export const COUNT_CTXSW = 2;
export const COUNT_SYSCALL = 3;
export const COUNT_KINDS = 4;

/** `Core.endEvent` of a burst started by the core's own burst-end handler (see onBurstEnd). */
const DEFERRED = -2;

export class Cpu implements BurstExecutor {
  readonly cores: Core[];
  /** Time the CPU was created: accounting starts here. */
  readonly startTime: SimTime;
  /** Program of a soft IRQ pass, installed by the kernel. */
  softirqEntry: ((cx: Context) => Program) | null = null;
  readonly preemptibleKernel: boolean;

  private depth = 0;
  /** The core whose burst-end handler is settling it: a burst it starts is scheduled by that handler. */
  private tail: Core | null = null;
  /**
   * Take the exact shortcuts (a burst's end without an event, a step without a needless
   * `pick` or zero-length burst); off in the simulator's reference mode, which does every
   * step the long way (test/perf/reference.test.ts compares the two).
   */
  private readonly shortcuts: boolean;
  private stepping: Context | null = null;
  /** The context whose bursts may run during `run()` now (runInline); null when none may. */
  private inlineCx: Context | null = null;
  /** A kick since `inlineCx` was set (or last found still running). */
  private kicked = false;
  private nextPid = 1;
  private readonly onBurstEnd: (coreIndex: number) => void;
  /** The window [from, to) in which countEvent counts (set by the meters; empty by default). */
  private countFrom: SimTime = Infinity;
  private countTo: SimTime = -Infinity;

  constructor(
    readonly sim: Simulator,
    private readonly opts: CpuOptions,
  ) {
    if (!(Number.isInteger(opts.cores) && opts.cores >= 1)) throw new Error(`bug: ${opts.cores} cores`);
    this.cores = [];
    for (let i = 0; i < opts.cores; i++) {
      const core = new Core(i, sim);
      core.hardCx.cpu = this;
      core.softCx.cpu = this;
      this.cores.push(core);
    }
    this.startTime = sim.now;
    this.preemptibleKernel = opts.preemptibleKernel ?? false;
    // The swapper starts in an idle burst that lasts until something preempts it.
    for (const c of this.cores) c.bursting = true;
    // A burst ends: step the core's programs until it has a new burst. If that one ends
    // before any pending event (and the run may go on), nothing can happen before it ends:
    // advance the clock and end it here, without an event (see the file comment).
    this.shortcuts = !sim.reference;
    const coalesce = this.shortcuts;
    this.onBurstEnd = (coreIndex: number) => {
      const core = this.cores[coreIndex]!;
      core.endEvent = -1;
      for (;;) {
        core.bursting = false;
        this.charge(core);
        core.running.remaining = 0;
        this.tail = coalesce ? core : null;
        try {
          this.kick(core);
        } finally {
          this.tail = null;
        }
        if (core.endEvent !== DEFERRED) return;
        if (!sim.advanceTo(core.burstEnd)) {
          core.endEvent = sim.atTaken(core.burstEnd, this.onBurstEnd, coreIndex, core.endSeq);
          return;
        }
        core.endEvent = -1;
      }
    };
  }

  // ---------------------------------------------------------------- tasks

  /** Create a task and make it runnable on its core. */
  spawn(
    name: string,
    program: TaskProgram,
    core: number,
    nice: number,
    kernelThread: boolean,
    mm: AddressSpace | null,
  ): Task {
    if (!(Number.isInteger(core) && core >= 0 && core < this.cores.length)) {
      throw new Error(`bug: task ${name} pinned to core ${core} of ${this.cores.length}`);
    }
    const t = new Task(this.nextPid++, name, core, nice, kernelThread, mm, program);
    t.cpu = this;
    const probes = this.sim.probes;
    t.probes = {
      // a: 1 its own code starts executing, 0 it stops (preempted, blocked, exited); b: core.
      run: probes.get(`proc/${name}/run`),
      // a: core; b: 1 if it became runnable behind others (queued), 0 if it resumes at once.
      wake: probes.get(`proc/${name}/wake`),
      // a: core; b: 0.
      block: probes.get(`proc/${name}/block`),
      // a: core; b: 1 if killed, 0 if its program returned.
      exit: probes.get(`proc/${name}/exit`),
    };
    t.state = TASK_BLOCKED;
    this.makeRunnable(t);
    return t;
  }

  /** Make a blocked task runnable; false if it was not blocked. Costs are the caller's. */
  wake(t: Task): boolean {
    if (t.state !== TASK_BLOCKED) return false;
    t.waitingOn = null;
    this.makeRunnable(t);
    return true;
  }

  /** End a task now (killed, or its program returned). Its files close without CPU cost. */
  exit(t: Task, killed: boolean): void {
    if (t.state === TASK_EXITED) return;
    if (killed && this.stepping === t) throw new Error(`bug: task ${t.name} killed itself; return from its program instead`);
    const core = this.cores[t.core]!;
    if (t.state === TASK_READY) removeFrom(core.ready, t);
    if (t.waitingOn) {
      t.waitingOn.remove(t);
      t.waitingOn = null;
    }
    this.stopOnCpu(t);
    t.state = TASK_EXITED;
    t.gen = null;
    t.switching = false;
    const p = t.probes!.exit;
    if (p.active) p.emit(t.core, killed ? 1 : 0);
    for (const f of [...t.files]) f.closeOnExit(t);
    t.files.clear();
    this.kick(core);
  }

  private makeRunnable(t: Task): void {
    const core = this.cores[t.core]!;
    const p = t.probes!.wake;
    if (core.task === t) {
      // Woken before the core switched away from it (e.g. blocked, then an IRQ woke it).
      t.state = TASK_RUNNING;
      if (p.active) p.emit(t.core, 0);
    } else {
      t.state = TASK_READY;
      insertReady(core.ready, t, false);
      if (p.active) p.emit(t.core, 1);
    }
    this.kick(core);
  }

  /**
   * Whether a zero-length burst yielded now by `t` (its own code, stepping) — a preemption
   * point such as the return to user mode — could change what runs: a hard IRQ is queued, a
   * soft IRQ pass was asked for, or a better-ranked task is ready (the only things `pick`
   * looks at that can have changed while `t` ran). When none holds, the scheduler would step
   * `t` again at once and nothing else, so the program may skip the yield: the same
   * computation, one generator round trip fewer. Always true in the simulator's reference
   * mode, which keeps every step (test/perf/reference.test.ts compares the two).
   */
  reschedulePoint(t: Task): boolean {
    if (!this.shortcuts) return true;
    const core = this.cores[t.core]!;
    if (core.hardQueue.length > 0 || core.softKick) return true;
    const ready = core.ready;
    return ready.length > 0 && ready[0]!.rank < t.rank;
  }

  /**
   * A burst `cx` asks for with `run()`, done during the call when nothing could happen
   * before it ends (the burst-end coalescing of the file comment, one step earlier): the
   * program then goes on without yielding, saving the scheduler's step and the resume of
   * every `yield*` frame. Exact under the same conditions as the shortcut in `settle`:
   * - `cx` is the context being stepped by the burst-end handler of its own core (`tail`),
   *   not by a kick from some other handler, which may go on doing things at this instant;
   * - `pick` would choose `cx` again when the burst ends, and no other core is waiting to
   *   be settled at this instant (`keeps`). After a kick during the step (a wake-up, an
   *   interrupt, a soft IRQ raised) this is asked again, and the core's kick is then
   *   settled here, as `settle` would settle it before starting the burst;
   * - the burst ends strictly before every pending event, within the run's horizon
   *   (`Simulator.advanceTo`).
   * Then the reference run's burst — start (task `run` probe), sequence number taken for
   * its end event, end (`cpu<N>/time`), `pick`, step — is done here, in the same order.
   * Off in reference mode (`tail` is never set there).
   */
  runInline(cx: Context, ps: SimTime, cls: number): boolean {
    // `inlineCx` is set by `step` when the first two conditions hold; `kicked` says that
    // something `pick` looks at may have changed since (kick() is how it changes).
    if (this.inlineCx !== cx || ps === Infinity) return false;
    const core = this.tail!;
    if (this.kicked) {
      if (!this.keeps(core, cx)) return false;
      core.dirty = false;
      this.kicked = false;
    }
    // A zero-length burst is no burst: the reference steps `cx` again at once.
    if (ps === 0) return true;
    const sim = this.sim;
    if (core.stamp !== sim.now) this.charge(core); // (closed already by the burst-end handler)
    core.openCls = cls;
    if (cx.level === LEVEL_TASK) {
      const t = cx as Task;
      if (!t.onCpu) {
        // Its burst starts now (probe order as in startBurst; if the advance is refused,
        // startBurst finds it already emitted, at this same instant).
        t.onCpu = true;
        const p = t.probes!.run;
        if (p.active) p.emit(1, core.index);
      }
    }
    if (!sim.advanceTo(sim.now + ps)) return false;
    sim.takeSeq(); // the sequence number of the end event the reference schedules
    cx.cls = cls;
    // The burst ends: close its accounting interval (charge(), written out on this path).
    core.acc[cls]! += ps;
    core.stamp = sim.now;
    const p = core.pTime;
    if (p.active) p.emit(cls, ps); // a: activity class index, b: ps
    return true;
  }

  // ---------------------------------------------------------------- interrupts

  /** Queue a hard interrupt on `coreIndex`; merged if that source is already queued. */
  interrupt(coreIndex: number, src: HardIrqSource): void {
    if (src.queued) return;
    const core = this.cores[coreIndex]!;
    src.queued = true;
    core.hardQueue.push(src);
    this.kick(core);
  }

  /**
   * Mark soft IRQ `nr` pending on `coreIndex`. Raised from process context it runs before
   * the task's next burst (like netif_rx_ni()); from interrupt context it runs when the
   * hard IRQ returns, or in the soft IRQ pass already under way.
   */
  raiseSoftirq(coreIndex: number, nr: number, fromProcessContext: boolean): void {
    const core = this.cores[coreIndex]!;
    core.softPending |= 1 << nr;
    if (fromProcessContext && !core.bhDisabled) {
      core.softKick = true;
      this.kick(core);
    }
  }

  // ---------------------------------------------------------------- accounting

  /**
   * Count a kernel event of `kind` (COUNT_*) on `core` now, if now is in the counting
   * window. The meters' counters read these instead of listening to the four probes, which
   * fire several times per I/O (a listener is a call through the probe per event).
   */
  countEvent(core: number, kind: number): void {
    const now = this.sim.now;
    if (now >= this.countFrom && now < this.countTo) this.cores[core]!.counts[kind]!++;
  }

  /** Count kernel events in [from, to) from now on (one window per CPU: KernelCounters). */
  setCountWindow(from: SimTime, to: SimTime): void {
    if (this.countTo !== -Infinity) throw new Error(`bug: a second counting window on one CPU`);
    this.countFrom = from;
    this.countTo = to;
  }

  /** Close every core's open interval at the current time (emits `cpu<N>/time`). */
  sync(): void {
    for (const c of this.cores) this.charge(c);
  }

  /** Time charged to each class on `coreIndex` so far, including the open interval, ps. */
  accounted(coreIndex: number): Record<ActivityClass, SimTime> {
    const core = this.cores[coreIndex]!;
    const out = {} as Record<ActivityClass, SimTime>;
    ACTIVITY_CLASSES.forEach((c, i) => (out[c] = core.acc[i]!));
    out[ACTIVITY_CLASSES[core.openCls]!] += this.sim.now - core.stamp;
    return out;
  }

  /** Violations of the accounting identity and of scheduler state; empty when sound. */
  checkInvariants(): string[] {
    const errors: string[] = [];
    const elapsed = this.sim.now - this.startTime;
    for (const core of this.cores) {
      let sum = this.sim.now - core.stamp;
      for (let i = 0; i < ACTIVITY_COUNT; i++) {
        const v = core.acc[i]!;
        if (v < 0 || !Number.isInteger(v)) errors.push(`cpu${core.index}: ${ACTIVITY_CLASSES[i]} time ${v} ps is not a non-negative integer`);
        sum += v;
      }
      if (sum !== elapsed) {
        errors.push(`cpu${core.index}: CPU time accounted ${sum} ps ≠ elapsed ${elapsed} ps (off by ${sum - elapsed} ps)`);
      }
      for (const t of core.ready) {
        if (t.state !== TASK_READY) errors.push(`cpu${core.index}: ${t.name} is in the ready queue in state ${t.state}`);
      }
      for (let i = 1; i < core.ready.length; i++) {
        if (core.ready[i - 1]!.rank > core.ready[i]!.rank) errors.push(`cpu${core.index}: ready queue out of rank order`);
      }
      if (core.hardActive && core.running !== core.hardCx) errors.push(`cpu${core.index}: a hard IRQ is active but not running`);
    }
    return errors;
  }

  /**
   * Test hook: add `deltaPs` to one class on one core, so that tests can check that
   * `checkInvariants()` notices. Never call it from the model.
   */
  corruptAccountingForTest(coreIndex: number, cls: ActivityClass, deltaPs: SimTime): void {
    this.cores[coreIndex]!.acc[ACTIVITY_CLASSES.indexOf(cls)]! += deltaPs;
  }

  private charge(core: Core): void {
    const now = this.sim.now;
    const d = now - core.stamp;
    if (d === 0) return;
    core.acc[core.openCls]! += d;
    core.stamp = now;
    const p = core.pTime;
    if (p.active) p.emit(core.openCls, d); // a: activity class index, b: ps
  }

  // ---------------------------------------------------------------- dispatch

  /** Ask `core` to reconsider what it runs (now, or after the current step). */
  kick(core: Core): void {
    core.dirty = true;
    this.kicked = true;
    if (this.depth === 0) this.flush();
  }

  private flush(): void {
    this.depth++;
    try {
      const cores = this.cores;
      for (let again = true; again; ) {
        again = false;
        for (let i = 0; i < cores.length; i++) {
          const core = cores[i]!;
          if (core.dirty) {
            this.settle(core);
            again = true;
          }
        }
      }
    } finally {
      this.depth--;
    }
  }

  /** Step programs until `core` has a burst in progress for the context that should run. */
  private settle(core: Core): void {
    for (let guard = 0; ; guard++) {
      if (guard > 1_000_000) throw new Error(`bug: cpu${core.index} made a million zero-time steps at ${this.sim.now} ps`);
      core.dirty = false;
      const next = this.pick(core);
      if (next !== core.running) this.suspend(core, next);
      if (next.remaining === 0) {
        this.step(core, next);
        // The step asked for a burst, and nothing `pick` looks at can have changed since it
        // chose `next`: no kick (an interrupt, a wake-up, a soft IRQ raised, an exit), and no
        // better-ranked task ready that a change of preemptibility (kernel mode left) would
        // let in. `pick` would choose `next` again: start its burst without asking.
        if (next.remaining === 0 || core.dirty || !this.shortcuts) continue;
        if (next.level === LEVEL_TASK && core.ready.length > 0 && core.ready[0]!.rank < (next as Task).rank) continue;
      }
      if (!core.bursting) this.startBurst(core, next);
      return;
    }
  }

  /** What should run on `core` now (starting a hard IRQ, soft IRQ pass or switch as needed). */
  private pick(core: Core): Context {
    if (core.hardActive) return core.hardCx;
    if (core.hardQueue.length > 0) {
      const src = core.hardQueue.shift()!;
      src.queued = false;
      core.hardActive = true;
      core.hardCx.gen = src.hardIrq(core.hardCx);
      core.hardCx.remaining = 0;
      return core.hardCx;
    }
    if (core.softActive) return core.softCx;
    if (core.softKick) {
      core.softKick = false;
      if (core.softPending !== 0 && !core.bhDisabled && this.softirqEntry) {
        core.softActive = true;
        core.softCx.gen = this.softirqEntry(core.softCx);
        core.softCx.remaining = 0;
        return core.softCx;
      }
    }
    return this.pickTask(core);
  }

  private pickTask(core: Core): Task {
    const cur = core.task;
    const best = core.ready.length > 0 ? core.ready[0]! : null;
    if (cur.state === TASK_RUNNING) {
      if (best === null || best.rank >= cur.rank || !this.preemptible(core, cur)) return cur;
      if (cur !== core.swapper) {
        cur.state = TASK_READY;
        insertReady(core.ready, cur, true); // a preempted task keeps its place among equals
      }
    }
    let next: Task;
    if (best !== null) {
      core.ready.shift();
      next = best;
      next.state = TASK_RUNNING;
    } else {
      next = core.swapper;
    }
    core.task = next;
    if (next !== core.loaded) this.beginSwitch(core, next);
    return next;
  }

  private preemptible(core: Core, t: Task): boolean {
    if (t === core.swapper) return true;
    if (t.switching) return false; // schedule() finishes the switch, then looks again
    return t.kernelDepth === 0 || this.preemptibleKernel;
  }

  /** Put a `context_switch` burst in front of `next`'s own work. */
  private beginSwitch(core: Core, next: Task): void {
    let cost = this.opts.contextSwitchPs;
    if (next.mm !== null && next.mm !== core.mm) {
      cost += this.opts.cacheRefillPs;
      core.mm = next.mm;
    }
    const p = core.pCtxsw;
    if (p.active) p.emit(core.loaded.pid, next.pid); // a: pid switched from, b: pid switched to
    this.countEvent(core.index, COUNT_CTXSW);
    core.loaded = next;
    // A task left in the middle of its switch-in (only the swapper can be: it is always
    // preemptible) still has its own burst saved; keep that, not the switch's leftover.
    if (!next.switching) {
      next.savedRemaining = next.remaining;
      next.savedCls = next.cls;
    }
    next.switching = true;
    next.remaining = cost;
    next.cls = CONTEXT_SWITCH;
  }

  /** Take the CPU from `core.running` (keeping its burst's time left) and give it to `next`. */
  private suspend(core: Core, next: Context): void {
    const prev = core.running;
    if (core.bursting) {
      this.charge(core);
      if (core.endEvent >= 0) {
        this.sim.cancel(core.endEvent);
        prev.remaining = core.burstEnd - this.sim.now;
      }
      // A DEFERRED burst started at this same instant: its time left is all of it.
      core.endEvent = -1;
      core.bursting = false;
    }
    if (prev.level === LEVEL_TASK) this.stopOnCpu(prev as Task);
    core.running = next;
  }

  private startBurst(core: Core, cx: Context): void {
    this.charge(core);
    core.openCls = cx.cls;
    core.bursting = true;
    if (cx.remaining !== Infinity) {
      core.burstEnd = this.sim.now + cx.remaining;
      if (this.tail === core) {
        // Scheduled (or done without an event) by the burst-end handler settling this core,
        // with the sequence number the event takes here in the reference run.
        core.endSeq = this.sim.takeSeq();
        core.endEvent = DEFERRED;
      } else {
        core.endEvent = this.sim.at(core.burstEnd, this.onBurstEnd, core.index);
      }
    }
    if (cx.level === LEVEL_TASK) {
      const t = cx as Task;
      if (!t.switching && !t.onCpu) {
        t.onCpu = true;
        const p = t.probes?.run;
        if (p?.active) p.emit(1, core.index);
      }
    }
  }

  private stopOnCpu(t: Task): void {
    if (!t.onCpu) return;
    t.onCpu = false;
    const p = t.probes?.run;
    if (p?.active) p.emit(0, t.core);
  }

  /**
   * Whether `pick` would choose `cx`, running on `core`, again now — without changing
   * anything, unlike pick — and no other core needs settling at this instant. A task with a
   * better-ranked task ready is not kept even if it is in the kernel now: it may return to
   * user mode (become preemptible) later in the same step, with no kick to say so.
   */
  private keeps(core: Core, cx: Context): boolean {
    const cores = this.cores;
    for (let i = 0; i < cores.length; i++) if (cores[i] !== core && cores[i]!.dirty) return false;
    if (cx.level === LEVEL_HARD) return true; // (a hard IRQ runs to its end)
    if (core.hardQueue.length > 0) return false;
    if (cx.level === LEVEL_SOFT) return true;
    if (core.softKick) return false; // (a soft IRQ pass may start: let pick decide)
    const t = cx as Task;
    const ready = core.ready;
    return core.task === t && t.state === TASK_RUNNING && !(ready.length > 0 && ready[0]!.rank < t.rank);
  }

  /** Advance `cx`'s program to its next command. */
  private step(core: Core, cx: Context): void {
    if (cx.level === LEVEL_TASK) {
      const t = cx as Task;
      if (t.switching) {
        // The switch-in prefix is over: continue the burst it was put in front of.
        t.switching = false;
        t.remaining = t.savedRemaining;
        t.cls = t.savedCls;
        if (t.remaining !== 0) return;
      }
      if (t.gen === null) {
        if (t.program === null) throw new Error(`bug: the swapper was stepped`);
        t.gen = t.program(t);
      }
    }
    const gen = cx.gen;
    if (gen === null) throw new Error(`bug: cpu${core.index} stepped a context with no program`);
    this.stepping = cx;
    // Its bursts may run during run() (runInline) if it is stepped by its own core's
    // burst-end handler, with no core left to settle at this instant and no better-ranked
    // task ready: then `pick` would choose it again when each burst ends, until a kick.
    this.inlineCx = this.tail === core && this.depth === 1 && !core.dirty && this.keeps(core, cx) ? cx : null;
    this.kicked = false;
    let r: IteratorResult<unknown, unknown>;
    try {
      // A DONE yielded is a burst already over (Context.run): resume at once.
      do r = gen.next();
      while (r.value === DONE && !r.done);
    } finally {
      this.stepping = null;
      this.inlineCx = null;
    }
    if (r.done) {
      if (cx.reqPending) throw new Error(`bug: program ended with a run() that was not yielded`);
      cx.gen = null;
      if (cx.level === LEVEL_HARD) {
        core.hardActive = false;
        // irq_exit(): run soft IRQs unless a soft IRQ pass is already under way below us.
        if (!core.softActive && !core.bhDisabled) core.softKick = true;
      } else if (cx.level === LEVEL_SOFT) {
        core.softActive = false;
      } else {
        this.exit(cx as Task, false);
      }
      return;
    }
    if (r.value === RUN) {
      if (!cx.reqPending) throw new Error(`bug: RUN yielded without run()`);
      cx.reqPending = false;
      cx.remaining = cx.reqPs;
      cx.cls = cx.reqCls;
      return;
    }
    if (r.value === BLOCK) {
      if (cx.level !== LEVEL_TASK) throw new Error(`bug: an interrupt handler tried to sleep`);
      if (cx.reqPending) throw new Error(`bug: blocked with a run() that was not yielded`);
      const t = cx as Task;
      t.state = TASK_BLOCKED;
      this.stopOnCpu(t);
      const p = t.probes!.block;
      if (p.active) p.emit(t.core, 0);
      return;
    }
    throw new Error(`bug: a program yielded ${String(r.value)}; yield cx.run(…) or use the kernel's helpers`);
  }
}

/** Insert by rank; `front` puts `t` before its equals (preempted), else after (woken). */
function insertReady(ready: Task[], t: Task, front: boolean): void {
  // From the back, shifting the worse-ranked up one place (no splice: it allocates).
  const rank = t.rank;
  let i = ready.length;
  ready.push(t);
  while (i > 0) {
    const r = ready[i - 1]!.rank;
    if (front ? r < rank : r <= rank) break;
    ready[i] = ready[i - 1]!;
    i--;
  }
  ready[i] = t;
}

function removeFrom<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}
