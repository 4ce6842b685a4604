/** Secrets of the web pages, from the `tokens` section of a competition file. */
export interface Tokens {
  /** Token of the admin pages; undefined when the file sets none. */
  readonly admin: string | undefined;
  /** Team number → that team's token for its own page. All tokens are different. */
  readonly teams: Readonly<Record<number, string>>;
}
