// The Wilson score interval's lower bound: what a rate is at least, given how few samples it rests on.

/** Lower bound of the Wilson score interval (95% by default) for `successes` out of `n`. */
export function wilsonLower(successes: number, n: number, z = 1.96): number {
  if (n === 0) return 0;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}
