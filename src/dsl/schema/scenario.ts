/**
 * The scenario language, declared once. `scenarioSchema()` returns the JSON Schema
 * (draft-07) that ajv validates with, that `loopdrv schema` prints, that is committed as
 * schema/scenario.schema.json (a test fails when they drift), and from which
 * docs/scenario-language.md is generated.
 *
 * Adding a device type, driver placement or workload = a definition here (and a module in
 * src/model). Device and workload variants are selected by `type` with if/then, which both
 * ajv and the YAML language server understand.
 */
import { COST_NAMES } from "../normalised.js";
import { METRIC_NAMES } from "../metrics.js";
import { boolean, integer, number, object, oneOfStrings, quantity, string, type JsonSchema } from "./dsl.js";

export const SCHEMA_ID = "https://loopdrv.dev/schema/scenario.schema.json";

/** Register limits of the 82545GM (Intel PCI/PCI-X GbE SDM): 16-bit fields. */
const ITR_MAX = "16.77696 ms"; // 65535 × 256 ns
const DELAY_MAX = "67.10784 ms"; // 65535 × 1.024 µs

const COST_DESCRIPTIONS: Record<(typeof COST_NAMES)[number], string> = {
  irq_entry: "hardware interrupt entry: save state, dispatch to the handler",
  irq_exit: "hardware interrupt exit: restore state, return from interrupt",
  irq_mask: "mask an interrupt line at the interrupt controller",
  irq_unmask: "unmask an interrupt line at the interrupt controller",
  softirq: "dispatch of one soft-IRQ / bottom-half run",
  syscall_entry: "system call entry (trap into the kernel)",
  syscall_exit: "system call exit (return to user mode)",
  context_switch: "switch between two tasks (registers, stacks, address space)",
  cache_refill: "extra penalty after switching into a different address space (cache and TLB refill)",
  sem_up: "semaphore up (V)",
  sem_down: "semaphore down (P) without sleeping",
  wakeup: "make a sleeping task runnable (wait-queue work, scheduler bookkeeping)",
  signal_delivery: "deliver a signal to a process and run its handler frame",
  reg_read: "uncached device register read (MMIO/PIO), a round trip over the I/O bus",
  reg_write: "uncached device register write (posted)",
  dma_map_per_page: "pin a page and translate it to a bus address for DMA",
  timer: "arm or fire a kernel timer",
  blk_submit: "block layer, per request submitted: O_DIRECT bio set-up, make_request, elevator insert, request set-up and unplug (page pinning and mapping excluded: dma_map_per_page)",
  blk_complete: "block layer, per request completed: end_request, bio and O_DIRECT completion, unmapping and unpinning its pages",
  blk_ring_entry: "write or read one descriptor (a request or a completion) in a block-loopback ring in shared memory",
  ide_command: "IDE driver logic per ATA command besides its register accesses: take the request, build the busmaster PRD table",
  ide_interrupt: "IDE driver logic per completion interrupt besides its register accesses: check the result, finish the command",
  net_ring_entry: "write or read one descriptor in a network descriptor ring in memory: the NIC's receive and transmit rings, or a network-loopback ring in shared memory",
  nic_rx_packet: "e1000 driver logic per received packet besides its ring and register accesses: check status and length, unmap, eth_type_trans, checksum flags",
  nic_tx_packet: "e1000 driver logic per transmitted packet besides its ring and register accesses: checksum context, build the descriptor",
  nic_tx_clean: "e1000 driver logic per reclaimed transmit descriptor besides its ring access: check DD, release the buffer",
  skb_alloc: "allocate a socket buffer (sk_buff and its data) for a received packet",
  skb_free: "free a transmitted socket buffer (kfree_skb and sock_wfree, which returns its truesize to the send buffer)",
  netif_rx: "netif_rx(): put a received packet on the per-CPU backlog queue",
  ip_udp_rx: "NET_RX soft IRQ per packet: netif_receive_skb, ip_rcv, routing, udp_rcv, socket lookup, sock_queue_rcv_skb",
  udp_recvmsg: "recvfrom() body per datagram besides the copy to user: skb_recv_datagram, address copy-out, freeing the skb",
  udp_sendmsg: "sendto() body per datagram besides the copy from user: route lookup, skb allocation against the send buffer, UDP and IP headers",
  dev_xmit: "dev_queue_xmit() per packet: queueing discipline enqueue and dequeue, transmit lock, call into the driver",
};

