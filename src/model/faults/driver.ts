/**
 * What a device offers the fault machinery (src/model/faults/faults.ts), and what the fault
 * machinery hands its driver. A device that supports faults (ide-disk, gige-nic) exposes a
 * `FaultTarget`; it knows how its driver dies and restarts (which rings, which device
 * registers), the fault machinery knows when (injection, heartbeats, the supervisor).
 *
 * The hook is called where the placement activates the driver — the user-level process
 * after each return of its wait on the IRQ file, the in-kernel interrupt routine on entry —
 * so the driver's own logic is the same in both placements and never sees a fault.
 */
import type { InFlightPolicy, Placement } from "../../dsl/normalised.js";
import type { Context, Program, Task } from "../cpu/index.js";
import type { Component } from "../registry.js";

export interface DriverFaultHook {
  /**
   * At the start of each driver activation (`cx`: the driver process, or the in-kernel
   * interrupt routine's hard-IRQ context). Returns at once when no fault strikes. A crash
   * never returns (the process dies, or the kernel panics and the CPU spins); a hang never
   * returns either (the process sleeps forever, holding what it holds).
   */
  activation(cx: Context): Program;
}

/** How a new incarnation of a user-level driver starts. */
export interface RestartPlan {
  /** CPU the new process spends starting (class "driver"), ps. */
  costPs: number;
  /** Time the device takes to come back after its reset (the driver sleeps), ps. */
  delayPs: number;
  /** Called when the new driver serves again (rings re-established, device enabled). */
  ready(task: Task): void;
}

export interface FaultTarget {
  /** Device name (`eth0`). */
  readonly device: string;
  readonly placement: Placement;
  /** The interrupt line of the device. */
  readonly irq: number;
  /** Its driver's faults are modelled in this configuration (not: a user-level NIC behind TUN/TAP). */
  readonly supportsFaults: boolean;
  /** Install the activation hook and the in-flight policy (connect phase, before start). */
  attachFaults(hook: DriverFaultHook, policy: InFlightPolicy): void;
  /** User placement: the driver's process now (null in the kernel placement). */
  readonly task: Task | null;
  /** User placement: spawn a new incarnation of the driver; returns its process. */
  restart(plan: RestartPlan): Task;
  /** User placement: a heartbeat ping, a simulated interrupt on the driver's IRQ file (from `cx`'s system call). */
  ping(cx: Context): Program;
}

export interface FaultableComponent extends Component {
  readonly faultTarget: FaultTarget;
}

export function isFaultable(c: Component | undefined): c is FaultableComponent {
  return c !== undefined && (c as Partial<FaultableComponent>).faultTarget !== undefined;
}
