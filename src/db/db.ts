/**
 * The handle types every query function takes: a database object, or a task or
 * transaction of one (graphile-worker style: the caller decides the connection).
 */
import type pgPromise from 'pg-promise';

/** A pg-promise database object made by {@link connectDb}. */
export type Db = pgPromise.IDatabase<unknown>;

/** Anything a query can run on: the database, a task or a transaction. */
export type Queryable = pgPromise.IBaseProtocol<unknown>;