const cost = (name: (typeof COST_NAMES)[number]): JsonSchema =>
  quantity("cost", {
    description: `${COST_DESCRIPTIONS[name]}. In cycles (scales with the clock) or as a time (does not).`,
    min: "0 s",
    max: "1 s",
    examples: ["1500 cycles", "1.2 us"],
  });

const machine = object(
  "The machine under test: a preset plus overrides. Values given here override the preset's.",
  {
    preset: string({
      description: "Machine preset the values start from (see src/presets/machines/).",
      default: "hp-zx2000",
      examples: ["hp-zx2000"],
    }),
    clock: quantity("frequency", { description: "CPU clock.", min: "1 MHz", max: "20 GHz", examples: ["900 MHz"] }),
    cores: integer({ description: "Number of CPU cores.", minimum: 1, maximum: 256 }),
    page_size: quantity("size", { description: "Memory page size (pinning and DMA mapping work per page).", min: "512 B", max: "1 GiB", examples: ["16 KiB"] }),
    costs: object(
      "CPU cost of each kernel primitive. A cost in cycles scales with the clock; a cost given as a time does not.",
      {
        ...Object.fromEntries(COST_NAMES.map((n) => [n, cost(n)])),
        copy_per_byte: quantity("cost_per_byte", {
          description: "Memory copy, per byte: cycles/B (scales with the clock) or ns/B.",
          examples: ["0.6 cycles/B"],
        }),
      },
    ),
    idle_meter: object("The idle-thread CPU meter (ipbench's method).", {
      loop: quantity("cost", { description: "Time of one iteration of the idle loop.", min: "0 s", max: "1 ms", examples: ["46 cycles"] }),
      threshold: quantity("cost", {
        description: "A gap between two reads of the cycle counter up to this long counts as idle; a longer one as time taken by something else.",
        min: "0 s",
        max: "1 ms",
        examples: ["300 cycles"],
      }),
    }),
  },
);

const driverCommon = {
  placement: oneOfStrings(["kernel", "user"], {
    description: "Where the driver runs: in the kernel (ISR + bottom half) or as a user-level process.",
    default: "kernel",
  }),
  delivery: oneOfStrings(["irq-file", "signal"], {
    description: "User placement: how the driver process learns of an interrupt: a blocking read() on /proc/irq/N/irq (the paper's choice) or a signal (an extra context switch).",
    default: "irq-file",
  }),
  priority: integer({
    description: "User placement: nice value of the driver process (-20 runs first, 19 last).",
    minimum: -20,
    maximum: 19,
    default: 0,
  }),
  loopback_ring: integer({
    description: "User placement: slots in each shared-memory loopback ring between the kernel and the driver.",
    minimum: 1,
    maximum: 65536,
    default: 256,
  }),
  batch_limit: integer({
    description: "Most work items the driver takes per activation (0 = as many as are queued).",
    minimum: 0,
    maximum: 65536,
    default: 0,
  }),
};

const driver = (extra: Record<string, JsonSchema> = {}) =>
  object("The device's driver and where it runs.", { ...driverCommon, ...extra });

const deviceCommon = (modelDefault: string | undefined, modelHelp: string) => ({
  type: { type: "string", description: "Device type." },
  model: string({
    description: `Device model preset: ${modelHelp}`,
    ...(modelDefault ? { default: modelDefault } : {}),
  }),
  irq: integer({ description: "Interrupt line number (default: assigned in device order from 16).", minimum: 0, maximum: 255 }),
});

const ideDisk = object(
  "An IDE (ATA) disk with busmaster DMA and one completion interrupt per command.",
  {
    ...deviceCommon("maxtor-diamondmax-plus-9", "see src/presets/devices/."),
    driver: driver(),
    media_rate: quantity("data_rate", { description: "Sustained media transfer rate.", min: "1 MB/s", max: "10 GB/s", examples: ["55 MiB/s"] }),
    interface_rate: quantity("data_rate", { description: "Interface (UDMA) transfer rate.", min: "1 MB/s", max: "100 GB/s", examples: ["100 MB/s"] }),
    rpm: integer({ description: "Spindle speed, revolutions per minute.", minimum: 1000, maximum: 20000 }),
    cache: quantity("size", { description: "Drive cache (buffer) size.", min: "0 B", max: "1 GiB", examples: ["2 MiB"] }),
    read_ahead: quantity("size", { description: "How far the drive reads ahead into its cache on sequential access.", min: "0 B", max: "1 GiB" }),
    command_overhead: quantity("time", { description: "Drive-side processing per command.", min: "0 s", max: "100 ms", examples: ["150 us"] }),
    max_sectors: integer({ description: "Most sectors one ATA command can carry (LBA28: 256); larger requests are split.", minimum: 1, maximum: 65536 }),
  },
  { required: ["type"] },
);

