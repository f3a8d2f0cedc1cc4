/**
 * loopdrv as a library. Every function returns data and diagnostics; none of them prints,
 * reads argv or exits. The command line (cli/) is a thin layer over these.
 */
export * from "./dsl/index.js";
export * from "./diag/diagnostic.js";
export { formatDiagnostic, formatDiagnostics } from "./diag/format.js";
export { msg } from "./diag/messages.js";

