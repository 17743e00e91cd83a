import { expect } from 'chai';
import type { JWTPayload } from 'jose';
import {
  findRequiredClaimProblem,
  groupsFrom,
  userFromClaims,
  usernameFrom,
  type ClaimMappings,
} from '../../../../../../../plugin/auth/authenticator/token/oidc/claims.js';

const MAPPINGS: ClaimMappings = {
  usernameClaim: 'email',
  usernamePrefix: '',
  groupsClaim: 'groups',
  groupsPrefix: 'oidc:',
  requiredClaims: {},
};

describe('usernameFrom', () => {
  const cases: {
    name: string;
    claims: JWTPayload;
    mappings?: Partial<ClaimMappings>;
    expect: string | { error: string };
  }[] = [
    { name: 'email verified', claims: { email: 'a@x.io', email_verified: true }, expect: 'a@x.io' },
    { name: 'email_verified absent', claims: { email: 'a@x.io' }, expect: 'a@x.io' },
    {
      name: 'email_verified false',
      claims: { email: 'a@x.io', email_verified: false },
      expect: { error: 'oidc: email not verified' },
    },
    {
      name: 'email_verified as string',
      claims: { email: 'a@x.io', email_verified: 'true' },
      expect: { error: "oidc: parse 'email_verified' claim: expected a boolean" },
    },
    {
      name: 'email_verified null',
      claims: { email: 'a@x.io', email_verified: null },
      expect: { error: "oidc: parse 'email_verified' claim: expected a boolean" },
    },
    {
      name: 'email_verified ignored for sub',
      claims: { sub: '42', email_verified: false },
      mappings: { usernameClaim: 'sub', usernamePrefix: 'https://issuer#' },
      expect: 'https://issuer#42',
    },
    {
      name: 'number claim',
      claims: { employee_id: 42 },
      mappings: { usernameClaim: 'employee_id' },
      expect: { error: 'oidc: parse username claim "employee_id": expected a string' },
    },
    {
      name: 'empty claim',
      claims: { sub: '' },
      mappings: { usernameClaim: 'sub', usernamePrefix: 'p:' },
      expect: { error: 'oidc: username claim "sub" is empty' },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const result = usernameFrom(tc.claims, { ...MAPPINGS, ...tc.mappings });

      if (typeof tc.expect === 'string') expect(result).to.equal(tc.expect);
      else expect((result as Error).message).to.equal(tc.expect.error);
    });
  }
});

describe('groupsFrom', () => {
  const cases: {
    name: string;
    claims: JWTPayload;
    mappings?: Partial<ClaimMappings>;
    expect: string[] | { error: string };
  }[] = [
    { name: 'array', claims: { groups: ['a', 'b'] }, expect: ['oidc:a', 'oidc:b'] },
    { name: 'single string', claims: { groups: 'admins' }, expect: ['oidc:admins'] },
    { name: 'empty array', claims: { groups: [] }, expect: [] },
    { name: 'claim absent', claims: {}, expect: [] },
    { name: 'claim null', claims: { groups: null }, expect: [] },
    {
      name: 'no claim configured',
      claims: { groups: ['a'] },
      mappings: { groupsClaim: '' },
      expect: [],
    },
    {
      name: 'no prefix',
      claims: { groups: ['a'] },
      mappings: { groupsPrefix: '' },
      expect: ['a'],
    },
    {
      name: 'array with number',
      claims: { groups: ['a', 1] },
      expect: {
        error: 'oidc: parse groups claim "groups": expected a string or an array of strings',
      },
    },
    {
      name: 'object',
      claims: { groups: { a: true } },
      expect: {
        error: 'oidc: parse groups claim "groups": expected a string or an array of strings',
      },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const result = groupsFrom(tc.claims, { ...MAPPINGS, ...tc.mappings });

      if (Array.isArray(tc.expect)) expect(result).to.deep.equal(tc.expect);
      else expect((result as Error).message).to.equal(tc.expect.error);
    });
  }
});

describe('findRequiredClaimProblem', () => {
  const cases: {
    name: string;
    claims: JWTPayload;
    required: Record<string, string>;
    expect: string | undefined;
  }[] = [
    { name: 'none required', claims: {}, required: {}, expect: undefined },
    {
      name: 'all match',
      claims: { a: '1', b: '2' },
      required: { a: '1', b: '2' },
      expect: undefined,
    },
    {
      name: 'missing',
      claims: { a: '1' },
      required: { b: '2' },
      expect: 'oidc: required claim b not present in ID token',
    },
    {
      name: 'different value',
      claims: { a: '1' },
      required: { a: '2' },
      expect: 'oidc: required claim a value does not match: got "1", want "2"',
    },
    {
      name: 'boolean value',
      claims: { admin: true },
      required: { admin: 'true' },
      expect: 'oidc: parse claim admin: expected a string',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(findRequiredClaimProblem(tc.claims, tc.required)).to.equal(tc.expect);
    });
  }
});

describe('userFromClaims', () => {
  it('builds user with groups', () => {
    const result = userFromClaims({ email: 'a@x.io', groups: 'devs' }, MAPPINGS);

    expect(result).to.deep.equal({
      ok: true,
      user: { name: 'a@x.io', uid: '', groups: ['oidc:devs'], extra: {} },
    });
  });

  it('checks username before groups', () => {
    const result = userFromClaims({ email_verified: false, groups: 7 }, MAPPINGS);

    expect(result).to.deep.equal({
      ok: false,
      reason: 'oidc: parse username claim "email": expected a string',
    });
  });

  it('checks required claims last', () => {
    const mappings = { ...MAPPINGS, requiredClaims: { tenant: 'blue' } };
    const result = userFromClaims({ email: 'a@x.io', groups: 7 }, mappings);

    expect(result).to.deep.equal({
      ok: false,
      reason: 'oidc: parse groups claim "groups": expected a string or an array of strings',
    });
  });
});