const holdoff = object(
  "Interrupt hold-off (moderation) timers of the 82545GM. Each is written as an interval (`500 us`) or as a rate (`2000/s`); 0 turns it off. Checked against the register ranges.",
  {
    itr: quantity("interval", { description: "ITR: minimum gap between interrupts (256 ns units).", min: "0 s", max: ITR_MAX, examples: ["2000/s", "125 us"] }),
    rdtr: quantity("interval", { description: "RDTR: receive packet timer, restarted on every received packet (1.024 µs units); 0 = interrupt per packet.", min: "0 s", max: DELAY_MAX }),
    radv: quantity("interval", { description: "RADV: receive absolute timer, not restarted (1.024 µs units); disabled when 0 or when RDTR is 0.", min: "0 s", max: DELAY_MAX }),
    tidv: quantity("interval", { description: "TIDV: transmit packet timer (1.024 µs units).", min: "0 s", max: DELAY_MAX }),
    tadv: quantity("interval", { description: "TADV: transmit absolute timer (1.024 µs units).", min: "0 s", max: DELAY_MAX }),
  },
);

const gigeNic = object(
  "A gigabit Ethernet controller modelled on the Intel 82545GM.",
  {
    ...deviceCommon("intel-82545gm", "see src/presets/devices/."),
    driver: driver({
      loopback: oneOfStrings(["rings", "tap"], {
        description: "User placement: the kernel–driver interface: the paper's zero-copy shared rings, or the standard TUN/TAP device (a read()/write() and a copy per packet).",
        default: "rings",
      }),
      rx_service: oneOfStrings(["interrupt", "every-activation"], {
        description: "User placement: when the driver services the NIC (reads the interrupt cause register, walks the receive and transmit rings): only after a real interrupt (the paper's batching design), or on every activation, including the loopback's simulated interrupts that only bring packets to send.",
        default: "interrupt",
      }),
    }),
    rx_ring: integer({ description: "Receive descriptors.", minimum: 8, maximum: 4096, multipleOf: 8 }),
    tx_ring: integer({ description: "Transmit descriptors.", minimum: 8, maximum: 4096, multipleOf: 8 }),
    rx_fifo: quantity("size", { description: "On-chip receive packet FIFO.", min: "2 KiB", max: "1 MiB", examples: ["48 KiB"] }),
    tx_fifo: quantity("size", { description: "On-chip transmit packet FIFO.", min: "2 KiB", max: "1 MiB", examples: ["16 KiB"] }),
    link_rate: quantity("data_rate", { description: "Line rate of the link.", min: "1 Mb/s", max: "400 Gb/s", examples: ["1 Gb/s"] }),
    dma_rate: quantity("data_rate", { description: "Rate at which the NIC moves packet data between its FIFOs and host memory (bus DMA).", min: "1 MB/s", max: "100 GB/s", examples: ["533 MB/s"] }),
    rx_buffer: quantity("size", { description: "Receive buffer the driver allocates per descriptor (e1000 rx_buffer_len); with the sk_buff it sets a received packet's truesize.", min: "256 B", max: "16 KiB", examples: ["2048 B"] }),
    holdoff,
  },
  { required: ["type"] },
);

const timerDevice = object(
  "A synthetic device that raises an interrupt at a fixed rate (for smoke tests of the core).",
  {
    ...deviceCommon(undefined, "none needed."),
    driver: driver(),
    rate: quantity("event_rate", { description: "Interrupts per second.", min: "0/s", max: "10000000/s", default: "1000/s" }),
    isr_cost: quantity("cost", { description: "CPU cost of the driver's handling of one interrupt.", min: "0 s", max: "1 ms", default: "2000 cycles" }),
  },
  { required: ["type"] },
);

export const DEVICE_TYPES: Record<string, JsonSchema> = {
  "ide-disk": ideDisk,
  "gige-nic": gigeNic,
  timer: timerDevice,
};

