/**
 * Every error scorekeeper raises on purpose: a base class with a stable `code`,
 * one subclass per failure. Codes are listed in docs/errors.md.
 */

/** Base of all scorekeeper errors; `code` is stable and documented. */
export class ScorekeeperError extends Error {
  /** Stable machine-readable code, e.g. `SK_DUPLICATE_TYPE`. */
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A ServiceType was registered under a short name that is already taken. */
export class DuplicateServiceTypeError extends ScorekeeperError {
  constructor(shortName: string, existing: string, incoming: string) {
    super('SK_DUPLICATE_TYPE', `service type short name '${shortName}' is already registered by ${existing}; ${incoming} cannot use it`);
  }
}

/** A short name was looked up that no registered ServiceType has. */
export class UnknownServiceTypeError extends ScorekeeperError {
  constructor(shortName: string, context?: string) {
    super('SK_UNKNOWN_TYPE', `unknown service type '${shortName}'${context ? ` (${context})` : ''}`);
  }
}

/** A ServiceType definition is malformed (no short name, bad kind, ...). */
export class InvalidServiceTypeError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_INVALID_TYPE', message);
  }
}

/** A plugin module, or its checks module, could not be loaded. */
export class PluginLoadError extends ScorekeeperError {
  constructor(plugin: string, file: string, cause: unknown) {
    super('SK_PLUGIN_LOAD', `plugin '${plugin}' failed to load ${file}: ${errorMessage(cause)}`, { cause });
  }
}

/** Team Specific Info is missing, or a Team Info Pool is empty or unknown. */
export class CredentialsError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_CREDENTIALS', message);
  }
}

/** A hook outside startCheck/endCheck tried to use the database. */
export class DatabaseAccessError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_DB_GATED', message);
  }
}

/** The base doCheck/doMassCheck was called: the type did not implement it. */
export class NotImplementedError extends ScorekeeperError {
  constructor(typeName: string, hook: string) {
    super('SK_NOT_IMPLEMENTED', `service type '${typeName}' does not implement ${hook}()`);
  }
}

/** reportScore was given a score that is not a finite number in 0..points. */
export class InvalidScoreError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_INVALID_SCORE', message);
  }
}

/** reportScore was called more than once for the same check. */
export class DuplicateReportError extends ScorekeeperError {
  constructor(message: string) {
    super('SK_DUPLICATE_REPORT', message);
  }
}

/** A check ran past its deadline and was aborted. */
export class CheckTimeoutError extends ScorekeeperError {
  constructor(seconds: number, phase?: string) {
    super('SK_TIMEOUT', `timed out after ${formatSeconds(seconds)} s${phase ? ` during ${phase}` : ''}`);
  }
}

/** The competition or engine configuration is invalid. */
export class ConfigError extends ScorekeeperError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SK_CONFIG', message, options);
  }
}

/** A store (database) operation failed. */
export class StoreError extends ScorekeeperError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SK_STORE', message, options);
  }
}

/** The text of any thrown value, for a one-line error message. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? String(err);
  } catch {
    return String(err);
  }
}

/** Seconds with at most three decimals and no trailing zeros ("2", "0.05"). */
export function formatSeconds(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}
