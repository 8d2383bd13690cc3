/** Strings ⇄ dense small integers (regions, occupations, skills …) for the in-process indexes. */
export class Interner {
  private readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(s: string): number {
    let v = this.ids.get(s);
    if (v === undefined) {
      v = this.values.length;
      this.ids.set(s, v);
      this.values.push(s);
    }
    return v;
  }
  find(s: string): number | undefined {
    return this.ids.get(s);
  }
}
