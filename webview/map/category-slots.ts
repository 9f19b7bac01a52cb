/**
 * Stable colour slots for named categories (labels), pure. A name keeps its slot for as long as
 * the map's UI state lives: slots never depend on counts or on which other names exist. Names
 * seen for the first time take the lowest free slots, in name order (so a fresh map gives the
 * same colours to the same label set).
 */

/** Name → slot (index into the palette cycles); persisted with the map's UI state. */
export type SlotTable = Record<string, number>;

const isSlot = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/** Keeps every valid slot of `previous` and gives each new name the lowest free slot, new names sorted. */
export function assignSlots(names: readonly string[], previous: Readonly<Record<string, unknown>> = {}): SlotTable {
  const table: SlotTable = {};
  const used = new Set<number>();
  for (const [name, slot] of Object.entries(previous)) {
    if (isSlot(slot) && !used.has(slot)) {
      table[name] = slot;
      used.add(slot);
    }
  }
  const fresh = [...new Set(names)].filter((n) => !Object.hasOwn(table, n)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let next = 0;
  for (const name of fresh) {
    while (used.has(next)) next++;
    table[name] = next;
    used.add(next);
  }
  return table;
}

/** The slot per category value (value = index into `names`). */
export function slotsByValue(names: readonly string[], table: Readonly<SlotTable>): Int32Array {
  return Int32Array.from(names, (n) => table[n] ?? -1);
}

/** Per point: the slot of its value (-1 stays -1; values without a slot map to themselves). */
export function slotsOf(values: ArrayLike<number>, byValue?: Int32Array): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v < 0 || !byValue ? v : v < byValue.length && byValue[v] >= 0 ? byValue[v] : v;
  }
  return out;
}
