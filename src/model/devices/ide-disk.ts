/**
 * The `ide-disk` device: an ATA drive (per-command overhead, a buffer with sequential
 * read-ahead, media rate, rotation, interface rate) behind a busmaster IDE controller
 * (DMA into host memory, one completion interrupt per command), the kernel's block layer
 * for it, and its IDE driver in the scenario's placement:
 *
 *   disk-read ──read()──▶ BlockLayer ──request_fn──▶ kernel: IdeDriverLogic (+ ISR)
 *                                                  user:   BlockLoopback rings ⇄ driver process
 *                                      IdeDriverLogic ──registers──▶ IdeController ◀─▶ DriveMechanics
 *
 * The workload reaches it through `BlockDevice.read`, the O_DIRECT read() system call.
 * Random stream: `<path>/rotation` (the platter's angle at t = 0, so repetitions differ in
 * the first access's rotational wait).
 */
import type { DeviceModel, DriverModel } from "../../dsl/normalised.js";
import { fromSeconds } from "../../sim/time.js";
import type { Program, Task } from "../cpu/index.js";
import { BlockLayer } from "../block/block-layer.js";
import { DriveMechanics, SECTOR_BYTES, type DriveTiming } from "../block/drive-mechanics.js";
import { IdeController } from "../block/ide-controller.js";
import { IdeDriverLogic } from "../block/ide-driver.js";
import { BlockLoopback } from "../block/loopback.js";
import { placeInKernel, UserBlockDriver } from "../block/placement.js";
import type { DriverFaultHook, FaultTarget } from "../faults/driver.js";
import type { BuildContext, Component, Conservation, DeviceModule } from "../registry.js";

/** The normalised `ide-disk` device (SI units: bit/s, bytes, seconds). */
export interface IdeDiskSpec extends DeviceModel {
  media_rate: number;
  interface_rate: number;
  rpm: number;
  cache: number;
  read_ahead: number;
  command_overhead: number;
  max_sectors: number;
  irq: number;
  driver: DriverModel;
}

/** What a workload reads through. */
export interface BlockDevice {
  readonly name: string;
  /** The O_DIRECT read() system call by `self`: `bytes` from sector `lba`; returns bytes read. */
  read(self: Task, lba: number, bytes: number): Program<number>;
}

export interface IdeDiskComponent extends Component {
  readonly disk: BlockDevice;
  readonly faultTarget: FaultTarget;
}

/** Drive timing in integer ps from the normalised spec. */
export function driveTiming(spec: IdeDiskSpec): DriveTiming {
  const mediaBytesPerS = spec.media_rate / 8;
  const ifBytesPerS = spec.interface_rate / 8;
  return {
    sectorMediaPs: fromSeconds(SECTOR_BYTES / mediaBytesPerS),
    sectorInterfacePs: fromSeconds(SECTOR_BYTES / ifBytesPerS),
    revolutionPs: fromSeconds(60 / spec.rpm),
    commandOverheadPs: fromSeconds(spec.command_overhead),
    readAheadSectors: Math.floor(Math.min(spec.read_ahead, spec.cache) / SECTOR_BYTES),
    cacheSectors: Math.floor(spec.cache / SECTOR_BYTES),
  };
}

