/**
 * `loopdrv run --watch FILE`: the edit → rerun loop, as a library function that never
 * touches the process (no signals, no terminal, no exit codes: cli/commands/watch.ts maps
 * those, and tests drive it directly).
 *
 *     load + plan ──valid──▶ runPlan ──complete──▶ results document → onResults (--out)
 *         │                     │                                     │
 *         invalid: diagnostics  a newer save: cancelled at the       │
 *         │                     next slice, reloaded at once          │
 *         ▼                                                           ▼
 *     wait for the next save of any file read (the scenario and every file it extends)
 *
 * Only the points whose normalised parameters changed are simulated again: every run goes
 * through a SessionCache, an in-memory layer over the content-addressed result cache
 * (cache.ts; key = normalised point + seeds + model version), so an unchanged point is a
 * map lookup, and with --no-cache (no directory) the session still remembers its own
 * results. With jobs > 1 the worker threads are started once and kept for every rerun.
 *
 * Files are watched by FileWatcher: fs.watch on each file's *directory* (a watch on the
 * file itself goes deaf when an editor saves by writing a temporary file and renaming it
 * over the original), backed by a stat poll for file systems where fs.watch says nothing
 * (network mounts, some containers). Either only triggers a check, after a short quiet
 * period (editors write in several steps); the check compares content hashes, so a save
 * that changes nothing, or a touch, reruns nothing. A file that is missing at the check
 * (the middle of a rename) is looked at again before the change is reported.
 */
import { createHash } from "node:crypto";
import { watch as fsWatch, promises as fs, type FSWatcher } from "node:fs";
import path from "node:path";
import type { Diagnostic } from "../diag/diagnostic.js";
import { hasErrors } from "../diag/diagnostic.js";
import { loadScenario, type LoadOutcome, type MergedScenario } from "../dsl/load.js";
import { planScenario, type Plan } from "../dsl/plan.js";
import { isCacheable, type CachedPoint, type CacheStats, type ResultCache } from "./cache.js";
import { evaluateExpectations } from "./expect.js";
import { modelVersion } from "./identity.js";
import { PointPool } from "./pool.js";
import { buildResults, resultsJson, type ResultsDocument } from "./results.js";
import { missingModels, runPlan, type ProgressEvent, type RunOutcome } from "./runner.js";

// ───────────────────────────── watching files ─────────────────────────────

export interface FileWatcherOptions {
  /** Quiet time after the last sign of a change before the files are compared, ms. */
  debounceMs?: number;
  /** Interval of the stat poll that backs fs.watch up, ms (0: no poll). */
  pollMs?: number;
  /** Listen to fs.watch on the files' directories (default: yes). */
  fsEvents?: boolean;
}

export interface FileChange {
  /** Absolute paths whose content changed (appeared or vanished included), sorted. */
  files: string[];
  /** Of those, the ones that are gone (deleted, or moved away and not put back). */
  removed: string[];
  /** When it was saved (ms since the epoch): the newest mtime among them, bounded by when the change was seen. */
  savedAt: number;
}

const DEBOUNCE_MS = 40;
const POLL_MS = 300;
/** Checks that find a watched file missing before the change is reported anyway. */
const MISSING_RECHECKS = 3;

interface Print {
  /** inode, size and mtime: what the poll compares. */
  stat: string;
  /** Content hash, or "missing". */
  hash: string;
  mtimeMs?: number;
}

async function statKey(file: string): Promise<{ stat: string; mtimeMs?: number }> {
  try {
    const s = await fs.stat(file);
    return { stat: `${s.ino}:${s.size}:${s.mtimeMs}`, mtimeMs: s.mtimeMs };
  } catch {
    return { stat: "missing" };
  }
}

async function printOf(file: string): Promise<Print> {
  const st = await statKey(file);
  try {
    const data = await fs.readFile(file);
    return { ...st, hash: createHash("sha256").update(data).digest("hex") };
  } catch {
    return { stat: "missing", hash: "missing" };
  }
}

/**
 * Reports content changes of a set of files (see the top of this file). `watch(files)`
 * replaces the set; a file new to the set is taken as it is at that moment.
 */
export class FileWatcher {
  private readonly prints = new Map<string, Print>();
  private readonly dirs = new Map<string, { names: Set<string>; watcher?: FSWatcher }>();
  private readonly debounceMs: number;
  private readonly fsEvents: boolean;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private polling = false;
  private checking = false;
  private again = false;
  private missingChecks = 0;
  private firstSeen: number | undefined;
  private closed = false;

  constructor(
    private readonly onChange: (c: FileChange) => void,
    opts: FileWatcherOptions = {},
  ) {
    this.debounceMs = opts.debounceMs ?? DEBOUNCE_MS;
    this.fsEvents = opts.fsEvents ?? true;
    const pollMs = opts.pollMs ?? POLL_MS;
    if (pollMs > 0) this.poll = setInterval(() => void this.pollOnce(), pollMs);
  }

