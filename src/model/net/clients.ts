/**
 * The ipbench clients and the switch between them and the target (paper §4.2, Fig. 3;
 * facts.md "ipbench").
 *
 * Each of N clients sends UDP packets of `payload` bytes at its share of the offered load,
 * evenly spaced — ipbench sends whenever (now − start) × rate > sent — starting at a
 * random phase drawn from its own stream. Each client's frames cross its own link to the
 * switch; the switch port towards the target has a finite buffer and drops what does not
 * fit (beyond wire speed it must). Replies cross the target's link back and the switch to
 * the client's port. A reply later than `drop threshold` is lost (stage `late_reply`);
 * the others count as echoed, with their latency (send to reply received).
 *
 * Event economy: the clients are open-loop, so their sends and the switch port's schedule
 * are pure arithmetic. The only event is the arrival of each accepted frame at the NIC;
 * when it fires, the next accepted frame is computed and its arrival scheduled. Replies are
 * settled lazily (their arrival is known when the NIC schedules their transmission).
 *
 * Probe `workload/delivered` (a: time the reply reached its client, ps; b: payload bytes),
 * for each reply in time, emitted when it is settled (lazily, by the end of the point).
 */
import type { Simulator } from "../../sim/kernel.js";
import type { Probe } from "../../sim/probe.js";
import type { Rng } from "../../sim/rng.js";
import { PS_PER_S, roundTime, type SimTime } from "../../sim/time.js";
import { Deque } from "../kernel/deque.js";
import type { DropCounters } from "./drops.js";
import { frameBytes, wireTimePs } from "./ethernet.js";
import { Packet } from "./packet.js";
import { SwitchPort } from "./switch.js";

export interface ClientsConfig {
  clients: number;
  /** Total offered UDP payload, bit/s. */
  offeredBitsPerS: number;
  payload: number;
  /** Rate of every link (clients, switch ports, target), bit/s. */
  linkRate: number;
  /** Buffer of the switch port towards the target, bytes. */
  switchBuffer: number;
  dropThresholdPs: SimTime;
  windowStart: SimTime;
  windowEnd: SimTime;
}

export class IpbenchClients {
  private readonly n: number;
  /** Per client: time of its k-th send is phase + round(k × period). */
  private readonly periodPs: number;
  private readonly phase: Float64Array;
  private readonly count: Float64Array;
  private readonly nextSend: Float64Array;
  private readonly linkFree: Float64Array;
  private readonly port: SwitchPort;
  private readonly serPs: SimTime;
  private readonly frame: number;
  /** Frames the switch accepted, not yet at the NIC, with the time each reaches it. */
  private readonly accepted = new Deque<Packet>(64);
  private readonly acceptedAt = new Deque<number>(64);
  /** The arrival of the head of `accepted` is scheduled. */
  private scheduled = false;
  private readonly onArrive: () => void;
  /** Replies on their way back, with the time each reaches its client. */
  private readonly replies = new Deque<Packet>(256);
  private readonly replyAt = new Deque<number>(256);
  /** Latencies of the replies received in the window, ps: the first `latencyCount` entries. */
  private latencies = new Float64Array(1024);
  private latencyCount = 0;
  /** latencyStats() of the first `statsCount` latencies (a live display asks more than once). */
  private stats: { p50: number; p90: number; p99: number; max: number } | undefined;
  private statsCount = 0;
  private readonly pDelivered: Probe;

  /** Packets sent (all time), and within the window. */
  sent = 0;
  sentInWindow = 0;
  /** Replies received in time (all time), and within the window. */
  echoed = 0;
  echoedInWindow = 0;

