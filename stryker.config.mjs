// Mutation testing of the domain rules: `npm run mutate` (README, "Mutation testing").
// Stryker 10 needs Node 22; the npm script runs it through .ci/with-node22.
import { PluginKind, commonTokens, declareFactoryPlugin, declareValuePlugin, tokens } from '@stryker-mutator/api/plugin';
import { strykerPlugins as vitestRunnerPlugins } from '@stryker-mutator/vitest-runner';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // The vitest runner, with static mutants activated before the modules load (see below).
  testRunner: 'vitest-static',
  plugins: ['@stryker-mutator/vitest-runner', './stryker.config.mjs'],
  ignorers: ['equivalent-mutants'],
  // forks, as in `npm test`: the suite's TZ (vitest.config.ts) only takes effect in a fresh process.
  // related: a mutant (a static one too) runs only the test files that import its file.
  vitest: { configFile: 'vitest.config.ts', related: true, pool: 'forks' },
  mutate: [
    'src/domain/**/*.ts',
    // The table of official schedules is data, not logic: official-schedules.test.ts checks every
    // date, kind and name in it against the chinese-days package. Mutating each of its ~200 literals
    // would re-run the calendar suites for each; its helpers (lines 1-23) are mutated.
    // `npm run mutate -- --mutate src/domain/calendar/official-schedules.ts` mutates all of it.
    '!src/domain/calendar/official-schedules.ts',
    'src/domain/calendar/official-schedules.ts:1-23',
  ],
  // Only the domain unit tests: nothing else exercises src/domain quickly (everything else goes
  // through SQLite and HTTP), and a mutant they do not kill is a gap in them.
  testFiles: ['test/domain/**/*.test.ts'],
  coverageAnalysis: 'perTest',
  // The sandbox needs the sources, the tests and the configs, not the data or the outputs.
  ignorePatterns: ['/db', '/feeds', '/dist', '/bench', '/test-output', '/.wrangler', '/reports', '/.ci'],
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-output/mutation/index.html' },
  jsonReporter: { fileName: 'test-output/mutation/report.json' },
  clearTextReporter: { allowEmojis: false, logTests: false, reportScoreTable: true },
  // Git-ignored; not under node_modules, where vitest's related mode does not look.
  tempDirName: 'test-output/stryker-tmp',
  // Not incremental by default: Stryker's incremental mode reuses the result of a static mutant
  // (module-level code) even when a test that would now kill it was added. `npm run mutate --
  // --incremental` is faster for trying tests out; a plain run is the reference.
  incrementalFile: 'test-output/mutation/stryker-incremental.json',
  thresholds: { high: 95, low: 90, break: 90 },
};

