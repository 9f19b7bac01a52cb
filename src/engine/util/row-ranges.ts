/** Splitting the rows of a CSR-like layout into contiguous ranges of about equal work. */

/** `parts` contiguous row ranges with about equal numbers of entries (rowStart: n + 1 offsets). */
export function splitByEdges(rowStart: ArrayLike<number>, parts: number): { from: number; to: number }[] {
  const n = rowStart.length - 1;
  const total = rowStart[n];
  const out: { from: number; to: number }[] = [];
  let from = 0;
  for (let p = 1; p <= parts; p++) {
    let to = from;
    if (p === parts) to = n;
    else {
      const goal = (total * p) / parts;
      while (to < n && rowStart[to] < goal) to++;
    }
    out.push({ from, to });
    from = to;
  }
  return out;
}
