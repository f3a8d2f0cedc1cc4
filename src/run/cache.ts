/**
 * The result cache: a finished point's status, error and metrics, stored under a key that
 * names everything its result depends on (design §4) —
 *
 *   key = sha256(canonical JSON of { the point's normalised scenario (less its name and
 *                                    description), the seed of each of its repetitions,
 *                                    the model version })
 *
 * — so editing one swept value changes the keys of the points that value is in and no
 * other, and a change to the model code (model_version) never reuses an old result.
 *
 * Layout: DIR/v1/<model_version>/<key>.json, one small JSON file per point (a whole
 * <model_version> directory of an older build can be deleted at will). An entry repeats its
 * key, the model version and a checksum of its payload; anything that does not parse or
 * does not match — a torn write, a file from another version or tool, an entry copied under
 * the wrong name — is ignored and recomputed, never trusted. Writes go to a temporary file
 * in the same directory and are renamed into place, so a reader (another shard on the same
 * machine, a rerun after Ctrl-C) never sees half an entry.
 *
 * Only `ok` and `crashed` results are cached: both are what the model computes. A `failed`
 * point (a loopdrv bug, a broken invariant) is tried again on the next run.
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import { STALE_TMP_MS } from "../report/atomic.js";
import path from "node:path";
import type { NormalisedScenario } from "../dsl/normalised.js";
import type { PointComputed } from "./execute.js";
import { canonicalJson } from "./identity.js";

export const CACHE_ENTRY_FORMAT = "loopdrv-cache-entry/1";
const LAYOUT = "v1";

/** Where results are kept, in order of preference, from the environment. Undefined: no cache. */
export function cacheDirFrom(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const set = (v: string | undefined) => (v !== undefined && v !== "" ? v : undefined);
  const explicit = set(env.LOOPDRV_CACHE_DIR);
  if (explicit) return explicit;
  const xdg = set(env.XDG_CACHE_HOME);
  if (xdg) return path.join(xdg, "loopdrv");
  const home = set(env.HOME);
  if (home) return path.join(home, ".cache", "loopdrv");
  const local = set(env.LOCALAPPDATA);
  if (local) return path.join(local, "loopdrv", "cache");
  return undefined;
}

/**
 * The cache key of one point (hex sha256). The scenario's name, description, reference and
 * figure are labels no model reads: they are left out, so renaming or re-describing a
 * scenario, or changing what its figure shows (also under `run --watch`), simulates nothing again.
 */
export function pointKey(scenario: NormalisedScenario, seeds: readonly number[], modelVersion: string): string {
  const { name: _name, description: _description, reference: _reference, figure: _figure, ...simulated } = scenario as NormalisedScenario & { reference?: unknown; figure?: unknown };
  return createHash("sha256").update(canonicalJson({ model_version: modelVersion, scenario: simulated, seeds })).digest("hex");
}

/** What an entry keeps: a point's result fields and the speed figures of the run that made it. */
export type CachedPoint = PointComputed;

interface Entry {
  format: string;
  key: string;
  model_version: string;
  /** sha256 of the canonical JSON of `payload`. */
  checksum: string;
  payload: CachedPoint;
}

const CACHEABLE = new Set(["ok", "crashed"]);

export function isCacheable(p: Pick<CachedPoint, "status">): boolean {
  return CACHEABLE.has(p.status);
}

function checksumOf(payload: unknown): string {
  return createHash("sha256").update(canonicalJson(payload)).digest("hex");
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Entries found but not trusted (corrupt, foreign, or of another version). */
  rejected: number;
  written: number;
  /** Entries that could not be written (the run goes on without them). */
  writeErrors: number;
  /** Why the last of them failed (an errno code, or the message). */
  lastWriteError?: string;
}

export interface ResultCache {
  readonly modelVersion: string;
  get(key: string): Promise<CachedPoint | undefined>;
  put(key: string, value: CachedPoint): Promise<void>;
  readonly stats: CacheStats;
}

/** A cache in a directory (created on the first write). */
export class DirectoryCache implements ResultCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, rejected: 0, written: 0, writeErrors: 0 };
  private readonly dir: string;
  private swept = false;

  constructor(
    root: string,
    readonly modelVersion: string,
  ) {
    this.dir = path.join(path.resolve(root), LAYOUT, modelVersion);
  }

  /**
   * Temporaries of writers killed mid-write (SIGKILL, a preempted cluster job) are never
   * renamed: remove those older than STALE_TMP_MS, once per run, at its first write. Younger
   * ones may belong to a run writing now, in this directory shared by several.
   */
  private async removeStaleTemporaries(): Promise<void> {
    const now = Date.now();
    for (const n of await fs.readdir(this.dir).catch(() => [] as string[])) {
      if (!n.endsWith(".tmp")) continue;
      const f = path.join(this.dir, n);
      const st = await fs.stat(f).catch(() => undefined);
      if (st && now - st.mtimeMs > STALE_TMP_MS) await fs.rm(f, { force: true }).catch(() => {});
    }
  }

  /** The file of one entry (for tests and docs). */
  fileOf(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }

  async get(key: string): Promise<CachedPoint | undefined> {
    let text: string;
    try {
      text = await fs.readFile(this.fileOf(key), "utf8");
    } catch {
      this.stats.misses++;
      return undefined;
    }
    const payload = this.verify(text, key);
    if (!payload) {
      this.stats.rejected++;
      this.stats.misses++;
      return undefined;
    }
    this.stats.hits++;
    return payload;
  }

  /** The entry's payload if every check passes; undefined otherwise. */
  private verify(text: string, key: string): CachedPoint | undefined {
    let e: Partial<Entry>;
    try {
      e = JSON.parse(text) as Partial<Entry>;
    } catch {
      return undefined;
    }
    if (!e || typeof e !== "object" || e.format !== CACHE_ENTRY_FORMAT || e.key !== key || e.model_version !== this.modelVersion) return undefined;
    const p = e.payload;
    if (!p || typeof p !== "object" || !isCacheable(p) || !p.metrics || typeof p.metrics !== "object" || Array.isArray(p.metrics)) return undefined;
    if (typeof p.events !== "number" || typeof p.simSeconds !== "number" || (p.error !== undefined && typeof p.error !== "string")) return undefined;
    if (e.checksum !== checksumOf(p)) return undefined;
    return p;
  }

  async put(key: string, value: CachedPoint): Promise<void> {
    if (!isCacheable(value)) return;
    const payload: CachedPoint = {
      status: value.status,
      ...(value.error !== undefined ? { error: value.error } : {}),
      metrics: value.metrics,
      events: value.events,
      simSeconds: value.simSeconds,
    };
    // The payload as it will read back (JSON turns NaN into null): its checksum must match.
    const stored = JSON.parse(canonicalJson(payload)) as CachedPoint;
    const entry: Entry = { format: CACHE_ENTRY_FORMAT, key, model_version: this.modelVersion, checksum: checksumOf(stored), payload: stored };
    const file = this.fileOf(key);
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await fs.mkdir(this.dir, { recursive: true });
      if (!this.swept) {
        this.swept = true;
        await this.removeStaleTemporaries();
      }
      await fs.writeFile(tmp, canonicalJson(entry) + "\n");
      await fs.rename(tmp, file);
      this.stats.written++;
    } catch (e) {
      this.stats.writeErrors++;
      this.stats.lastWriteError = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      await fs.rm(tmp, { force: true }).catch(() => {});
    }
  }
}
