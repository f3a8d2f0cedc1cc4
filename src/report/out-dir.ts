/**
 * `--out DIR`: checked before any work starts, so a bad directory never costs a run.
 * A directory is usable if it does not exist (it is created), is empty, or already holds
 * loopdrv results (whose files are then replaced atomically). Anything else is refused:
 * nothing the user already has is overwritten. A probe file of PROBE_BYTES is written and
 * flushed, so a directory that is not writable, or on a full disk, is refused too.
 *
 * The file operations come through `OutputFs` (atomic.ts), so tests can stand in for a
 * read-only file system or a full disk.
 */
import { constants } from "node:fs";
import path from "node:path";
import { RESULTS_FORMAT } from "../run/results.js";
import { isTmpOf, nodeFs, STALE_TMP_MS, type OutputFs } from "./atomic.js";

export const RESULTS_FILE = "results.json";

/** Every file `--out` writes (outputs.ts): the only ones whose temporaries it may remove. */
const OUTPUT_FILES = [RESULTS_FILE, "results.csv", "figure.svg", "figure.png", "series.svg", "series.png"];


/** The probe written before a run: about the size of a large results document and its figure. */
export const PROBE_BYTES = 256 * 1024;

export type OutDirCheck = { ok: true; dir: string } | { ok: false; message: string; hint?: string };

export async function prepareOutDir(dir: string, fsi: OutputFs = nodeFs): Promise<OutDirCheck> {
  const fs = fsi;
  const abs = path.resolve(dir);
  let st;
  try {
    st = await fs.stat(abs);
  } catch {
    let made: string[];
    try {
      made = await makeDirs(abs, fs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return {
        ok: false,
        message: `cannot create output directory ${JSON.stringify(dir)}: ${code ?? (e as Error).message}`,
        hint: code === "EACCES" || code === "EPERM" || code === "EROFS" ? "you cannot create files there: give a directory you can write to" : "give a path under a directory you can write to (e.g. ./out/run1)",
      };
    }
    const probed = await probeWritable(dir, abs, fsi);
    // Refused: take back the directories made for it (empty: nothing the user had is touched).
    if (!probed.ok) await removeDirs(made, fs);
    return probed;
  }
  if (!st.isDirectory()) {
    return { ok: false, message: `--out ${JSON.stringify(dir)} is a file, not a directory`, hint: "give a new or empty directory, or one that holds earlier loopdrv results" };
  }
  const all = await fs.readdir(abs);
  const entries = all.filter((n) => !n.startsWith("."));
  if (entries.length > 0 && !(entries.includes(RESULTS_FILE) && (await holdsLoopdrvResults(path.join(abs, RESULTS_FILE), fs)))) {
    return {
      ok: false,
      message: `--out ${JSON.stringify(dir)} is not empty and holds no loopdrv results`,
      hint: entries.includes(RESULTS_FILE)
        ? `its ${RESULTS_FILE} is not a loopdrv results document; loopdrv only replaces its own files: give a new or empty directory`
        : "loopdrv only replaces its own files; give a new or empty directory",
    };
  }
  // Temporaries of an earlier run killed while writing its files (atomic.ts): ours to remove,
  // once old enough not to be another run's write in progress.
  for (const n of all) {
    if (!isTmpOf(n, OUTPUT_FILES)) continue;
    const f = path.join(abs, n);
    const st = await fs.stat(f).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > STALE_TMP_MS) await fs.rm(f, { force: true }).catch(() => {});
  }
  return probeWritable(dir, abs, fsi);
}

/**
 * `mkdir -p`, one level at a time. Not `mkdir(…, {recursive: true})`: on Node 20 that spins
 * for ever on a path under /proc or /sys whose parent refuses new entries with ENOENT.
 */
/** Whether `file` is a results document loopdrv wrote (its `format`), not someone else's results.json. */
async function holdsLoopdrvResults(file: string, fs: OutputFs): Promise<boolean> {
  try {
    const doc = JSON.parse(await fs.readFile(file, "utf8")) as { format?: unknown };
    return typeof doc.format === "string" && doc.format.startsWith(RESULTS_FORMAT.split("/")[0]! + "/");
  } catch {
    return false;
  }
}

/** Remove directories made by `makeDirs`, innermost first, each only if still empty. */
async function removeDirs(made: readonly string[], fs: OutputFs): Promise<void> {
  for (const d of [...made].reverse()) await fs.rmdir(d).catch(() => {});
}

/** The directories made, outermost first; on a failure, those made are removed again. */
async function makeDirs(abs: string, fs: OutputFs): Promise<string[]> {
  const missing: string[] = [];
  for (let d = abs; ; d = path.dirname(d)) {
    try {
      await fs.stat(d);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT" || path.dirname(d) === d) throw e;
      missing.push(d);
    }
  }
  const made: string[] = [];
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d);
      made.push(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "EEXIST") continue; // made meanwhile: fine
      await removeDirs(made, fs);
      throw e;
    }
  }
  return made;
}

async function probeWritable(dir: string, abs: string, fs: OutputFs): Promise<OutDirCheck> {
  const probe = path.join(abs, `.loopdrv-write-test-${process.pid}`);
  try {
    await fs.access(abs, constants.W_OK);
    const fh = await fs.open(probe, "w");
    try {
      await fh.writeFile(new Uint8Array(PROBE_BYTES));
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOSPC" || code === "EDQUOT") {
      return { ok: false, message: `output directory ${JSON.stringify(dir)} is on a full disk (${code})`, hint: "free some space, or give a directory on another disk" };
    }
    return { ok: false, message: `output directory ${JSON.stringify(dir)} is not writable (${code ?? (e as Error).message})` };
  } finally {
    await fs.rm(probe, { force: true }).catch(() => {});
  }
  return { ok: true, dir: abs };
}
