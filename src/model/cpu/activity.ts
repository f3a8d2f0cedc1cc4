/**
 * Activity classes: what a CPU cycle is spent on, for exact accounting (design §4
 * `cpu_breakdown`). Each cycle is counted once, by the work it does:
 * - `irq`, `softirq`: interrupt entry/exit and dispatch (including the user-level stub
 *   handler and signal set-up, which only dispatch the interrupt to the driver);
 * - `stack`: protocol and block-layer work;
 * - `driver`: driver logic, wherever it runs (ISR, bottom half or user process);
 * - `context_switch`: switching tasks (and the cache/TLB refill after an address-space change);
 * - `syscall`: system call entry/exit and kernel primitives called from process context;
 * - `application`: user code of benchmark processes;
 * - `idle`: the idle thread (the ipbench meter process or, without it, the kernel's own).
 *
 * The order is fixed: it is the index carried by the `cpu<N>/time` probe.
 */
export const ACTIVITY_CLASSES = [
  "irq",
  "softirq",
  "stack",
  "driver",
  "context_switch",
  "syscall",
  "application",
  "idle",
] as const;

export type ActivityClass = (typeof ACTIVITY_CLASSES)[number];

export const ACTIVITY_COUNT = ACTIVITY_CLASSES.length;

/** Index of each class in `ACTIVITY_CLASSES` (the `a` argument of `cpu<N>/time`). */
export const ACTIVITY_INDEX: Readonly<Record<ActivityClass, number>> = Object.freeze(
  Object.fromEntries(ACTIVITY_CLASSES.map((c, i) => [c, i])) as Record<ActivityClass, number>,
);

export const IRQ = ACTIVITY_INDEX.irq;
export const SOFTIRQ = ACTIVITY_INDEX.softirq;
export const CONTEXT_SWITCH = ACTIVITY_INDEX.context_switch;
export const IDLE = ACTIVITY_INDEX.idle;

/**
 * Index of `cls` in ACTIVITY_CLASSES, or -1: the lookup of every CPU burst (Context.run).
 * A switch on the constant strings is several times faster than a Map's lookup;
 * test/model/activity.test.ts checks it against the list.
 */
export function activityIndex(cls: string): number {
  switch (cls) {
    case "irq":
      return 0;
    case "softirq":
      return 1;
    case "stack":
      return 2;
    case "driver":
      return 3;
    case "context_switch":
      return 4;
    case "syscall":
      return 5;
    case "application":
      return 6;
    case "idle":
      return 7;
    default:
      return -1;
  }
}

/** A zeroed record with one entry per class, in the fixed order. */
export function perActivity<T>(value: (cls: ActivityClass) => T): Record<ActivityClass, T> {
  const out = {} as Record<ActivityClass, T>;
  for (const c of ACTIVITY_CLASSES) out[c] = value(c);
  return out;
}
