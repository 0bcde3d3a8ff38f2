// Bugs the fuzz suite finds that are known and being fixed. They are findings like any other (the suite
// fails on them) unless `npm run fuzz -- --exclude-known` is given: then they are counted and the run goes
// on, to look for other bugs behind them. Remove an entry when its fix has landed.

export const KNOWN_BUGS = {
  'ws-deep-json': 'deeply nested JSON in a WebSocket message: RangeError from JSON.stringify of the error message, rethrown in the ws listener',
  'redirect-offsite': 'GET /.//evil.com/x?token=T answers 303 Location: //evil.com/x',
  'host-userinfo': 'Host: localhost:PORT@evil.com (and other hosts with a name after the port or the brackets) is accepted',
  'head-events': 'HEAD /api/events never answers',
  'cookie-token': 'the token cookie holds the raw token',
  'fifo-log': 'a FIFO named *.log in a --dir freezes the server',
  'symlink-outside': 'symlinks under --dir are followed outside it',
  // Found by this suite (docs/fuzzing.md, "Findings"):
  'config-deep-json': 'a config file value nested a few thousand deep throws RangeError from JSON.stringify in the error message, not ConfigError',
  'config-json-message': 'a config file that is not JSON gives a ConfigError whose message quotes the file with its line breaks',
  'config-inherited-key': 'a config file key that is an Object.prototype name (__proto__, constructor, toString…) is taken as an option',
  'query-empty-match-u': 'a filter or highlight /regex/u that can match empty loops forever on a line with a character outside the BMP',
} as const;

export type KnownBug = keyof typeof KNOWN_BUGS;

/** The known bug an uncaught error is, if any. */
export function classifyUncaught(error: unknown): KnownBug | undefined {
  if (!(error instanceof RangeError) || !/call stack/i.test(error.message)) return undefined;
  return /client-messages|ws\.ts|stringify/.test(error.stack ?? '') || !error.stack?.includes('\n') ? 'ws-deep-json' : undefined;
}
