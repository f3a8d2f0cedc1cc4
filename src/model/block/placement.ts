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
import type { Program, Task } from "../cpu/index.js";
import type { Kernel } from "../kernel/index.js";
import type { BlockLayer } from "./block-layer.js";
import type { IdeDriverLogic } from "./ide-driver.js";
import type { BlockLoopback } from "./loopback.js";

/** Install the driver in the kernel: request function and ISR on line `irq`. */
export function placeInKernel(k: Kernel, irq: number, layer: BlockLayer, logic: IdeDriverLogic): void {
  logic.attach({
    *nextRequest() {
      return layer.nextRequest();
    },
    complete: (cx, req) => layer.endRequest(cx, req),
  });
  layer.attach({ requestFn: (cx) => logic.start(cx) });
  const ok = k.requestIrq(irq, function* (cx): Program {
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

/** Start the driver process behind the block loopback; returns the task. */
export function startUserDriver(
  k: Kernel,
  name: string,
  layer: BlockLayer,
  loopback: BlockLoopback,
  logic: IdeDriverLogic,
  o: UserDriverOptions,
): Task {
  logic.attach(loopback);
  layer.attach(loopback);
  return k.spawn(
    name,
    function* (self): Program {
      const irq = yield* k.openIrq(self, o.irq, o.delivery);
      if (irq === null) throw new Error(`bug: /proc/irq/${o.irq}/irq is busy`);
      yield* k.syscall(self, loopback.register(irq));
      for (;;) {
        if ((yield* irq.wait(self)) === 0) return; // the file was closed
        if (logic.busy) yield* logic.interrupt(self);
        yield* logic.start(self);
        if (loopback.completionsPending > 0) yield* k.syscall(self, loopback.completeBody(self));
      }
    },
    { nice: o.priority },
  );
}
