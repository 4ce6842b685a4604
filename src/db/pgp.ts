/**
 * The one pg-promise library instance of scorekeeper. Every database object is made
 * from it; the schema (search_path) of each comes from its database context.
 */
import pgPromise from 'pg-promise';

/** Database context of a scorekeeper database object. */
export interface DbContext {
  /** Schema put first on the search_path of every fresh connection, if any. */
  readonly schema?: string;
}

/** The shared pg-promise library (formatting helpers, ColumnSet, types). */
export const pgp = pgPromise({
  schema: (dc: unknown) => (dc as DbContext | undefined)?.schema,
});

// int8 (count(*), bigserial ids) stays a string by default; counts are cast to int in SQL.
