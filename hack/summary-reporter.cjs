'use strict';
// Mocha reporter: mocha's spec output, then the plain closing line "N passed, N failed" that CI
// reads. Mocha's own summary is not in that form, so the line is printed from the runner's stats.
const Mocha = require('mocha');

const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      // Skipped tests get their own line, so the closing line keeps its exact form.
      if (pending > 0) process.stdout.write(`\n${pending} skipped`);
      process.stdout.write(`\n${passes} passed, ${failures} failed\n`);
    });
  }
}

module.exports = SummaryReporter;
