/** The service-check actor: one team's service, standard or multi-protocol. */
import { createCheckLifecycleMachine } from './checkLifecycleMachine.js';

/** started → resolving → preCheck → checking → postCheck → ended, for one service. */
export const serviceCheckMachine = createCheckLifecycleMachine('serviceCheck');
