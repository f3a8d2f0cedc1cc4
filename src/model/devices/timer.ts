/**
 * A synthetic device that raises its interrupt line at a fixed rate: the smallest thing that
 * exercises the interrupt path in both placements, so `run` works end to end before the
 * disk and network paths. Its driver does `isr_cost` of work per activation wherever it runs:
 *
 * - kernel: an ISR at hard-IRQ priority (request_irq);
 * - user:   a process that opens /proc/irq/N/irq (or takes a signal) and loops on read(),
 *           paying the system calls, context switches, mask/unmask of the paper's §3.1.1.
 */
import type { DeviceModel } from "../../dsl/normalised.js";
import { fromSeconds } from "../../sim/time.js";
import { RUN, type Program } from "../cpu/index.js";
import type { IrqLine } from "../kernel/index.js";
import type { BuildContext, Component, Conservation, DeviceModule } from "../registry.js";

interface TimerSpec extends DeviceModel {
  rate: number;
  isr_cost: number;
  irq: number;
}

export const timerDevice: DeviceModule = {
  create(ctx: BuildContext, raw: DeviceModel): Component {
    const spec = raw as TimerSpec;
    const { k, sim } = ctx;
    const period = spec.rate > 0 ? fromSeconds(1 / spec.rate) : 0;
    const work = fromSeconds(spec.isr_cost);
    let line: IrqLine;
    // Counted separately so the conservation check compares independent tallies.
    let raised = 0;
    let coalesced = 0;
    let serviced = 0;
    let taken = 0;

    const tick = () => {
      raised++;
      // A raise while one is outstanding merges with it (an edge-triggered line).
      if (line.masked ? line.pending : line.queued) coalesced++;
      line.raise();
      sim.after(period, tick);
    };

    return {
      path: ctx.path,
      init() {
        line = k.irq(spec.irq);
        sim.probes.get(`irq/${spec.irq}/raise`); // make the probe exist for traces
        for (let c = 0; c < k.coreCount; c++) {
          k.sim.probes.get(`cpu${c}/irq`).subscribe((_t, irq) => {
            if (irq === spec.irq) taken++;
          });
        }
        if (spec.driver.placement === "kernel") {
          const ok = k.requestIrq(spec.irq, function* (cx): Program {
            serviced++;
            if (cx.run(work, "driver")) yield RUN;
          });
          if (!ok) throw new Error(`bug: IRQ ${spec.irq} already has a handler`);
        }
      },
      start() {
        if (spec.driver.placement === "user") {
          k.spawn(
            `${ctx.name}-driver`,
            function* (self): Program {
              const irq = yield* k.openIrq(self, spec.irq, spec.driver.delivery);
              if (!irq) throw new Error(`bug: /proc/irq/${spec.irq}/irq is busy`);
              for (;;) {
                const n = yield* irq.wait(self);
                serviced += n;
                if (self.run(work, "driver")) yield RUN;
              }
            },
            { nice: spec.driver.priority },
          );
        }
        if (period > 0) sim.after(period, tick);
      },
      conservation(): Conservation[] {
        const outstanding = (line.pending ? 1 : 0) + (line.queued ? 1 : 0);
        return [
          // Every raise was merged, is still outstanding on the line, or was taken by a core.
          { name: "interrupts raised", issued: raised, completed: taken, dropped: coalesced, inFlight: outstanding },
        ];
      },
      metrics() {
        return {};
      },
    };
  },
};
