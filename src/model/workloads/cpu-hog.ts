/**
 * A synthetic CPU-bound process: computes in bursts (class "application"), optionally
 * sleeping `think` between them. With a timer device it makes the core-smoke scenario:
 * interrupts steal CPU from a process, and the idle-thread meter sees what is left.
 */
import type { WorkloadModel } from "../../dsl/normalised.js";
import { fromSeconds } from "../../sim/time.js";
import { RUN, type Program } from "../cpu/index.js";
import type { BuildContext, WorkloadComponent, WorkloadModule } from "../registry.js";

interface CpuHogSpec extends WorkloadModel {
  burst: number;
  think: number;
  priority: number;
}

export const cpuHog: WorkloadModule = {
  create(ctx: BuildContext, raw: WorkloadModel): WorkloadComponent {
    const spec = raw as CpuHogSpec;
    const { k } = ctx;
    const burst = fromSeconds(spec.burst);
    const think = fromSeconds(spec.think);
    return {
      path: ctx.path,
      mode: "timed",
      start() {
        k.spawn(
          "cpuhog",
          function* (self): Program {
            for (;;) {
              if (self.run(burst, "application")) yield RUN;
              if (think > 0) yield* k.sleep(self, think);
            }
          },
          { nice: spec.priority },
        );
      },
    };
  },
};