export const ideDisk: DeviceModule = {
  create(ctx: BuildContext, raw: DeviceModel): IdeDiskComponent {
    const spec = raw as IdeDiskSpec;
    const { k, sim, name } = ctx;
    const timing = driveTiming(spec);
    const phase0 = Math.floor(sim.rng(`${ctx.path}/rotation`).next() * timing.revolutionPs);
    const mechanics = new DriveMechanics(timing, phase0);
    const layer = new BlockLayer(k, name, spec.max_sectors);
    const user = spec.driver.placement === "user";
    const loopback = user ? new BlockLoopback(k, `${name}.loopback`, layer, spec.driver.loopback_ring) : null;
    let hw: IdeController;
    let logic: IdeDriverLogic;
    let userDriver: UserBlockDriver | null = null;
    let hook: DriverFaultHook | null = null;
    let taken = 0;

    const disk: BlockDevice = {
      name,
      read: (self, lba, bytes) => k.syscall(self, layer.read(self, lba, bytes)),
    };

    /** Requests submitted and not yet ended: queued, in a ring, with the driver or on the drive, or inside end_request. */
    const requestsInFlight = () =>
      layer.queued + layer.ending + (loopback ? loopback.requests.size + loopback.completions.size + loopback.held : logic.inService ? 1 : 0);

    const faultTarget: FaultTarget = {
      device: name,
      placement: spec.driver.placement,
      irq: spec.irq,
      supportsFaults: true,
      attachFaults(h, policy) {
        hook = h;
        if (userDriver) userDriver.hook = h;
        if (loopback) loopback.policy = policy;
      },
      get task() {
        return userDriver?.task ?? null;
      },
      restart(plan) {
        if (!userDriver) throw new Error(`bug: restart of the in-kernel driver of ${name}`);
        return userDriver.restart(plan);
      },
      ping(cx) {
        if (!userDriver) throw new Error(`bug: heartbeat to the in-kernel driver of ${name}`);
        return userDriver.ping(cx);
      },
    };

    return {
      path: ctx.path,
      disk,
      faultTarget,
      init() {
        const line = k.irq(spec.irq);
        for (let c = 0; c < k.coreCount; c++) {
          sim.probes.get(`cpu${c}/irq`).subscribe((_t, vector) => {
            if (vector === spec.irq) taken++;
          });
        }
        hw = new IdeController(sim, name, mechanics, line);
        logic = new IdeDriverLogic(k, hw);
        if (!user) placeInKernel(k, spec.irq, layer, logic, () => hook);
        else {
          userDriver = new UserBlockDriver(k, `${name}-driver`, loopback!, logic, hw, { irq: spec.irq, delivery: spec.driver.delivery, priority: spec.driver.priority }, layer);
          userDriver.hook = hook;
        }
      },
      start() {
        userDriver?.start();
      },
      metrics() {
        // Requests failed with EIO by a driver fault (reported when the scenario has faults),
        // or, after a kernel crash, every request in flight at that moment.
        if (ctx.scenario.faults === undefined) return {};
        const lost = layer.failed + (k.panicked !== null ? requestsInFlight() : 0);
        return { drops: { driver_fault: lost } };
      },
      conservation(): Conservation[] {
        const line = k.irq(spec.irq);
        const out: Conservation[] = [
          // Submitted by readers; completed or failed by end_request; the rest queued, in a
          // ring, with the driver (or on the drive), or inside end_request.
          {
            name: "block requests",
            issued: layer.submitted,
            completed: layer.completed,
            dropped: layer.failed,
            inFlight: requestsInFlight(),
          },
          // Written to the command register; completed by the drive or aborted by a reset; at most one in progress.
          { name: "ATA commands", issued: hw.commandsIssued, completed: hw.commandsCompleted, dropped: hw.commandsAborted, inFlight: hw.busy ? 1 : 0 },
          // Bytes commanded = bytes the busmaster engine moved into host memory + aborted + the command in progress.
          { name: "DMA bytes", issued: hw.bytesCommanded, completed: hw.bytesDma, dropped: hw.bytesAborted, inFlight: hw.sectorsInProgress * SECTOR_BYTES },
          // Every raise was taken by a core, merged with one still outstanding, or is outstanding.
          {
            name: "disk interrupts",
            issued: hw.interruptsRaised,
            completed: taken,
            dropped: hw.interruptsMerged,
            inFlight: (line.pending ? 1 : 0) + (line.queued ? 1 : 0),
          },
        ];
        if (loopback) {
          out.push(
            { name: "loopback request ring", issued: loopback.requestsEnqueued, completed: loopback.requestsDequeued, dropped: 0, inFlight: loopback.requests.size },
            { name: "loopback completion ring", issued: loopback.completionsEnqueued, completed: loopback.completionsDequeued, dropped: 0, inFlight: loopback.completions.size },
          );
        }
        return out;
      },
    };
  },
};
