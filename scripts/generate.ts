/**
 * Writes the generated files: schema/scenario.schema.json and docs/scenario-language.md.
 * `npm run generate`; test/dsl/generated.test.ts fails when a committed copy drifts.
 */
import { writeFileSync } from "node:fs";
import { scenarioLanguageDoc } from "../src/dsl/docs.js";
import { packagePath } from "../src/dsl/package-root.js";
import { scenarioSchema } from "../src/dsl/schema/scenario.js";

export const GENERATED: { path: string[]; content: () => string }[] = [
  { path: ["schema", "scenario.schema.json"], content: () => JSON.stringify(scenarioSchema(), null, 2) + "\n" },
  { path: ["docs", "scenario-language.md"], content: scenarioLanguageDoc },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const g of GENERATED) {
    writeFileSync(packagePath(...g.path), g.content());
    console.log(`wrote ${g.path.join("/")}`);
  }
}
