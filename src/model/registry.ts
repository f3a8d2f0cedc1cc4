/**
 * Registries of component modules keyed by the scenario's `type`. A new device type, driver
 * placement or workload is a module registered here plus its schema entry
 * (src/dsl/schema/scenario.ts); the interpreter (system.ts) does not change.
 */
import type { DeviceModel, NormalisedScenario, WorkloadModel } from "../dsl/normalised.js";
import type { Simulator } from "../sim/kernel.js";
import type { Kernel } from "./kernel/index.js";
import type { System } from "./system.js";
import { timerDevice } from "./devices/timer.js";
import { ideDisk } from "./devices/ide-disk.js";
import { gigeNic } from "./devices/gige-nic.js";
import { cpuHog } from "./workloads/cpu-hog.js";
import { diskRead } from "./workloads/disk-read.js";
import { udpEcho } from "./workloads/udp-echo.js";
import { faultsModule } from "./faults/faults.js";
import type { ThroughputSeries } from "./faults/log.js";

export interface BuildContext {
  sim: Simulator;
  k: Kernel;
  scenario: NormalisedScenario;
  /** Dotted path of the component ("devices.eth0"); its random streams derive from it. */
  path: string;
  name: string;
}

/** One conservation equation: issued = completed + dropped + in flight, each counted on its own. */
export interface Conservation {
  name: string;
  issued: number;
  completed: number;
  dropped: number;
  inFlight: number;
}

export interface Component {
  readonly path: string;
  connect?(sys: System): void;
  init?(sys: System): void;
  start?(sys: System): void;
  /** Conservation equations, evaluated at the end of the point. */
  conservation?(): Conservation[];
  /** Metrics this component measures (merged into the point's metrics). */
  metrics?(sys: System): Record<string, unknown>;
  /** A throughput time series, if this component records one (design §4 `series`). */
  series?(sys: System): ThroughputSeries;
}

export interface WorkloadComponent extends Component {
  /**
   * "timed": measure over [warm-up, warm-up + duration). "until-done": the workload ends the
   * measurement itself (`done`), and reaching the duration cap fails the point.
   */
  readonly mode: "timed" | "until-done";
  /** until-done workloads: set when finished. */
  readonly done?: boolean;
}

export interface DeviceModule {
  create(ctx: BuildContext, spec: DeviceModel): Component;
}

export interface WorkloadModule {
  create(ctx: BuildContext, spec: WorkloadModel): WorkloadComponent;
}

export const DEVICES: Record<string, DeviceModule> = {
  timer: timerDevice,
  "ide-disk": ideDisk,
  "gige-nic": gigeNic,
};

/**
 * Parts of the system that exist only when the scenario asks for them, created after the
 * workload (so their phases run after the devices' and the workload's): `faults:`.
 */
export interface ServiceModule {
  create(ctx: BuildContext): Component | null;
}

export const SERVICES: Record<string, ServiceModule> = {
  faults: faultsModule,
};

export const WORKLOADS: Record<string, WorkloadModule> = {
  "cpu-hog": cpuHog,
  "disk-read": diskRead,
  "udp-echo": udpEcho,
};
