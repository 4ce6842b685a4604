/**
 * Plugins written in TypeScript load as they are: Node 20 cannot strip types, so a
 * checks module ending in `.ts`/`.mts`/`.cts` is imported through tsx's `register()` API
 * (`tsx/esm/api`), a maintained loader. tsx is imported only when such a module is
 * first met, so an engine with compiled plugins never loads it; once registered it stays
 * for the process (or check thread) and serves every later TypeScript module.
 *
 * No tsconfig.json is read (`tsconfig: false`): the working directory's would apply its
 * `paths` to every plugin, and a mapping of `scorekeeper` to another copy (a source
 * tree) would register the plugin's types in a registry the engine never sees.
 * Decorators are therefore TypeScript 5's standard ones, which `register` accepts.
 */

/** Whether `file` needs the TypeScript loader. */
export function isTypeScriptModule(file: string): boolean {
  return /\.(?:ts|mts|cts)$/.test(file) && !file.endsWith('.d.ts');
}

let registered: Promise<void> | undefined;

/** Registers tsx's loader in this thread, once; later calls wait for the first. */
export function registerTypeScriptLoader(): Promise<void> {
  registered ??= import('tsx/esm/api').then(
    ({ register }) => {
      register({ tsconfig: false });
    },
    (err: unknown) => {
      registered = undefined;
      throw new Error("a TypeScript plugin needs the 'tsx' package (npm install tsx), or compile the plugin to JavaScript", { cause: err });
    },
  );
  return registered;
}
