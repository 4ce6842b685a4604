/**
 * One service definition's params keep one identity in a check thread.
 *
 * parseParams (checks/support/params.ts) parses each params object once: every team's
 * service of one definition shares it. But every message to a thread is a new structured
 * clone, so in the thread the same params arrived as a new object in each message, and
 * zod ran again for nearly every check (docs/benchmarks.md, "Measurements behind source
 * comments"). So the engine numbers each params object it sends (by identity), and the
 * thread keeps the first copy of each number and hands it to every later job that
 * names it. Params are still sent with every job: a thread that starts its table over
 * (at MAX_KEPT_PARAMS) loses nothing.
 */

type Params = Readonly<Record<string, unknown>>;

/** Distinct params a thread keeps at most; past this its table starts over. */
export const MAX_KEPT_PARAMS = 10_000;

/** Engine side: a number per params object (the same object, the same number). */
export class ParamsNumbering {
  private readonly ids = new WeakMap<object, number>();
  private next = 0;

  /** The number of `params` (0 for none). */
  idOf(params: Params | undefined): number {
    if (params === undefined) return 0;
    let id = this.ids.get(params);
    if (id === undefined) this.ids.set(params, (id = ++this.next));
    return id;
  }
}

/** Thread side: the copy of each numbered params object kept for later jobs. */
export class ParamsTable {
  private readonly byId = new Map<number, Params>();

  /** The copy kept under `id`: `params` itself the first time (kept from then on). */
  adopt(id: number, params: Params | undefined): Params | undefined {
    if (id === 0 || params === undefined) return params;
    const kept = this.byId.get(id);
    if (kept) return kept;
    if (this.byId.size >= MAX_KEPT_PARAMS) this.byId.clear();
    this.byId.set(id, params);
    return params;
  }

  /** How many params are kept. */
  get size(): number {
    return this.byId.size;
  }
}