  async watch(files: readonly string[]): Promise<void> {
    const want = new Set(files.map((f) => path.resolve(f)));
    for (const f of [...this.prints.keys()]) if (!want.has(f)) this.prints.delete(f);
    for (const f of want) if (!this.prints.has(f)) this.prints.set(f, await printOf(f));
    if (this.closed) return;
    // One directory watcher per directory holding a watched file.
    const byDir = new Map<string, Set<string>>();
    for (const f of want) {
      const d = path.dirname(f);
      if (!byDir.has(d)) byDir.set(d, new Set());
      byDir.get(d)!.add(path.basename(f));
    }
    for (const [d, entry] of this.dirs) {
      if (byDir.has(d)) continue;
      entry.watcher?.close();
      this.dirs.delete(d);
    }
    for (const [d, names] of byDir) {
      const entry = this.dirs.get(d);
      if (entry) {
        entry.names = names;
        continue;
      }
      const e: { names: Set<string>; watcher?: FSWatcher } = { names };
      if (this.fsEvents) {
        try {
          // Not persistent: the caller decides how long the process lives.
          e.watcher = fsWatch(d, { persistent: false }, (_event, name) => {
            if (!name || e.names.has(String(name))) this.schedule();
          });
          e.watcher.on("error", () => {
            e.watcher?.close();
            delete e.watcher;
          });
        } catch {
          // The directory is gone or cannot be watched: the poll still covers its files.
        }
      }
      this.dirs.set(d, e);
    }
  }

  /** Compare the files soon (after the quiet period), as if an event had come. */
  schedule(delayMs = this.debounceMs): void {
    if (this.closed) return;
    this.firstSeen ??= Date.now();
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.check();
    }, delayMs);
  }

  private async pollOnce(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      for (const [f, p] of this.prints) {
        if ((await statKey(f)).stat !== p.stat) {
          // Not again while a check is pending: a poll faster than the quiet period would
          // otherwise put it off for ever.
          if (!this.debounce && !this.checking) this.schedule();
          return;
        }
      }
    } finally {
      this.polling = false;
    }
  }

  private async check(): Promise<void> {
    if (this.closed) return;
    if (this.checking) {
      this.again = true;
      return;
    }
    this.checking = true;
    try {
      const changed: [string, Print][] = [];
      for (const [f, old] of this.prints) {
        const now = await printOf(f);
        if (now.hash !== old.hash) changed.push([f, now]);
        else old.stat = now.stat; // touched, same content: the poll need not look again
      }
      if (this.closed || changed.length === 0) {
        this.firstSeen = undefined;
        return;
      }
      // Half-way through a rename: give the editor a moment to put the file back.
      if (changed.some(([, p]) => p.hash === "missing") && this.missingChecks < MISSING_RECHECKS) {
        this.missingChecks++;
        this.schedule(this.debounceMs * 2);
        return;
      }
      this.missingChecks = 0;
      for (const [f, p] of changed) this.prints.set(f, p);
      const seen = this.firstSeen ?? Date.now();
      this.firstSeen = undefined;
      const mtimes = changed.map(([, p]) => p.mtimeMs).filter((m): m is number => m !== undefined);
      // The mtime says when the save happened (a poll may notice it later); a copied file
      // keeps an old mtime and a skewed clock a future one, so it is bounded by `seen`.
      const newest = mtimes.length ? Math.max(...mtimes) : seen;
      const savedAt = Math.min(Date.now(), Math.max(seen - POLL_MS - 200, Math.min(seen, newest)));
      this.onChange({ files: changed.map(([f]) => f).sort(), removed: changed.filter(([, p]) => p.hash === "missing").map(([f]) => f).sort(), savedAt });
    } finally {
      this.checking = false;
      if (this.again && !this.closed) {
        this.again = false;
        this.schedule();
      }
    }
  }

  close(): void {
    this.closed = true;
    if (this.debounce) clearTimeout(this.debounce);
    if (this.poll) clearInterval(this.poll);
    for (const e of this.dirs.values()) e.watcher?.close();
    this.dirs.clear();
  }
}

// ───────────────────────────── the session's cache ─────────────────────────────

/** Entries the session keeps in memory at most (oldest dropped first). */
const SESSION_ENTRIES = 50_000;

/**
 * Results of this watch session in memory, over the persistent cache when there is one: a
 * point seen before in the session is a map lookup, and with no persistent cache
 * (--no-cache) unchanged points are still not simulated again.
 */
export class SessionCache implements ResultCache {
  readonly stats: CacheStats = { hits: 0, misses: 0, rejected: 0, written: 0, writeErrors: 0 };
  readonly modelVersion: string;
  private readonly memory = new Map<string, CachedPoint>();

