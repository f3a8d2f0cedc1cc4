/**
 * The kernel facade: what devices, drivers and workloads build on.
 *
 *   const k = new Kernel(sim, machine);
 *   const app = k.spawn("bench", function* (self) {
 *     for (;;) {
 *       yield self.run(k.cost("syscall_entry"), "application");
 *       yield* k.syscall(self, disk.read(self, bytes));   // block until the I/O completes
 *     }
 *   });
 *
 * It owns the CPU (cores, scheduler, accounting) and the kernel mechanisms of paper §3:
 * IRQ lines with in-kernel ISRs or user-level delivery (IRQ files, signals), soft IRQs,
 * kernel timers, wait queues and semaphores, shared-memory rings, system calls. Costs come
 * from the machine's cost table (seconds in the normalised scenario, integer ps here) and
 * are charged where they happen.
 */
import { type CostName, type IrqDelivery, type MachineModel } from "../../dsl/normalised.js";
import type { Simulator } from "../../sim/kernel.js";
import type { Probe } from "../../sim/probe.js";
import type { SimTime } from "../../sim/time.js";
import {
  AddressSpace,
  COUNT_SYSCALL,
  CostTable,
  costRecord,
  Cpu,
  HandProgram,
  LEVEL_TASK,
  RUN,
  YIELD_RUN,
  type ActivityClass,
  type Command,
  type Context,
  type Program,
  type Task,
  type TaskProgram,
} from "../cpu/index.js";
import { DmaMappings } from "./dma.js";
import { IrqFile, SignalIrq, type UserIrq } from "./irq-file.js";
import { IrqLine, IsrHandler, type Isr } from "./irq.js";
import { Registration } from "./registration.js";
import { SpscRing } from "./ring.js";
import { LINUX_SOFTIRQ_RESTARTS, SoftirqSystem, type SoftIrq, type SoftirqHandler } from "./softirq.js";
import { Semaphore, WaitQueue } from "./sync.js";
import { KernelTimer, LocalTimer, type TimerCallback } from "./timer.js";

export interface KernelOptions {
  /** Let a better-ranked task preempt one in a system call (default false: Linux 2.6.6 ia64). */
  preemptibleKernel?: boolean;
  /** Soft IRQ passes at one IRQ exit before deferring to ksoftirqd (default 10, Linux 2.6.6). */
  softirqRestarts?: number;
}

export interface SpawnOptions {
  /** Nice priority: lower runs first (default 0). */
  nice?: number;
  /** A kernel thread: ranks above every user process, no user address space. */
  kernelThread?: boolean;
  /** Core the task is pinned to (default 0). */
  core?: number;
  /** Run in this task's address space (a thread); default: a new address space. */
  shareAddressSpaceWith?: Task;
}

/** Why and when the kernel crashed. */
export interface Panic {
  /** Simulated time of the crash, ps. */
  at: SimTime;
  why: string;
}

export class Kernel {
  readonly cpu: Cpu;
  /** Set when the kernel crashed (an in-kernel driver fault); the simulation stops then. */
  panicked: Panic | null = null;
  /** Where a task that took a fatal signal waits for the kernel to end it (nobody wakes it). */
  private readonly limbo: WaitQueue;
  /** Tasks whose own code faulted while they were in the kernel: they die on return to user mode. */
  private readonly faultPending = new Set<Task>();
  private readonly pPanic: Probe;
  readonly costs: CostTable;
  private readonly costPs: Readonly<Record<CostName, SimTime>>;
  /** The same by name for `cost(name)`: a Map lookup is several times faster than an object's keyed one. */
  private readonly costByName: ReadonlyMap<CostName, SimTime>;
  private readonly lines = new Map<number, IrqLine>();
  private readonly isrHandlers = new Map<number, IsrHandler>();
  private readonly softirqs: SoftirqSystem;
  private readonly localTimers: LocalTimer[] = [];
  /** The timer soft IRQ (number 0: runs first in a pass, like Linux's HI/TIMER order). */
  readonly timerSoftirq: SoftIrq;
  private readonly taskNames = new Set<string>();
  private readonly pSyscall: Probe[] = [];

