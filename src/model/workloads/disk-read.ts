/**
 * The paper's disk benchmark (§4.1): a process reads a contiguous range of `bytes` bytes
 * from sector 0 of the disk with O_DIRECT, `transfer_size` bytes per read() (the last read
 * takes what is left), and measures its elapsed time with the cycle counter: throughput =
 * bytes read × 8 / elapsed. It is an until-done workload: when the last read returns it
 * marks itself done and stops the simulation, so the point's CPU meters (the idle-thread
 * meter and the exact accounting, whose window starts at 0 with no warm-up) end there too.
 *
 * A read() that fails (EIO: a driver fault failed one of its requests) is counted as lost
 * and the benchmark goes on with the next range, as `dd conv=noerror` would; throughput counts
 * the bytes read.
 *
 * Probes (a, b): `disk-read/read` (1 when a read() is called, 0 when it returns; bytes, or
 * −5 for EIO), `workload/delivered` (time the read returned, ps; bytes read).
 */
import type { WorkloadModel } from "../../dsl/normalised.js";
import { toSeconds, type SimTime } from "../../sim/time.js";
import type { Program } from "../cpu/index.js";
import type { BlockDevice, IdeDiskComponent } from "../devices/ide-disk.js";
import type { BuildContext, Conservation, WorkloadComponent, WorkloadModule } from "../registry.js";

interface DiskReadSpec extends WorkloadModel {
  device: string;
  bytes: number;
  transfer_size: number;
  o_direct: boolean;
  priority: number;
}

export const diskRead: WorkloadModule = {
  create(ctx: BuildContext, raw: WorkloadModel): WorkloadComponent {
    const spec = raw as DiskReadSpec;
    const { k, sim } = ctx;
    if (!spec.o_direct) throw new Error(`bug: only O_DIRECT reads are modelled (validation should have refused o_direct: false)`);
    let disk: BlockDevice;
    let done = false;
    let started: SimTime = 0;
    let elapsed: SimTime = 0;
    // Counted at the call and at the return, for the conservation equations.
    let calls = 0;
    let returns = 0;
    let bytesAsked = 0;
    let bytesRead = 0;
    /** read() calls that failed (EIO), and the bytes they asked for. */
    let failedReads = 0;
    let bytesLost = 0;
    /** Size of the read() in progress (0: none). */
    let inRead = 0;
    const pRead = sim.probes.get("disk-read/read");
    const pDelivered = sim.probes.get("workload/delivered");

    return {
      path: ctx.path,
      mode: "until-done",
      get done() {
        return done;
      },
      connect(sys) {
        const c = sys.components.get(`devices.${spec.device}`) as IdeDiskComponent | undefined;
        if (!c?.disk) throw new Error(`bug: disk-read device ${spec.device} is not a block device`);
        disk = c.disk;
      },
      start() {
        k.spawn(
          "disk-read",
          function* (self): Program {
            started = sim.now;
            for (let offset = 0; offset < spec.bytes; ) {
              const n = Math.min(spec.transfer_size, spec.bytes - offset);
              calls++;
              bytesAsked += n;
              inRead = n;
              if (pRead.active) pRead.emit(1, n);
              const got = yield* disk.read(self, offset / 512, n);
              inRead = 0;
              if (got < 0) {
                failedReads++;
                bytesLost += n;
              } else {
                returns++;
                bytesRead += got;
                if (pDelivered.active) pDelivered.emit(sim.now, got);
              }
              if (pRead.active) pRead.emit(0, got);
              offset += n;
            }
            elapsed = sim.now - started;
            done = true;
            sim.stop();
          },
          { nice: spec.priority },
        );
      },
      conservation(): Conservation[] {
        return [
          { name: "read() calls", issued: calls, completed: returns, dropped: failedReads, inFlight: inRead > 0 ? 1 : 0 },
          { name: "bytes read", issued: bytesAsked, completed: bytesRead, dropped: bytesLost, inFlight: inRead },
        ];
      },
      metrics() {
        if (!done) return {};
        return { throughput_bits_per_s: (bytesRead * 8) / toSeconds(elapsed) };
      },
    };
  },
};
