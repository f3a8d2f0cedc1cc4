/**
 * The `faults:` section as a component of the system (beyond the paper: §2's restartable
 * drivers). It injects each fault into its device's driver, runs the supervisor that brings
 * user-level drivers back, and measures: the `fault` metrics, drops at `driver_fault` (counted
 * by the devices), and the throughput series.
 *
 *   injection        at a time / every period: an event; with a probability: at each driver
 *                    activation (the hook the device's placement calls), drawn from the
 *                    injection's own random stream `faults/<name>`
 *   user placement   crash: the driver's own code faults — it dies at once in user mode, or
 *                    on return to user mode from a system call; the kernel's exit cleanup
 *                    closes its files (IRQ handler uninstalled, device reset, DMA mappings
 *                    released, loopback reclaimed by the in-flight policy) and the supervisor
 *                    restarts it. hang: at its next activation the driver stops for good,
 *                    holding what it holds; missed heartbeats tell the supervisor, which kills
 *                    and restarts it. A fault that strikes while the driver is down is void.
 *   kernel placement crash or hang: the kernel crashes (a lock-up in an interrupt routine
 *                    stops the machine too); the simulation stops and the point is `crashed`.
 *
 * Probe `fault/<device>/strike` (a: 1 crash, 2 hang; b: 1 in the kernel, 0 at user level).
 */
import type { FaultInjectionModel, FaultKind, FaultsModel } from "../../dsl/normalised.js";
import type { Probe } from "../../sim/probe.js";
import type { Rng } from "../../sim/rng.js";
import { fromSeconds } from "../../sim/time.js";
import { LEVEL_TASK, type Context, type Program, type Task } from "../cpu/index.js";
import type { Kernel, WaitQueue } from "../kernel/index.js";
import type { BuildContext, Component, Conservation } from "../registry.js";
import type { System } from "../system.js";
import { isFaultable, type DriverFaultHook, type FaultTarget } from "./driver.js";
import { FaultLog, type ThroughputSeries } from "./log.js";
import { Supervisor, type Supervised } from "./supervisor.js";

interface Injection {
  readonly name: string;
  readonly spec: FaultInjectionModel;
  readonly rng: Rng | null;
}

/** One device's driver under the fault machinery: the hook its placement calls, and its supervision state. */
class DriverFaults implements DriverFaultHook, Supervised {
  state: Supervised["state"] = "serving";
  incarnation = 1;
  activations = 0;
  open: Supervised["open"] = null;
  started = 1;
  deaths = 0;
  /** A timed hang waiting for the driver's next activation. */
  private hangPending: Injection | null = null;
  /** A timed crash that waits for the driver to return to user mode. */
  private crashPending: Injection | null = null;
  private readonly random: Injection[];
  private readonly stuck: WaitQueue;
  private readonly pStrike: Probe;

  constructor(
    private readonly k: Kernel,
    readonly target: FaultTarget,
    private readonly log: FaultLog,
    injections: readonly Injection[],
  ) {
    this.random = injections.filter((i) => i.rng !== null);
    this.stuck = k.waitQueue(`${target.device}.hung`);
    this.pStrike = k.sim.probes.get(`fault/${target.device}/strike`);
  }

  private get inKernel(): boolean {
    return this.target.placement === "kernel";
  }

  private record(inj: Injection, kind: FaultKind): void {
    this.open = this.log.strike(inj.name, this.target.device, kind, this.k.sim.now, this.inKernel);
    if (this.pStrike.active) this.pStrike.emit(kind === "crash" ? 1 : 2, this.inKernel ? 1 : 0);
  }

  /** An in-kernel driver fault: the kernel crashes now. */
  private panic(inj: Injection, kind: FaultKind): void {
    this.record(inj, kind);
    this.k.panic(`the in-kernel driver of ${this.target.device} ${kind === "crash" ? "crashed" : "hung"} (fault "${inj.name}"): a driver fault in the kernel is a kernel crash`);
  }

  /** A timed fault fires (an event, outside any CPU context). */
  strikeAt(inj: Injection): void {
    if (this.k.panicked !== null) return;
    const kind = inj.spec.fault;
    if (this.inKernel) return this.panic(inj, kind);
    const task = this.target.task;
    if (this.state !== "serving" || task === null || this.open !== null) return; // nothing to fault now
    if (kind === "hang") {
      this.hangPending = inj;
      return;
    }
    this.crashPending = inj;
    this.k.crashInUserMode(task); // at once in user mode, else on return from its system call
  }

  /** The driver died with no fault recorded: a crash that took effect at its death, or a kill for missed heartbeats. */
  onUnexplainedDeath(): NonNullable<Supervised["open"]> {
    const inj = this.crashPending;
    this.crashPending = null;
    this.record(inj ?? { name: "(missed heartbeats)", spec: { device: this.target.device, fault: "hang" }, rng: null }, inj ? "crash" : "hang");
    return this.open!;
  }

