/**
 * The corpus of broken scenarios (test/fixtures/invalid/): each file states on its first
 * lines the diagnostics it must produce, and is loaded exactly as `loopdrv validate` loads
 * it (validateFiles). The set of (code, file, line, col) must match exactly: a missing
 * diagnostic is a check that stopped working, an extra one is noise the user has to read.
 *
 * File-level problems that cannot be committed sensibly (empty, binary, not UTF-8, a
 * directory, a missing file, a file over 1 MiB) are generated into a temporary directory.
 */
import { expect } from "chai";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { validateFiles, type FileValidation } from "../../src/dsl/check.js";
import { msg } from "../../src/diag/messages.js";
import { MAX_FILE_BYTES } from "../../src/dsl/source.js";
import { chainOf, diagnosticKey, didYouMeanHints, keyOf, parseExpectations, type Expected } from "../helpers/expectations.js";
import { INVALID_DIR, invalidFixture } from "../helpers/fixtures.js";

/** Fixtures whose expectations state what is right but the code does not do yet. */
const KNOWN_BUGS: Record<string, string> = {};

const MIN_CORPUS = 35;

function committedFixtures(): string[] {
  return readdirSync(INVALID_DIR)
    .filter((n) => n.endsWith(".yaml"))
    .sort();
}

function assertDiagnostics(result: FileValidation, expected: readonly Expected[]): void {
  expect(result.ok, "the file must be reported invalid").to.equal(false);
  const actual = result.diagnostics.map(diagnosticKey).sort();
  expect(actual).to.deep.equal(expected.map(keyOf).sort());
  for (const e of expected) {
    const d = result.diagnostics.find((x) => diagnosticKey(x) === keyOf(e))!;
    expect(d.kind, `${keyOf(e)} is the user's fault`).to.equal("user");
    if (e.suggests) expect(didYouMeanHints(e.code, e.suggests), `hint of ${keyOf(e)}`).to.include(d.hint);
    if (e.via) expect(chainOf(d), `extends chain of ${keyOf(e)}`).to.deep.equal(e.via);
  }
}

describe("invalid scenario corpus", () => {
  const fixtures = committedFixtures();

  it("holds at least 35 broken scenarios", () => {
    expect(fixtures.length).to.be.at.least(MIN_CORPUS);
  });

  it("states the expected diagnostics on the first line of every file", () => {
    const without = fixtures.filter((f) => !readFileSync(path.join(INVALID_DIR, f), "utf8").startsWith("# expect: "));
    expect(without).to.deep.equal([]);
  });

  it("names only fixtures that exist among its known bugs", () => {
    expect(Object.keys(KNOWN_BUGS).filter((f) => !fixtures.includes(f))).to.deep.equal([]);
  });

  for (const name of fixtures) {
    const text = readFileSync(path.join(INVALID_DIR, name), "utf8");
    const expected = parseExpectations(text, name);
    const title = `${name}: ${expected.map((e) => `${e.code} at ${e.file === name ? "" : e.file + ":"}${e.line}:${e.col}`).join(", ")}`;
    const run = async () => {
      const [result] = await validateFiles([invalidFixture(name)]);
      assertDiagnostics(result!, expected);
    };
    if (KNOWN_BUGS[name]) it.skip(`${title} (known bug: ${KNOWN_BUGS[name]})`, run);
    else it(title, run);
  }
});

describe("invalid scenario corpus: file-level problems (generated)", () => {
  let dir = "";

  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "loopdrv-corpus-"));
    writeFileSync(path.join(dir, "empty.yaml"), "");
    writeFileSync(path.join(dir, "blank.yaml"), "\n   \n\n");
    writeFileSync(path.join(dir, "binary.yaml"), Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0x00, 0x01, 0x02, 0x0a]));
    // "name: café" in Latin-1: 0xE9 alone is not UTF-8.
    writeFileSync(path.join(dir, "latin1.yaml"), Buffer.from([...Buffer.from("name: caf"), 0xe9, 0x0a]));
    mkdirSync(path.join(dir, "a-directory.yaml"));
    const line = "# padding to push the file over the size limit\n";
    writeFileSync(path.join(dir, "huge.yaml"), "name: huge\n" + line.repeat(Math.ceil(MAX_FILE_BYTES / line.length) + 1));
    writeFileSync(path.join(dir, "present.yaml"), "name: present\n");
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [title: string, file: string, code: string][] = [
    ["an empty file is file-empty", "empty.yaml", "file-empty"],
    ["a file of blank lines is file-empty", "blank.yaml", "file-empty"],
    ["a file with NUL bytes is file-binary", "binary.yaml", "file-binary"],
    ["a file that is not UTF-8 is file-encoding", "latin1.yaml", "file-encoding"],
    ["a directory is file-is-directory", "a-directory.yaml", "file-is-directory"],
    ["a missing file is file-not-found", "no-such-file.yaml", "file-not-found"],
    ["a file over 1 MiB is file-too-large", "huge.yaml", "file-too-large"],
  ];
  for (const [title, file, code] of cases) {
    it(`${title} at 1:1`, async () => {
      const [result] = await validateFiles([path.join(dir, file)]);
      assertDiagnostics(result!, [{ code, file, line: 1, col: 1 }]);
    });
  }

  it("suggests a similarly named file when a file is missing", async () => {
    const [result] = await validateFiles([path.join(dir, "presnt.yaml")]);
    const d = result!.diagnostics[0]!;
    expect(d.code).to.equal("file-not-found");
    expect(d.hint).to.equal(msg["file-not-found"]("", path.relative(process.cwd(), path.join(dir, "present.yaml"))).hint);
  });

  it("suggests no file whose name is unlike the one asked for (the shared .yaml is not a likeness)", async () => {
    writeFileSync(path.join(dir, "cyc1.yaml"), "name: x\n");
    const [result] = await validateFiles([path.join(dir, "typo.yaml")]);
    const d = result!.diagnostics[0]!;
    expect(d.code).to.equal("file-not-found");
    expect(d.hint ?? "").to.not.include("cyc1");
  });
});
