// Why a filter query does not compile, in the few words the field has room for: the browser's SyntaxError
// message without the pattern it repeats ("Invalid regular expression: /(a/i: Unterminated group" →
// "Unterminated group"), cut to MAX_REASON_CHARS; the whole message stays in the field's tooltip.

/** The reason beside the field is cut past this, so a long one never widens the toolbar. */
export const MAX_REASON_CHARS = 40;

const REGEX_PREFIX = /^Invalid regular expression: \/.*\/[a-z]*: /s;

export function queryErrorReason(message: string): string {
  const reason = message.replace(REGEX_PREFIX, '').trim();
  if (reason === '') return 'invalid';
  return reason.length <= MAX_REASON_CHARS ? reason : `${reason.slice(0, MAX_REASON_CHARS - 1)}…`;
}