  *activation(cx: Context): Program {
    this.activations++; // the heartbeat word
    if (this.inKernel) {
      for (const inj of this.random) {
        if (inj.rng!.next() < inj.spec.probability!) {
          this.panic(inj, inj.spec.fault);
          yield cx.run(Infinity, "irq"); // the CPU spins in panic()
        }
      }
      return;
    }
    if (cx.level !== LEVEL_TASK) throw new Error(`bug: a user-level driver activated outside its process`);
    const self = cx as Task;
    let strike: { inj: Injection; kind: FaultKind } | null = null;
    if (this.hangPending !== null) {
      strike = { inj: this.hangPending, kind: "hang" };
      this.hangPending = null;
    }
    for (const inj of this.random) {
      if (inj.rng!.next() < inj.spec.probability! && strike === null) strike = { inj, kind: inj.spec.fault };
    }
    if (strike === null) return;
    this.record(strike.inj, strike.kind);
    if (strike.kind === "crash") yield* this.k.fatalSignal(self);
    else for (;;) yield* this.stuck.sleep(self); // stops answering, holding what it holds
  }
}

export class FaultsComponent implements Component {
  readonly path = "faults";
  private readonly log: FaultLog;
  private readonly injections: Injection[];
  private readonly drivers: DriverFaults[] = [];
  private supervisor: Supervisor | null = null;

  constructor(
    private readonly ctx: BuildContext,
    private readonly spec: FaultsModel,
  ) {
    const start = fromSeconds(ctx.scenario.run.warmup);
    this.log = new FaultLog(start, start + fromSeconds(ctx.scenario.run.duration), fromSeconds(spec.series_bin));
    this.injections = Object.keys(spec.inject)
      .sort()
      .map((name) => {
        const s = spec.inject[name]!;
        return { name, spec: s, rng: s.probability !== undefined ? ctx.sim.rng(`faults/${name}`) : null };
      });
  }

  connect(sys: System): void {
    // Every device whose driver can fail is under the machinery (a user-level one is
    // supervised even if no fault names it); faults name devices the validator checked.
    for (const [path, c] of sys.components) {
      if (!isFaultable(c) || !path.startsWith("devices.") || !c.faultTarget.supportsFaults) continue;
      const t = c.faultTarget;
      const mine = this.injections.filter((i) => i.spec.device === t.device);
      const d = new DriverFaults(sys.k, t, this.log, mine);
      t.attachFaults(d, this.spec.supervisor.in_flight);
      this.drivers.push(d);
    }
    for (const i of this.injections) {
      if (!this.drivers.some((d) => d.target.device === i.spec.device)) throw new Error(`bug: fault ${i.name} names device ${i.spec.device}, which cannot fail`);
    }
    sys.sim.probes.get("workload/delivered").subscribe((_t, at, bytes) => this.log.delivered(at, bytes));
  }

  start(sys: System): void {
    const user = this.drivers.filter((d) => d.target.placement === "user");
    if (user.length > 0) {
      this.supervisor = new Supervisor(sys.k, this.spec.supervisor, user);
      this.supervisor.start();
    }
    const sim = sys.sim;
    for (const inj of this.injections) {
      const { at, every } = inj.spec;
      if (at === undefined && every === undefined) continue;
      const d = this.drivers.find((x) => x.target.device === inj.spec.device)!;
      const period = every !== undefined ? fromSeconds(every) : 0;
      const fire = () => {
        d.strikeAt(inj);
        if (period > 0) sim.after(period, fire);
      };
      sim.at(at !== undefined ? fromSeconds(at) : period, fire);
    }
  }

  metrics(sys: System): Record<string, unknown> {
    return { fault: this.log.metrics(sys.sim.now) };
  }

  /** Throughput per bin over the window (to where the run stopped, for a workload that ends itself). */
  series(sys: System): ThroughputSeries {
    // A timed workload's window is fixed (after a kernel crash its bins stay empty); one that
    // ends itself ends where the run stopped.
    return this.log.series(sys.workload.mode === "until-done" ? sys.sim.now : sys.window.end);
  }

  conservation(): Conservation[] {
    // Every incarnation of a user-level driver that was started has died or is alive.
    return this.drivers
      .filter((d) => d.target.placement === "user")
      .map((d) => ({
        name: `${d.target.device} driver incarnations`,
        issued: d.started,
        completed: d.deaths,
        dropped: 0,
        inFlight: d.target.task?.alive ? 1 : 0,
      }));
  }

  /** The fault records (tests and reports; not part of the results document). */
  get records(): FaultLog["records"] {
    return this.log.records;
  }
}

export const faultsModule = {
  /** The faults component when the scenario has a `faults:` section, else null. */
  create(ctx: BuildContext): Component | null {
    return ctx.scenario.faults ? new FaultsComponent(ctx, ctx.scenario.faults) : null;
  },
};
