/**
 * engine_cpu_model_events_per_s: the event kernel driving the preemptive priority CPU model
 * — scenarios/core-smoke.yaml's system with its timer device at 20,000 interrupts/s, the
 * driver at user level (IRQ file, semaphore, context switches, system calls), a CPU-bound
 * process that sleeps between bursts, and the idle-thread meter. Every event here is a
 * burst boundary, an interrupt, a wake-up or a timer: the scheduler's hot path. Measured
 * in a fresh process running the compiled tree (bench/kernel-child.ts), like every figure.
 */
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { buildSystem } from "../../src/model/system.js";
import { runChild } from "../build.js";
import type { Figure } from "../figure.js";
import { bestOf, eventsPerSecond } from "../measure.js";

async function smokePoint() {
  const r = await loadScenario(packagePath("scenarios", "core-smoke.yaml"), {
    set: ["devices.tick.rate=20000/s", "devices.tick.driver.placement=user", "run.duration=1000 s"],
  });
  if (!r.scenario) throw new Error("bug: core-smoke.yaml does not load");
  const p = planScenario(r.scenario).plan;
  if (!p) throw new Error("bug: core-smoke.yaml does not plan");
  return p.points[0]!.scenario;
}

export const cpuModelFigure: Figure = {
  id: "cpu-model",
  metrics: {
    engine_cpu_model_events_per_s: {
      unit: "events/s",
      description: "core-smoke system (user-level timer driver at 20,000 interrupts/s, CPU-bound process, idle meter); best of 3 runs of ≥ 1 s",
    },
  },
  async run() {
    // In a fresh process running the compiled tree (bench/kernel-child.ts → measureCpuModel).
    const { stdout } = await runChild("bench/kernel-child.ts", ["cpu-model"]);
    return JSON.parse(stdout) as Record<string, number>;
  },
};

/** The figure's numbers, measured in this process (bench/kernel-child.ts calls it). */
export async function measureCpuModel(): Promise<Record<string, number>> {
  const scenario = await smokePoint();
  return {
    engine_cpu_model_events_per_s: Math.round(bestOf(3, () => eventsPerSecond(buildSystem(scenario, 1).sim, { minMs: 1000, warmupEvents: 100_000 }))),
  };
}
