import { expect } from "chai";
import { render } from "ink-testing-library";
import { createElement } from "react";
import { App } from "../../src/tui/App.js";
import { MONO_THEME } from "../../src/tui/theme.js";
import { expectFrame } from "./golden.js";
import { fig4, frame, scenes } from "./scenes.js";

describe("dashboard components (frames at a fixed width)", function () {
  this.timeout(30_000);
  let all: Record<string, string>;
  before(async () => {
    all = await scenes();
  });

  for (const name of ["header-fig4", "live-fig4-100x40", "live-fig4-70x24-stopping", "table-fig4", "summary-fig4", "dashboard-fig4-early"]) {
    it(`draws ${name} as committed`, () => expectFrame(name, all[name]!));
  }

  it("never draws a line wider than the width it was given", () => {
    for (const [name, f] of Object.entries(all)) {
      const width = name.includes("70x24") ? 70 : 100;
      for (const line of f.split("\n")) expect([...line].length, `${name}: ${line}`).to.be.at.most(width);
    }
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
