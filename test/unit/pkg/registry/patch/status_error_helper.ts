import { expect } from 'chai';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import { modelSchema } from '../../../../../pkg/apis/schema/models.js';

/**
 * Runs `action` and returns the StatusError it throws. Fails the test when it throws nothing or
 * throws something else, so a rejection that does not happen cannot pass.
 */
export function catchStatusError(action: () => unknown): StatusError {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(StatusError);
    return error as StatusError;
  }
  return expect.fail('expected a StatusError, but nothing was thrown');
}

/** Loads @kubernetes/client-node before the first test, because that takes about a second. */
export function loadSchemaBeforeTests(): void {
  before(function () {
    this.timeout(30_000);
    modelSchema('V1Pod');
  });
}