const diskRead = object(
  "The paper's disk benchmark: O_DIRECT reads of a contiguous range from sector 0.",
  {
    type: { type: "string", description: "Workload type." },
    device: string({ description: "Name of the disk device to read." }),
    bytes: quantity("size", { description: "Bytes read per repetition.", min: "512 B", max: "1024 GiB", default: "64 MiB", source: "Leslie et al. 2005, §4.1" }),
    transfer_size: quantity("size", { description: "Bytes per read() call (a whole number of sectors).", min: "512 B", max: "1 GiB", default: "1 sectors", examples: ["8 sectors", "4 KiB"] }),
    repetitions: integer({ description: "Repetitions per point; metrics are means with a _sd companion.", minimum: 1, maximum: 1000, default: 1 }),
    o_direct: boolean({ description: "Open the device with O_DIRECT (DMA straight into the reader's buffer). Only true is modelled.", default: true }),
    priority: integer({ description: "Nice value of the benchmark process.", minimum: -20, maximum: 19, default: 0 }),
  },
  { required: ["type", "device"] },
);

const udpEcho = object(
  "The paper's network benchmark (ipbench UDP echo): clients send evenly paced packets, an echo server on the target returns them.",
  {
    type: { type: "string", description: "Workload type." },
    device: string({ description: "Name of the NIC the echo traffic uses." }),
    payload: quantity("size", { description: "UDP payload per packet.", min: "1 B", max: "1472 B", default: "1024 B", source: "Leslie et al. 2005, §4.2" }),
    clients: integer({ description: "Number of ipbench client machines.", minimum: 1, maximum: 1024, default: 4 }),
    offered_load: quantity("data_rate", { description: "Total offered load (UDP payload bits), shared evenly by the clients.", min: "0 b/s", max: "100 Gb/s", default: "100 Mb/s" }),
    drop_threshold: quantity("time", { description: "A reply later than this counts as lost.", min: "1 us", max: "10 s", default: "100 ms" }),
    rcvbuf: quantity("size", {
      description: "Socket receive buffer the echo server asks for with setsockopt(SO_RCVBUF): Linux takes min(request, rmem_max) and doubles it; 0 = no setsockopt (the socket keeps rmem_default, as ipbench's echo-udp.c does). Capacity is counted in bytes of buffer truesize.",
      min: "0 B",
      max: "1 GiB",
      default: "0 B",
      zero: "no setsockopt",
      source: "au-ts/ipbench helpers/echo-servers/posix/old/echo-udp.c (no setsockopt)",
    }),
    sndbuf: quantity("size", {
      description: "Socket send buffer the echo server asks for with setsockopt(SO_SNDBUF): min(request, wmem_max), doubled; 0 = no setsockopt (wmem_default). sendto() blocks while the buffers in flight (truesize) reach it, until transmit completions free space.",
      min: "0 B",
      max: "1 GiB",
      default: "0 B",
      zero: "no setsockopt",
      source: "au-ts/ipbench helpers/echo-servers/posix/old/echo-udp.c (no setsockopt)",
    }),
    rmem_max: quantity("size", { description: "System maximum for SO_RCVBUF requests (net.core.rmem_max).", min: "256 B", max: "1 GiB", default: "65535 B", source: "Linux 2.6.6 include/linux/skbuff.h SK_RMEM_MAX" }),
    wmem_max: quantity("size", { description: "System maximum for SO_SNDBUF requests (net.core.wmem_max).", min: "256 B", max: "1 GiB", default: "65535 B", source: "Linux 2.6.6 include/linux/skbuff.h SK_WMEM_MAX" }),
    rmem_default: quantity("size", { description: "Receive buffer of a socket that never calls setsockopt (net.core.rmem_default).", min: "256 B", max: "1 GiB", default: "65535 B", source: "Linux 2.6.6 net/core/sock.c (sysctl_rmem_default = SK_RMEM_MAX)" }),
    wmem_default: quantity("size", { description: "Send buffer of a socket that never calls setsockopt (net.core.wmem_default).", min: "256 B", max: "1 GiB", default: "65535 B", source: "Linux 2.6.6 net/core/sock.c (sysctl_wmem_default = SK_WMEM_MAX)" }),
    backlog: integer({ description: "netif_rx input queue (netdev_max_backlog): packets waiting for the NET_RX soft IRQ; beyond it, arrivals are dropped until the queue has drained.", minimum: 1, maximum: 100000, default: 300, source: "Linux 2.6.6 net/core/dev.c netdev_max_backlog" }),
    skb_overhead: quantity("size", { description: "Bytes of bookkeeping counted in every buffer's truesize besides its data (sizeof(struct sk_buff) on the target).", min: "0 B", max: "4 KiB", default: "256 B" }),
    server_work: quantity("cost", { description: "The echo server's own user-mode work per datagram, between recvfrom() and sendto().", min: "0 s", max: "1 ms", default: "150 cycles" }),
    priority: integer({ description: "Nice value of the echo server process.", minimum: -20, maximum: 19, default: 0 }),
    switch_buffer: quantity("size", { description: "Buffer of the switch port towards the target (frames beyond it are dropped).", min: "0 B", max: "1 GiB", default: "512 KiB" }),
  },
  { required: ["type", "device"] },
);

