/**
 * The mechanics of an ATA disk drive reading: rotation, the sequential read-ahead stream
 * into the drive's buffer, the per-command overhead and the interface transfer. Pure time
 * arithmetic (integer ps), no simulator: the device asks "a READ of these sectors accepted
 * now — when has its last byte crossed the interface?" and schedules one event then.
 *
 * The read-ahead stream (Maxtor's DiamondMax product manuals, "Read-Ahead Mode": following a
 * read request, disk read-ahead begins at the first sector and continues sequentially until
 * the allocated buffer is full; a request that hits the buffer during read-ahead is served
 * at once and read-ahead continues without interruption):
 * - while streaming from sector `runLba` (reading it starts at `runStart`), sector
 *   runLba + i is in the buffer at runStart + (i + 1) × sectorMedia — no event per sector;
 * - the stream stops once it has read up to `limit` (exclusive), the end of the latest
 *   command plus the read-ahead; a later command that moves `limit` on restarts it, after
 *   the rotational wait for the sector where it stopped (the head kept spinning);
 * - a command for data neither buffered nor next in the stream starts a new stream at its
 *   first sector after the rotational wait (the first access of a run). There is no seek
 *   model: the disk benchmark reads sequentially from sector 0, where the heads start.
 *
 * Rotation: the head passes the start of sector `lba` when (phase0 + t) ≡ lba × sectorMedia
 * (mod revolution), so a continuous stream stays in step with the platter; the sustained
 * media rate already includes track and head switches (one zone: 64 MiB from sector 0 lies
 * in the outer zone).
 *
 * A command's last byte crosses the interface at
 *   max(accept + overhead + n × sectorInterface, available(last sector) + sectorInterface):
 * the interface is faster than the media, so while the stream runs each later sector is
 * ready at least as early as the interface can take it and only the last one can hold the
 * transfer up.
 */
import type { SimTime } from "../../sim/time.js";

export const SECTOR_BYTES = 512;

export interface DriveTiming {
  /** Reading one sector off the platter at the sustained media rate, ps. */
  sectorMediaPs: SimTime;
  /** Moving one sector over the interface (UDMA), ps. */
  sectorInterfacePs: SimTime;
  /** One revolution, ps. */
  revolutionPs: SimTime;
  /** Drive-side processing of a command before its data moves, ps. */
  commandOverheadPs: SimTime;
  /** Sectors read ahead past the end of the latest command. */
  readAheadSectors: number;
  /** Sectors the buffer holds. */
  cacheSectors: number;
}

/** A READ accepted by the drive. */
export interface ReadTiming {
  /** Time its last byte has crossed the interface (the command completes), ps. */
  end: SimTime;
  /** Every sector was already in the buffer when the command was accepted. */
  hit: boolean;
}

export class DriveMechanics {
  /** Stream state: reading `runLba` starts at `runStart`; it stops before `limit`. */
  private streaming = false;
  private runLba = 0;
  private runStart: SimTime = 0;
  private limit = 0;
  /** Buffered sectors are [bufLo, head). When stopped, head is `stoppedAt`. */
  private bufLo = 0;
  private stoppedAt = 0;

  /** Stream (re)starts, and the rotational waits they cost, for tests and probes. */
  streamStarts = 0;
  rotationWaitPs: SimTime = 0;

  constructor(
    readonly timing: DriveTiming,
    /** Angular position of the platter at t = 0, as ps into a revolution (seeded). */
    readonly phase0Ps: SimTime,
  ) {
    const t = timing;
    for (const [k, v] of Object.entries(t)) {
      if (!(Number.isInteger(v) && v >= 0)) throw new Error(`bug: drive timing ${k} = ${v}`);
    }
    if (!(t.sectorMediaPs > 0 && t.revolutionPs > 0)) throw new Error(`bug: drive media or rotation time is zero`);
    if (t.readAheadSectors > t.cacheSectors) throw new Error(`bug: read-ahead ${t.readAheadSectors} sectors exceeds the ${t.cacheSectors}-sector buffer`);
  }

  /** Wait from `t` until the head reaches the start of sector `lba`, ps (0 ≤ wait < revolution). */
  rotationalWait(t: SimTime, lba: number): SimTime {
    const rev = this.timing.revolutionPs;
    const target = (lba * this.timing.sectorMediaPs) % rev;
    const at = (this.phase0Ps + t) % rev;
    const w = target - at;
    return w >= 0 ? w : w + rev;
  }

  /** Sectors buffered or being streamed start at `bufLo`; the first sector not yet read at `t`. */
  head(t: SimTime): number {
    if (!this.streaming) return this.stoppedAt;
    if (t <= this.runStart) return this.runLba;
    const read = Math.floor((t - this.runStart) / this.timing.sectorMediaPs);
    const h = this.runLba + read;
    return h < this.limit ? h : this.limit;
  }

  /** Lowest sector still in the buffer. */
  get bufferLow(): number {
    return this.bufLo;
  }

  /** A READ of sectors [lba, lba + n) accepted at `t`. */
  read(t: SimTime, lba: number, n: number): ReadTiming {
    if (!(Number.isInteger(lba) && lba >= 0 && Number.isInteger(n) && n >= 1)) throw new Error(`bug: READ of ${n} sectors at ${lba}`);
    const tm = this.timing;
    this.settle(t);
    const last = lba + n - 1;
    const head = this.head(t);
    const hit = lba >= this.bufLo && last < head;
    const ready = t + tm.commandOverheadPs;
    // Buffered, or the continuation of the stream (read-ahead serves it without a new seek).
    const streamEnd = this.streaming ? this.limit : this.stoppedAt;
    if (!(lba >= this.bufLo && lba <= streamEnd)) this.startStream(ready, lba);
    const want = Math.min(last + 1 + tm.readAheadSectors, lba + tm.cacheSectors);
    if (want > this.limit) {
      if (!this.streaming) {
        // Stopped at `stoppedAt` with the buffer full: resume when the sector comes round.
        this.startStream(ready, this.stoppedAt, false);
      }
      this.limit = want;
    }
    const low = this.limit - tm.cacheSectors;
    if (low > this.bufLo) this.bufLo = Math.min(low, lba);
    const available = last < this.runLba ? t : this.runStart + (last - this.runLba + 1) * tm.sectorMediaPs;
    const byInterface = ready + n * tm.sectorInterfacePs;
    const byMedia = available + tm.sectorInterfacePs;
    return { end: byInterface > byMedia ? byInterface : byMedia, hit };
  }

  /** Bring the stream state to time `t`: a stream that reached its limit has stopped. */
  private settle(t: SimTime): void {
    if (!this.streaming) return;
    const stopAt = this.runStart + (this.limit - this.runLba) * this.timing.sectorMediaPs;
    if (t >= stopAt) {
      this.streaming = false;
      this.stoppedAt = this.limit;
    }
  }

  /** Start reading at sector `lba` once the head reaches it after `from`. */
  private startStream(from: SimTime, lba: number, discard = true): void {
    const wait = this.rotationalWait(from, lba);
    this.streamStarts++;
    this.rotationWaitPs += wait;
    this.streaming = true;
    this.runLba = lba;
    this.runStart = from + wait;
    if (discard) {
      // A new stream elsewhere: what was buffered is no longer useful to it.
      this.bufLo = lba;
      this.limit = lba;
    }
  }
}
