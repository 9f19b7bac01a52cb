/**
 * Reads a file as UTF-8 text in blocks that end on line boundaries, with bounded memory.
 * Each block says which of its lines hold invalid UTF-8 (so readers can skip and report
 * them instead of silently inserting U+FFFD) and which lines were too long to keep. Optionally,
 * a line longer than a threshold is not gathered at all: its bytes go to a sink as they are read
 * (e.g. a streaming JSON parser), and the block carries what the sink made of it.
 */
import { createReadStream } from 'node:fs';
import { InputError } from '../util/errors';
import { checkpoint } from '../util/job';

export interface LineBlock<T = unknown> {
  /** Decoded text of whole lines; ends with "\n" except possibly the file's last block. */
  text: string;
  /** 1-based number of the block's first line. */
  firstLine: number;
  /** Lines (1-based) whose bytes are not valid UTF-8, with a reason naming the byte. */
  invalidLines: Map<number, string>;
  /** Lines longer than `maxLineBytes`: their text was dropped (they appear empty). */
  oversizeLines: Map<number, number>;
  /** Lines handed to `streamLines` sinks (they appear empty in `text`): what each sink's `end` returned. */
  streamedLines?: Map<number, T>;
}

/** Takes the bytes of one long line as they are read (without its "\n"), then says what they were. */
export interface LongLineSink<T> {
  write(bytes: Uint8Array): void;
  end(): T;
}

export interface LineBlockOptions<T = unknown> {
  /** Longest line kept, in bytes (default 64 MiB); a streamed line has no limit (its sink holds what it keeps). */
  maxLineBytes?: number;
  /**
   * A line longer than `overBytes` goes to a sink opened for it (with its 1-based number) as its
   * bytes are read, instead of being gathered into the block: it is never held whole.
   */
  streamLines?: { overBytes: number; open: (line: number) => LongLineSink<T> };
  signal?: AbortSignal;
  /** Called with bytes read so far, after each block. */
  onBytes?: (bytes: number) => void;
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
const NL = 0x0a;

export async function* readLineBlocks<T = unknown>(file: string, options: LineBlockOptions<T> = {}): AsyncGenerator<LineBlock<T>> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const streamOver = options.streamLines?.overBytes ?? Number.POSITIVE_INFINITY;
  let streaming: LongLineSink<T> | undefined; // the sink of the long line being read
  const stream = createReadStream(file, { highWaterMark: 1 << 20 });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let dropping = 0; // > 0 while skipping an oversize line: the bytes dropped so far
  let line = 1;
  let first = true;
  let bytesRead = 0;
  for await (const raw of stream as AsyncIterable<Buffer>) {
    let chunk = raw;
    bytesRead += chunk.length;
    if (first) {
      first = false;
      if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff))
        throw new InputError('the file is UTF-16; save it as UTF-8', { file });
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl < 0) {
      if (dropping) dropping += chunk.length;
      else if (streaming) streaming.write(chunk);
      else {
        pending.push(chunk);
        pendingBytes += chunk.length;
        if (pendingBytes > streamOver) {
          streaming = options.streamLines!.open(line);
          for (const piece of pending) streaming.write(piece);
          pending = [];
          pendingBytes = 0;
        } else if (pendingBytes > max) {
          dropping = pendingBytes;
          pending = [];
          pendingBytes = 0;
        }
      }
      continue;
    }
    let head = chunk.subarray(0, lastNl + 1);
    const oversize = new Map<number, number>();
    let streamed: Map<number, T> | undefined;
    if (streaming) {
      const firstNl = head.indexOf(NL);
      streaming.write(head.subarray(0, firstNl));
      streamed = new Map([[line, streaming.end()]]);
      streaming = undefined;
      head = head.subarray(firstNl); // keeps the "\n": the streamed line reads as empty
    } else if (dropping) {
      const firstNl = head.indexOf(NL);
      oversize.set(line, dropping + firstNl);
      head = head.subarray(firstNl); // keeps the "\n": the dropped line reads as empty
      dropping = 0;
    } else if (pending.length) {
      pending.push(head);
      head = Buffer.concat(pending);
      if (head.indexOf(NL) > max) {
        oversize.set(line, head.indexOf(NL));
        head = head.subarray(head.indexOf(NL));
      }
    }
    pending = [chunk.subarray(lastNl + 1)];
    pendingBytes = pending[0].length;
    const block = decodeBlock<T>(head, line, oversize);
    if (streamed) block.streamedLines = streamed;
    line += countByte(head, NL);
    yield block;
    options.onBytes?.(bytesRead);
    await checkpoint(options.signal);
  }
  if (streaming) yield { text: '', firstLine: line, invalidLines: new Map(), oversizeLines: new Map(), streamedLines: new Map([[line, streaming.end()]]) };
  else if (dropping) yield { text: '', firstLine: line, invalidLines: new Map(), oversizeLines: new Map([[line, dropping]]) };
  else if (pendingBytes > 0) {
    yield decodeBlock<T>(Buffer.concat(pending), line, new Map());
    options.onBytes?.(bytesRead);
  }
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function decodeBlock<T>(buf: Buffer, firstLine: number, oversize: Map<number, number>): LineBlock<T> {
  const invalid = new Map<number, string>();
  try {
    return { text: fatalDecoder.decode(buf), firstLine, invalidLines: invalid, oversizeLines: oversize };
  } catch {
    // Find the bad lines; their text is decoded leniently only so that the block keeps
    // its shape (line count, CSV quotes); every reader skips the records that touch them.
    let start = 0;
    let ln = firstLine;
    while (start < buf.length) {
      let end = buf.indexOf(NL, start);
      if (end < 0) end = buf.length;
      try {
        fatalDecoder.decode(buf.subarray(start, end));
      } catch {
        const bad = firstInvalidUtf8(buf, start, end);
        invalid.set(ln, bad >= 0 ? `invalid UTF-8 (byte 0x${buf[bad].toString(16).padStart(2, '0')} at column ${bad - start + 1})` : 'invalid UTF-8');
      }
      start = end + 1;
      ln++;
    }
    return { text: lenientDecoder.decode(buf), firstLine, invalidLines: invalid, oversizeLines: oversize };
  }
}

/** Offset of the first byte that breaks UTF-8 in buf[start, end), or -1. */
export function firstInvalidUtf8(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i < end) {
    const b = buf[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= end) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

function countByte(buf: Uint8Array, byte: number): number {
  let n = 0;
  for (let i = buf.indexOf(byte); i >= 0; i = buf.indexOf(byte, i + 1)) n++;
  return n;
}
