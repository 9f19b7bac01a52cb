/**
 * Splits a top-level JSON array into its items while streaming, so a large JSON file is
 * read in bounded memory: only one item is held at a time. Each item comes with the
 * lines it spans; the caller parses it with JSON.parse.
 */

export interface JsonItemText {
  text: string;
  index: number;
  line: number;
  endLine: number;
}

export type JsonScanEvent =
  | { kind: 'item'; item: JsonItemText }
  | { kind: 'error'; line: number; reason: string };

const QUOTE_OR_BACKSLASH = /["\\\n]/g;

export class JsonArrayScanner {
  private started = false;
  private closed = false;
  private depth = 0; // nesting inside the current item
  private inString = false;
  private escape = false;
  private item = '';
  private inItem = false;
  private itemLine = 1;
  private index = 0;
  private line = 1;
  private trailingReported = false;

  constructor(
    private readonly maxItemChars: number,
    private readonly onTooLong: (line: number) => never,
    /** Called when the first non-space character is not "[" (e.g. an object). */
    private readonly onNotArray: (firstChar: string) => never,
  ) {}

  *feed(text: string): Generator<JsonScanEvent> {
    const n = text.length;
    let i = 0;
    let itemStart = this.inItem ? 0 : -1; // start of the current item's piece within this block
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) this.line++;
      if (this.inItem) {
        if (this.inString) {
          if (this.escape) this.escape = false;
          else if (c === 92) this.escape = true;
          else if (c === 34) this.inString = false;
          else if (c !== 10) {
            // jump to the next quote, backslash or newline (counted) inside the string
            QUOTE_OR_BACKSLASH.lastIndex = i + 1;
            const m = QUOTE_OR_BACKSLASH.exec(text);
            i = m ? m.index : n;
            continue;
          }
          i++;
          continue;
        }
        if (c === 34) this.inString = true;
        else if (c === 123 || c === 91) this.depth++;
        else if (c === 125 || c === 93) {
          if (this.depth === 0) {
            // the "]" that closes the array ends the last item
            this.item += text.slice(itemStart, i);
            yield this.finishItem();
            this.closed = true;
            itemStart = -1;
            i++;
            continue;
          }
          this.depth--;
        } else if (c === 44 && this.depth === 0) {
          this.item += text.slice(itemStart, i);
          yield this.finishItem();
          itemStart = -1;
        }
        i++;
        continue;
      }
      if (c === 32 || c === 9 || c === 10 || c === 13) {
        i++;
        continue;
      }
      if (!this.started) {
        if (c !== 91) this.onNotArray(text[i]);
        this.started = true;
      } else if (this.closed) {
        if (!this.trailingReported) {
          this.trailingReported = true;
          yield { kind: 'error', line: this.line, reason: 'text after the closing "]" of the array' };
        }
      } else if (c === 44) {
        // an empty slot such as "[1,,2]" or a trailing comma
        yield { kind: 'error', line: this.line, reason: `an extra "," before item ${this.index}` };
      } else if (c === 93) this.closed = true;
      else {
        this.inItem = true;
        this.depth = 0;
        this.item = '';
        this.itemLine = this.line;
        itemStart = i;
        continue; // re-read this character as part of the item
      }
      i++;
    }
    if (this.inItem && itemStart >= 0) this.item += text.slice(itemStart);
    if (this.inItem && this.item.length > this.maxItemChars) this.onTooLong(this.itemLine);
  }

  *end(): Generator<JsonScanEvent> {
    if (!this.started) return;
    if (this.inItem) yield { kind: 'error', line: this.itemLine, reason: `item ${this.index} is cut off: the array is never closed` };
    else if (!this.closed) yield { kind: 'error', line: this.line, reason: 'the array is never closed with "]"' };
  }

  /** True when the input began with "[" (false for an empty or blank input). */
  get sawArray(): boolean {
    return this.started;
  }

  private finishItem(): JsonScanEvent {
    const ev: JsonScanEvent = {
      kind: 'item',
      item: { text: this.item, index: this.index++, line: this.itemLine, endLine: this.line },
    };
    this.inItem = false;
    this.inString = false;
    this.escape = false;
    this.item = '';
    return ev;
  }
}
