import { validateFiles } from "../../src/dsl/check.js";
import { formatDiagnostics } from "../../src/diag/format.js";
import { EXIT } from "../exit-codes.js";
import type { Io } from "../io.js";

export async function validateCommand(
  io: Io,
  files: string[],
  opts: { set: string[]; force: boolean; quiet: boolean; color: boolean; quick?: boolean },
): Promise<number> {
  const results = await validateFiles(files, { set: opts.set, force: opts.force, quick: !!opts.quick });
  let bad = 0;
  for (const r of results) {
    if (r.diagnostics.length) io.err(formatDiagnostics(r.diagnostics, { sources: r.sources, color: opts.color }) + "\n\n");
    if (r.ok) {
      if (!opts.quiet) io.out(`ok    ${r.file} (${r.points} point${r.points === 1 ? "" : "s"}${opts.quick ? ", quick" : ""})\n`);
      // Not an error, but it changes what runs: say it where the file is checked, as plan does.
      if (!opts.quiet) for (const f of r.fixedAxes ?? []) io.out(`      note: ${f} fixes a path the file it extends sweeps\n`);
    } else {
      bad++;
      const n = r.diagnostics.filter((d) => d.severity === "error").length;
      io.err(`FAIL  ${r.file}: ${n} problem${n === 1 ? "" : "s"}\n`);
    }
  }
  if (results.length > 1 && !opts.quiet) io.out(`${results.length - bad} of ${results.length} files valid\n`);
  return bad ? EXIT.badInput : EXIT.ok;
}
