/** `loopdrv schema`: the scenario schema, as JSON, exactly as the validator uses it. */
import { expect } from "chai";
import { EXIT } from "../../cli/exit-codes.js";
import { scenarioSchema } from "../../src/dsl/schema/scenario.js";
import { cli } from "../helpers/cli.js";

describe("cli: schema", () => {
  it("exits 0 and writes nothing on stderr", async () => {
    const r = await cli(["schema"]);
    expect([r.code, r.stderr]).to.deep.equal([EXIT.ok, ""]);
  });

  it("prints JSON equal to scenarioSchema()", async () => {
    expect(JSON.parse((await cli(["schema"])).stdout)).to.deep.equal(scenarioSchema());
  });

  it("prints the results-document schema for --results", async () => {
    const j = JSON.parse((await cli(["schema", "--results"])).stdout) as Record<string, unknown>;
    expect(j).to.be.an("object");
    expect(j).to.not.deep.equal(scenarioSchema());
  });
});
