/**
 * Test helpers for the disk: a normalised scenario on the round-cost test machine (1 GHz,
 * costs in ns, see helpers.ts) with an IDE disk of round timings, and a runner that builds
 * the system the way `loopdrv run` does.
 */
import type { NormalisedScenario, Placement } from "../../src/dsl/normalised.js";
import { buildSystem, checkSystemInvariants, conservation, type System } from "../../src/model/system.js";
import { simulate } from "../../src/run/point.js";
import { testMachine, type TestMachineOptions } from "./helpers.js";

export interface DiskOptions {
  placement?: Placement;
  /** Bytes per read() call. */
  transfer?: number;
  /** Bytes per run. */
  bytes?: number;
  maxSectors?: number;
  /** Drive timings (SI). */
  mediaBytesPerS?: number;
  interfaceBytesPerS?: number;
  commandOverheadS?: number;
  readAhead?: number;
  cache?: number;
  machine?: TestMachineOptions;
}

/**
 * Round drive timings: 51.2 MB/s media (10 µs a sector), 102.4 MB/s interface (5 µs a
 * sector), 7200 rpm (8.333 ms a revolution), 20 µs per command.
 */
export function diskScenario(o: DiskOptions = {}): NormalisedScenario {
  return {
    name: "disk-test",
    machine: testMachine(o.machine),
    devices: {
      hda: {
        type: "ide-disk",
        model: "test",
        irq: 14,
        media_rate: 8 * (o.mediaBytesPerS ?? 51.2e6),
        interface_rate: 8 * (o.interfaceBytesPerS ?? 102.4e6),
        rpm: 7200,
        cache: o.cache ?? 2 * 1024 * 1024,
        read_ahead: o.readAhead ?? 512 * 1024,
        command_overhead: o.commandOverheadS ?? 20e-6,
        max_sectors: o.maxSectors ?? 256,
        driver: { placement: o.placement ?? "kernel", delivery: "irq-file", priority: 0, loopback_ring: 256, batch_limit: 0 },
      },
    },
    workload: { type: "disk-read", device: "hda", bytes: o.bytes ?? 512, transfer_size: o.transfer ?? 512, repetitions: 1, o_direct: true, priority: 0 },
    run: { duration: 10, warmup: 0, cooldown: 0, seed: 1 },
  };
}

/** Build and run to the end of the benchmark (no meters: the swapper is the idle task). */
export function runToEnd(sc: NormalisedScenario, seed = 1, beforeRun?: (sys: System) => void): System {
  const sys = buildSystem(sc, seed);
  beforeRun?.(sys);
  sys.sim.run(Math.round(sc.run.duration * 1e12));
  if (!sys.workload.done) throw new Error("the benchmark did not finish");
  const broken = checkSystemInvariants(sys);
  if (broken.length) throw new Error(broken.join("; "));
  return sys;
}

/** The point as `loopdrv run` simulates it: metrics with the idle-thread meter. */
export async function metricsOf(sc: NormalisedScenario, seed = 1): Promise<Record<string, unknown>> {
  const o = await simulate(sc, seed);
  if (o.status !== "ok") throw new Error(o.error);
  return o.metrics;
}

export { conservation };