  constructor(
    readonly sim: Simulator,
    readonly machine: MachineModel,
    opts: KernelOptions = {},
  ) {
    this.costs = new CostTable(machine);
    this.costPs = costRecord((name) => this.costs.get(name)); // one piece: a fast-mode object (costs.ts)
    this.costByName = new Map(Object.entries(this.costPs) as [CostName, SimTime][]);
    this.cpu = new Cpu(sim, {
      cores: machine.cores,
      contextSwitchPs: this.costs.get("context_switch"),
      cacheRefillPs: this.costs.get("cache_refill"),
      preemptibleKernel: opts.preemptibleKernel ?? false,
    });
    for (let c = 0; c < machine.cores; c++) {
      this.localTimers.push(new LocalTimer(this, c));
      this.pSyscall.push(sim.probes.get(`cpu${c}/syscall`));
    }
    this.limbo = new WaitQueue(this, "limbo");
    this.pPanic = sim.probes.get("kernel/panic");
    this.softirqs = new SoftirqSystem(this, opts.softirqRestarts ?? LINUX_SOFTIRQ_RESTARTS);
    this.timerSoftirq = this.softirqs.register("timer", (cx) => this.localTimers[cx.core]!.runExpired(cx));
  }

  get coreCount(): number {
    return this.cpu.cores.length;
  }

  // ---------------------------------------------------------------- costs

  /** One occurrence of a primitive, integer ps. */
  cost(name: CostName): SimTime {
    return this.costByName.get(name)!;
  }

  /** A burst reading `count` device registers (uncached MMIO/PIO): `yield k.regRead(cx)`. */
  regRead(cx: Context, count = 1, cls: ActivityClass = "driver"): Command {
    return cx.run(count * this.costPs.reg_read, cls);
  }

  /** A burst writing `count` device registers. */
  regWrite(cx: Context, count = 1, cls: ActivityClass = "driver"): Command {
    return cx.run(count * this.costPs.reg_write, cls);
  }

  /** A burst copying `bytes` bytes of memory. */
  copy(cx: Context, bytes: number, cls: ActivityClass): Command {
    return cx.run(this.costs.copy(bytes), cls);
  }

  /** A burst pinning and translating (DMA-mapping) a `bytes`-byte buffer, per page. */
  dmaMap(cx: Context, bytes: number, cls: ActivityClass): Command {
    return cx.run(this.costs.dmaMap(bytes), cls);
  }

  // ---------------------------------------------------------------- tasks

  /** A new process (or kernel thread) running `program`; runnable at once. Names are unique. */
  spawn(name: string, program: TaskProgram, opts: SpawnOptions = {}): Task {
    if (this.taskNames.has(name)) throw new Error(`bug: a task called ${name} already exists`);
    this.taskNames.add(name);
    const kernelThread = opts.kernelThread ?? false;
    let mm: AddressSpace | null = null;
    if (!kernelThread) mm = opts.shareAddressSpaceWith?.mm ?? new AddressSpace(name);
    return this.cpu.spawn(name, program, opts.core ?? 0, opts.nice ?? 0, kernelThread, mm);
  }

  /** Kill a task: it stops at once; its IRQ files close and handlers are uninstalled. */
  kill(task: Task): void {
    this.faultPending.delete(task);
    this.cpu.exit(task, true);
  }

  /**
   * `self` takes a fatal signal in its own context (a driver's crash: SIGSEGV): it stops at
   * once and the kernel ends it at this same instant, as if killed (exit probe b = 1). A task
   * cannot end itself mid-step, so it waits in limbo for that. Use as `yield* k.fatalSignal(self)`.
   */
  *fatalSignal(self: Task): Program {
    this.sim.at(this.sim.now, () => this.kill(self));
    yield* this.limbo.sleep(self);
    throw new Error(`bug: ${self.name} ran again after a fatal signal`);
  }

  /**
   * `task`'s own (user-mode) code faults: it dies at once if it is in user mode; in a system
   * call, the fault is its next user-mode instruction, so it dies when the call returns (the
   * kernel work in progress completes, as a fatal signal takes effect on return to user
   * mode). Returns whether it died now.
   */
  crashInUserMode(task: Task): boolean {
    if (!task.alive) return false;
    if (task.kernelDepth === 0 && !task.kernelThread) {
      this.kill(task);
      return true;
    }
    this.faultPending.add(task);
    return false;
  }

  /**
   * The kernel crashes now (an in-kernel driver fault): the simulation stops at this instant
   * and nothing after it happens. Probe `kernel/panic` (a: 1).
   */
  panic(why: string): void {
    if (this.panicked !== null) return;
    this.panicked = { at: this.sim.now, why };
    if (this.pPanic.active) this.pPanic.emit(1, 0);
    this.sim.stop();
  }

