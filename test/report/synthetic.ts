/**
 * Results documents for the paper's figures with made-up but plausible curves, built through
 * the real loader and planner, so reporters are tested on the disk and network shapes
 * without depending on those models.
 */
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { buildResults, type ResultsDocument } from "../../src/run/results.js";
import type { PointResult } from "../../src/run/runner.js";

export type MetricsOf = (params: Record<string, unknown>, index: number) => Record<string, unknown> | undefined;

/** A document for `scenario` whose points carry `metrics(params)` (undefined: not-run). */
export async function syntheticDoc(scenario: string, metrics: MetricsOf, opts: { quick?: boolean; set?: string[] } = {}): Promise<ResultsDocument> {
  const loaded = await loadScenario(packagePath("scenarios", scenario), { set: opts.set ?? [] });
  if (!loaded.scenario) throw new Error(`${scenario}: ${loaded.diagnostics.map((d) => d.message).join("; ")}`);
  const plan = planScenario(loaded.scenario, { quick: opts.quick ?? false }).plan!;
  const points: PointResult[] = plan.points.map((p, i) => {
    const m = metrics(p.params, i);
    return m ? { id: p.id, params: p.params, status: "ok", metrics: m } : { id: p.id, params: p.params, status: "not-run", metrics: {} };
  });
  return buildResults({ merged: loaded.scenario, plan, points, partial: points.some((p) => p.status === "not-run"), version: "0.0.0-test", cwd: packagePath() });
}

/** Fig. 4's shape: achieved = offered up to a knee, then a slight decline; CPU rising with load. */
export const fig4Metrics: MetricsOf = (params) => {
  const user = params["devices.eth0.driver.placement"] === "user";
  const offered = params["workload.offered_load"] as number;
  const peak = user ? 790e6 : 850e6;
  const throughput = offered <= peak ? offered : peak - (offered - peak) * 0.15;
  const cpu = Math.min(0.98, (offered / 1e9) * (user ? 0.85 : 0.79));
  return { throughput_bits_per_s: throughput, offered_bits_per_s: offered, cpu_utilization: cpu, interrupts_per_s: Math.min(8000, offered / 8192), context_switches_per_s: user ? offered / 4096 : 200 };
};

/** Fig. 2's shape: throughput rising with transfer size to the media rate; CPU falling. */
export const fig2Metrics: MetricsOf = (params) => {
  const user = params["devices.hda.driver.placement"] === "user";
  const bytes = params["workload.transfer_size"] as number;
  const sectors = bytes / 512;
  const throughput = (440e6 * sectors) / (sectors + 6);
  const cpu = Math.max(0.02, (user ? 0.61 : 0.52) / Math.sqrt(sectors)) ;
  return { throughput_bits_per_s: throughput, cpu_utilization: cpu };
};