const cpuHog = object(
  "A synthetic process (for smoke tests of the core): it computes in bursts forever, optionally sleeping between them.",
  {
    type: { type: "string", description: "Workload type." },
    burst: quantity("cost", { description: "Length of each compute burst.", min: "1 ns", max: "1 s", default: "100 us" }),
    think: quantity("time", { description: "Sleep between bursts (0: always runnable).", min: "0 s", max: "10 s", default: "0 s" }),
    priority: integer({ description: "Nice value of the process.", minimum: -20, maximum: 19, default: 0 }),
  },
  { required: ["type"] },
);

export const WORKLOAD_TYPES: Record<string, JsonSchema> = {
  "disk-read": diskRead,
  "udp-echo": udpEcho,
  "cpu-hog": cpuHog,
};

/** Select a variant by `type`: an enum for completion and messages, then if/then per type. */
function byType(description: string, variants: Record<string, JsonSchema>, defsPrefix: string): JsonSchema {
  const names = Object.keys(variants).sort();
  return {
    type: "object",
    description,
    required: ["type"],
    properties: { type: { type: "string", enum: names, description: `One of: ${names.join(", ")}.` } },
    allOf: names.map((n) => ({
      if: { properties: { type: { const: n } }, required: ["type"] },
      then: { $ref: `#/definitions/${defsPrefix}${n}` },
    })),
  };
}

const PATH_PATTERN = "^[A-Za-z_][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*$";

const sweepValue: JsonSchema = {
  description: "A value, or a range {from, to, step} (inclusive), of the axis's type.",
  oneOf: [
    { type: ["string", "number", "boolean"] },
    object("An inclusive range of values.", {
      from: { type: ["string", "number"], description: "First value." },
      to: { type: ["string", "number"], description: "Last value (included when the steps reach it)." },
      step: { type: ["string", "number"], description: "Positive step." },
    }, { required: ["from", "to", "step"] }),
  ],
};

const axes = (description: string): JsonSchema => ({
  type: "object",
  description,
  propertyNames: { pattern: PATH_PATTERN },
  additionalProperties: {
    description: "The values of this axis: a list of values and ranges, or a single range.",
    oneOf: [{ type: "array", items: sweepValue, minItems: 1 }, sweepValue],
  },
});

const selection: JsonSchema = {
  type: "object",
  description: "Select points by parameter values (dotted path → value); all must match.",
  propertyNames: { pattern: PATH_PATTERN },
  additionalProperties: { type: ["string", "number", "boolean"] },
};

const at = oneOfStrings(["point", "peak", "all"], {
  description: "Where to look among the selected points: `point` (exactly one point), `peak` (the point where the metric is largest), `all` (every point must pass).",
  default: "all",
});

const expectItem = object(
  "A pass/fail check on the results (evaluated at the end of a run; a failure exits with code 1).",
  {
    name: string({ description: "What the check states, in words." }),
    metric: { type: "string", enum: [...METRIC_NAMES], description: "The metric checked (see the results document)." },
    where: selection,
    at,
    op: oneOfStrings(["<", "<=", ">", ">=", "==", "!="], { description: "Comparison." }),
    value: { type: ["string", "number"], description: "A value in the metric's dimension (`700 Mb/s`, `0.6`)." },
    ratio: object("Compare with another selection's value times a factor: e.g. user peak ≥ 0.9 × kernel peak.", {
      where: selection,
      at,
      factor: number({ description: "Factor applied to the other selection's value.", default: 1 }),
    }),
    tolerance: number({ description: "Relative tolerance for == and !=.", minimum: 0, maximum: 1, default: 0 }),
  },
  { required: ["metric", "op"] },
);

