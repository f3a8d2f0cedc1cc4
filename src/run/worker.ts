/**
 * The pool's worker (pool.ts): simulates one point per task, exactly as the runner's own
 * thread would (execute.ts), and tells the runner how it goes on the task's own message
 * port — `start` when it begins, `slice` between slices — so the dashboard stays live.
 * A stop request arrives through a shared flag, read between slices.
 */
import type { MessagePort } from "node:worker_threads";
import { executePoint, loadHooksModule, type JobOutcome, type PointJob } from "./execute.js";
import type { LiveCounters } from "./point.js";

export interface WorkerTask {
  job: PointJob;
  /** Progress goes here (transferred with the task). */
  port: MessagePort;
  /** Int32Array over a SharedArrayBuffer; non-zero once the run is asked to stop. */
  stop: Int32Array;
  /** Test-only hook module (execute.ts HooksModule), as a file URL. */
  hooksModule?: string;
}

export type WorkerMessage =
  | { type: "start" }
  | { type: "slice"; fraction: number; events: number; simSeconds: number; live?: LiveCounters };

export default async function runTask(task: WorkerTask): Promise<JobOutcome> {
  const { job, port, stop } = task;
  const post = (m: WorkerMessage) => port.postMessage(m);
  try {
    if (Atomics.load(stop, 0) !== 0) return { kind: "stopped" };
    const hooks = await loadHooksModule(task.hooksModule);
    post({ type: "start" });
    return await executePoint(job, {
      onSlice: (fraction, events, simSeconds, live) => {
        post({ type: "slice", fraction, events, simSeconds, ...(live ? { live } : {}) });
        return Atomics.load(stop, 0) !== 0;
      },
      ...(hooks.afterBuild ? { afterBuild: hooks.afterBuild } : {}),
    });
  } finally {
    port.close();
  }
}
