/**
 * A synthetic workload for smoke tests (scenarios/core-smoke.yaml): a device that raises
 * its IRQ line periodically, served by an in-kernel ISR of fixed cost, and a CPU-bound
 * process. Parameters are plain numbers in SI units (seconds), as in the normalised scenario.
 */
import { fromSeconds } from "../../sim/time.js";
import { RUN, type Program, type Task } from "../cpu/index.js";
import type { Kernel } from "./kernel.js";

export interface PeriodicInterruptParams {
  /** IRQ line number. */
  irq: number;
  /** Time between interrupts, s. */
  period: number;
  /** CPU time of the in-kernel ISR per interrupt (class "driver"), s. */
  isr_cost: number;
  /** First interrupt, s after now (default: one period). */
  phase?: number;
  /** Core the line is routed to (default 0). */
  core?: number;
}

export interface PeriodicInterruptDevice {
  readonly irq: number;
  /** Interrupts raised so far. */
  readonly raised: number;
  /** Stop raising interrupts. */
  stop(): void;
}

/** A timer device raising IRQ `irq` every `period` s, with an in-kernel ISR of `isr_cost` s. */
export function addPeriodicInterruptDevice(k: Kernel, p: PeriodicInterruptParams): PeriodicInterruptDevice {
  const period = fromSeconds(p.period);
  const isr = fromSeconds(p.isr_cost);
  if (!(period > 0)) throw new Error(`bug: periodic device period ${p.period} s`);
  const line = k.irq(p.irq, p.core ?? 0);
  const ok = k.requestIrq(p.irq, function* (cx): Program {
    if (cx.run(isr, "driver")) yield RUN;
  }, p.core);
  if (!ok) throw new Error(`bug: IRQ ${p.irq} already has a handler`);
  let raised = 0;
  let stopped = false;
  let next = k.sim.now + (p.phase === undefined ? period : fromSeconds(p.phase));
  const tick = () => {
    if (stopped) return;
    raised++;
    line.raise();
    next += period;
    k.sim.at(next, tick);
  };
  k.sim.at(next, tick);
  return {
    irq: p.irq,
    get raised() {
      return raised;
    },
    stop() {
      stopped = true;
    },
  };
}

export interface CpuBoundParams {
  /** Process name (default "cpuhog"). */
  name?: string;
  /** Length of each application burst, s (the process never blocks). */
  burst: number;
  /** Nice priority (default 0). */
  nice?: number;
  /** Core (default 0). */
  core?: number;
}

/** A process that computes forever in bursts of `burst` s (class "application"). */
export function addCpuBoundProcess(k: Kernel, p: CpuBoundParams): Task {
  const burst = fromSeconds(p.burst);
  if (!(burst > 0)) throw new Error(`bug: CPU-bound process burst ${p.burst} s`);
  return k.spawn(
    p.name ?? "cpuhog",
    function* (self): Program {
      for (;;) yield self.run(burst, "application");
    },
    { nice: p.nice ?? 0, core: p.core ?? 0 },
  );
}
