/**
 * A streaming CSV row parser (RFC 4180 with common leniencies), fed with text blocks.
 * We parse ourselves rather than through papaparse's Node stream because that stream
 * drops per-row errors and positions; here every row carries the lines it spans and
 * a problem (unclosed quote, text after a closing quote) so bad rows are reported by line.
 */

export interface CsvRow {
  cells: string[];
  /** First and last line (1-based) the row spans. */
  line: number;
  endLine: number;
  /** Set when the row is malformed; such rows are skipped by the reader. */
  problem?: string;
  /** Set on the last row when its quote is never closed: it runs to the end of the input. */
  unclosedQuote?: boolean;
}

export class CsvRowParser {
  private cells: string[] = [];
  private field = '';
  private inQuotes = false;
  private quoted = false;
  private afterClose = false;
  private rowLine = 1;
  private line = 1;
  private rowChars = 0;
  private problem?: string;
  private endedWithNewline = false;

  /** `maxRecordChars` bounds memory when a quote is never closed. */
  constructor(
    private readonly delimiter: string,
    private readonly maxRecordChars: number,
    private readonly onTooLong: (line: number) => never,
  ) {}

  /** The line the row being parsed started on. */
  get currentRowLine(): number {
    return this.rowLine;
  }

  /** Parses a block of whole lines; yields the rows it completes. */
  *feed(text: string): Generator<CsvRow> {
    const d = this.delimiter;
    const n = text.length;
    if (n > 0) this.endedWithNewline = text.endsWith('\n');
    let i = 0;
    while (i < n) {
      if (this.inQuotes) {
        const q = text.indexOf('"', i);
        const piece = text.slice(i, q < 0 ? n : q);
        this.field += piece;
        this.line += countNewlines(piece);
        this.rowChars += piece.length;
        if (this.rowChars > this.maxRecordChars) this.onTooLong(this.rowLine);
        if (q < 0) break;
        if (text.charCodeAt(q + 1) === 34) {
          this.field += '"';
          i = q + 2;
          continue;
        }
        this.inQuotes = false;
        this.afterClose = true;
        i = q + 1;
        continue;
      }
      const c = text[i];
      if (c === d) {
        this.endField();
        i++;
        continue;
      }
      if (c === '\n') {
        const row = this.endRow();
        this.line++;
        this.rowLine = this.line;
        i++;
        if (row) yield row;
        continue;
      }
      if (c === '\r' && text[i + 1] === '\n') {
        i++;
        continue;
      }
      if (c === '"' && this.field === '' && !this.quoted && !this.afterClose) {
        this.inQuotes = true;
        this.quoted = true;
        i++;
        continue;
      }
      if (this.afterClose) {
        this.problem ??= `text after a closing quote on line ${this.line}`;
        this.afterClose = false;
      }
      let j = i + 1;
      while (j < n) {
        const cj = text[j];
        if (cj === d || cj === '\n' || cj === '\r') break;
        j++;
      }
      this.field += text.slice(i, j);
      this.rowChars += j - i;
      i = j;
    }
    if (this.rowChars > this.maxRecordChars) this.onTooLong(this.rowLine);
  }

  /** Flushes the last row at the end of the input. */
  *end(): Generator<CsvRow> {
    if (this.inQuotes) {
      this.cells.push(this.field);
      const last = this.endedWithNewline ? this.line - 1 : this.line;
      yield {
        cells: this.cells,
        line: this.rowLine,
        endLine: last,
        problem: `a quote opened on line ${this.rowLine} is never closed`,
        unclosedQuote: true,
      };
      return;
    }
    const row = this.endRow();
    if (row) yield row;
  }

  private endField(): void {
    this.cells.push(this.field);
    this.field = '';
    this.quoted = false;
    this.afterClose = false;
  }

  private endRow(): CsvRow | undefined {
    const blank = this.cells.length === 0 && this.field === '' && !this.quoted;
    this.endField();
    const row: CsvRow = { cells: this.cells, line: this.rowLine, endLine: this.line, problem: this.problem };
    this.cells = [];
    this.problem = undefined;
    this.rowChars = 0;
    return blank ? undefined : row;
  }
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Guesses the separator from the first lines: the candidate that appears (outside quotes)
 * the same non-zero number of times on most lines, preferring more columns. Defaults to ",".
 */
export function guessDelimiter(sample: string, candidates: readonly string[] = [',', ';', '\t', '|']): string {
  const lines = sample.split('\n').slice(0, 30).filter((l) => l.trim() !== '');
  if (lines.length === 0) return ',';
  let best = ',';
  let bestScore = -1;
  for (const d of candidates) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const head = counts[0];
    if (head === 0) continue;
    const consistent = counts.filter((c) => c === head).length / counts.length;
    const score = consistent * 1000 + head;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let inQ = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') inQ = !inQ;
    else if (c === d && !inQ) n++;
  }
  return n;
}
