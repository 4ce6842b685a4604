/** The mass-check actor: one mass type over every team's service at once. */
import { createCheckLifecycleMachine } from './checkLifecycleMachine.js';

/** The same lifecycle as a service check; its input lists every team's service. */
export const massCheckMachine = createCheckLifecycleMachine('massCheck');
