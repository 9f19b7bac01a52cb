/**
 * A JSONL line too long to hold whole, read as its bytes arrive: decoded as UTF-8 (strictly, a
 * character split between two reads included) and parsed by JsonValueScanner, keeping each
 * string's first `maxFieldChars` characters. After the first error the rest of the line is
 * only counted, so a malformed long line costs no memory either.
 */
import type { LongLineSink } from './line-blocks';
import type { FieldCut } from './field-cap';
import { JsonScanError, JsonValueScanner } from './json-value-scanner';

/** What a long line held: its fields and the strings cut, a reason to skip it, or nothing (a blank line). */
export type LongJsonLine =
  | { kind: 'record'; fields: Record<string, unknown>; cuts: FieldCut[] }
  | { kind: 'skip'; reason: string }
  | { kind: 'blank' };

const DECODE_PIECE_BYTES = 32 * 1024;

export class LongJsonLineReader implements LongLineSink<LongJsonLine> {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private readonly scanner: JsonValueScanner;
  private readonly cuts: FieldCut[] = [];
  private failure: string | undefined;
  /** Bytes decoded so far, for the place of invalid UTF-8. */
  private bytes = 0;

  /** `maxKeptChars`: most characters the record may keep in all (its cut strings, keys, numbers). */
  constructor(line: number, maxFieldChars: number, maxKeptChars: number) {
    this.scanner = new JsonValueScanner({
      maxStringChars: maxFieldChars,
      maxKeptChars,
      onCut: (field, chars) => this.cuts.push({ line, field, chars }),
    });
  }

  write(bytes: Uint8Array): void {
    if (this.failure) return; // the rest of a bad line is only read past
    // Small pieces: their strings die young. A 1 MB piece would decode to an external string
    // that lives until a full collection, so ten of them would cost what the line saves.
    for (let at = 0; at < bytes.length && !this.failure; at += DECODE_PIECE_BYTES) {
      const piece = bytes.subarray(at, Math.min(at + DECODE_PIECE_BYTES, bytes.length));
      const start = this.bytes;
      this.bytes += piece.length;
      let text: string;
      try {
        text = this.decoder.decode(piece, { stream: true });
      } catch {
        this.failure = `invalid UTF-8 (in bytes ${start + 1}–${this.bytes} of the line)`;
        break;
      }
      this.scan(() => this.scanner.feed(text));
    }
  }

  end(): LongJsonLine {
    if (!this.failure) {
      let rest = '';
      try {
        rest = this.decoder.decode();
      } catch {
        this.failure = 'invalid UTF-8 (the line ends inside a character)';
      }
      if (rest) this.scan(() => this.scanner.feed(rest));
    }
    if (this.failure) return { kind: 'skip', reason: this.failure };
    if (this.scanner.blank) return { kind: 'blank' };
    let value: unknown;
    if (!this.scan(() => (value = this.scanner.end()))) return { kind: 'skip', reason: this.failure! };
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { kind: 'skip', reason: 'not a JSON object' };
    return { kind: 'record', fields: value as Record<string, unknown>, cuts: this.cuts };
  }

  /** Runs a scanner step; a JsonScanError becomes the line's reason to be skipped. */
  private scan(step: () => void): boolean {
    try {
      step();
      return true;
    } catch (e) {
      if (!(e instanceof JsonScanError)) throw e;
      this.failure = e.kind === 'syntax' ? `invalid JSON (${e.message})` : e.message;
      return false;
    }
  }
}
