/**
 * Where in a JSON text a value was written, for diagnostics about results documents
 * (`loopdrv merge`): a small scanner over the text that follows a path of keys and indexes
 * and returns the range of the key (for object members) or of the value (for array items).
 * It assumes the text parses (JSON.parse succeeded); on anything unexpected it gives up.
 */
import type { Position } from "../diag/diagnostic.js";

export interface TextRange {
  start: Position;
  end: Position;
}

/** Line and column (1-based) of an offset into `text`. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: offset - lineStart + 1 };
}

/** The range of `path` in `text`, or undefined if it is not there. */
export function locateJson(text: string, path: readonly (string | number)[]): TextRange | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipString = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (c === "{") {
          skipString();
          ws();
          i++; // colon
        }
        skipValue();
        ws();
        if (text[i++] === close) return;
      }
    }
    while (i < text.length && !/[\s,}\]]/.test(text[i]!)) i++;
  };
  const range = (from: number, to: number): TextRange => ({ start: positionAt(text, from), end: positionAt(text, to) });

  ws();
  let found: TextRange = range(i, i);
  for (const seg of path) {
    ws();
    if (typeof seg === "string") {
      if (text[i] !== "{") return undefined;
      i++;
      let hit = false;
      for (;;) {
        ws();
        if (text[i] !== '"') return undefined;
        const keyStart = i;
        skipString();
        const key = JSON.parse(text.slice(keyStart, i)) as string;
        ws();
        i++; // colon
        if (key === seg) {
          found = range(keyStart, i - 1);
          hit = true;
          break;
        }
        skipValue();
        ws();
        if (text[i++] !== ",") return undefined;
      }
      if (!hit) return undefined;
    } else {
      if (text[i] !== "[") return undefined;
      i++;
      for (let n = 0; n < seg; n++) {
        skipValue();
        ws();
        if (text[i++] !== ",") return undefined;
      }
      ws();
      const start = i;
      skipValue();
      const firstLineEnd = text.indexOf("\n", start);
      found = range(start, firstLineEnd > start && firstLineEnd < i ? firstLineEnd : i);
      i = start;
    }
  }
  return found;
}
