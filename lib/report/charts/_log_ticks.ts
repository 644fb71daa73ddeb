/**
 * Tick values of log axes.
 *
 * @module
 */

/**
 * Ticks of a log axis that label the data's own range: every power of ten when it spans three
 * decades or more; else 1, 2 and 5 times powers of ten within it (a loss falling from 2.3 to
 * 0.04 gets 0.05 … 2), or every digit when that gives fewer than four; undefined when fewer
 * than two ticks fall in the range.
 */
export function logTicks(values: readonly number[]): number[] | undefined {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return undefined;
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  if (Math.log10(high / low) >= 3) {
    return decades(positive).filter((tick) => tick >= low && tick <= high);
  }
  const within = (digits: readonly number[]) => {
    const out: number[] = [];
    for (let power = Math.floor(Math.log10(low)); power <= Math.ceil(Math.log10(high)); power++) {
      for (const digit of digits) {
        const tick = Number(`${digit}e${power}`);
        if (tick >= low && tick <= high) out.push(tick);
      }
    }
    return out;
  };
  const coarse = within([1, 2, 5]);
  if (coarse.length >= 4) return coarse;
  const fine = within([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return fine.length >= 2 ? fine : undefined;
}

/** Powers of ten spanning the values: the labelled ticks of a log axis. */
export function decades(values: readonly number[]): number[] {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return [];
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.ceil(Math.log10(Math.max(...positive)));
  const step = Math.max(1, Math.ceil((high - low) / 10));
  const out: number[] = [];
  for (let power = low; power <= high; power += step) out.push(Number(`1e${power}`));
  return out;
}