// --- Equivalent mutants ---------------------------------------------------------------------------
// A mutant that changes nothing a caller can observe (a cache's size limit, a shortcut) can never be
// killed. Each entry names the file, the code of the smallest syntax node whose every mutant is such
// (optionally: inside which function), and why. Its mutants are reported as Ignored with the reason;
// if the code changes, the entry stops matching and they are tested again.
const EQUIVALENT = [
  {
    file: 'src/domain/deadlines/commitments.ts',
    within: 'commitmentClock',
    code: 'incident.closedAt === null',
    reason: 'JavaScript compares null as 0, so `null <= asOf` is already true for every instant of the range (≥ 1970): the null test only says so for TypeScript',
  },
  // FIRST_DAY is day 0: MIN_YEAR is 1970 and 1970-01-01 is the epoch, so `x - FIRST_DAY` and
  // `x + FIRST_DAY` are the same number.
  ...['LAST_DAY - FIRST_DAY', 'n - FIRST_DAY', 'day - FIRST_DAY'].map((code) => ({
    file: 'src/domain/calendar/calendar.ts',
    code,
    reason: 'FIRST_DAY (1970-01-01) is day 0, so subtracting and adding it give the same number',
  })),
  {
    file: 'src/domain/calendar/calendar.ts',
    code: 'MAX_YEAR - MIN_YEAR',
    reason: 'a longer `published` table is harmless: years outside the range are neither written nor read',
  },
  {
    file: 'src/domain/calendar/calendar.ts',
    code: 'new Array<string>(size)',
    reason: 'an array grows on assignment; its initial length is never read',
  },
  {
    file: 'src/domain/calendar/calendar.ts',
    code: '[...this.notices.keys()].sort((a, b) => a - b)',
    reason: 'notices are filled from the schedules sorted by year, so their keys are already in order',
  },
  {
    file: 'src/domain/time.ts',
    code: 'if (isoMemo.size >= ISO_MEMO_SIZE) isoMemo.clear();',
    reason: 'the memo’s bound only limits memory; every answer is the same with or without it',
  },
  {
    file: 'src/domain/time.ts',
    code: 'isoMemo.set(ms, iso)',
    reason: 'without remembering the text, the next call formats the instant again, the same',
  },
  {
    file: 'src/domain/notifications/signing.ts',
    code: 'if (keys.size >= KEYS_KEPT) keys.clear();',
    reason: 'the bound on kept HMAC keys only limits memory; every signature is the same with or without it',
  },
  {
    file: 'src/domain/notifications/signing.ts',
    code: 'keys.set(id, cryptoKey)',
    reason: 'without keeping the imported key, the next call imports it again and signs the same',
  },
  {
    file: 'src/domain/notifications/signing.ts',
    within: 'hmacKey',
    code: 'false',
    reason: 'whether the imported key may be exported does not change what it signs, and it is never exported',
  },
  {
    file: 'src/domain/notifications/platforms.ts',
    within: 'platformCode',
    code: '{\n    return null;\n  }',
    reason: 'with an empty catch block, `body` stays undefined and the next test returns null all the same',
  },
  {
    file: 'src/domain/monitoring/matcher.ts',
    code: '[-1]',
    reason: 'the root’s entry in `ends` is never read as a term: the scan stops at state 0, and an output link to the root means none',
  },
  {
    file: 'src/domain/monitoring/matcher.ts',
    code: 'new Array(size)',
    reason: 'a sparse array grows on assignment; its initial length is never read',
  },
  {
    file: 'src/domain/monitoring/matcher.ts',
    startsWith: 'if (children.size > SMALL_FANOUT) {',
    reason: 'a Map or a linear list of children is a speed trade-off: both give the same transitions (tests build states of both kinds)',
  },
  ...["['']", "''"].map((code) => ({
    file: 'src/domain/monitoring/matcher.ts',
    code,
    reason: 'noTerms is empty whatever its source array held: the literal only gives the empty list the array kind of a list of strings (a speed matter)',
  })),
  ...['at + MASK', 'state * STATE_FIELDS + MASK'].map((code) => ({
    file: 'src/domain/monitoring/matcher.ts',
    code,
    reason: 'MASK is field 0 of a state’s record: adding or subtracting it gives the same index',
  })),
  {
    file: 'src/domain/monitoring/rule-query.ts',
    within: 'matchesWithoutTerms',
    code: "'term'",
    reason: 'a term node falling through every case returns undefined, which is as false as the `return false` it skips',
  },
  {
    file: 'src/domain/monitoring/rule-query.ts',
    within: 'matchesWithoutTerms',
    code: "'near'",
    reason: 'a near node falling through every case returns undefined, which is as false as the `return false` it skips',
  },
  {
    file: 'src/domain/monitoring/rule-query.ts',
    code: "{ after: 'start' }",
    reason: "the start context is only ever compared with 'operator' and 'lparen', which {} and '' are not either",
  },
  {
    file: 'src/domain/disclosure/clock.ts',
    within: 'phaseWords',
    startsWith: "case 'open':",
    reason: 'unreachable: every caller of phaseWords has already found the phase not open (TypeScript wants the case for the return type)',
  },
  {
    file: 'src/domain/disclosure/clock.ts',
    within: 'replay',
    startsWith: "case 'review':",
    reason: 'a review matching no case of the switch does nothing, as its own empty case does',
  },
  {
    file: 'src/domain/disclosure/clock.ts',
    within: 'storedDueDate',
    code: "'awaiting_correction'",
    reason: 'an awaiting_correction state already has dueDate null and provisional false, which is what the early return gives',
  },
  {
    file: 'src/domain/monitoring/reprints.ts',
    within: 'bodySimhash',
    code: 'code < 0x10000',
    reason: 'the branch only chooses between the BMP table and isTextCode, which give the same answer for every code point',
  },
  {
    file: 'src/domain/monitoring/reprints.ts',
    within: 'bodySimhash',
    code: '++pending === 15',
    reason: 'flushing the packed counters more often (always, or whenever the count is not 15) gives the same votes; flushing less often is what the tests catch, and the ignorer cannot tell the two apart',
  },
  ...["'('", "'（'"].map((code) => ({
    file: 'src/domain/monitoring/reprints.ts',
    within: 'storyBodyMarked',
    code,
    reason: 'the bracket test only skips BODY_CREDIT where it matches nothing; running it always (includes(\'\')) gives the same text',
  })),
  {
    file: 'src/domain/monitoring/reprints.ts',
    within: 'spreadOf',
    code: 'b < 8',
    reason: 'a byte has no bit 8: one more turn of the loop adds nothing',
  },
  {
    file: 'src/domain/monitoring/reprints.ts',
    within: 'bodySimhash',
    code: '++widened === 17',
    reason: 'adding the 8-bit counters to the votes more often (always, or whenever the count is not 17) gives the same votes; less often is what the tests catch (runs past 255 of one bigram)',
  },
  {
    file: 'src/domain/monitoring/reprints.ts',
    within: 'flushWide',
    code: 'k < 8',
    reason: 'a ninth turn reads and clears past the end of the 16-entry typed array and adds to past the end of the 64 votes, which typed arrays ignore',
  },
  ...["'【'", "'['", "'〖'", "'('"].map((code) => ({
    file: 'src/domain/monitoring/reprints.ts',
    within: 'storyTitleMarked',
    code,
    reason: 'each test only skips a tag pattern where it matches nothing; running it always (includes(\'\')) gives the same text',
  })),
  {
    file: 'src/domain/monitoring/reprints.ts',
    within: 'bitRange',
    code: 'start - 32',
    reason: 'a shift counts mod 32, and start - 32 and start + 32 are equal mod 32',
  },
];

