/**
 * The two placements of the IDE driver (paper §4.1: "Linux Kernel" and "Linux User").
 *
 * kernel: the block layer's request function calls the driver logic directly (process
 *   context of the reader); the driver's ISR runs at hard-IRQ priority (request_irq) and
 *   completes requests straight into the block layer, which wakes the reader.
 *
 * user: the driver is a process. It opens /proc/irq/N/irq (paper §3.1.1) and registers
 *   with the block loopback (§3.4.1); then it loops on the IRQ file's read(): each return is
 *   one activation, by the device's interrupt (the in-kernel stub masked the line and upped
 *   the semaphore) or by the loopback posting new requests. It services the drive if its
 *   busmaster INTR bit is set, starts the next request from the request ring if the drive
 *   is idle, and if it finished a request returns it through the completion ring and a
 *   system call. Its next read() re-enables the line and sleeps.
 */
import type { IrqDelivery } from "../../dsl/normalised.js";
import { RUN, type Context, type Program, type Task } from "../cpu/index.js";
import type { Kernel, UserIrq } from "../kernel/index.js";
import type { DriverFaultHook, RestartPlan } from "../faults/driver.js";
import type { BlockLayer } from "./block-layer.js";
import type { IdeController } from "./ide-controller.js";
import type { IdeDriverLogic } from "./ide-driver.js";
import type { BlockLoopback } from "./loopback.js";

/** Install the driver in the kernel: request function and ISR on line `irq`. */
export function placeInKernel(k: Kernel, irq: number, layer: BlockLayer, logic: IdeDriverLogic, hook: () => DriverFaultHook | null = () => null): void {
  logic.attach({
    hasRequest: () => layer.queued > 0,
    *nextRequest() {
      return layer.nextRequest();
    },
    complete: (cx, req) => layer.endRequest(cx, req),
  });
  layer.attach({ requestFn: (cx) => logic.start(cx) });
  const ok = k.requestIrq(irq, function* (cx): Program {
    const h = hook();
    if (h !== null) yield* h.activation(cx);
    yield* logic.interrupt(cx);
  });
  if (!ok) throw new Error(`bug: IRQ ${irq} already has a handler`);
}

export interface UserDriverOptions {
  irq: number;
  delivery: IrqDelivery;
  /** Nice value of the driver process. */
  priority: number;
}

/**
 * The driver process behind the block loopback. A new incarnation (a restart after a death)
 * is a new process named `<name>.<n>`: it pays its start-up, opens the IRQ file, waits for
 * the channel reset to settle, and registers (the rings re-established).
 */
export class UserBlockDriver {
  task: Task | null = null;
  incarnations = 0;
  /** Called at the start of each activation (faults); null without faults. */
  hook: DriverFaultHook | null = null;
  /** The IRQ file of the current incarnation. */
  private irqFile: UserIrq | null = null;

  constructor(
    private readonly k: Kernel,
    private readonly name: string,
    private readonly loopback: BlockLoopback,
    private readonly logic: IdeDriverLogic,
    private readonly hw: IdeController,
    private readonly o: UserDriverOptions,
    layer: BlockLayer,
  ) {
    logic.attach(loopback);
    layer.attach(loopback);
  }

  start(): Task {
    this.task = this.spawn(null);
    return this.task;
  }

  restart(plan: RestartPlan): Task {
    this.task = this.spawn(plan);
    return this.task;
  }

  /** A heartbeat ping: a simulated interrupt on the driver's IRQ file. */
  *ping(cx: Context): Program {
    const irq = this.irqFile;
    if (irq !== null && irq.isOpen) yield* irq.post(cx);
  }

  private spawn(plan: RestartPlan | null): Task {
    const { k, o, loopback, logic, hw } = this;
    const self = this;
    this.incarnations++;
    const name = this.incarnations === 1 ? this.name : `${this.name}.${this.incarnations}`;
    return k.spawn(
      name,
      function* (task): Program {
        if (plan && plan.costPs > 0 && task.run(plan.costPs, "driver")) yield RUN; // exec and initialisation
        const irq = yield* k.openIrq(task, o.irq, o.delivery);
        if (irq === null) throw new Error(`bug: /proc/irq/${o.irq}/irq is busy`);
        self.irqFile = irq;
        // Closed in this order when the process dies: the IRQ file, the DMA ledger (the
        // channel is reset first), the loopback registration.
        const dma = k.dmaMappings(task, () => {
          hw.reset();
          logic.reset();
        });
        k.register(task, () => {
          loopback.driverDied();
          if (self.task === task) self.task = null;
        });
        if (plan && plan.delayPs > 0) yield* k.sleep(task, plan.delayPs); // the channel reset settles
        yield* k.syscall(task, loopback.register(irq, dma));
        if (plan) plan.ready(task);
        const hook = self.hook;
        for (;;) {
          if ((yield* irq.wait(task)) === 0) return; // the file was closed
          if (hook !== null) yield* hook.activation(task);
          if (logic.busy) yield* logic.interrupt(task);
          yield* logic.start(task);
          if (loopback.completionsPending > 0) yield* k.syscall(task, loopback.completeBody(task));
        }
      },
      { nice: o.priority },
    );
  }
}
