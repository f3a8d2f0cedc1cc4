/**
 * The supervisor of user-level drivers, after Minix 3's reincarnation server: a process that
 * restarts a driver at once when it dies, and kills and restarts one that stops answering.
 *
 * Death: each driver process it supervises holds a file (a registration, the "child
 * watch"); when the driver dies the kernel closes it (exit cleanup), which queues the death
 * and wakes the supervisor (the SIGCHLD a parent gets; its delivery is not charged). The supervisor, when it runs, knows
 * of the death — that is the time of detection — and spawns the driver's next incarnation
 * (a system call, fork + exec; the new process pays its own start-up).
 *
 * Hang: every `heartbeat` period a kernel timer wakes it. A driver writes its heartbeat word
 * at every activation; one that was not active since the last check has missed a heartbeat
 * and is pinged (a simulated interrupt on its IRQ file), which an idle but healthy driver
 * answers at once. After `missed` consecutive misses the driver is declared hung (detection)
 * and killed; its death then restarts it as above.
 *
 * Probes (a, b): `supervisor/death` (incarnation that died, 0), `supervisor/hang`
 * (incarnation declared hung, misses), `supervisor/restart` (new incarnation, 0),
 * `supervisor/ready` (incarnation serving, 0), `supervisor/ping` (incarnation, 0).
 */
import type { SupervisorModel } from "../../dsl/normalised.js";
import type { Probe } from "../../sim/probe.js";
import { fromSeconds, type SimTime } from "../../sim/time.js";
import type { Program, Task } from "../cpu/index.js";
import type { Kernel, KernelTimer, WaitQueue } from "../kernel/index.js";
import type { FaultTarget } from "./driver.js";
import type { FaultRecord } from "./log.js";

/** A supervised driver, as the supervisor and the fault hook share it. */
export interface Supervised {
  readonly target: FaultTarget;
  /** serving, down (dead, awaiting restart), starting (new incarnation initialising). */
  state: "serving" | "down" | "starting";
  /** Incarnation number of the process now (1 = the first). */
  incarnation: number;
  /** The driver's heartbeat word: activations so far. */
  activations: number;
  /** The fault being recovered from, if any. */
  open: FaultRecord | null;
  /** Incarnations started, and deaths seen (the conservation equation). */
  started: number;
  deaths: number;
  /** A death that had no fault record yet (a crash that struck at the death): called to make one. */
  onUnexplainedDeath(): FaultRecord;
}

export class Supervisor {
  task: Task | null = null;
  private readonly wq: WaitQueue;
  private readonly timer: KernelTimer;
  private beat = false;
  /** When the next heartbeat check is due: every period from the start, whatever the latency of the last. */
  private nextBeat: SimTime = 0;
  private readonly deaths: Supervised[] = [];
  private readonly lastSeen = new Map<Supervised, number>();
  private readonly misses = new Map<Supervised, number>();
  private readonly periodPs: SimTime;
  private readonly costPs: SimTime;
  private readonly delayPs: SimTime;
  private readonly p: { death: Probe; hang: Probe; restart: Probe; ready: Probe; ping: Probe };

  constructor(
    private readonly k: Kernel,
    private readonly cfg: SupervisorModel,
    private readonly drivers: readonly Supervised[],
  ) {
    this.wq = k.waitQueue("supervisor");
    this.periodPs = fromSeconds(cfg.heartbeat);
    this.costPs = fromSeconds(cfg.restart_cost);
    this.delayPs = fromSeconds(cfg.restart_delay);
    this.timer = k.timer("supervisor.heartbeat", (cx) => this.tick(cx));
    const probes = k.sim.probes;
    this.p = {
      death: probes.get("supervisor/death"),
      hang: probes.get("supervisor/hang"),
      restart: probes.get("supervisor/restart"),
      ready: probes.get("supervisor/ready"),
      ping: probes.get("supervisor/ping"),
    };
  }