const faultInjection = object(
  "One fault injected into a device's driver: what happens (crash or hang) and when (at a time, periodically, or with a probability per driver activation).",
  {
    device: string({ description: "Name of the device whose driver fails (an ide-disk or a gige-nic)." }),
    fault: oneOfStrings(["crash", "hang"], {
      description:
        "crash: the driver dies (at user level a fatal signal kills the process; in the kernel it is a kernel crash). hang: it stops responding without dying (at user level the supervisor notices missed heartbeats and kills it; in the kernel a lock-up, which also stops the system).",
      default: "crash",
    }),
    at: quantity("time", { description: "When the fault happens, from the start of the run (warm-up included); with `every`, the first time.", min: "0 s", max: "1000 s", examples: ["500 ms"] }),
    every: quantity("time", { description: "Repeat the fault with this period (from `at`, or from one period in when `at` is not given).", min: "1 us", max: "1000 s", examples: ["250 ms"] }),
    probability: number({
      description: "Instead of `at`/`every`: the probability of the fault at each activation of the driver (a wake-up of the user-level process, or a run of the in-kernel interrupt routine).",
      minimum: 0,
      maximum: 1,
    }),
  },
  { required: ["device"] },
);

const supervisor = object(
  "The supervisor of user-level drivers (after Minix 3's reincarnation server and ublk's recovery): it restarts a driver that died at once, and kills and restarts one that misses heartbeats.",
  {
    heartbeat: quantity("time", {
      description: "Heartbeat period: each period the supervisor checks that every driver was active since the last check, and pings (a simulated interrupt) one that was not.",
      min: "10 us",
      max: "100 s",
      default: "10 ms",
      source: "estimate (Minix 3's reincarnation server pings drivers periodically; the period is a free parameter)",
    }),
    missed: integer({ description: "Consecutive heartbeat periods without an answer before a driver is declared hung, killed and restarted (at least 2: an idle driver answers the ping of the period before).", minimum: 2, maximum: 1000, default: 3 }),
    restart_delay: quantity("time", {
      description: "Time a restart takes besides CPU: loading the driver and the device reset settling, before the new driver serves.",
      min: "0 s",
      max: "100 s",
      default: "1 ms",
      source: "estimate",
    }),
    restart_cost: quantity("cost", {
      description: "CPU the new driver process spends starting (exec, initialisation, device reset), beyond the mechanisms modelled on its own: opening the IRQ file, registering with the loopback, posting buffers.",
      min: "0 s",
      max: "1 s",
      default: "200 us",
      source: "estimate",
    }),
    in_flight: oneOfStrings(["requeue", "reissue", "fail"], {
      description:
        "Work in flight when a driver dies (ublk's recovery modes): requeue — work handed to the dead driver fails, new work waits for the new one; reissue — work handed to the dead driver is handed again to the new one, new work waits; fail — work handed to it fails, and new work fails at once until the new driver serves.",
      default: "requeue",
      source: "Linux ublk: UBLK_F_USER_RECOVERY, …_REISSUE, …_FAIL_IO",
    }),
    priority: integer({ description: "Nice value of the supervisor process.", minimum: -20, maximum: 19, default: -10 }),
  },
);

const faults = object(
  "Driver faults and recovery (beyond the paper: §2's restartable drivers). A user-level driver that dies is cleaned up by the kernel and restarted by a supervisor; an in-kernel driver fault is a kernel crash, and the point's status is `crashed`. With `faults:` every point also records a throughput time series.",
  {
    inject: {
      type: "object",
      description: "The faults, by name (e.g. `crash`, `hang`); `run.quick` and sweeps address them as faults.inject.NAME.at.",
      propertyNames: { pattern: "^[a-z][a-z0-9_]*$" },
      additionalProperties: faultInjection,
    },
    supervisor,
    series_bin: quantity("time", { description: "Width of the bins of each point's throughput time series.", min: "1 us", max: "100 s", default: "10 ms" }),
  },
);

/** The fault injection entry, for the generated reference. */
export const FAULT_INJECTION = faultInjection;

