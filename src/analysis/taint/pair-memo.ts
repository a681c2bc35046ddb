/**
 * A memo keyed by a (possibly unknown) qualified name and a (possibly unknown) call chain, as the
 * model lookups use it. Bounded: when `limit` entries are held, it starts over, so pathological
 * inputs with millions of distinct names cannot grow it without end.
 */
export class PairMemo<V> {
  private readonly byFirst = new Map<string, Map<string, V>>();
  private size = 0;

  constructor(private readonly limit: number) {}

  get(first: string | undefined, second: string | undefined, compute: () => V): V {
    let bySecond = this.byFirst.get(first ?? '');
    const hit = bySecond?.get(second ?? '');
    if (hit !== undefined) return hit;
    const value = compute();
    if (this.size >= this.limit) {
      this.byFirst.clear();
      this.size = 0;
      bySecond = undefined;
    }
    if (!bySecond) {
      bySecond = new Map();
      this.byFirst.set(first ?? '', bySecond);
    }
    bySecond.set(second ?? '', value);
    this.size++;
    return value;
  }
}