  /** Adopt the drivers already running and start supervising (the start phase). */
  start(): void {
    for (const d of this.drivers) {
      const t = d.target.task;
      if (t !== null) this.adopt(d, t);
      this.lastSeen.set(d, d.activations);
      this.misses.set(d, 0);
    }
    const self = this;
    this.task = this.k.spawn("supervisor", function* (task): Program {
      yield* self.loop(task);
    }, { nice: this.cfg.priority });
    this.nextBeat = this.k.sim.now + this.periodPs;
    this.timer.armAt(this.nextBeat);
  }

  private adopt(d: Supervised, t: Task): void {
    // A file the child holds (its "child watch"): its close at the death is the SIGCHLD.
    this.k.register(t, () => this.died(d));
  }

  /** A driver process died (its child watch closed at exit). */
  private died(d: Supervised): void {
    d.deaths++;
    d.state = "down";
    if (d.open === null) d.open = d.onUnexplainedDeath();
    if (this.p.death.active) this.p.death.emit(d.incarnation, 0);
    this.deaths.push(d);
    this.wq.wakeOneNow();
  }

  /** The heartbeat timer (timer soft IRQ): wake the supervisor for a check. */
  private *tick(cx: Parameters<KernelTimer["callback"]>[0]): Program {
    this.beat = true;
    this.nextBeat += this.periodPs;
    this.timer.armAt(this.nextBeat);
    yield* this.wq.wakeOne(cx);
  }

  private *loop(self: Task): Program {
    const k = this.k;
    for (;;) {
      if (this.deaths.length === 0 && !this.beat) yield* k.syscall(self, this.pause(self));
      const dead = this.deaths.shift();
      if (dead !== undefined) {
        const rec = dead.open;
        if (rec !== null && rec.detectedAt === undefined) rec.detectedAt = k.sim.now;
        yield* k.syscall(self, this.restart(dead));
        continue;
      }
      if (this.beat) {
        this.beat = false;
        for (const d of this.drivers) yield* this.check(self, d);
      }
    }
  }

  /** pause(): until a child dies or the heartbeat timer fires. */
  private *pause(self: Task): Program {
    while (this.deaths.length === 0 && !this.beat) yield* this.wq.sleep(self);
  }

  /** fork + exec of the driver's next incarnation (the body of that system call). */
  private *restart(d: Supervised): Program {
    const k = this.k;
    d.state = "starting";
    d.incarnation++;
    d.started++;
    if (this.p.restart.active) this.p.restart.emit(d.incarnation, 0);
    const task = d.target.restart({
      costPs: this.costPs,
      delayPs: this.delayPs,
      ready: () => {
        d.state = "serving";
        const rec = d.open;
        if (rec !== null) rec.recoveredAt = k.sim.now;
        d.open = null;
        this.lastSeen.set(d, d.activations);
        this.misses.set(d, 0);
        if (this.p.ready.active) this.p.ready.emit(d.incarnation, 0);
      },
    });
    this.adopt(d, task);
  }

  /** One heartbeat check of `d`: answered, missed (ping it), or hung (kill it). */
  private *check(self: Task, d: Supervised): Program {
    if (d.state !== "serving") return;
    if (d.activations !== this.lastSeen.get(d)) {
      this.lastSeen.set(d, d.activations);
      this.misses.set(d, 0);
      return;
    }
    const misses = this.misses.get(d)! + 1;
    this.misses.set(d, misses);
    const k = this.k;
    if (misses >= this.cfg.missed) {
      const t = d.target.task;
      if (t === null) return;
      if (d.open === null) d.open = d.onUnexplainedDeath(); // not hung by an injected fault: starved, say
      d.open.detectedAt ??= k.sim.now;
      if (this.p.hang.active) this.p.hang.emit(d.incarnation, misses);
      yield* k.syscall(self, this.killBody(t)); // kill(pid, SIGKILL)
      return;
    }
    if (this.p.ping.active) this.p.ping.emit(d.incarnation, 0);
    yield* k.syscall(self, d.target.ping(self));
  }

  private *killBody(t: Task): Program {
    this.k.kill(t);
  }
}
