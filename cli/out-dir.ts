/**
 * `--out DIR` for the commands that write results (run, run --watch, merge): checked before
 * any work is done (src/report/out-dir.ts), a refusal printed as the CLI prints user errors.
 */
import { prepareOutDir } from "../src/report/out-dir.js";
import type { Io } from "./io.js";

/** The directory to write into; undefined without --out; null when refused (printed: exit 2). */
export async function checkOutDir(io: Io, out: string | undefined): Promise<string | undefined | null> {
  if (out === undefined) return undefined;
  const c = await prepareOutDir(out);
  if (c.ok) return c.dir;
  io.err(`error: ${c.message} [out-dir]\n${c.hint ? `  = hint: ${c.hint}\n` : ""}`);
  return null;
}
