/**
 * `validate`: load, check and plan each file (a sweep that cannot expand is invalid too).
 */
import type { Diagnostic } from "../diag/diagnostic.js";
import { hasErrors } from "../diag/diagnostic.js";
import { loadScenario } from "./load.js";
import { planScenario } from "./plan.js";

export interface FileValidation {
  file: string;
  ok: boolean;
  points?: number;
  /** Sweep axes a file fixed by writing a value at a path its base sweeps (plan's notes). */
  fixedAxes?: string[];
  diagnostics: Diagnostic[];
  sources: Map<string, string>;
}

export async function validateFiles(
  files: readonly string[],
  /** `quick`: check the points `run --quick` would run (its overrides, a fault's time against them). */
  opts: { set?: readonly string[]; force?: boolean; quick?: boolean } = {},
): Promise<FileValidation[]> {
  const out: FileValidation[] = [];
  for (const file of files) {
    const r = await loadScenario(file, { set: opts.set ?? [] });
    if (!r.scenario) {
      out.push({ file, ok: false, diagnostics: r.diagnostics, sources: r.sources });
      continue;
    }
    const p = planScenario(r.scenario, { force: !!opts.force, quick: !!opts.quick });
    const diagnostics = [...r.diagnostics, ...p.diagnostics];
    out.push({
      file,
      ok: !!p.plan && !hasErrors(diagnostics),
      ...(p.plan ? { points: p.plan.points.length } : {}),
      ...(p.plan?.replacedAxes.some((x) => x.source) ? { fixedAxes: p.plan.replacedAxes.filter((x) => x.source).map((x) => `${x.text} in ${x.source}`) } : {}),
      diagnostics,
      sources: r.sources,
    });
  }
  return out;
}
