/**
 * Child process of the end-to-end point figures (echo, disk): run one point of a shipped
 * scenario through the CLI's own point runner (bench/point.ts), first a shorter warm-up run
 * of the same point (so that V8 has optimised the model's code), then the measured run, and
 * print one JSON line: wall and simulated seconds of the measured run, its events (fired and
 * coalesced), what it carried (`units`: packets echoed, or reads), and the peak RSS of the
 * process. The measured run is the fastest of three. A fresh process, so that the peak RSS is the point's own.
 *
 *   node DIR/dist/bench/point-child.js echo|disk   (as the bench runs it: compiled with the tree)
 *   tsx bench/point-child.ts echo|disk             (from the sources)
 */
import type { UdpEchoComponent } from "../src/model/workloads/udp-echo.js";
import { loadRunner, pointJob, runPoint, type PointChildReport } from "./point.js";

/** The figures' points: scenario, --set overrides (durations only), and the warm-up's. */
const ECHO = { file: "gige-user.yaml", set: ["workload.offered_load=850 Mb/s", "run.warmup=200 ms", "run.duration=2 s"], warmup: ["run.duration=200 ms"] };
const DISK_BYTES = 128 * 2 ** 20;
const DISK = {
  file: "ide-user.yaml",
  set: ["workload.transfer_size=1 sectors", "workload.repetitions=1", "run.duration=1000 s", `workload.bytes=${DISK_BYTES} B`],
  warmup: ["workload.bytes=8 MiB"],
};

/** Measured runs; the fastest is reported. */
const RUNS = 3;

async function main(which: string): Promise<PointChildReport> {
  const spec = which === "echo" ? ECHO : which === "disk" ? DISK : undefined;
  if (!spec) throw new Error(`bug: point-child echo|disk, not ${which}`);
  // The compiled tree's runner when the bench built one (LOOPDRV_BENCH_BUILT), else the sources.
  const m = await loadRunner(process.env.LOOPDRV_BENCH_BUILT);
  await runPoint(m, await pointJob(m, spec.file, [...spec.set, ...spec.warmup]));
  // The best of RUNS: the run least disturbed by the host (the work is the same each time).
  const job = await pointJob(m, spec.file, spec.set);
  let r = await runPoint(m, job);
  for (let i = 1; i < RUNS; i++) {
    const again = await runPoint(m, job);
    if (again.wallS < r.wallS) r = again;
  }
  const units = which === "echo" ? (r.sys.workload as UdpEchoComponent).diagnostics().echoed : DISK_BYTES / 512;
  return {
    wallS: r.wallS,
    simSeconds: r.simSeconds,
    events: r.events,
    coalesced: r.sys.sim.eventsCoalesced,
    units,
    // ru_maxrss is in KiB on Linux.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

process.stdout.write(`${JSON.stringify(await main(process.argv[2] ?? ""))}\n`);
