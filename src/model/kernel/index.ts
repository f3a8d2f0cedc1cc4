export { Kernel, type KernelOptions, type Panic, type SpawnOptions } from "./kernel.js";
export { DmaMappings } from "./dma.js";
export {
  HANDLER_IRQ_FILE,
  HANDLER_ISR,
  HANDLER_SIGNAL,
  IrqLine,
  IsrHandler,
  type IrqHandler,
  type Isr,
} from "./irq.js";
export { IrqFile, SignalIrq, type UserIrq } from "./irq-file.js";
export { Semaphore, WaitQueue } from "./sync.js";
export { LINUX_SOFTIRQ_RESTARTS, SoftIrq, type SoftirqHandler } from "./softirq.js";
export { KernelTimer, LOCAL_TIMER_VECTOR, type TimerCallback } from "./timer.js";
export { Registration } from "./registration.js";
export { SpscRing } from "./ring.js";
export { IdleGapCounter, IdleMeter, IDLE_METER_NICE, type IdleMeterOptions } from "./idle-meter.js";
export { CpuTimeMeter, KernelCounters, type KernelCounts, type MeterWindow } from "./meters.js";
export {
  addCpuBoundProcess,
  addPeriodicInterruptDevice,
  type CpuBoundParams,
  type PeriodicInterruptDevice,
  type PeriodicInterruptParams,
} from "./smoke.js";
