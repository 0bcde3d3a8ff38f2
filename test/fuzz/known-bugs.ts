// Bugs the fuzz suite finds that are known and being fixed. They are findings like any other (the suite
// fails on them) unless `npm run fuzz -- --exclude-known` is given: then they are counted and the run goes
// on, to look for other bugs behind them. The checks that can see one name it (a Violation's `known`).
// Remove an entry, and its names at the checks, when its fix has landed (docs/fuzzing.md lists the findings).

export const KNOWN_BUGS: Readonly<Record<string, string>> = {};
