export { Simulator, MAX_PRIORITY, type EventHandler, type EventId, type SimulatorOptions } from "./kernel.js";
export { Probe, Probes, type ProbeListener, type AnyProbeListener } from "./probe.js";
export { Rng, deriveSeed, hash53 } from "./rng.js";
export * from "./time.js";
