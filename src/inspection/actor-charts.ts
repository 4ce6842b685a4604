/**
 * The statecharts the inspector draws, derived from the machine definitions themselves:
 * a `createMachine` machine's state nodes (their `on`, `always` and invoke `onDone` /
 * `onError` transitions), or a transition table like the check actor's. Nothing here
 * is hand-drawn: a state or transition added to a machine shows up in the picture.
 *
 * A chart is plain data (states, transitions), laid out in the browser. States are
 * named as the inspection stream names them (`running`, `a.b` for nested states), so
 * the page can count the actors in each one.
 */

/** One state of a chart. */
export interface ChartState {
  /** The state as the inspection stream shows it (`running`, `parent.child`). */
  readonly id: string;
  /** The state's own key (`child`). */
  readonly label: string;
  /** The enclosing state's id, null at the top. */
  readonly parent: string | null;
  readonly final: boolean;
  /** Actors it invokes while in it (`prepareChecks`). */
  readonly invokes: readonly string[];
}

/** One transition of a chart. */
export interface ChartTransition {
  /** Source state id; `*` for a transition of the machine's root (taken from any state). */
  readonly from: string;
  readonly to: string;
  /** What triggers it: an event type, `prepareScan done`, `always`. */
  readonly label: string;
  readonly guarded: boolean;
}

/** A statechart of one actor kind. */
export interface ActorChart {
  /** Which actors it describes: `scan`, `team`, `check` (service and mass checks). */
  readonly kind: string;
  /** The machine's id. */
  readonly machine: string;
  readonly initial: string;
  readonly states: readonly ChartState[];
  readonly transitions: readonly ChartTransition[];
}

/** The parts of an XState v5 state node read here (`machine.root` and its `states`). */
export interface ChartableStateNode {
  readonly key: string;
  readonly type: string;
  readonly states: Readonly<Record<string, ChartableStateNode>>;
  readonly initial?: { readonly target?: readonly ChartableStateNode[] } | undefined;
  readonly transitions: ReadonlyMap<string, readonly ChartableTransition[]>;
  readonly always?: readonly ChartableTransition[] | undefined;
  readonly invoke: readonly { readonly id: string; readonly src: unknown }[];
}

/** The parts of an XState v5 transition definition read here. */
export interface ChartableTransition {
  readonly target?: readonly ChartableStateNode[] | undefined;
  readonly guard?: unknown;
}

/** The chart of a `createMachine` machine (`{ root }` is enough), for actors of `kind`. */
export function chartOfMachine(kind: string, machine: { readonly id: string; readonly root: ChartableStateNode }): ActorChart {
  const states: ChartState[] = [];
  const transitions: ChartTransition[] = [];
  const ids = new Map<ChartableStateNode, string>();
  const idOf = (node: ChartableStateNode, parent: string | null) => {
    const id = parent === null ? node.key : `${parent}.${node.key}`;
    ids.set(node, id);
    for (const child of Object.values(node.states)) idOf(child, id);
  };
  for (const child of Object.values(machine.root.states)) idOf(child, null);

  const visit = (node: ChartableStateNode, id: string, parent: string | null) => {
    const invokes = node.invoke.map((i) => (typeof i.src === 'string' ? i.src : i.id));
    if (node !== machine.root) states.push({ id, label: node.key, parent, final: node.type === 'final', invokes });
    // Done and error events of this node's invoked actors read as `<src> done` / `<src> error`.
    const invokeLabel = new Map<string, string>();
    for (const i of node.invoke) {
      const name = typeof i.src === 'string' ? i.src : i.id;
      invokeLabel.set(`xstate.done.actor.${i.id}`, `${name} done`);
      invokeLabel.set(`xstate.error.actor.${i.id}`, `${name} error`);
    }
    const add = (label: string, t: ChartableTransition) => {
      // Targetless transitions (actions only) change no state: not arrows.
      for (const target of t.target ?? []) {
        const to = ids.get(target);
        if (to !== undefined) transitions.push({ from: node === machine.root ? '*' : id, to, label, guarded: t.guard !== undefined });
      }
    };
    for (const [event, list] of node.transitions) for (const t of list) add(invokeLabel.get(event) ?? event, t);
    for (const t of node.always ?? []) add('always', t);
    for (const child of Object.values(node.states)) visit(child, ids.get(child)!, node === machine.root ? null : id);
  };
  visit(machine.root, '', null);
  const initialNode = machine.root.initial?.target?.[0];
  return { kind, machine: machine.id, initial: (initialNode && ids.get(initialNode)) ?? states[0]?.id ?? '', states, transitions };
}

/**
 * The chart of a flat transition table (`state → event → next state`), like the check
 * actor's CHECK_TRANSITIONS: its first state is the initial one, states with no way
 * out are final.
 */
export function chartOfTable(kind: string, machine: string, table: Readonly<Record<string, Readonly<Record<string, string | undefined>>>>): ActorChart {
  const names = Object.keys(table);
  const states: ChartState[] = names.map((id) => ({ id, label: id, parent: null, final: Object.keys(table[id]!).length === 0, invokes: [] }));
  const transitions: ChartTransition[] = [];
  for (const from of names) {
    for (const [label, to] of Object.entries(table[from]!)) if (to !== undefined) transitions.push({ from, to, label, guarded: false });
  }
  return { kind, machine, initial: names[0] ?? '', states, transitions };
}
