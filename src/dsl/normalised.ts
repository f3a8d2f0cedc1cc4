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

export interface NormalisedScenario {
  name: string;
  description?: string;
  machine: MachineModel;
  devices: Record<string, DeviceModel>;
  workload: WorkloadModel;
  run: RunModel;
  reference?: string;
  [key: string]: unknown;
}