  constructor(
    private readonly inner?: ResultCache,
    version?: string,
  ) {
    this.modelVersion = inner?.modelVersion ?? version ?? modelVersion();
  }

  async get(key: string): Promise<CachedPoint | undefined> {
    const mem = this.memory.get(key);
    if (mem) {
      this.stats.hits++;
      return mem;
    }
    const got = await this.inner?.get(key);
    if (got) {
      this.remember(key, got);
      this.stats.hits++;
    } else this.stats.misses++;
    return got;
  }

  async put(key: string, value: CachedPoint): Promise<void> {
    if (!isCacheable(value)) return;
    this.remember(key, value);
    this.stats.written++;
    await this.inner?.put(key, value);
  }

  private remember(key: string, value: CachedPoint): void {
    this.memory.delete(key);
    this.memory.set(key, value);
    if (this.memory.size > SESSION_ENTRIES) this.memory.delete(this.memory.keys().next().value!);
  }
}

// ───────────────────────────── the loop ─────────────────────────────

export type WatchEvent =
  /** Loading the scenario: the first time, or after a save of `changed`. */
  | { type: "load"; attempt: number; changed: string[]; removed?: string[]; savedAt?: number }
  /** It does not load, plan or run: nothing runs until the next save. `watched`: absolute, the scenario first. */
  | { type: "invalid"; attempt: number; diagnostics: Diagnostic[]; sources: Map<string, string>; watched: string[] }
  /** A run begins; `diagnostics` holds its warnings, if any. */
  | { type: "run-start"; attempt: number; plan: Plan; scenario: MergedScenario; diagnostics: Diagnostic[]; sources: Map<string, string>; watched: string[] }
  /**
   * A run ended: complete (`doc` is its results document, `written` the files onResults
   * wrote), or cancelled by a newer save ("change") or by the end of the watch ("quit").
   */
  | {
      type: "run-end";
      attempt: number;
      outcome: RunOutcome;
      wallMs: number;
      cancelled?: "change" | "quit";
      doc?: ResultsDocument;
      written?: string[];
      /** Why no figure was written with them (onResults), if none was. */
      figureSkipped?: string;
      outputError?: string;
      /** When the save that led to this run happened (absent for the first run). */
      savedAt?: number;
      endedAt: number;
    };

export interface WatchReporter {
  onWatch(e: WatchEvent): void;
  /** The runner's progress events of the run in progress. */
  onProgress(e: ProgressEvent): void;
}

export interface WatchOptions {
  file: string;
  set?: readonly string[];
  quick?: boolean;
  force?: boolean;
  /** Points simulated at once; above 1 on worker threads kept for the whole session. */
  jobs?: number;
  /** The persistent result cache under the session's (absent: memory only). */
  cache?: ResultCache;
  /** loopdrv's version and the working directory, for the results document. */
  version: string;
  cwd: string;
  reporter: WatchReporter;
  /** Polled; true ends the watch (a run in progress stops at its next slice). */
  shouldQuit(): boolean;
  /**
   * After each complete run: e.g. write --out's files. Its files, and what went wrong (a
   * sentence), are reported in run-end.
   */
  onResults?(doc: ResultsDocument, text: string): Promise<{ written: string[]; figureSkipped?: string; error?: string }>;
  watcher?: FileWatcherOptions;
  now?(): number;
  /** Test only (runner.ts). */
  hooksModule?: string;
}

export interface WatchEnd {
  /** Runs that completed. */
  runs: number;
  /** Attempts (loads), valid or not. */
  attempts: number;
  lastDoc?: ResultsDocument;
}

/** How often the end of the watch is looked for while waiting for a save, ms. */
const QUIT_POLL_MS = 50;

/** Every file a load read or tried to read, absolute, the scenario first: what to watch. */
function filesOf(file: string, loaded: LoadOutcome, lastGood: readonly string[]): string[] {
  const out = new Set<string>([path.resolve(file)]);
  if (loaded.scenario) for (const f of loaded.scenario.files) out.add(path.resolve(f));
  else {
    // Not loaded: the files it read are the sources it kept (display names, resolvable
    // from here), and the files of the last good load stay watched (an `extends` that
    // failed to parse is among them).
    for (const k of loaded.sources.keys()) if (!k.startsWith("<") && k !== "--set") out.add(path.resolve(k));
    for (const f of lastGood) out.add(f);
  }
  return [...out];
}

function notEmulated(file: string, missing: readonly string[]): Diagnostic {
  return {
    code: "not-emulated",
    severity: "error",
    kind: "user",
    message: `${file} cannot run yet: loopdrv does not emulate ${missing.join(" or ")} in this version`,
    hint: "scenarios/core-smoke.yaml runs today",
  };
}

