'use strict';
// Tests run from the compiled output, so no TypeScript loader is needed at test time.
module.exports = {
  spec: ['dist/test/**/*.test.js'],
  reporter: './hack/summary-reporter.cjs',
  timeout: 30000,
  exit: true,
  forbidOnly: true,
};
