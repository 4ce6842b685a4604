/** Waiting for a condition in a test (polling, with a clear failure), never a fixed sleep. */

/** Resolves when `condition()` is truthy; rejects naming `what` after `withinMs`. */
export async function waitUntil(what: string, condition: () => boolean | Promise<boolean>, withinMs = 20_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
