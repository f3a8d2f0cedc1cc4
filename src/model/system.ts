/**
 * The interpreter: a normalised run point becomes a system of components, built through
 * registries keyed by `type` in fixed phases over a sorted walk —
 *
 *   create   every device (by name), then the workload, then the services the scenario
 *            asks for (`faults:`)
 *   connect  components find each other (the workload its device, a driver its rings)
 *   init     state that needs the connections (rings filled, handlers installed)
 *   start    processes spawned, first events scheduled
 *
 * — so that the order of construction, and hence every tie in the event queue, never
 * depends on map order. Adding a device, a placement or a workload is adding a module to a
 * registry (registry.ts) and its entry in the schema; nothing here changes.
 */
import type { NormalisedScenario } from "../dsl/normalised.js";
import { Simulator } from "../sim/kernel.js";
import { fromSeconds, type SimTime } from "../sim/time.js";
import { CpuTimeMeter, IdleMeter, Kernel, KernelCounters } from "./kernel/index.js";
import { DEVICES, SERVICES, WORKLOADS, type Component, type Conservation, type WorkloadComponent } from "./registry.js";

export interface System {
  readonly sim: Simulator;
  readonly k: Kernel;
  readonly scenario: NormalisedScenario;
  /** Components by path ("devices.eth0", "workload"), in build order. */
  readonly components: Map<string, Component>;
  readonly workload: WorkloadComponent;
  /** Measurement window, ps. For until-done workloads `end` is the cap. */
  readonly window: { start: SimTime; end: SimTime };
}

export interface BuildOptions {
  /** Per-event reference mode: the simulator coalesces nothing (SimulatorOptions). */
  reference?: boolean;
}

export function buildSystem(scenario: NormalisedScenario, seed: number, opts: BuildOptions = {}): System {
  const sim = new Simulator(seed, undefined, { reference: opts.reference ?? false });
  const k = new Kernel(sim, scenario.machine);
  const start = fromSeconds(scenario.run.warmup);
  const end = start + fromSeconds(scenario.run.duration);
  const components = new Map<string, Component>();

  // create
  for (const name of Object.keys(scenario.devices).sort()) {
    const spec = scenario.devices[name]!;
    const mod = DEVICES[spec.type];
    if (!mod) throw new Error(`bug: no device module for type ${spec.type}`);
    components.set(`devices.${name}`, mod.create({ sim, k, scenario, path: `devices.${name}`, name }, spec));
  }
  const wmod = WORKLOADS[scenario.workload.type];
  if (!wmod) throw new Error(`bug: no workload module for type ${scenario.workload.type}`);
  const workload = wmod.create({ sim, k, scenario, path: "workload", name: "workload" }, scenario.workload);
  components.set("workload", workload);
  for (const [path, mod] of Object.entries(SERVICES)) {
    const c = mod.create({ sim, k, scenario, path, name: path });
    if (c !== null) components.set(path, c);
  }

  const sys: System = { sim, k, scenario, components, workload, window: { start, end } };
  for (const phase of ["connect", "init", "start"] as const) {
    for (const c of components.values()) c[phase]?.(sys);
  }
  return sys;
}

/** Device and kernel metrics over the window (design §4 names). */
export interface Meters {
  cpu: IdleMeter;
  time: CpuTimeMeter;
  counters: KernelCounters;
}

export function attachMeters(sys: System): Meters {
  const w = { start: sys.window.start, end: sys.window.end };
  return {
    cpu: new IdleMeter(sys.k, w),
    time: new CpuTimeMeter(sys.k, w),
    counters: new KernelCounters(sys.k, w),
  };
}

/** Every conservation equation of every component. */
export function conservation(sys: System): Conservation[] {
  const out: Conservation[] = [];
  for (const [path, c] of sys.components) for (const e of c.conservation?.() ?? []) out.push({ ...e, name: `${path}: ${e.name}` });
  return out;
}

/**
 * The invariants checked at the end of every point, each term counted by its own probe or
 * by walking state: CPU time accounted = elapsed × cores; work issued = completed + dropped
 * + in flight. Returns one message per violation, naming the invariant.
 */
export function checkSystemInvariants(sys: System): string[] {
  const out = sys.k.checkInvariants().map((m) => `invariant "CPU time accounted = elapsed × cores" violated: ${m}`);
  for (const e of conservation(sys)) {
    const rhs = e.completed + e.dropped + e.inFlight;
    if (e.issued !== rhs) {
      out.push(
        `invariant "issued = completed + dropped + in flight" violated for ${e.name}: issued ${e.issued} ≠ completed ${e.completed} + dropped ${e.dropped} + in flight ${e.inFlight}`,
      );
    }
  }
  return out;
}
