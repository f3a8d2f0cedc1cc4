/**
 * The bench's figures, in the order they run. To add one (say engine_cpu_model_events_per_s
 * for the CPU model), write bench/figures/<name>.ts exporting a `Figure` (bench/figure.ts)
 * whose run() returns its named numbers (bench/measure.ts has the throughput helpers), and
 * list it here. Names are global: they become keys of the --json object.
 */
import type { Figure } from "../figure.js";
import { allocFigure } from "./alloc.js";
import { cpuModelFigure } from "./cpu-model.js";
import { engineFigure } from "./engine.js";
import { rssFigure } from "./rss.js";
import { paperSweepFigure, smokeSweepFigure } from "./sweep.js";

export const figures: readonly Figure[] = [engineFigure, cpuModelFigure, allocFigure, rssFigure, smokeSweepFigure, paperSweepFigure];
