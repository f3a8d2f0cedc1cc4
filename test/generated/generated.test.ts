import { readFileSync } from "node:fs";
import { expect } from "chai";
import { GENERATED } from "../../scripts/generate.js";
import { packagePath } from "../../src/dsl/package-root.js";

describe("generated files", () => {
  for (const g of GENERATED) {
    it(`${g.path.join("/")} is current (run \`npm run generate\` after changing the schema)`, () => {
      const committed = readFileSync(packagePath(...g.path), "utf8");
      expect(committed).to.equal(g.content());
    });
  }
});
