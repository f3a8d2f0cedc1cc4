/**
 * Worker threads for sweep points, on piscina (a maintained worker-thread pool for Node ≥ 20:
 * it queues tasks, replaces a worker that dies, and rejects that worker's task with the
 * reason, so one crashed point never takes the run down).
 *
 * The worker entry is this directory's worker module: `worker.ts` when loopdrv runs from
 * source under tsx, `worker.js` when it runs from dist/. A worker thread inherits the
 * parent's execArgv, which under tsx (the `tsx` command, or `node --import tsx`, as mocha
 * is configured) already loads tsx; when it does not (tsx registered through its API),
 * `--import tsx` is added so the worker can load TypeScript.
 */
import { MessageChannel, receiveMessageOnPort } from "node:worker_threads";
import { Piscina } from "piscina";
import type { JobOutcome, PointJob } from "./execute.js";
import type { WorkerMessage, WorkerTask } from "./worker.js";

const fromSource = import.meta.url.endsWith(".ts");
const WORKER_URL = new URL(fromSource ? "./worker.ts" : "./worker.js", import.meta.url).href;

function workerExecArgv(): string[] {
  const inherited = process.execArgv;
  if (!fromSource || inherited.some((a) => a.includes("tsx"))) return inherited;
  return [...inherited, "--import", import.meta.resolve("tsx")];
}

export interface PointPoolOptions {
  /** Worker threads (≥ 1). */
  threads: number;
  /** Test-only hook module for the workers (execute.ts HooksModule), as a file URL. */
  hooksModule?: string;
}

export class PointPool {
  private readonly pool: Piscina<WorkerTask, JobOutcome>;
  /** Set to 1 when the run is asked to stop; workers read it between slices. */
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly opts: PointPoolOptions) {
    const threads = Math.max(1, Math.floor(opts.threads));
    this.pool = new Piscina<WorkerTask, JobOutcome>({
      filename: WORKER_URL,
      minThreads: threads,
      maxThreads: threads,
      // One point per worker at a time: points are CPU-bound and long.
      concurrentTasksPerWorker: 1,
      // Start points in the order given (the runner's costliest first). By default piscina 5
      // sends a task that finds every worker busy to the back of its queue, which scattered
      // that order: on Fig. 4 a 1 Gb/s point started last of 100 and ended the run alone.
      stricterFIFO: true,
      // Workers run their own event loop between tasks (the simulation yields between slices).
      atomics: "disabled",
      execArgv: workerExecArgv(),
    });
  }

  /** Ask every worker to stop at its next slice; queued points return `stopped` unrun. */
  stop(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  /** Take back a stop before the next run on a pool kept across runs (`run --watch`). */
  resume(): void {
    Atomics.store(this.stopFlag, 0, 0);
  }

  /**
   * Simulate one point in a worker. `onMessage` sees the worker's start and slice messages,
   * every one of them before the promise settles. A worker that dies rejects the promise
   * with the reason it died.
   */
  async run(job: PointJob, onMessage: (m: WorkerMessage) => void): Promise<JobOutcome> {
    const { port1, port2 } = new MessageChannel();
    port1.on("message", onMessage);
    const task: WorkerTask = { job, port: port2, stop: this.stopFlag, ...(this.opts.hooksModule ? { hooksModule: this.opts.hooksModule } : {}) };
    try {
      return await this.pool.run(task, { transferList: [port2] });
    } finally {
      // Messages still queued (the task's result can overtake them) are delivered in order.
      port1.off("message", onMessage);
      for (let m = receiveMessageOnPort(port1); m; m = receiveMessageOnPort(port1)) onMessage(m.message as WorkerMessage);
      port1.close();
    }
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}
