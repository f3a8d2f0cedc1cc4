/**
 * A braille canvas: each terminal cell holds 2 × 4 dots (U+2800 block), so a chart of
 * 40 × 10 cells plots 80 × 40 points. Dots remember the tone (colour role) of the last
 * series drawn through their cell; a glyph (a reference marker) replaces a cell outright.
 * Pure arithmetic, tested without a terminal.
 */

/** Bit of each dot, by [x][y] within the cell (Unicode braille numbering). */
const BITS = [
  [0x01, 0x02, 0x04, 0x40],
  [0x08, 0x10, 0x20, 0x80],
];

export interface Segment {
  text: string;
  /** A theme role key or colour; undefined for plain text. */
  tone?: string;
}

export class BrailleCanvas {
  private readonly dots: Uint8Array;
  private readonly tones: (string | undefined)[];
  private readonly glyphs = new Map<number, { char: string; tone?: string }>();

  constructor(
    readonly cols: number,
    readonly rows: number,
  ) {
    this.dots = new Uint8Array(cols * rows);
    this.tones = new Array<string | undefined>(cols * rows).fill(undefined);
  }

  /** Width and height in dots. */
  get width(): number {
    return this.cols * 2;
  }
  get height(): number {
    return this.rows * 4;
  }

  /** Set the dot at (x, y), y = 0 at the top; outside the canvas is ignored. */
  set(x: number, y: number, tone?: string): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    const cell = (yi >> 2) * this.cols + (xi >> 1);
    this.dots[cell]! |= BITS[xi & 1]![yi & 3]!;
    this.tones[cell] = tone;
  }

  /**
   * A line from (x0, y0) to (x1, y1), one dot per step along the longer side. Dashed lines
   * leave out every other run of `dash` dots.
   */
  line(x0: number, y0: number, x1: number, y1: number, tone?: string, dash = 0): void {
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    for (let i = 0; i <= steps; i++) {
      if (dash > 0 && Math.floor(i / dash) % 2 === 1) continue;
      this.set(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, tone);
    }
  }

  /** Put a glyph in the cell holding dot (x, y). */
  glyph(x: number, y: number, char: string, tone?: string): void {
    const xi = Math.round(x);
    const yi = Math.round(y);
    if (xi < 0 || yi < 0 || xi >= this.width || yi >= this.height) return;
    this.glyphs.set((yi >> 2) * this.cols + (xi >> 1), { char, ...(tone ? { tone } : {}) });
  }

  /** Each row as runs of equal tone. Empty cells are spaces (untoned). */
  segments(): Segment[][] {
    const out: Segment[][] = [];
    for (let r = 0; r < this.rows; r++) {
      const row: Segment[] = [];
      for (let c = 0; c < this.cols; c++) {
        const i = r * this.cols + c;
        const g = this.glyphs.get(i);
        const char = g ? g.char : this.dots[i] ? String.fromCharCode(0x2800 + this.dots[i]!) : " ";
        const tone = g ? g.tone : this.dots[i] ? this.tones[i] : undefined;
        const last = row[row.length - 1];
        if (last && last.tone === tone) last.text += char;
        else row.push({ text: char, ...(tone !== undefined ? { tone } : {}) });
      }
      out.push(row);
    }
    return out;
  }

  /** The canvas as plain text lines (for tests). */
  toString(): string {
    return this.segments()
      .map((r) => r.map((s) => s.text).join(""))
      .join("\n");
  }
}