function enclosingFunctionName(path) {
  const fn = path.getFunctionParent?.();
  return fn?.node.id?.name ?? fn?.node.key?.name;
}

/** @type {import('@stryker-mutator/api/ignore').Ignorer} */
const equivalentMutants = {
  shouldIgnore(path) {
    const file = path.hub?.file?.opts?.filename?.replaceAll('\\', '/');
    const { start, end } = path.node;
    if (!file || start == null || end == null) return undefined;
    for (const entry of EQUIVALENT) {
      if (!file.endsWith(entry.file)) continue;
      const code = path.hub.file.code.slice(start, end);
      // A call's own statement (`x.set(a, b);`, which Stryker empties) matches the call's code too.
      if (entry.code !== undefined && code !== entry.code && code !== `${entry.code};`) continue;
      if (entry.startsWith !== undefined && !code.startsWith(entry.startsWith)) continue;
      if (entry.within !== undefined && enclosingFunctionName(path) !== entry.within) continue;
      return `Equivalent: ${entry.reason}`;
    }
    return undefined;
  },
};

// --- Static mutants with testFiles -----------------------------------------------------------------
// A static mutant (code run when a module loads: a regex, a table, the calendar built at the top of a
// test file) must be active before the modules load. With `testFiles` set, Stryker 10.1 gives such a
// mutant the test files as its filter and so asks for runtime activation, too late: every static
// mutant then survives whatever the tests do (stryker-js issues #6144 and #6209; fix proposed in
// #6145). This runner is the vitest runner with that one decision corrected: a filter of whole test
// files (ids without '#', which only static mutants get) means static activation.
const vitestFactory = vitestRunnerPlugins.find((p) => p.kind === PluginKind.TestRunner && p.name === 'vitest').factory;

function createVitestStaticRunner(injector) {
  const inner = injector.injectFunction(vitestFactory);
  return {
    capabilities: () => inner.capabilities(),
    init: () => inner.init?.(),
    dryRun: (options) => inner.dryRun(options),
    mutantRun: (options) => {
      const wholeFiles = options.testFilter?.length > 0 && options.testFilter.every((id) => !id.includes('#'));
      return inner.mutantRun(wholeFiles ? { ...options, mutantActivation: 'static' } : options);
    },
    dispose: () => inner.dispose?.(),
  };
}
createVitestStaticRunner.inject = tokens(commonTokens.injector);

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, 'equivalent-mutants', equivalentMutants),
  declareFactoryPlugin(PluginKind.TestRunner, 'vitest-static', createVitestStaticRunner),
];