export async function watchScenario(o: WatchOptions): Promise<WatchEnd> {
  const now = o.now ?? (() => Date.now());
  const jobs = Math.max(1, Math.floor(o.jobs ?? 1));
  const cache = new SessionCache(o.cache);
  let pending: FileChange | undefined;
  let wake: (() => void) | undefined;
  const watcher = new FileWatcher((c) => {
    // Changes that arrive during a run add up; a file is gone if the latest news of it says so.
    pending = pending
      ? {
          files: [...new Set([...pending.files, ...c.files])].sort(),
          removed: [...new Set([...pending.removed.filter((f) => !c.files.includes(f)), ...c.removed])].sort(),
          savedAt: Math.min(pending.savedAt, c.savedAt),
        }
      : c;
    wake?.();
  }, o.watcher);
  const pool = jobs > 1 ? new PointPool({ threads: jobs, ...(o.hooksModule ? { hooksModule: o.hooksModule } : {}) }) : undefined;

  /** The next save (undefined: the watch ended first). */
  const nextChange = () =>
    new Promise<FileChange | undefined>((resolve) => {
      const settle = (c: FileChange | undefined) => {
        clearInterval(timer);
        wake = undefined;
        pending = undefined;
        resolve(c);
      };
      // A ref'd timer: it also keeps the process alive while nothing else happens.
      const timer = setInterval(() => {
        if (o.shouldQuit()) settle(undefined);
      }, QUIT_POLL_MS);
      wake = () => {
        if (o.shouldQuit()) settle(undefined);
        else settle(pending);
      };
      if (o.shouldQuit()) settle(undefined);
      else if (pending) settle(pending);
    });

  let lastGood: string[] = [];
  let attempt = 0;
  let runs = 0;
  let lastDoc: ResultsDocument | undefined;
  let change: FileChange | undefined;
  try {
    while (!o.shouldQuit()) {
      attempt++;
      o.reporter.onWatch({ type: "load", attempt, changed: change?.files ?? [], ...(change ? { removed: change.removed, savedAt: change.savedAt } : {}) });
      const loaded = await loadScenario(o.file, { set: o.set ?? [] });
      const planned = loaded.scenario ? planScenario(loaded.scenario, { quick: !!o.quick, force: !!o.force }) : undefined;
      const diagnostics = [...loaded.diagnostics, ...(planned?.diagnostics ?? [])];
      const plan = !hasErrors(diagnostics) ? planned?.plan : undefined;
      const missing = plan ? missingModels(plan) : [];
      if (missing.length) diagnostics.push(notEmulated(o.file, missing));
      const watched = filesOf(o.file, loaded, lastGood);
      await watcher.watch(watched);

      if (!plan || !loaded.scenario || missing.length) {
        o.reporter.onWatch({ type: "invalid", attempt, diagnostics, sources: loaded.sources, watched });
        change = await nextChange();
        if (!change) break;
        continue;
      }
      lastGood = loaded.scenario.files.map((f) => path.resolve(f));
      o.reporter.onWatch({ type: "run-start", attempt, plan, scenario: loaded.scenario, diagnostics, sources: loaded.sources, watched });
      const t0 = now();
      const outcome = await runPlan(plan, {
        onProgress: (e) => o.reporter.onProgress(e),
        shouldStop: () => pending !== undefined || o.shouldQuit(),
        now,
        jobs,
        cache,
        ...(pool ? { pool } : {}),
        ...(o.hooksModule ? { hooksModule: o.hooksModule } : {}),
      });
      const wallMs = now() - t0;
      const savedAt = change ? { savedAt: change.savedAt } : {};
      const cancelled = outcome.partial ? (o.shouldQuit() ? "quit" : pending ? "change" : undefined) : undefined;
      if (cancelled) {
        o.reporter.onWatch({ type: "run-end", attempt, outcome, wallMs, cancelled, ...savedAt, endedAt: now() });
        if (cancelled === "quit") break;
      } else {
        const built = buildResults({ merged: loaded.scenario, plan, points: outcome.points, partial: outcome.partial, version: o.version, cwd: o.cwd });
        const doc: ResultsDocument = { ...built, expect: evaluateExpectations(built) };
        const out = o.onResults ? await o.onResults(doc, resultsJson(doc)) : undefined;
        runs++;
        lastDoc = doc;
        o.reporter.onWatch({
          type: "run-end",
          attempt,
          outcome,
          wallMs,
          doc,
          written: out?.written ?? [],
          ...(out?.figureSkipped ? { figureSkipped: out.figureSkipped } : {}),
          ...(out?.error ? { outputError: out.error } : {}),
          ...savedAt,
          endedAt: now(),
        });
      }
      change = await nextChange();
      if (!change) break;
    }
  } finally {
    watcher.close();
    await pool?.destroy();
  }
  return { runs, attempts: attempt, ...(lastDoc ? { lastDoc } : {}) };
}