  constructor(
    private readonly sim: Simulator,
    readonly cfg: ClientsConfig,
    rngs: readonly Rng[],
    /** Hands a frame whose last bit has arrived to the NIC. */
    private readonly deliver: (pkt: Packet) => void,
    private readonly drops: DropCounters,
  ) {
    this.n = cfg.clients;
    this.frame = frameBytes(cfg.payload);
    this.serPs = wireTimePs(cfg.payload, cfg.linkRate);
    this.port = new SwitchPort(cfg.switchBuffer);
    this.pDelivered = sim.probes.get("workload/delivered");
    // Each client's rate is offered / N payload bits per second.
    this.periodPs = cfg.offeredBitsPerS > 0 ? (cfg.payload * 8 * this.n * PS_PER_S) / cfg.offeredBitsPerS : Infinity;
    this.phase = new Float64Array(this.n);
    this.count = new Float64Array(this.n);
    this.nextSend = new Float64Array(this.n);
    this.linkFree = new Float64Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const ph = this.periodPs === Infinity ? Infinity : Math.floor(rngs[i]!.next() * this.periodPs);
      this.phase[i] = ph;
      this.nextSend[i] = ph;
    }
    this.onArrive = () => {
      this.scheduled = false;
      this.acceptedAt.shift();
      const p = this.accepted.shift()!;
      this.deliver(p);
      this.advance();
    };
  }

  /** Time one frame takes on a link, ps. */
  get frameTimePs(): SimTime {
    return this.serPs;
  }

  start(): void {
    this.advance();
  }

  /**
   * Process every send due by now (through the client links and the switch port), and at
   * least one more if no accepted frame is on its way; schedule the next arrival at the NIC.
   */
  private advance(): void {
    const now = this.sim.now;
    while (this.earliestSend() <= now) this.sendNext();
    while (this.accepted.length === 0 && this.earliestSend() < Infinity) this.sendNext();
    if (!this.scheduled && this.accepted.length > 0) {
      this.scheduled = true;
      this.sim.at(this.acceptedAt.peek()!, this.onArrive);
    }
  }

  /** Bring the clients up to now without scheduling (at the end of a run, for the counts). */
  catchUp(): void {
    const now = this.sim.now;
    while (this.earliestSend() < now) this.sendNext();
  }

  private earliestSend(): number {
    let t = Infinity;
    for (let i = 0; i < this.n; i++) if (this.nextSend[i]! < t) t = this.nextSend[i]!;
    return t;
  }

  /** The earliest client sends: across its link to the switch, which queues or drops it. */
  private sendNext(): void {
    let c = 0;
    let t = this.nextSend[0]!;
    for (let i = 1; i < this.n; i++) {
      if (this.nextSend[i]! < t) {
        t = this.nextSend[i]!;
        c = i;
      }
    }
    const k = ++this.count[c]!;
    this.nextSend[c] = this.phase[c]! + roundTime(k * this.periodPs);
    this.sent++;
    if (t >= this.cfg.windowStart && t < this.cfg.windowEnd) this.sentInWindow++;
    // The client's own link, then the switch (store and forward).
    const lf = this.linkFree[c]!;
    const atSwitch = (lf > t ? lf : t) + this.serPs;
    this.linkFree[c] = atSwitch;
    const atNic = this.port.offer(atSwitch, this.frame, this.serPs);
    if (atNic < 0) {
      this.drops.add("switch", atSwitch);
      return;
    }
    this.accepted.push(new Packet(c, t, this.cfg.payload, this.frame));
    this.acceptedAt.push(atNic);
  }

  /** The target has scheduled `pkt`'s reply: its last bit leaves the target at `wireEnd`. */
  reply(pkt: Packet, wireEnd: SimTime): void {
    // Store and forward through the switch to the client's own port (never congested: the
    // target's link is no faster than the client's).
    this.replies.push(pkt);
    this.replyAt.push(wireEnd + this.serPs);
  }

  /** Account the replies that have reached their clients by now. */
  settle(): void {
    const now = this.sim.now;
    while (this.replyAt.length > 0 && this.replyAt.peek()! <= now) {
      const at = this.replyAt.shift()!;
      const p = this.replies.shift()!;
      const latency = at - p.sentAt;
      if (latency > this.cfg.dropThresholdPs) {
        this.drops.add("late_reply", at);
        continue;
      }
      this.echoed++;
      if (this.pDelivered.active) this.pDelivered.emit(at, p.payload);
      if (at >= this.cfg.windowStart && at < this.cfg.windowEnd) {
        this.echoedInWindow++;
        if (this.latencyCount === this.latencies.length) {
          const grown = new Float64Array(2 * this.latencies.length);
          grown.set(this.latencies);
          this.latencies = grown;
        }
        this.latencies[this.latencyCount++] = latency;
      }
    }
  }

  /** Frames accepted by the switch and not yet at the NIC. */
  get inSwitch(): number {
    return this.accepted.length;
  }

  /** Replies on their way back (sent by the target, not yet at their client). */
  get outbound(): number {
    return this.replies.length;
  }

  /** Latency percentiles of the replies received in the window, seconds. */
  latencyStats(): { p50: number; p90: number; p99: number; max: number } | undefined {
    const n = this.latencyCount;
    if (n === 0) return undefined;
    if (this.statsCount !== n || this.stats === undefined) {
      // The order statistics a sort would put at these ranks, found by selection (linear
      // time; a sort of a window's 10^5 latencies took as long as a tenth of the point).
      const xs = this.latencies.slice(0, n);
      const rank = (f: number) => Math.min(n - 1, Math.ceil(f * n) - 1);
      // Highest rank first: a selection leaves the smaller ranks in front of it, where the
      // next one looks.
      const r99 = rank(0.99);
      const r90 = rank(0.9);
      const r50 = rank(0.5);
      const p99 = select(xs, r99, 0, n - 1);
      const p90 = select(xs, r90, 0, r99);
      const p50 = select(xs, r50, 0, r90);
      let max = -Infinity;
      for (let i = 0; i < n; i++) if (xs[i]! > max) max = xs[i]!;
      this.stats = { p50: p50 / PS_PER_S, p90: p90 / PS_PER_S, p99: p99 / PS_PER_S, max: max / PS_PER_S };
      this.statsCount = n;
    }
    return { ...this.stats };
  }
}

/**
 * The value a numeric ascending sort of `a` (finite numbers) would put at index `k`, found
 * in a[lo..hi] — which must hold exactly the values a sort puts at lo..hi (all of `a`, or
 * the front left by an earlier selection) — by quickselect with three-way partitioning
 * (latencies repeat a lot). Reorders a[lo..hi]: afterwards a[k] holds that value, the
 * values before it are ≤ it and those after it ≥.
 */
export function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (lo < hi) {
    // Median of three as the pivot.
    const mid = (lo + hi) >>> 1;
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // a[lo..lt) < pivot, a[lt..i) = pivot, a(gt..hi] > pivot.
    let lt = lo;
    let i = lo;
    let gt = hi;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt] = v;
        gt--;
      } else {
        i++;
      }
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return a[k]!;
}

