export {
  ACTIVITY_CLASSES,
  ACTIVITY_COUNT,
  ACTIVITY_INDEX,
  perActivity,
  type ActivityClass,
} from "./activity.js";
export { CostTable, costRecord } from "./costs.js";
export {
  AddressSpace,
  BLOCK,
  Context,
  DONE,
  LEVEL_HARD,
  LEVEL_SOFT,
  LEVEL_TASK,
  NOTHING,
  RUN,
  Task,
  TASK_BLOCKED,
  TASK_EXITED,
  TASK_READY,
  TASK_RUNNING,
  type Closable,
  type Command,
  type Level,
  type Program,
  type TaskProbes,
  type TaskProgram,
  type TaskState,
  type Waitable,
} from "./context.js";
export { Core, Cpu, type CpuOptions, type HardIrqSource } from "./cpu.js";
