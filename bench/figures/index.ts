/**
 * The bench's figures, in the order they run. To add one (say engine_cpu_model_events_per_s
 * for the CPU model), write bench/figures/<name>.ts exporting a `Figure` (bench/figure.ts)
 * whose run() returns its named numbers (bench/measure.ts has the throughput helpers), and
 * list it here. Names are global: they become keys of the --json object.
 */
import type { Derived, Figure } from "../figure.js";
import { allocFigure } from "./alloc.js";
import { cpuModelFigure } from "./cpu-model.js";
import { diskFigure } from "./disk.js";
import { echoFigure } from "./echo.js";
import { engineFigure } from "./engine.js";
import { rssFigure } from "./rss.js";
import { paperSweepFigure, smokeSweepFigure } from "./sweep.js";

export const figures: readonly Figure[] = [engineFigure, cpuModelFigure, allocFigure, rssFigure, echoFigure, diskFigure, smokeSweepFigure, paperSweepFigure];

/** Peak RSS figures of the runs above, each measured in the process that did the work. */
const PEAKS = ["echo_peak_rss_bytes", "disk_peak_rss_bytes", "sweep_peak_rss_bytes", "rss_peak_1x_bytes", "rss_peak_10x_bytes"];

/** Figures computed from the others once they have run (from those that ran, with --only). */
export const derived: readonly Derived[] = [
  {
    name: "peak_rss_bytes",
    info: {
      unit: "bytes",
      description: `the largest peak RSS of the runs measured: ${PEAKS.join(", ")}`,
      goal: "≤ 300 MB",
    },
    compute(r) {
      const xs = PEAKS.filter((k) => k in r).map((k) => r[k]!);
      return xs.length > 0 ? Math.max(...xs) : undefined;
    },
  },
];
