/**
 * Child process of the in-process kernel figures (engine, cpu-model): measure one of them
 * and print its numbers as one JSON line. The bench compiles it with the tree and runs it
 * by plain Node (bench/build.ts runChild), so the figures measure the compiled kernel and
 * model, as users run them, in a process that ran nothing else before.
 *
 *   node DIR/dist/bench/kernel-child.js engine|cpu-model   (as the bench runs it)
 *   tsx bench/kernel-child.ts engine|cpu-model             (from the sources)
 */
import { measureCpuModel } from "./figures/cpu-model.js";
import { measureEngine } from "./figures/engine.js";

const which = process.argv[2];
const values = which === "engine" ? measureEngine() : which === "cpu-model" ? await measureCpuModel() : undefined;
if (!values) throw new Error(`bug: kernel-child engine|cpu-model, not ${which}`);
process.stdout.write(`${JSON.stringify(values)}\n`);
