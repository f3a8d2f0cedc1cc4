/**
 * The normalised scenario: the shape of the YAML with defaults and presets applied and
 * every quantity converted to SI (seconds, bytes, bit/s, events/s, Hz). Dotted paths into
 * this object are the `params` of the results document (design §4).
 *
 * Costs are normalised per run point: a cost written in cycles becomes seconds at that
 * point's clock, so sweeping the clock rescales cycle costs and leaves time costs alone.
 */

/** Every CPU primitive with a cost (seconds per occurrence after normalisation). */
export const COST_NAMES = [
  "irq_entry",
  "irq_exit",
  "irq_mask",
  "irq_unmask",
  "softirq",
  "syscall_entry",
  "syscall_exit",
  "context_switch",
  "cache_refill",
  "sem_up",
  "sem_down",
  "wakeup",
  "signal_delivery",
  "reg_read",
  "reg_write",
  "dma_map_per_page",
  "timer",
  "blk_submit",
  "blk_complete",
  "blk_ring_entry",
  "ide_command",
  "ide_interrupt",
  "net_ring_entry",
  "nic_rx_packet",
  "nic_tx_packet",
  "nic_tx_clean",
  "skb_alloc",
  "skb_free",
  "netif_rx",
  "ip_udp_rx",
  "udp_recvmsg",
  "udp_sendmsg",
  "dev_xmit",
] as const;
export type CostName = (typeof COST_NAMES)[number];

export interface MachineModel {
  /** Name of the preset the values started from. */
  preset: string;
  /** CPU clock, Hz. */
  clock: number;
  /** Number of CPU cores. */
  cores: number;
  /** Memory page size, bytes (pinning and DMA mapping work per page). */
  page_size: number;
  /** Seconds per occurrence of each primitive. */
  costs: Record<CostName, number> & {
    /** Memory copy, seconds per byte. */
    copy_per_byte: number;
  };
  /** The ipbench-style idle-thread CPU meter (facts.md): seconds. */
  idle_meter: {
    /** Time of one iteration of the idle loop. */
    loop: number;
    /** A gap between two reads of the cycle counter shorter than this counts as idle. */
    threshold: number;
  };
}

export type Placement = "kernel" | "user";
export type IrqDelivery = "irq-file" | "signal";

export interface DriverModel {
  placement: Placement;
  /** User placement: how the driver process learns of an interrupt. */
  delivery: IrqDelivery;
  /** User placement: nice-style priority of the driver process (lower runs first). */
  priority: number;
  /** User placement: slots of each shared-memory loopback ring. */
  loopback_ring: number;
  /** Most work items the driver takes per activation (0 = unlimited). */
  batch_limit: number;
}

export interface DeviceModel {
  type: string;
  model: string;
  driver: DriverModel;
  [key: string]: unknown;
}

export interface WorkloadModel {
  type: string;
  [key: string]: unknown;
}

export interface RunModel {
  /** Simulated time measured, seconds (for disk-read: a cap; reaching it fails the point). */
  duration: number;
  warmup: number;
  cooldown: number;
  seed: number;
}

export type FaultKind = "crash" | "hang";
export type InFlightPolicy = "requeue" | "reissue" | "fail";

/** One injected driver fault (times in seconds from the start of the run). */
export interface FaultInjectionModel {
  device: string;
  fault: FaultKind;
  /** When (the first time, with `every`). */
  at?: number;
  /** Repeat period. */
  every?: number;
  /** Probability per driver activation (instead of at/every). */
  probability?: number;
}

export interface SupervisorModel {
  /** Heartbeat period, s. */
  heartbeat: number;
  /** Consecutive missed heartbeats before a driver is declared hung. */
  missed: number;
  /** Time a restart takes besides CPU, s. */
  restart_delay: number;
  /** CPU the new driver spends starting, s (a cost: cycles converted at the clock). */
  restart_cost: number;
  in_flight: InFlightPolicy;
  /** Nice value of the supervisor process. */
  priority: number;
}

/** The `faults:` section: present only when the scenario has one. */
export interface FaultsModel {
  inject: Record<string, FaultInjectionModel>;
  supervisor: SupervisorModel;
  /** Width of the throughput series' bins, s. */
  series_bin: number;
}

export interface NormalisedScenario {
  name: string;
  description?: string;
  machine: MachineModel;
  devices: Record<string, DeviceModel>;
  workload: WorkloadModel;
  run: RunModel;
  /** Driver faults and recovery; absent when the scenario has no `faults:` section. */
  faults?: FaultsModel;
  reference?: string;
  [key: string]: unknown;
}
