/**
 * `--out DIR`: checked before any work starts, so a bad directory never costs a run.
 * A directory is usable if it does not exist (it is created), is empty, or already holds
 * loopdrv results (whose files are then replaced atomically). Anything else is refused:
 * nothing the user already has is overwritten.
 */
import { constants, promises as fs } from "node:fs";
import path from "node:path";

export const RESULTS_FILE = "results.json";

export type OutDirCheck = { ok: true; dir: string } | { ok: false; message: string; hint?: string };

export async function prepareOutDir(dir: string): Promise<OutDirCheck> {
  const abs = path.resolve(dir);
  let st;
  try {
    st = await fs.stat(abs);
  } catch {
    try {
      await fs.mkdir(abs, { recursive: true });
    } catch (e) {
      return { ok: false, message: `cannot create output directory ${JSON.stringify(dir)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
    }
    return probeWritable(dir, abs);
  }
  if (!st.isDirectory()) {
    return { ok: false, message: `--out ${JSON.stringify(dir)} is a file, not a directory`, hint: "give a new or empty directory, or one that holds earlier loopdrv results" };
  }
  const entries = (await fs.readdir(abs)).filter((n) => !n.startsWith("."));
  if (entries.length > 0 && !entries.includes(RESULTS_FILE)) {
    return {
      ok: false,
      message: `--out ${JSON.stringify(dir)} is not empty and holds no loopdrv results`,
      hint: "loopdrv only replaces its own files; give a new or empty directory",
    };
  }
  return probeWritable(dir, abs);
}

async function probeWritable(dir: string, abs: string): Promise<OutDirCheck> {
  try {
    await fs.access(abs, constants.W_OK);
    const probe = path.join(abs, `.loopdrv-write-test-${process.pid}`);
    await fs.writeFile(probe, "");
    await fs.rm(probe, { force: true });
  } catch (e) {
    return { ok: false, message: `output directory ${JSON.stringify(dir)} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  return { ok: true, dir: abs };
}
