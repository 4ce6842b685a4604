/** How much of a service's answer a probe keeps for matching content. */

/** Bytes of content searched for `contains`/`regex` (a sha256 covers everything). */
export const MATCH_WINDOW = 64 * 1024;
