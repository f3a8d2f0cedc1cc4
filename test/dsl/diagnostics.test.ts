/**
 * Diagnostics as the user reads them: messages and hints come from the catalog, and the
 * rendering shows file:line:col, the line, a caret, the extends chain and the hint.
 */
import { expect } from "chai";
import type { Diagnostic } from "../../src/diag/diagnostic.js";
import { internalDiagnostic, sortDiagnostics } from "../../src/diag/diagnostic.js";
import { formatDiagnostic } from "../../src/diag/format.js";
import { msg } from "../../src/diag/messages.js";
import { validateFiles } from "../../src/dsl/check.js";
import { WORKLOAD_TYPES } from "../../src/dsl/schema/scenario.js";
import { parseSourceText } from "../../src/dsl/source.js";
import { invalidFixture } from "../helpers/fixtures.js";
import { NIC_BASE, TmpDir, yaml } from "../helpers/tmp.js";

async function diagnosticsOf(file: string): Promise<{ diagnostics: Diagnostic[]; sources: Map<string, string> }> {
  const [r] = await validateFiles([file]);
  return { diagnostics: r!.diagnostics, sources: r!.sources };
}

describe("diagnostic messages", () => {
  const tmp = new TmpDir();
  after(() => tmp.remove());

  it("name the whole duplicated key", () => {
    const r = parseSourceText("workload:\n  clients: 2\n  clients: 3\n", "dup.yaml");
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.diagnostics.map((d) => d.message)).to.deep.equal([msg["yaml-duplicate-key"]("clients").message]);
  });

  it("hint at the cause of a YAML syntax error and at what a missing section looks like", async () => {
    const r = parseSourceText("devices:\n  hda: {type: ide-disk\nworkload: {type: disk-read, device: hda}\n", "open.yaml");
    expect(r.ok).to.equal(false);
    if (!r.ok) expect(r.diagnostics.map((d) => [d.code, d.hint])).to.deep.equal([["yaml-syntax", "a { [ or quote opened on this line or one above is not closed"]]);
    const { diagnostics } = await diagnosticsOf(tmp.write("name: x\nworkload: {type: cpu-hog}\n"));
    expect(diagnostics.map((d) => [d.code, d.hint])).to.deep.include([
      "schema-missing-key",
      "add the machine's devices by name, e.g. `devices: {eth0: {type: gige-nic}}` or `devices: {hda: {type: ide-disk}}`",
    ]);
  });

  it("list the allowed keys when an unknown key is near none of them", async () => {
    const file = tmp.write(yaml`
      extends: ${NIC_BASE}
      workload:
        zzzzzzzz: 1
    `);
    const { diagnostics } = await diagnosticsOf(file);
    const allowed = Object.keys((WORKLOAD_TYPES["udp-echo"] as { properties: object }).properties);
    expect(diagnostics.map((d) => [d.code, d.message, d.hint])).to.deep.equal([
      ["schema-unknown-key", ...Object.values(msg["schema-unknown-key"]("zzzzzzzz", "`workload`", allowed, undefined))],
    ]);
  });

  it("word a missing device with the catalog's message and a near-miss hint", async () => {
    const { diagnostics } = await diagnosticsOf(invalidFixture("workload-device-missing.yaml"));
    const m = msg["device-unknown"]("eth1", ["eth0"], "eth0");
    expect(diagnostics.map((d) => [d.message, d.hint])).to.deep.equal([[m.message, m.hint]]);
  });

  it("word buffered reads with the catalog's message and hint", async () => {
    const { diagnostics } = await diagnosticsOf(invalidFixture("workload-o-direct-false.yaml"));
    const m = msg["workload-buffered-io"]();
    expect(diagnostics.map((d) => [d.message, d.hint])).to.deep.equal([[m.message, m.hint]]);
  });

  it("word an extends cycle with the whole chain, back to the first file", async () => {
    const { diagnostics } = await diagnosticsOf(invalidFixture("extends-cycle-a.yaml"));
    const a = invalidFixture("extends-cycle-a.yaml");
    const b = invalidFixture("extends-cycle-b.yaml");
    expect(diagnostics.map((d) => d.message)).to.deep.equal([msg["extends-cycle"]([a, b, a]).message]);
  });

  it("word a sweep over 10,000 points with the count and the limit", async () => {
    const { diagnostics } = await diagnosticsOf(invalidFixture("sweep-too-many-points.yaml"));
    expect(diagnostics.map((d) => d.message)).to.deep.equal([msg["sweep-too-large"](11000, 10000).message]);
  });
});

describe("diagnostic rendering", () => {
  const sources = new Map([["s.yaml", "name: x\nworkload:\n  offered_load: 100 mb/s\n"]]);
  const d: Diagnostic = {
    code: "unit-unknown",
    severity: "error",
    kind: "user",
    message: "`mb/s` is not a known unit",
    hint: "did you mean `Mb/s`?",
    range: { file: "s.yaml", start: { line: 3, col: 21 }, end: { line: 3, col: 25 } },
  };

  it("starts with file:line:col, the severity, the message and the code", () => {
    expect(formatDiagnostic(d, { sources }).split("\n")[0]).to.equal("s.yaml:3:21: error: `mb/s` is not a known unit [unit-unknown]");
  });

  it("shows the offending line and a caret under the range", () => {
    const lines = formatDiagnostic(d, { sources }).split("\n");
    expect(lines.slice(1, 3)).to.deep.equal(["  3 |   offered_load: 100 mb/s", "    |                     ^^^^"]);
  });

  it("ends with the hint", () => {
    expect(formatDiagnostic(d, { sources }).split("\n").pop()).to.equal(`  = hint: ${d.hint}`);
  });

  it("shows the extends chain of a value that came from a base", () => {
    const text = formatDiagnostic({ ...d, chain: ["a.yaml", "s.yaml"] }, { sources });
    expect(text).to.include("  = via extends: a.yaml → s.yaml\n");
  });

  it("uses no escape codes unless asked for colour", () => {
    expect(formatDiagnostic(d, { sources })).to.not.include("\u001b[");
    expect(formatDiagnostic(d, { sources, color: true })).to.include("\u001b[");
  });

  it("shows no stack for a user error, even if one is attached", () => {
    expect(formatDiagnostic({ ...d, stack: "Error: x\n    at somewhere (file.ts:1:1)" }, { sources })).to.not.include("    at ");
  });

  it("says that an internal error is a bug and shows its stack", () => {
    const text = formatDiagnostic(internalDiagnostic(new Error("boom")));
    expect(text).to.include("this is a bug");
    expect(text).to.include("    at ");
  });

  it("sorts diagnostics by file, line, column, then code", () => {
    const at = (file: string, line: number, col: number, code: string): Diagnostic => ({
      code,
      severity: "error",
      kind: "user",
      message: code,
      range: { file, start: { line, col }, end: { line, col } },
    });
    const sorted = sortDiagnostics([at("b", 1, 1, "x"), at("a", 2, 1, "x"), at("a", 1, 5, "y"), at("a", 1, 5, "b"), at("a", 1, 2, "z")]);
    expect(sorted.map((x) => `${x.range!.file}:${x.range!.start.line}:${x.range!.start.col}:${x.code}`)).to.deep.equal([
      "a:1:2:z",
      "a:1:5:b",
      "a:1:5:y",
      "a:2:1:x",
      "b:1:1:x",
    ]);
  });
});
