/**
 * Helpers for the fault tests: small scenarios written as YAML (so they go through the same
 * loading, validation and normalisation as a user's), built into systems, and traces of the
 * probes that tell the recovery story.
 */
import { formatDiagnostics } from "../../src/diag/format.js";
import { hasErrors } from "../../src/diag/diagnostic.js";
import type { NormalisedScenario } from "../../src/dsl/normalised.js";
import { loadScenario } from "../../src/dsl/load.js";
import { planScenario } from "../../src/dsl/plan.js";
import { FaultsComponent } from "../../src/model/faults/faults.js";
import { buildSystem, type System } from "../../src/model/system.js";
import { TmpDir } from "../helpers/tmp.js";

const tmp = new TmpDir();

/** The normalised points of a scenario given as text (the full sweep, in plan order). */
export async function pointsOf(text: string, set: string[] = []): Promise<NormalisedScenario[]> {
  const file = tmp.write(text);
  const r = await loadScenario(file, { set });
  const planned = r.scenario ? planScenario(r.scenario, {}) : undefined;
  const diags = [...r.diagnostics, ...(planned?.diagnostics ?? [])];
  if (!planned?.plan || hasErrors(diags)) throw new Error(formatDiagnostics(diags, { sources: r.sources, color: false }));
  return planned.plan.points.map((p) => p.scenario);
}

export async function scenarioOf(text: string, set: string[] = []): Promise<NormalisedScenario> {
  return (await pointsOf(text, set))[0]!;
}

/** UDP echo through a user-level e1000 driver at 300 Mb/s, with `faults` (YAML, indented two spaces under `faults:`). */
export function netScenario(faults: string, o: { placement?: "user" | "kernel"; load?: string; duration?: string } = {}): string {
  return `
name: fault-net
devices:
  eth0:
    type: gige-nic
    driver:
      placement: ${o.placement ?? "user"}
workload:
  type: udp-echo
  device: eth0
  offered_load: ${o.load ?? "300 Mb/s"}
  rcvbuf: 256 KiB
  sndbuf: 256 KiB
run:
  warmup: 0 s
  duration: ${o.duration ?? "60 ms"}
faults:
${faults}
`;
}

/** O_DIRECT reads of 32 KiB through a user-level IDE driver, with `faults`. */
export function diskScenario(faults: string, o: { placement?: "user" | "kernel"; bytes?: string; transfer?: string } = {}): string {
  return `
name: fault-disk
devices:
  hda:
    type: ide-disk
    driver:
      placement: ${o.placement ?? "user"}
workload:
  type: disk-read
  device: hda
  bytes: ${o.bytes ?? "2 MiB"}
  transfer_size: ${o.transfer ?? "64 sectors"}
run:
  duration: 10 s
faults:
${faults}
`;
}

export function faultsOf(sys: System): FaultsComponent {
  const c = sys.components.get("faults");
  if (!(c instanceof FaultsComponent)) throw new Error("the system has no faults component");
  return c;
}

export interface TraceLine {
  t: number;
  name: string;
  a: number;
  b: number;
}

/** Probe events whose names match `only`, with their times in ps. */
export function traceOf(sys: System, only: RegExp): TraceLine[] {
  const out: TraceLine[] = [];
  sys.sim.probes.subscribeAll((name, t, a, b) => {
    if (only.test(name)) out.push({ t, name, a, b });
  });
  return out;
}

/** "name a b" per line: a trace without its times. */
export function events(lines: readonly TraceLine[]): string[] {
  return lines.map((l) => `${l.name} ${l.a} ${l.b}`);
}

export function build(sc: NormalisedScenario, seed = 1): System {
  return buildSystem(sc, seed);
}
