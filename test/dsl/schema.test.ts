/**
 * The schema is the one declaration of every parameter (STYLE habit 1): walk it and check
 * that the declaration is complete and self-consistent.
 */
import { expect } from "chai";
import { scenarioSchema } from "../../src/dsl/schema/scenario.js";
import { parseQuantity, type Accepts } from "../../src/dsl/units.js";
import { validateFiles } from "../../src/dsl/check.js";
import { TmpDir, NIC_BASE, yaml } from "../helpers/tmp.js";

type Node = Record<string, unknown>;

/** Every sub-schema with its JSON path, skipping `if` conditions (they are tests, not declarations). */
function walk(node: unknown, at: string, visit: (n: Node, at: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((x, i) => walk(x, `${at}/${i}`, visit));
    return;
  }
  if (!node || typeof node !== "object") return;
  const n = node as Node;
  visit(n, at);
  for (const [k, v] of Object.entries(n)) {
    if (k === "if" || k === "enum" || k === "examples" || k === "default" || k === "const") continue;
    walk(v, `${at}/${k}`, visit);
  }
}

function unitNodes(): { at: string; unit: { accepts: Accepts; min?: string; max?: string } }[] {
  const out: { at: string; unit: { accepts: Accepts; min?: string; max?: string } }[] = [];
  walk(scenarioSchema(), "#", (n, at) => {
    if (n.unit && typeof n.unit === "object") out.push({ at, unit: n.unit as { accepts: Accepts; min?: string; max?: string } });
  });
  return out;
}

function si(text: string, accepts: Accepts): number {
  const r = parseQuantity(text, accepts);
  if (!r.ok) throw new Error(r.error.message);
  return r.quantity.si;
}

describe("schema declaration", () => {
  it("declares quantities (there is something to check)", () => {
    expect(unitNodes().length).to.be.greaterThan(40);
  });

  it("writes every unit bound so that it parses in the parameter's own dimension", () => {
    const bad: string[] = [];
    for (const { at, unit } of unitNodes()) {
      for (const b of [unit.min, unit.max]) {
        if (b === undefined) continue;
        const r = parseQuantity(b, unit.accepts);
        if (!r.ok) bad.push(`${at}: ${b} (${r.error.message})`);
      }
    }
    expect(bad).to.deep.equal([]);
  });

  it("never declares a unit minimum above its maximum", () => {
    const bad = unitNodes()
      .filter(({ unit }) => unit.min !== undefined && unit.max !== undefined && si(unit.min, unit.accepts) > si(unit.max, unit.accepts))
      .map(({ at }) => at);
    expect(bad).to.deep.equal([]);
  });

  it("writes every quantity default so that it parses and lies within the bounds", () => {
    const bad: string[] = [];
    walk(scenarioSchema(), "#", (n, at) => {
      const unit = n.unit as { accepts: Accepts; min?: string; max?: string } | undefined;
      if (!unit || n.default === undefined) return;
      const r = parseQuantity(n.default as string, unit.accepts);
      if (!r.ok) return void bad.push(`${at}: ${String(n.default)}`);
      if (r.quantity.dimension === "cycles") return; // checked against the clock, after normalisation
      if (unit.min !== undefined && r.quantity.si < si(unit.min, unit.accepts)) bad.push(`${at}: below min`);
      if (unit.max !== undefined && r.quantity.si > si(unit.max, unit.accepts)) bad.push(`${at}: above max`);
    });
    expect(bad).to.deep.equal([]);
  });

  it("describes every property", () => {
    const undescribed: string[] = [];
    walk(scenarioSchema(), "#", (n, at) => {
      const props = n.properties as Record<string, Node> | undefined;
      if (props) {
        for (const [k, v] of Object.entries(props)) {
          if (typeof v.description !== "string" || v.description.trim() === "") undescribed.push(`${at}/properties/${k}`);
        }
      }
    });
    expect(undescribed).to.deep.equal([]);
  });

  it("sets the ITR maximum to the 16-bit register in 256 ns units (65535 × 256 ns)", () => {
    const itr = unitNodes().find(({ at }) => at.endsWith("/holdoff/properties/itr"))!;
    expect(si(itr.unit.max!, "interval")).to.be.closeTo(65535 * 256e-9, 1e-15);
  });

  it("sets the RDTR, RADV, TIDV and TADV maxima to the 16-bit register in 1.024 µs units", () => {
    for (const name of ["rdtr", "radv", "tidv", "tadv"]) {
      const n = unitNodes().find(({ at }) => at.endsWith(`/holdoff/properties/${name}`))!;
      expect(si(n.unit.max!, "interval"), name).to.be.closeTo(65535 * 1.024e-6, 1e-15);
    }
  });

  describe("register ranges at the boundary", () => {
    const tmp = new TmpDir();
    after(() => tmp.remove());
    const itr = async (value: string) => {
      const file = tmp.write(yaml`
        extends: ${NIC_BASE}
        devices:
          eth0:
            holdoff:
              itr: ${value}
      `);
      const [r] = await validateFiles([file]);
      return r!.diagnostics.map((d) => d.code);
    };

    it("accepts an ITR of exactly 16.77696 ms", async () => expect(await itr("16.77696 ms")).to.deep.equal([]));
    it("rejects an ITR one nanosecond above 16.77696 ms", async () => expect(await itr("16.77697 ms")).to.deep.equal(["schema-range"]));
    it("accepts an ITR of 0 (off)", async () => expect(await itr("0")).to.deep.equal([]));
    it("rejects a negative ITR", async () => expect(await itr("-1 us")).to.deep.equal(["schema-range"]));
  });
});
