import { expect } from "chai";
import { DriveMechanics, type DriveTiming } from "../../src/model/block/drive-mechanics.js";

const us = (v: number) => Math.round(v * 1e6); // µs → ps

/** 10 µs a sector off the platter, 5 µs over the interface, 1 ms a revolution (100 sectors a track). */
const TIMING: DriveTiming = {
  sectorMediaPs: us(10),
  sectorInterfacePs: us(5),
  revolutionPs: us(1000),
  commandOverheadPs: us(20),
  readAheadSectors: 50,
  cacheSectors: 400,
};

describe("IDE drive mechanics", () => {
  it("the first access waits for its sector to come under the head", () => {
    // Platter at 300 µs into a revolution: sector 0 (angle 0) comes round 700 µs later.
    const d = new DriveMechanics(TIMING, us(300));
    expect(d.rotationalWait(0, 0)).to.equal(us(700));
    const r = d.read(0, 0, 1);
    // Command processed at 20 µs; the head reaches sector 0 at 20 + 680 µs (it moved on
    // meanwhile), reads it in 10 µs, and the interface moves it in 5 µs.
    expect(r).to.deep.equal({ end: us(700 + 10 + 5), hit: false });
    expect(d.streamStarts).to.equal(1);
    expect(d.rotationWaitPs).to.equal(us(680));
  });

  it("a sequential read already in the buffer takes the command overhead plus the interface transfer", () => {
    const d = new DriveMechanics(TIMING, 0);
    d.read(0, 0, 1); // sector 0 passed the head at 0: the stream starts a revolution later, at 1000 µs
    const t = us(1100); // sectors 1–4 are in the buffer and read-ahead is still running
    const r = d.read(t, 1, 4);
    expect(r).to.deep.equal({ end: t + us(20) + 4 * us(5), hit: true });
    expect(d.streamStarts).to.equal(1);
  });

  it("reads asking faster than the media rate are paced by the platter", () => {
    const d = new DriveMechanics(TIMING, 0);
    let t = d.read(0, 0, 10).end;
    const firstEnd = t;
    for (let i = 1; i <= 20; i++) t = d.read(t, 10 * i, 10).end;
    // Once streaming, each 10-sector command ends when its last sector is read + 5 µs:
    // 200 more sectors at 10 µs each.
    expect(t - firstEnd).to.equal(200 * us(10));
    expect(d.streamStarts).to.equal(1);
  });

  it("read-ahead stops at its limit, and the next command resumes it after a rotational wait", () => {
    const d = new DriveMechanics(TIMING, 0);
    // Stream starts at sector 0 at 1000 µs (sector 0 passed the head at 0, comes round again).
    d.read(0, 0, 1);
    // Limit: 1 + 50 read-ahead sectors; all read by 1000 + 51 × 10 µs.
    expect(d.head(us(1000 + 510))).to.equal(51);
    expect(d.head(us(5000))).to.equal(51);
    const r = d.read(us(5000), 1, 2);
    expect(r.hit).to.equal(true);
    expect(r.end).to.equal(us(5000 + 20 + 10));
    // The stream resumes at sector 51 when it comes round: angle 510 µs, next at 5510 µs.
    expect(d.streamStarts).to.equal(2);
    expect(d.head(us(5510))).to.equal(51);
    expect(d.head(us(5520))).to.equal(52);
    expect(d.head(us(9000))).to.equal(53);
  });

  it("a read outside the buffer and the stream starts a new stream at its sector", () => {
    const d = new DriveMechanics(TIMING, 0);
    d.read(0, 0, 1);
    const t = us(3000);
    const r = d.read(t, 10_000, 1);
    expect(r.hit).to.equal(false);
    // Sector 10 000 sits at angle 0 (a multiple of 100 sectors): next at 4000 µs.
    expect(r.end).to.equal(us(4000 + 10 + 5));
    expect(d.bufferLow).to.equal(10_000);
    expect(d.streamStarts).to.equal(2);
  });

  it("the buffer keeps the most recent sectors, never those of the command being served", () => {
    const d = new DriveMechanics({ ...TIMING, cacheSectors: 100 }, 0);
    let t = 0;
    for (let lba = 0; lba < 300; lba += 10) t = d.read(t, lba, 10).end;
    expect(d.bufferLow).to.equal(290 + 10 + 50 - 100);
  });
});