export function scenarioSchema(): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  for (const [k, v] of Object.entries(DEVICE_TYPES)) definitions[`device-${k}`] = v;
  for (const [k, v] of Object.entries(WORKLOAD_TYPES)) definitions[`workload-${k}`] = v;
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    $id: SCHEMA_ID,
    title: "loopdrv scenario",
    description:
      "A loopdrv scenario: a machine, its devices and where their drivers run, a workload, how long to run, and what to sweep.",
    type: "object",
    additionalProperties: false,
    required: ["devices", "workload"],
    properties: {
      name: string({ description: "Scenario name (default: the file name without extension; not taken from a file this one extends).", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" }),
      description: string({ description: "What this scenario shows, in a sentence or two (not taken from a file this one extends)." }),
      extends: string({ description: "Another scenario file this one builds on (deep merge; this file wins). Relative to this file.", examples: ["gige-kernel.yaml"] }),
      machine,
      devices: {
        type: "object",
        description: "The devices, by name (e.g. `hda`, `eth0`).",
        propertyNames: { pattern: "^[a-z][a-z0-9_]*$" },
        minProperties: 1,
        additionalProperties: byType("A device.", DEVICE_TYPES, "device-"),
      },
      workload: byType("What runs on the machine.", WORKLOAD_TYPES, "workload-"),
      run: object("How long to run each point, and the seed.", {
        duration: quantity("time", {
          description: "Simulated time measured per point, after warm-up. For disk-read it is a cap (reaching it fails the point), 1000 s unless given.",
          min: "1 us",
          max: "1000 s",
          default: "1 s",
        }),
        warmup: quantity("time", { description: "Simulated time before measurement starts.", min: "0 s", max: "1000 s", default: "0 s" }),
        cooldown: quantity("time", { description: "Time after the measurement window during which the load goes on, as in ipbench. The emulated clients never stop before the simulation does, so the window always ends under load and replies are counted by their arrival inside it: the cooldown changes no result and is not simulated.", min: "0 s", max: "1000 s", default: "0 s" }),
        seed: integer({ description: "Run seed; each point's seed derives from it and the point's swept values, so adding a sweep value leaves the other points as they were, a --set (which gives every point one value) changes no seed, and the same configuration reached through another sweep runs with another seed (its results differ by their noise).", minimum: 0, maximum: 4294967295, default: 1 }),
        quick: {
          type: "object",
          description: "Overrides applied with --quick (dotted path → value), instead of the default shortening (durations and warm-ups ÷ 10, disk bytes 1 MiB, repetitions 1): a block replaces it, it does not add to it.",
          propertyNames: { pattern: PATH_PATTERN },
          additionalProperties: { type: ["string", "number", "boolean"] },
        },
      }),
      sweep: object("Parameters to vary. `matrix` axes combine as a cartesian product; `zip` axes advance together; `exclude` drops combinations.", {
        matrix: axes("Cartesian axes: dotted path → values."),
        zip: axes("Lock-step axes: dotted path → values; all the same length."),
        exclude: {
          type: "array",
          description: "Combinations to leave out: each entry drops every point matching all of its values.",
          items: selection,
        },
      }),
      faults,
      reference: string({ description: "Name of packaged reference data to compare with (e.g. `paper-fig4`).", examples: ["paper-fig2", "paper-fig4"] }),
      figure: object(
        "The axes of the figure `--out` draws and the dashboard charts. Default: x is the swept numeric parameter with the most values, every other swept parameter makes series, y is throughput and CPU utilisation (those measured).",
        {
          x: string({ description: "Dotted path of the swept numeric parameter on x.", pattern: PATH_PATTERN, examples: ["workload.offered_load"] }),
          series: {
            type: "array",
            description: "Dotted paths of the swept parameters whose combinations make the series, in legend order (other swept parameters are added after them).",
            items: { type: "string", pattern: PATH_PATTERN },
          },
          y: {
            type: "array",
            description: "Metrics on y: the first on the left axis, the second on the right.",
            items: { type: "string", enum: [...METRIC_NAMES] },
            minItems: 1,
            maxItems: 2,
          },
          x_scale: oneOfStrings(["auto", "linear", "log"], {
            description: "Scale of the x axis; auto is log when the values span more than a factor of 100.",
            default: "auto",
          }),
        },
      ),
      expect: { type: "array", description: "Pass/fail checks on the results.", items: expectItem },
    },
    definitions,
  };
}
