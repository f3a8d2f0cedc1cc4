import { expect } from "chai";
import { dashboardReporter, FRAME_MS } from "../../src/tui/reporter.js";
import { fig4, live } from "./scenes.js";
import { FakeTty, INK_SEES_CI, mochaWithoutCi, plain, sleep } from "./tty-helpers.js";

if (INK_SEES_CI) {
  // Under CI Ink draws only the final frame, so these tests run in a child without CI.
  describe("the dashboard reporter (in a child process without CI)", function () {
    this.timeout(120_000);
    it("passes every test of this file", () => {
      const r = mochaWithoutCi("test/tui/reporter.test.ts");
      expect(r.status, r.stdout + r.stderr).to.equal(0);
      expect(r.stdout).to.match(/3 passing/);
    });
  });
} else {
  describe("the dashboard reporter", function () {
    this.timeout(30_000);

    async function run(tty: FakeTty, points: number, slicesPerPoint: number, after?: (i: number) => void) {
      const { info, doc } = await fig4();
      const r = dashboardReporter(info, { output: tty as unknown as NodeJS.WriteStream, color: false, onStop: () => {}, stopRequested: () => undefined });
      r.onEvent({ type: "start", total: info.points.length, work: info.work.reduce((a, b) => a + b, 0) });
      for (let i = 0; i < points; i++) {
        r.onEvent({ type: "point-start", index: i, id: info.points[i]!.id, params: info.points[i]!.params });
        for (let s = 1; s <= slicesPerPoint; s++) r.onEvent({ type: "slice", index: i, fraction: s / slicesPerPoint, events: s, simSeconds: s / 1000, live: live(s / 100, s) });
        r.onEvent({ type: "point-done", index: i, result: doc.points[i]!, events: slicesPerPoint, simSeconds: 1, wallMs: 10 });
        after?.(i);
        await sleep(1);
      }
      return { r, info, doc };
    }

    it("redraws the live area at most once per frame however many events arrive", async () => {
      const tty = new FakeTty();
      const t0 = Date.now();
      const { r, doc } = await run(tty, 20, 200);
      await sleep(2 * FRAME_MS);
      const elapsed = Date.now() - t0;
      const frames = plain(tty.text).split("speed ").length - 1;
      expect(frames).to.be.at.least(1);
      expect(frames).to.be.at.most(Math.ceil(elapsed / FRAME_MS) + 2);
      await r.finish({ plan: undefined as never, doc: { ...doc, partial: true }, written: [], wallSeconds: 1, json: false });
    });

    it("prints each finished point once, never redrawn, and ends with the summary", async () => {
      const tty = new FakeTty();
      const { r, doc } = await run(tty, 5, 3, () => {});
      await sleep(2 * FRAME_MS);
      await r.finish({ plan: undefined as never, doc: { ...doc, points: doc.points.map((p, i) => (i < 5 ? p : { ...p, status: "not-run", metrics: {} })), partial: true }, written: ["out/results.json"], wallSeconds: 1, json: false, stoppedBy: "q" });
      const out = plain(tty.text);
      for (let i = 0; i < 5; i++) expect(out.split(new RegExp(`\\np0${i} {2}kernel `)).length - 1, `p0${i}`).to.equal(1);
      expect(out.split("loopdrv · paper-fig4").length - 1).to.equal(1);
      expect(out).to.include("paper-fig4: 5 ok, 95 not run (stopped by q) of 100 points (quick)");
      expect(out).to.include("wrote out/results.json");
      // The live area is gone at the end: the last thing on screen is the summary.
      expect(out.trimEnd().endsWith("wrote out/results.json")).to.equal(true);
    });

    it("lays the live area out again for the new size when the terminal is resized", async () => {
      const tty = new FakeTty();
      const { r, doc } = await run(tty, 3, 3);
      await sleep(2 * FRAME_MS);
      const before = tty.chunks.length;
      tty.columns = 60;
      tty.rows = 20;
      tty.emit("resize");
      await sleep(2 * FRAME_MS);
      const after = plain(tty.chunks.slice(before).join(""));
      const widest = Math.max(...after.split("\n").map((l) => [...l].length));
      expect(widest).to.be.at.most(60);
      await r.finish({ plan: undefined as never, doc, written: [], wallSeconds: 1, json: false });
    });
  });
}