  /**
   * A system call made by `self`: `syscall_entry`, the body in kernel mode, `syscall_exit`.
   * Returning to user mode is a preemption point (a task woken meanwhile may run first).
   * `body` is a program or a generator function: `yield* k.syscall(self, function* () {…})`;
   * a program given must be a generator's (it starts after the entry burst, when first
   * stepped), not one that decides when called.
   *
   * Hand-written (SyscallProgram, below) rather than a generator: every system call of
   * every benchmark goes through it.
   */
  syscall<R>(self: Task, body: Program<R> | (() => Program<R>)): Program<R> {
    return new SyscallProgram(this, self, body) as unknown as Program<R>;
  }

  /** @internal SyscallProgram's steps: entry (count, probe, depth), exit and return to user mode. */
  syscallEnter(self: Task): Command {
    if (self.level !== LEVEL_TASK) throw new Error(`bug: a system call from interrupt context`);
    const p = this.pSyscall[self.core]!;
    if (p.active) p.emit(self.pid, 0); // a: pid
    this.cpu.countEvent(self.core, COUNT_SYSCALL);
    self.kernelDepth++;
    return self.run(this.costPs.syscall_entry, "syscall");
  }

  /** @internal */
  syscallExitCost(self: Task): Command {
    return self.run(this.costPs.syscall_exit, "syscall");
  }

  /** @internal Back in user mode with a fault pending: the program that ends the task, or null. */
  syscallFault(self: Task): Program | null {
    return this.faultPending.size > 0 && this.faultPending.delete(self) ? this.fatalSignal(self) : null;
  }

  /** nanosleep(): a system call that sleeps `delay` ps on a kernel timer. */
  *sleep(self: Task, delay: SimTime): Program {
    yield* this.syscall(self, this.sleepBody(self, delay));
  }

  private *sleepBody(self: Task, delay: SimTime): Program {
    const wq = new WaitQueue(this, `${self.name}.sleep`);
    const timer = new KernelTimer(this, `${self.name}.sleep`, (cx) => wakeOne(wq, cx), this.localTimers[self.core]!);
    timer.armAfter(delay);
    yield* wq.sleep(self);
  }

  // ---------------------------------------------------------------- interrupts

  /**
   * IRQ line `n`, created on first use; its interrupts are taken on `core` (default 0, fixed
   * when the line is created).
   */
  irq(n: number, core?: number): IrqLine {
    let line = this.lines.get(n);
    if (line === undefined) {
      const c = core ?? 0;
      if (!(Number.isInteger(n) && n >= 0)) throw new Error(`bug: IRQ number ${n}`);
      if (!(Number.isInteger(c) && c >= 0 && c < this.coreCount)) throw new Error(`bug: IRQ ${n} on core ${c}`);
      line = new IrqLine(this, n, c);
      this.lines.set(n, line);
    } else if (core !== undefined && line.core !== core) {
      throw new Error(`bug: IRQ ${n} is routed to core ${line.core}, asked for core ${core}`);
    }
    return line;
  }

  /** request_irq(): install an in-kernel ISR on line `n` and unmask it; false if taken. */
  requestIrq(n: number, isr: Isr, core?: number): boolean {
    const h = new IsrHandler(isr);
    if (!this.irq(n, core).install(h)) return false;
    this.isrHandlers.set(n, h);
    return true;
  }

  /** free_irq(): remove the in-kernel ISR of line `n` (and mask the line). */
  freeIrq(n: number): void {
    const h = this.isrHandlers.get(n);
    if (h === undefined) return;
    this.isrHandlers.delete(n);
    this.lines.get(n)!.uninstall(h);
  }

  /**
   * open("/proc/irq/N/irq") by `self` (a system call): installs the user-level delivery
   * handler. Returns null (EBUSY) if the line already has a handler.
   */
  *openIrq(self: Task, n: number, delivery: IrqDelivery = "irq-file"): Program<UserIrq | null> {
    return yield* this.syscall(self, this.openBody(self, n, delivery));
  }

  private *openBody(self: Task, n: number, delivery: IrqDelivery): Program<UserIrq | null> {
    const line = this.irq(n);
    const file = delivery === "signal" ? new SignalIrq(this, line, self) : new IrqFile(this, line, self);
    if (!line.install(file)) return null;
    self.files.add(file);
    return file;
  }

