/**
 * scorekeeper: a scoring engine for cyber-defense competitions. Service checks are
 * XState v5 actors on IScorE's documented lifecycle. Start with `createEngine`.
 */
export { createEngine, ScanFailedError, type Engine, type EngineOptions, type ScanHandle, type ScanOptions } from './engine.js';
export { ServiceType, type ServiceTypeClass } from './service-type.js';
export { ServiceRegistry, defaultRegistry, register, type ServiceTypeInfo } from './registry.js';
export { loadPlugins, findChecksModule, type LoadedPlugin } from './plugins.js';
export type { CheckDb, ExternalScore } from './types.js';
export type { EngineEvent } from './events.js';
export type { Store } from './store/store.js';
export { MemoryStore } from './store/memory-store.js';
export { PostgresStore } from './store/postgres-store.js';
export { openStore, openEmbeddedStore, EmbeddedStore } from './store/embedded.js';
export * as db from './db/index.js';
export { loadCompetitionFile, parseCompetition, readPluginList } from './config/index.js';
export type { LoadedCompetition, ScanSettings, Tokens } from './config/index.js';
export { Limiter } from './scheduling/limiter.js';
export type { LoopLag } from './scheduling/loop-lag.js';
export { OVERLOAD_STALL_MS } from './scheduling/overload.js';
export { createLogger, REDACT_PATHS } from './logger.js';
export { formatCheckLine, hostLabel, CHECK_LINE_PATTERN, type CheckLogLine } from './check-log-line.js';
export { resolveCredentials, type CredentialData } from './credentials.js';
export { expandHost, expandService, DEFAULT_TIMEOUT_MS } from './competition.js';
export { registerBuiltinChecks, builtinCheckTypes } from './checks/index.js';
export { runCheck, makeService, type RunCheckOptions, type RunCheckResult, type ServiceInit } from './testing/run-check.js';
export { evaluateContent, contentExpectationSchema, type ContentExpectation } from './checks/support/match.js';
export { parseParams, InvalidParamsError } from './checks/support/params.js';
export * from './errors.js';
export type * from './types.js';
export { CHECK_STATES, PHASES, type CheckState, type Phase } from './lifecycle/states.js';
export { InspectionHub, type InspectionHubOptions, type InspectableEngine } from './inspection/inspection-hub.js';
export { type ActorKind, type ActorView, type HubMessage, type HubSnapshot, type ServiceOutcomeView } from './inspection/hub-messages.js';
export { stuckChecks, timeoutArmed, DEFAULT_STUCK_GRACE_MS, type StuckCheck } from './inspection/stuck-checks.js';
export { recordInspection, type Recording } from './inspection/recorder.js';
export { primitiveFields, sanitizeInspection } from './inspection/third-party-inspection.js';
export { chartOfMachine, chartOfTable, type ActorChart, type ChartState, type ChartTransition } from './inspection/actor-charts.js';
export { readRecording, RecordingFormatError } from './inspection/read-recording.js';
export { startVisualizer, type Visualizer, type VisualizerOptions } from './web/start-visualizer.js';
export { scanMachine } from '../machines/scanMachine.js';
export { teamMachine } from '../machines/teamMachine.js';
export { serviceCheckLogic, massCheckLogic, CHECK_TRANSITIONS } from '../machines/checkActorLogic.js';
