import { readFileSync } from "node:fs";
import { packagePath } from "../../src/dsl/package-root.js";
import { scenarioSchema } from "../../src/dsl/schema/scenario.js";
import { EXIT } from "../exit-codes.js";
import type { Io } from "../io.js";

export async function schemaCommand(io: Io, opts: { results: boolean }): Promise<number> {
  const schema = opts.results ? JSON.parse(readFileSync(packagePath("schema", "results.schema.json"), "utf8")) : scenarioSchema();
  io.out(JSON.stringify(schema, null, 2) + "\n");
  return EXIT.ok;
}
