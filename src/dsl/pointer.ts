/**
 * Paths into documents. Internally a JSON pointer ("/devices/eth0/driver/placement", the
 * form ajv reports in `instancePath`); for people a dotted path
 * ("devices.eth0.driver.placement", the form of sweep axes, `--set` and result params).
 */
export type Segment = string | number;

export function toPointer(path: readonly Segment[]): string {
  let s = "";
  for (const seg of path) s += "/" + String(seg).replace(/~/g, "~0").replace(/\//g, "~1");
  return s;
}

export function fromPointer(ptr: string): string[] {
  if (ptr === "") return [];
  return ptr
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** "devices.eth0.driver.placement" → ["devices","eth0","driver","placement"]; "a.b[2]" → ["a","b","2"]. */
export function fromDotted(dotted: string): string[] {
  return dotted
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter((s) => s.length > 0);
}

export function toDotted(path: readonly Segment[]): string {
  return path.map(String).join(".");
}

export function pointerToDotted(ptr: string): string {
  return toDotted(fromPointer(ptr));
}

export function dottedToPointer(dotted: string): string {
  return toPointer(fromDotted(dotted));
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function getAt(root: unknown, path: readonly Segment[]): unknown {
  let cur: unknown = root;
  for (const seg of path) {
    if (Array.isArray(cur)) cur = cur[Number(seg)];
    else if (isPlainObject(cur)) cur = Object.prototype.hasOwnProperty.call(cur, seg) ? cur[String(seg)] : undefined;
    else return undefined;
  }
  return cur;
}

/** Set a value at `path`, creating intermediate maps. Returns the (possibly new) root. */
export function setAt(root: Record<string, unknown>, path: readonly Segment[], value: unknown): void {
  let cur: Record<string, unknown> = root;
  for (let i = 0; i < path.length - 1; i++) {
    const k = String(path[i]);
    const next = cur[k];
    if (!isPlainObject(next)) cur[k] = {};
    cur = cur[k] as Record<string, unknown>;
  }
  cur[String(path[path.length - 1])] = value;
}
