import { expect } from "chai";
import { render } from "ink-testing-library";
import { createElement } from "react";
import { loadScenario } from "../../src/dsl/load.js";
import { packagePath } from "../../src/dsl/package-root.js";
import { planScenario } from "../../src/dsl/plan.js";
import { runInfo } from "../../src/report/run-info.js";
import { App } from "../../src/tui/App.js";
import { Header } from "../../src/tui/Header.js";
import { RunningPoints } from "../../src/tui/RunningPoints.js";
import { MONO_THEME } from "../../src/tui/theme.js";
import { expectFrame } from "./golden.js";
import { fig4, frame, scenes } from "./scenes.js";

describe("dashboard components (frames at a fixed width)", function () {
  this.timeout(30_000);
  let all: Record<string, string>;
  before(async () => {
    all = await scenes();
  });

  for (const name of ["header-fig4", "live-fig4-100x40", "live-fig4-70x24-stopping", "table-fig4", "summary-fig4", "summary-fig4-64cols", "dashboard-fig4-early"]) {
    it(`draws ${name} as committed`, () => expectFrame(name, all[name]!));
  }

  it("never draws a line wider than the width it was given", () => {
    for (const [name, f] of Object.entries(all)) {
      const width = name.includes("70x24") ? 70 : name.includes("64cols") ? 64 : 100;
      for (const line of f.split("\n")) expect([...line].length, `${name}: ${line}`).to.be.at.most(width);
    }
  });

  it("counts a shard's points in the header: its own, of the plan's", async () => {
    const loaded = await loadScenario(packagePath("scenarios", "paper-fig4.yaml"));
    const plan = planScenario(loaded.scenario!, { quick: true }).plan!;
    const f = frame(createElement(Header, { info: runInfo(plan, { shard: { index: 2, count: 3 } }), theme: MONO_THEME }));
    expect(f).to.match(/points\s+33 of 100 \(shard 2\/3\) \(quick\)/);
    expect(frame(createElement(Header, { info: runInfo(plan), theme: MONO_THEME }))).to.match(/points\s+100 \(quick\)/);
  });

  it("says a point is coming only while one is: first, next, or nothing at the end", () => {
    const at = (done: number) => frame(createElement(RunningPoints, { running: [], done, total: 10, width: 100, theme: MONO_THEME }));
    expect(at(0)).to.equal("waiting for the first point…");
    expect(at(3)).to.equal("starting the next point…");
    expect(at(10)).to.equal("");
    // After q or Ctrl-C, no point is to come.
    expect(frame(createElement(RunningPoints, { running: [], done: 3, total: 10, stopping: true, width: 100, theme: MONO_THEME }))).to.equal("");
  });

  it("shows what a --set fixed in the header, under the file's own description", async () => {
    const loaded = await loadScenario(packagePath("scenarios", "gige-user.yaml"), { set: ["devices.eth0.driver.placement=kernel"] });
    const plan = planScenario(loaded.scenario!, { quick: true }).plan!;
    expect(frame(createElement(Header, { info: runInfo(plan), theme: MONO_THEME }))).to.match(/--set\s+placement kernel/);
  });

  it("prints no colour with the monochrome theme", () => {
    for (const f of Object.values(all)) expect(f).not.to.include("\u001b[");
  });

  it("turns q and Ctrl-C into stop requests, and ignores other keys", async () => {
    const { info } = await fig4();
    const keys: string[] = [];
    const r = render(createElement(App, { info, items: [], width: 100, theme: MONO_THEME, keysEnabled: true, onKey: (k) => keys.push(k) }));
    await new Promise((res) => setTimeout(res, 20));
    r.stdin.write("x");
    r.stdin.write("q");
    r.stdin.write("\u0003");
    await new Promise((res) => setTimeout(res, 20));
    r.unmount();
    expect(keys).to.deep.equal(["q", "ctrl-c"]);
    expect(frame(createElement(App, { info, items: [], width: 100, theme: MONO_THEME, keysEnabled: false, onKey: () => {} }))).to.equal("");
  });
});
