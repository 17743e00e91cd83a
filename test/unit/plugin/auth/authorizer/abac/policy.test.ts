import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadABACAuthorizer } from '../../../../../../plugin/auth/authorizer/abac/abac.js';
import {
  loadPolicyFile,
  parsePolicyLine,
  PolicyFileError,
} from '../../../../../../plugin/auth/authorizer/abac/policy.js';
import { recordingLogger } from '../../../../helpers/koa_context.js';

const VALID_LINE =
  '{"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"user":"alice","nonResourcePath":"*"}}';

async function rejectionOf(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (err) {
    return err as Error;
  }
  return expect.fail('expected a rejection');
}

describe('loadPolicyFile errors', () => {
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'abac-policy-test-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: { name: string; text: string; expectLine: number; expectDetail: string | RegExp }[] =
    [
      {
        name: 'invalid JSON after comments',
        text: ['# policies', '', VALID_LINE, '{"user": "bob",'].join('\n'),
        expectLine: 4,
        expectDetail: /^invalid JSON: /,
      },
      {
        name: 'line numbers count CRLF lines',
        text: [VALID_LINE, 'not json'].join('\r\n'),
        expectLine: 2,
        expectDetail: /^invalid JSON: /,
      },
      {
        name: 'array instead of object',
        text: '["user", "alice"]',
        expectLine: 1,
        expectDetail: 'a policy must be a JSON object',
      },
      {
        name: 'unknown apiVersion',
        text: '{"apiVersion": "abac.authorization.kubernetes.io/v1", "kind": "Policy"}',
        expectLine: 1,
        expectDetail:
          'unsupported apiVersion "abac.authorization.kubernetes.io/v1": use abac.authorization.kubernetes.io/v1beta1, or leave apiVersion and kind out for the unversioned form',
      },
      {
        name: 'wrong kind',
        text: '{"apiVersion": "abac.authorization.kubernetes.io/v1beta1", "kind": "Role"}',
        expectLine: 1,
        expectDetail: 'unsupported kind "Role": an ABAC policy has kind Policy',
      },
      {
        name: 'v0 user not string',
        text: '{"user": 5}',
        expectLine: 1,
        expectDetail: 'user must be a string',
      },
      {
        name: 'v1beta1 readonly not boolean',
        text: `${VALID_LINE}\n${VALID_LINE.replace('"user":"alice"', '"readonly":"yes"')}`,
        expectLine: 2,
        expectDetail: 'spec.readonly must be true or false',
      },
      {
        name: 'v1beta1 spec not object',
        text: '{"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":"x"}',
        expectLine: 1,
        expectDetail: 'spec must be an object',
      },
    ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const path = join(dir, `${tc.name.replace(/\W+/g, '-')}.jsonl`);
      await writeFile(path, tc.text);

      const err = await rejectionOf(() => loadPolicyFile(path));

      expect(err).to.be.instanceOf(PolicyFileError);
      expect((err as PolicyFileError).line).to.equal(tc.expectLine);
      const prefix = `--authorization-policy-file: ${path}: line ${tc.expectLine}: `;
      expect(err.message.startsWith(prefix), err.message).to.equal(true);
      const detail = err.message.slice(prefix.length);
      if (typeof tc.expectDetail === 'string') expect(detail).to.equal(tc.expectDetail);
      else expect(detail).to.match(tc.expectDetail);
      expect(err.message).not.to.include('\n');
    });
  }

  it('missing file names flag', async () => {
    const path = join(dir, 'missing.jsonl');

    const err = await rejectionOf(() => loadPolicyFile(path));

    expect(err).to.be.instanceOf(PolicyFileError);
    expect((err as PolicyFileError).line).to.equal(undefined);
    const prefix = `--authorization-policy-file: ${path}: unable to read the file: ENOENT`;
    expect(err.message.startsWith(prefix), err.message).to.equal(true);
  });
});

describe('loadPolicyFile accepted files', () => {
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'abac-policy-test-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: { name: string; text: string; expectPolicies: number; expectUnversioned: number }[] =
    [
      { name: 'empty file', text: '', expectPolicies: 0, expectUnversioned: 0 },
      { name: 'comments only', text: '# a\n  # b\n\n', expectPolicies: 0, expectUnversioned: 0 },
      { name: 'one line no newline', text: VALID_LINE, expectPolicies: 1, expectUnversioned: 0 },
      {
        name: 'unversioned lines counted',
        text: `{"user": "a"}\n${VALID_LINE}\n{"kind": "Policy", "user": "b"}\n`,
        expectPolicies: 3,
        expectUnversioned: 2,
      },
      {
        name: 'explicit v0 not unversioned',
        text: '{"apiVersion": "abac.authorization.kubernetes.io/v0", "kind": "Policy"}',
        expectPolicies: 1,
        expectUnversioned: 0,
      },
    ];
  for (const tc of cases) {
    it(tc.name, async () => {
      const path = join(dir, `${tc.name.replace(/\W+/g, '-')}.jsonl`);
      await writeFile(path, tc.text);

      const file = await loadPolicyFile(path);

      expect(file.policies).to.have.length(tc.expectPolicies);
      expect(file.unversionedLines).to.equal(tc.expectUnversioned);
    });
  }

  it('unversioned policies logged once', async () => {
    const path = join(dir, 'mixed.jsonl');
    await writeFile(path, `{"user": "a"}\n{"user": "b"}\n${VALID_LINE}\n`);
    const recording = recordingLogger();

    await loadABACAuthorizer(path, recording.logger);

    const warnings = recording.entries.filter((entry) => entry.level === 'warn');
    expect(warnings).to.have.length(1);
    expect(warnings[0]?.unversionedLines).to.equal(2);
    expect(warnings[0]?.policyFile).to.equal(path);
  });
});

describe('parsePolicyLine conversion', () => {
  const cases: { name: string; line: string; expect: Record<string, unknown> }[] = [
    {
      name: 'v0 defaults every field',
      line: '{}',
      expect: {
        user: '',
        group: 'system:authenticated',
        readonly: false,
        apiGroup: '*',
        resource: '*',
        namespace: '*',
        nonResourcePath: '*',
      },
    },
    {
      name: 'v0 resource keeps paths off',
      line: '{"user": "a", "resource": "pods", "readonly": true}',
      expect: {
        user: 'a',
        group: '',
        readonly: true,
        apiGroup: '*',
        resource: 'pods',
        namespace: '*',
        nonResourcePath: '',
      },
    },
    {
      name: 'v1beta1 user star becomes group',
      line: '{"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"user":"*","group":"dev","namespace":"ns"}}',
      expect: {
        user: '',
        group: 'system:authenticated',
        readonly: false,
        apiGroup: '',
        resource: '',
        namespace: 'ns',
        nonResourcePath: '',
      },
    },
    {
      name: 'v1beta1 unknown fields ignored',
      line: '{"apiVersion":"abac.authorization.kubernetes.io/v1beta1","kind":"Policy","spec":{"user":"a","verbs":["get"],"nonResourcePath":"/x"}}',
      expect: {
        user: 'a',
        group: '',
        readonly: false,
        apiGroup: '',
        resource: '',
        namespace: '',
        nonResourcePath: '/x',
      },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parsePolicyLine(tc.line).policy).to.deep.equal(tc.expect);
    });
  }
});
