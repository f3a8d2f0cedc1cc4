/**
 * Files are replaced atomically: written to a temporary file in the same directory, flushed,
 * then renamed over the target, so a crash or Ctrl-C never leaves a half-written file. A set
 * of files (results.json, results.csv, the figure) is written all temporaries first, then
 * renamed, so a failed write (a full disk) replaces none of them and leaves no temporary.
 *
 * The file operations come through `OutputFs` (node's, by default), so tests can make a
 * write fail the way a full disk or a read-only file system does.
 */
import { promises as fs } from "node:fs";
import path from "node:path";

/** The file-system calls outputs make. */
export type OutputFs = Pick<typeof fs, "open" | "rename" | "rm" | "rmdir" | "mkdir" | "stat" | "readdir" | "access" | "readFile">;

/** A temporary this old was left by a writer that died (a write takes milliseconds): removable. */
export const STALE_TMP_MS = 10 * 60 * 1000;

/**
 * Whether `name` is a temporary `tmpName` made for one of `targets` (`.results.json.<pid>.
 * <ms>.<n>.tmp`): left behind only when the process was killed mid-write.
 */
export function isTmpOf(name: string, targets: readonly string[]): boolean {
  const m = /^\.(.+)\.\d+\.\d+\.\d+\.tmp$/.exec(name);
  return m !== null && targets.includes(m[1]!);
}

export const nodeFs: OutputFs = fs;

let counter = 0;
function tmpName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.${++counter}.tmp`);
}

async function writeTmp(tmp: string, data: string | Uint8Array, fsi: OutputFs): Promise<void> {
  const fh = await fsi.open(tmp, "w");
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export async function writeFileAtomic(file: string, data: string | Uint8Array, fsi: OutputFs = nodeFs): Promise<void> {
  await writeFilesAtomic([{ file, data }], fsi);
}

/** Replace every file of `files`, or (on an error, which is rethrown) none of them. */
export async function writeFilesAtomic(files: readonly { file: string; data: string | Uint8Array }[], fsi: OutputFs = nodeFs): Promise<void> {
  const tmps = files.map((f) => tmpName(f.file));
  try {
    for (let i = 0; i < files.length; i++) await writeTmp(tmps[i]!, files[i]!.data, fsi);
    for (let i = 0; i < files.length; i++) await fsi.rename(tmps[i]!, files[i]!.file);
  } catch (e) {
    await Promise.all(tmps.map((t) => fsi.rm(t, { force: true }).catch(() => {})));
    throw e;
  }
}
