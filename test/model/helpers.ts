/**
 * Test helpers: a small machine with round costs (so traces can be checked by hand) and a
 * trace recorder that turns probe events into one readable line each.
 */
import { COST_NAMES, type CostName, type MachineModel } from "../../src/dsl/normalised.js";
import { ACTIVITY_CLASSES } from "../../src/model/cpu/index.js";
import { Kernel, type KernelOptions } from "../../src/model/kernel/index.js";
import { Simulator } from "../../src/sim/kernel.js";

/** Costs of the test machine, ns (1 GHz clock: 1 ns = 1 cycle). */
export const TEST_COSTS_NS: Record<CostName, number> = {
  irq_entry: 50,
  irq_exit: 30,
  irq_mask: 15,
  irq_unmask: 25,
  softirq: 35,
  syscall_entry: 20,
  syscall_exit: 20,
  context_switch: 200,
  cache_refill: 100,
  sem_up: 10,
  sem_down: 10,
  wakeup: 40,
  signal_delivery: 300,
  reg_read: 500,
  reg_write: 250,
  dma_map_per_page: 80,
  timer: 60,
  blk_submit: 400,
  blk_complete: 300,
  blk_ring_entry: 5,
  ide_command: 100,
  ide_interrupt: 60,
  net_ring_entry: 5,
  nic_rx_packet: 100,
  nic_tx_packet: 100,
  nic_tx_clean: 50,
  skb_alloc: 60,
  skb_free: 40,
  netif_rx: 20,
  ip_udp_rx: 300,
  udp_recvmsg: 150,
  udp_sendmsg: 250,
  dev_xmit: 80,
};

export interface TestMachineOptions {
  cores?: number;
  clock?: number;
  costsNs?: Partial<Record<CostName, number>>;
  copyPerByteNs?: number;
  pageSize?: number;
  /** Idle meter loop and threshold, s. */
  loop?: number;
  threshold?: number;
}

export function testMachine(o: TestMachineOptions = {}): MachineModel {
  const costs = {} as Record<CostName, number>;
  for (const n of COST_NAMES) costs[n] = ((o.costsNs?.[n] ?? TEST_COSTS_NS[n]) as number) * 1e-9;
  return {
    preset: "test",
    clock: o.clock ?? 1e9,
    cores: o.cores ?? 1,
    page_size: o.pageSize ?? 16384,
    costs: { ...costs, copy_per_byte: (o.copyPerByteNs ?? 0.5) * 1e-9 },
    idle_meter: { loop: o.loop ?? 46e-9, threshold: o.threshold ?? 300e-9 },
  };
}

export function setup(o: TestMachineOptions = {}, ko: KernelOptions = {}): { sim: Simulator; k: Kernel } {
  const sim = new Simulator(1);
  const k = new Kernel(sim, testMachine(o), ko);
  return { sim, k };
}

/** ns → ps. */
export const ns = (v: number): number => Math.round(v * 1000);

/**
 * Record every probe event as "<t ns> <probe> <a> <b>"; `cpu<N>/time` events read
 * "<t ns> cpu<N>/time <class> <length ns>". `only` keeps probes whose name matches.
 */
export function record(sim: Simulator, only?: RegExp): string[] {
  const lines: string[] = [];
  sim.probes.subscribeAll((name, t, a, b) => {
    if (only && !only.test(name)) return;
    if (/^cpu\d+\/time$/.test(name)) lines.push(`${fmt(t)} ${name} ${ACTIVITY_CLASSES[a]} ${fmt(b)}`);
    else lines.push(`${fmt(t)} ${name} ${a} ${b}`);
  });
  return lines;
}

function fmt(ps: number): string {
  return String(ps / 1000);
}
