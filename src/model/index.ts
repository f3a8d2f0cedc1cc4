export * from "./cpu/index.js";
export * from "./kernel/index.js";
export { buildSystem, attachMeters, checkSystemInvariants, conservation, type System, type Meters } from "./system.js";
export { DEVICES, WORKLOADS, type BuildContext, type Component, type Conservation, type DeviceModule, type WorkloadModule, type WorkloadComponent } from "./registry.js";
