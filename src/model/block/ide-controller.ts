/**
 * The IDE disk as the host sees it: an ATA drive behind a busmaster IDE controller (the
 * zx2000's CMD649), reduced to the registers the driver touches for a READ DMA:
 *
 * - the taskfile (sector count, LBA, device) and the command register: writing READ DMA
 *   hands the command to the drive, which starts its per-command processing;
 * - the busmaster registers (PRD table address, command, status): the controller moves the
 *   data into host memory at the bus addresses of the PRD table (DMA, no CPU);
 * - the busmaster status INTR bit and the drive's INTRQ: set when the last byte is in host
 *   memory, with one interrupt per command on the channel's IRQ line; reading the ATA
 *   status register acknowledges it.
 *
 * Timing comes from DriveMechanics; the controller schedules one simulator event per
 * command (its completion). The CPU cost of touching the registers is the driver's
 * (`reg_read`, `reg_write` bursts); here the accesses only change state.
 *
 * A reset (the kernel quiescing the device of a user-level driver that died) aborts the
 * command in progress: its completion event is ignored by its generation, and the busmaster
 * engine and INTR are cleared.
 *
 * Probes (a, b): `disk/<name>/command` (sectors, 1 if every sector was already in the
 * drive's buffer), `disk/<name>/complete` (sectors, 0), `disk/<name>/reset` (sectors of the
 * command aborted, 0).
 */
import type { Simulator } from "../../sim/kernel.js";
import type { Probe } from "../../sim/probe.js";
import type { IrqLine } from "../kernel/index.js";
import { SECTOR_BYTES, type DriveMechanics } from "./drive-mechanics.js";

export class IdeController {
  /** A command is in progress (drive BSY, or its DMA not yet finished). */
  private inProgress = false;
  private sectorsNow = 0;
  /** Busmaster status INTR: the command's DMA finished and the drive interrupted. */
  private bmIntr = false;

  // Counted where each thing happens, for the conservation equations.
  commandsIssued = 0;
  commandsCompleted = 0;
  bytesCommanded = 0;
  bytesDma = 0;
  interruptsRaised = 0;
  /** Raises that merged with an interrupt still outstanding on the line. */
  interruptsMerged = 0;
  /** Commands aborted by a reset, and their bytes. */
  commandsAborted = 0;
  bytesAborted = 0;
  /** Generation of the completion event: a reset makes the one scheduled stale. */
  private gen = 0;

  private readonly pCommand: Probe;
  private readonly pComplete: Probe;
  private readonly pReset: Probe;
  private readonly onComplete: (gen: number) => void;

  constructor(
    private readonly sim: Simulator,
    readonly name: string,
    readonly mechanics: DriveMechanics,
    private readonly line: IrqLine,
  ) {
    this.pCommand = sim.probes.get(`disk/${name}/command`);
    this.pComplete = sim.probes.get(`disk/${name}/complete`);
    this.pReset = sim.probes.get(`disk/${name}/reset`);
    this.onComplete = (gen) => {
      if (gen === this.gen) this.complete();
    };
  }

  get busy(): boolean {
    return this.inProgress;
  }

  /** What a read of the busmaster status register returns: the INTR bit. */
  get interruptPending(): boolean {
    return this.bmIntr;
  }

  /** Sectors of the command in progress (0 when idle). */
  get sectorsInProgress(): number {
    return this.inProgress ? this.sectorsNow : 0;
  }

  /**
   * READ DMA written to the command register (taskfile and PRD table already set up, the
   * busmaster engine started right after): the drive takes the command now.
   */
  readDma(lba: number, sectors: number): void {
    if (this.inProgress) throw new Error(`bug: disk ${this.name} got a command while busy`);
    const t = this.mechanics.read(this.sim.now, lba, sectors);
    this.inProgress = true;
    this.sectorsNow = sectors;
    this.commandsIssued++;
    this.bytesCommanded += sectors * SECTOR_BYTES;
    if (this.pCommand.active) this.pCommand.emit(sectors, t.hit ? 1 : 0);
    this.sim.at(t.end, this.onComplete, this.gen);
  }

  /**
   * The driver's acknowledgement: stop the busmaster engine, clear INTR, read the ATA
   * status (which de-asserts INTRQ).
   */
  acknowledge(): void {
    this.bmIntr = false;
  }

  /** Reset the channel: abort the command in progress, stop the busmaster engine, clear INTR. */
  reset(): void {
    this.gen++;
    if (this.pReset.active) this.pReset.emit(this.sectorsInProgress, 0);
    if (this.inProgress) {
      this.commandsAborted++;
      this.bytesAborted += this.sectorsNow * SECTOR_BYTES;
    }
    this.inProgress = false;
    this.sectorsNow = 0;
    this.bmIntr = false;
  }

  /** The last byte is in host memory: status ready, INTR set, interrupt raised. */
  private complete(): void {
    this.inProgress = false;
    this.commandsCompleted++;
    this.bytesDma += this.sectorsNow * SECTOR_BYTES;
    if (this.pComplete.active) this.pComplete.emit(this.sectorsNow, 0);
    this.sectorsNow = 0;
    this.bmIntr = true;
    this.interruptsRaised++;
    const l = this.line;
    if (l.masked ? l.pending : l.queued) this.interruptsMerged++;
    l.raise();
  }
}
