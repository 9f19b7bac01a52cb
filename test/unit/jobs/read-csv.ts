/** Test helper: a CSV text's rows as cell arrays, parsed by the engine's own RFC 4180 parser (quoted commas and line breaks included). */
import { CsvRowParser } from '../../../src/engine/data/csv-rows';

export function parseCsv(text: string): string[][] {
  const parser = new CsvRowParser(',', 1e7, (line) => {
    throw new Error(`row at line ${line} is too long`);
  });
  const rows = [...parser.feed(text), ...parser.end()];
  const bad = rows.find((r) => r.problem);
  if (bad) throw new Error(`line ${bad.line}: ${bad.problem}`);
  return rows.map((r) => r.cells);
}