  /**
   * The ledger of DMA mappings the kernel makes on `owner`'s behalf (dma.ts), held as one of
   * its files: at its death `quiesce` stops the device, then every mapping is released.
   */
  dmaMappings(owner: Task, quiesce: () => void): DmaMappings {
    const m = new DmaMappings(this.sim.probes, owner, quiesce);
    owner.files.add(m);
    return m;
  }

  /**
   * `owner` registers with a kernel service (e.g. opens a loopback and maps its rings): a
   * file it holds, closed when it dies, at which the service takes back what it held.
   */
  register(owner: Task, onClose: () => void): Registration {
    return new Registration(owner, onClose);
  }

  // ---------------------------------------------------------------- synchronisation

  semaphore(name: string, initial = 0): Semaphore {
    return new Semaphore(this, name, initial);
  }

  waitQueue(name: string): WaitQueue {
    return new WaitQueue(this, name);
  }

  /** A soft IRQ; registration order is its number and its order within a pass. */
  softirq(name: string, handler: SoftirqHandler): SoftIrq {
    return this.softirqs.register(name, handler);
  }

  /** A kernel timer on `core` whose callback runs in the timer soft IRQ. */
  timer(name: string, callback: TimerCallback, core = 0): KernelTimer {
    return new KernelTimer(this, name, callback, this.localTimers[core]!);
  }

  /** A lock-free SPSC ring of `capacity` entries in shared memory. */
  ring<T>(name: string, capacity: number): SpscRing<T> {
    return new SpscRing<T>(this.sim.probes, name, capacity);
  }

  // ---------------------------------------------------------------- accounting

  /** Close every core's open accounting interval now (meters call it at window edges). */
  syncAccounting(): void {
    this.cpu.sync();
  }

  /** CPU time per class on `core` since the kernel started, ps. */
  cpuTime(core = 0): Record<ActivityClass, SimTime> {
    return this.cpu.accounted(core);
  }

  /** Broken invariants, e.g. "CPU time accounted ≠ elapsed × cores"; empty when sound. */
  checkInvariants(): string[] {
    return this.cpu.checkInvariants();
  }
}

const SC_ENTRY = 0;
const SC_BODY = 1;
const SC_EXIT = 2;
const SC_FATAL = 3;
const SC_RETURN = 4;

/**
 * A system call in progress, as the generator it replaces would run:
 *   entry burst; r = yield* body; exit burst; depth--;
 *   back in user mode: a pending fault ends the task; a zero-length burst (need_resched?,
 *   skipped when it cannot matter); return r.
 */
class SyscallProgram<R> extends HandProgram<R> {
  private state = SC_ENTRY;
  private inner: Program<R> | Program | null = null;
  private value: R | undefined = undefined;

  constructor(
    private readonly k: Kernel,
    private readonly self: Task,
    private readonly body: Program<R> | (() => Program<R>),
  ) {
    super();
  }

  next(): IteratorResult<Command, R> {
    const self = this.self;
    for (;;) {
      switch (this.state) {
        case SC_ENTRY:
          this.state = SC_BODY;
          if (this.k.syscallEnter(self) === RUN) return YIELD_RUN;
          break;
        case SC_BODY: {
          if (this.inner === null) this.inner = typeof this.body === "function" ? this.body() : this.body;
          const r = (this.inner as Program<R>).next();
          if (!r.done) return r;
          this.value = r.value;
          this.inner = null;
          this.state = SC_EXIT;
          if (this.k.syscallExitCost(self) === RUN) return YIELD_RUN;
          break;
        }
        case SC_EXIT:
          self.kernelDepth--;
          this.state = SC_RETURN;
          if (self.kernelDepth === 0) {
            const fatal = this.k.syscallFault(self);
            if (fatal !== null) {
              this.inner = fatal;
              this.state = SC_FATAL;
              break;
            }
            // Return to user: need_resched? (A zero-length burst, skipped when it cannot matter.)
            if (this.k.cpu.reschedulePoint(self) && self.run(0, "syscall") === RUN) return YIELD_RUN;
          }
          break;
        case SC_FATAL: {
          const r = (this.inner as Program).next();
          if (!r.done) return r;
          throw new Error(`bug: ${self.name} returned from a fatal signal`);
        }
        default:
          return { value: this.value as R, done: true };
      }
    }
  }
}

function* wakeOne(wq: WaitQueue, cx: Context): Program {
  yield* wq.wakeOne(cx);
}
