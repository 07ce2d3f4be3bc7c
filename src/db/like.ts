// Text searches with LIKE: what a person typed is matched literally, never as a pattern.

/** LIKE's own characters (\, %, _) escaped with PostgreSQL's default escape character. */
export function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

/** A LIKE pattern for "contains". */
export const containing = (text: string) => `%${likeLiteral(text)}%`;

/** A LIKE pattern for "starts with". */
export const startingWith = (text: string) => `${likeLiteral(text)}%`;
