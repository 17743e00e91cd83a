import { expect } from 'chai';
import type { IncomingHttpHeaders } from 'node:http';
import { StatusError } from '../../../../../pkg/apiserver/errors/statuserror.js';
import type {
  Attributes,
  AuthorizationResult,
  Authorizer,
} from '../../../../../pkg/auth/authorizer/interfaces.js';
import { newUserInfo, type UserInfo } from '../../../../../pkg/auth/user/user.js';
import {
  decodeExtraKey,
  impersonatedUser,
  impersonationChecks,
  parseImpersonationHeaders,
  splitServiceAccountName,
  withImpersonation,
  type ImpersonationCheck,
  type ImpersonationRequest,
} from '../../../../../pkg/genericapiserver/filters/impersonation.js';
import {
  impersonatedByFrom,
  userFrom,
} from '../../../../../pkg/genericapiserver/request/context.js';
import {
  inspectContext,
  provideUser,
  serveOnce,
  silentLogger,
  type TestResponse,
} from '../../../helpers/koa_context.js';

const bob = newUserInfo({ name: 'bob', groups: ['system:authenticated'] });

function impersonation(fields: Partial<ImpersonationRequest>): ImpersonationRequest {
  return { user: undefined, uid: undefined, groups: [], extra: {}, ...fields };
}

function check(fields: Partial<ImpersonationCheck>): ImpersonationCheck {
  return { resource: '', subresource: '', apiGroup: '', namespace: '', name: '', ...fields };
}

/** Builds an authorizer that returns what `decide` returns and records every request. */
function recordingAuthorizer(
  decide: (attributes: Attributes) => AuthorizationResult,
): Authorizer & { seen: Attributes[] } {
  const seen: Attributes[] = [];
  return {
    seen,
    authorize(attributes) {
      seen.push(attributes);
      return Promise.resolve(decide(attributes));
    },
  };
}

const allow = (): AuthorizationResult => ({ decision: 'allow', reason: '' });

/** Sends one request as bob through the impersonation filter. */
async function impersonate(authorizer: Authorizer, headers: Record<string, string | string[]>) {
  const seen: {
    user?: UserInfo;
    impersonatedBy?: UserInfo;
    headers?: IncomingHttpHeaders;
    raw?: string[];
  } = {};
  let called = false;
  const response: TestResponse = await serveOnce(
    [
      provideUser(bob),
      withImpersonation(authorizer, silentLogger()),
      inspectContext((ctx) => {
        called = true;
        seen.user = userFrom(ctx);
        seen.impersonatedBy = impersonatedByFrom(ctx);
        seen.headers = { ...ctx.req.headers };
        seen.raw = [...ctx.req.rawHeaders];
      }),
    ],
    { path: '/api/v1/namespaces/foo/pods', headers },
  );
  return { response, seen, called };
}

describe('decodeExtraKey', () => {
  const cases: { name: string; suffix: string; expectKey: string }[] = [
    { name: 'lower-cases key', suffix: 'Scopes', expectKey: 'scopes' },
    { name: 'percent-decodes slash', suffix: 'Example.com%2FKey', expectKey: 'example.com/key' },
    { name: 'percent-decodes space', suffix: 'a%20b', expectKey: 'a b' },
    { name: 'keeps undecodable key', suffix: 'Bad%ZZ', expectKey: 'bad%zz' },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(decodeExtraKey(tc.suffix)).to.equal(tc.expectKey);
    });
  }
});

describe('parseImpersonationHeaders', () => {
  const cases: { name: string; raw: string[]; expect: ImpersonationRequest }[] = [
    { name: 'no headers', raw: ['Accept', '*/*'], expect: impersonation({}) },
    {
      name: 'repeated groups stay separate',
      raw: ['Impersonate-User', 'jane', 'Impersonate-Group', 'a', 'impersonate-group', 'b'],
      expect: impersonation({ user: 'jane', groups: ['a', 'b'] }),
    },
    {
      name: 'comma inside one group',
      raw: ['Impersonate-User', 'jane', 'Impersonate-Group', 'a, b'],
      expect: impersonation({ user: 'jane', groups: ['a, b'] }),
    },
    {
      name: 'repeated extra values merge',
      raw: [
        'Impersonate-User',
        'jane',
        'Impersonate-Extra-Scopes',
        'view',
        'impersonate-extra-scopes',
        'edit',
      ],
      expect: impersonation({ user: 'jane', extra: { scopes: ['view', 'edit'] } }),
    },
    {
      name: 'extra key percent-decoded',
      raw: ['Impersonate-User', 'jane', 'Impersonate-Extra-Example.com%2Fteam', 'blue'],
      expect: impersonation({ user: 'jane', extra: { 'example.com/team': ['blue'] } }),
    },
    {
      name: 'uid read',
      raw: ['Impersonate-User', 'jane', 'Impersonate-Uid', 'u-1'],
      expect: impersonation({ user: 'jane', uid: 'u-1' }),
    },
    {
      name: 'first user line wins',
      raw: ['Impersonate-User', 'jane', 'Impersonate-User', 'joe'],
      expect: impersonation({ user: 'jane' }),
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseImpersonationHeaders(tc.raw)).to.deep.equal(tc.expect);
    });
  }
});

describe('splitServiceAccountName', () => {
  const cases: {
    name: string;
    user: string;
    expect: { namespace: string; name: string } | undefined;
  }[] = [
    {
      name: 'service account split',
      user: 'system:serviceaccount:ns:builder',
      expect: { namespace: 'ns', name: 'builder' },
    },
    { name: 'plain user', user: 'jane', expect: undefined },
    { name: 'missing name', user: 'system:serviceaccount:ns', expect: undefined },
    { name: 'empty namespace', user: 'system:serviceaccount::builder', expect: undefined },
    { name: 'too many parts', user: 'system:serviceaccount:ns:a:b', expect: undefined },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(splitServiceAccountName(tc.user)).to.deep.equal(tc.expect);
    });
  }
});

describe('impersonationChecks', () => {
  const cases: { name: string; request: ImpersonationRequest; expect: ImpersonationCheck[] }[] = [
    {
      name: 'user only',
      request: impersonation({ user: 'jane' }),
      expect: [check({ resource: 'users', name: 'jane' })],
    },
    {
      name: 'service account',
      request: impersonation({ user: 'system:serviceaccount:ns:builder' }),
      expect: [check({ resource: 'serviceaccounts', namespace: 'ns', name: 'builder' })],
    },
    {
      name: 'user, groups, extra, uid in order',
      request: impersonation({
        user: 'jane',
        uid: 'u-1',
        groups: ['a', 'b'],
        extra: { scopes: ['view', 'edit'] },
      }),
      expect: [
        check({ resource: 'users', name: 'jane' }),
        check({ resource: 'groups', name: 'a' }),
        check({ resource: 'groups', name: 'b' }),
        check({
          resource: 'userextras',
          subresource: 'scopes',
          apiGroup: 'authentication.k8s.io',
          name: 'view',
        }),
        check({
          resource: 'userextras',
          subresource: 'scopes',
          apiGroup: 'authentication.k8s.io',
          name: 'edit',
        }),
        check({ resource: 'uids', apiGroup: 'authentication.k8s.io', name: 'u-1' }),
      ],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(impersonationChecks(tc.request)).to.deep.equal(tc.expect);
    });
  }

  it('groups without user throw BadRequest', () => {
    let thrown: unknown;
    try {
      impersonationChecks(impersonation({ groups: ['devs'] }));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).to.be.instanceOf(StatusError);
    expect((thrown as StatusError).code).to.equal(400);
    expect((thrown as StatusError).reason).to.equal('BadRequest');
    expect((thrown as StatusError).message).to.equal(
      'requested group "devs" without impersonating a user',
    );
  });
});

describe('impersonatedUser', () => {
  const cases: { name: string; request: ImpersonationRequest; expect: UserInfo }[] = [
    {
      name: 'user gets system:authenticated',
      request: impersonation({ user: 'jane' }),
      expect: newUserInfo({ name: 'jane', groups: ['system:authenticated'] }),
    },
    {
      name: 'service account gets its groups',
      request: impersonation({ user: 'system:serviceaccount:ns:builder' }),
      expect: newUserInfo({
        name: 'system:serviceaccount:ns:builder',
        groups: ['system:serviceaccounts', 'system:serviceaccounts:ns', 'system:authenticated'],
      }),
    },
    {
      name: 'service account keeps requested groups',
      request: impersonation({ user: 'system:serviceaccount:ns:builder', groups: ['qa'] }),
      expect: newUserInfo({
        name: 'system:serviceaccount:ns:builder',
        groups: ['qa', 'system:authenticated'],
      }),
    },
    {
      name: 'anonymous gets system:unauthenticated',
      request: impersonation({ user: 'system:anonymous' }),
      expect: newUserInfo({ name: 'system:anonymous', groups: ['system:unauthenticated'] }),
    },
    {
      name: 'anonymous group not duplicated',
      request: impersonation({ user: 'system:anonymous', groups: ['system:unauthenticated'] }),
      expect: newUserInfo({ name: 'system:anonymous', groups: ['system:unauthenticated'] }),
    },
    {
      name: 'authenticated group not duplicated',
      request: impersonation({ user: 'jane', groups: ['system:authenticated', 'qa'] }),
      expect: newUserInfo({ name: 'jane', groups: ['system:authenticated', 'qa'] }),
    },
    {
      name: 'unauthenticated group blocks addition',
      request: impersonation({ user: 'jane', groups: ['system:unauthenticated'] }),
      expect: newUserInfo({ name: 'jane', groups: ['system:unauthenticated'] }),
    },
    {
      name: 'uid and extra kept',
      request: impersonation({ user: 'jane', uid: 'u-1', extra: { scopes: ['view'] } }),
      expect: newUserInfo({
        name: 'jane',
        uid: 'u-1',
        groups: ['system:authenticated'],
        extra: { scopes: ['view'] },
      }),
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(impersonatedUser(tc.request)).to.deep.equal(tc.expect);
    });
  }
});

describe('withImpersonation', () => {
  it('no headers passes unchanged', async () => {
    const authorizer = recordingAuthorizer(allow);
    const { response, seen } = await impersonate(authorizer, { Accept: 'application/json' });
    expect(response.status).to.equal(200);
    expect(seen.user).to.deep.equal(bob);
    expect(seen.impersonatedBy).to.equal(undefined);
    expect(authorizer.seen).to.deep.equal([]);
  });

  it('allowed request acts as target', async () => {
    const authorizer = recordingAuthorizer(allow);
    const { response, seen } = await impersonate(authorizer, {
      'Impersonate-User': 'jane',
      'Impersonate-Group': ['qa', 'ops'],
      'Impersonate-Uid': 'u-1',
      'Impersonate-Extra-Scopes': ['view', 'edit'],
    });
    expect(response.status).to.equal(200);
    expect(seen.user).to.deep.equal(
      newUserInfo({
        name: 'jane',
        uid: 'u-1',
        groups: ['qa', 'ops', 'system:authenticated'],
        extra: { scopes: ['view', 'edit'] },
      }),
    );
    expect(seen.impersonatedBy).to.deep.equal(bob);
  });

  it('each check uses impersonate verb', async () => {
    const authorizer = recordingAuthorizer(allow);
    await impersonate(authorizer, {
      'Impersonate-User': 'jane',
      'Impersonate-Group': 'qa',
      'Impersonate-Extra-Scopes': 'view',
      'Impersonate-Uid': 'u-1',
    });
    expect(authorizer.seen.map((attributes) => attributes.resource)).to.deep.equal([
      'users',
      'groups',
      'userextras',
      'uids',
    ]);
    for (const attributes of authorizer.seen) {
      expect(attributes.verb, attributes.resource).to.equal('impersonate');
      expect(attributes.user, attributes.resource).to.deep.equal(bob);
      expect(attributes.isResourceRequest, attributes.resource).to.equal(true);
    }
  });

  it('success removes impersonation headers', async () => {
    const { seen } = await impersonate(recordingAuthorizer(allow), {
      'Impersonate-User': 'jane',
      'Impersonate-Group': ['qa', 'ops'],
      'Impersonate-Uid': 'u-1',
      'Impersonate-Extra-Scopes': 'view',
      'X-Other': 'kept',
    });
    for (const name of [
      'impersonate-user',
      'impersonate-group',
      'impersonate-uid',
      'impersonate-extra-scopes',
    ]) {
      expect(seen.headers?.[name], name).to.equal(undefined);
    }
    const rawNames = (seen.raw ?? []).filter((_, i) => i % 2 === 0);
    expect(rawNames.filter((name) => name.toLowerCase().startsWith('impersonate-'))).to.deep.equal(
      [],
    );
    expect(seen.headers?.['x-other']).to.equal('kept');
    expect(rawNames).to.include('X-Other');
  });

  const denials: {
    name: string;
    headers: Record<string, string | string[]>;
    deny: (attributes: Attributes) => boolean;
    reason: string;
    expectBody: string;
  }[] = [
    {
      name: 'denied user gives 403',
      headers: { 'Impersonate-User': 'jane' },
      deny: () => true,
      reason: '',
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"users \\"jane\\" is forbidden: User \\"bob\\" cannot impersonate resource \\"users\\" in API group \\"\\" at the cluster scope","reason":"Forbidden","details":{"name":"jane","kind":"users"},"code":403}\n',
    },
    {
      name: 'denied with reason appended',
      headers: { 'Impersonate-User': 'jane' },
      deny: () => true,
      reason: 'no RBAC policy matched',
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"users \\"jane\\" is forbidden: User \\"bob\\" cannot impersonate resource \\"users\\" in API group \\"\\" at the cluster scope: no RBAC policy matched","reason":"Forbidden","details":{"name":"jane","kind":"users"},"code":403}\n',
    },
    {
      name: 'denied service account names namespace',
      headers: { 'Impersonate-User': 'system:serviceaccount:ns:builder' },
      deny: () => true,
      reason: '',
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"serviceaccounts \\"builder\\" is forbidden: User \\"bob\\" cannot impersonate resource \\"serviceaccounts\\" in API group \\"\\" in the namespace \\"ns\\"","reason":"Forbidden","details":{"name":"builder","kind":"serviceaccounts"},"code":403}\n',
    },
    {
      name: 'denied group after allowed user',
      headers: { 'Impersonate-User': 'jane', 'Impersonate-Group': 'ops' },
      deny: (attributes) => attributes.resource === 'groups',
      reason: '',
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"groups \\"ops\\" is forbidden: User \\"bob\\" cannot impersonate resource \\"groups\\" in API group \\"\\" at the cluster scope","reason":"Forbidden","details":{"name":"ops","kind":"groups"},"code":403}\n',
    },
    {
      name: 'denied extra names key',
      headers: { 'Impersonate-User': 'jane', 'Impersonate-Extra-Scopes': 'view' },
      deny: (attributes) => attributes.resource === 'userextras',
      reason: '',
      expectBody:
        '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"userextras.authentication.k8s.io \\"view\\" is forbidden: User \\"bob\\" cannot impersonate resource \\"userextras/scopes\\" in API group \\"authentication.k8s.io\\" at the cluster scope","reason":"Forbidden","details":{"name":"view","group":"authentication.k8s.io","kind":"userextras"},"code":403}\n',
    },
  ];
  for (const tc of denials) {
    it(tc.name, async () => {
      const authorizer = recordingAuthorizer((attributes) =>
        tc.deny(attributes)
          ? { decision: 'deny', reason: tc.reason }
          : { decision: 'allow', reason: '' },
      );
      const { response, called } = await impersonate(authorizer, tc.headers);
      expect(response.status).to.equal(403);
      expect(response.headers['content-type']).to.equal('application/json');
      expect(response.headers['x-content-type-options']).to.equal('nosniff');
      expect(response.body).to.equal(tc.expectBody);
      expect(called, 'handler called').to.equal(false);
    });
  }

  it('noOpinion is denied', async () => {
    const authorizer = recordingAuthorizer(() => ({ decision: 'noOpinion', reason: '' }));
    const { response, called } = await impersonate(authorizer, { 'Impersonate-User': 'jane' });
    expect(response.status).to.equal(403);
    expect(called, 'handler called').to.equal(false);
  });

  it('authorizer error is denied', async () => {
    const authorizer: Authorizer = {
      authorize: () => Promise.reject(new Error('webhook down')),
    };
    const { response, called } = await impersonate(authorizer, { 'Impersonate-User': 'jane' });
    expect(response.status).to.equal(403);
    expect((JSON.parse(response.body) as { message: string }).message).to.equal(
      'users "jane" is forbidden: User "bob" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
    expect(called, 'handler called').to.equal(false);
  });

  it('first denial stops later checks', async () => {
    const authorizer = recordingAuthorizer(() => ({ decision: 'deny', reason: '' }));
    await impersonate(authorizer, { 'Impersonate-User': 'jane', 'Impersonate-Group': 'ops' });
    expect(authorizer.seen.map((attributes) => attributes.resource)).to.deep.equal(['users']);
  });

  it('groups without user give 400', async () => {
    const authorizer = recordingAuthorizer(allow);
    const { response, called } = await impersonate(authorizer, {
      'Impersonate-Group': 'devs',
    });
    expect(response.status).to.equal(400);
    expect(response.headers['content-type']).to.equal('application/json');
    expect(response.body).to.equal(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"requested group \\"devs\\" without impersonating a user","reason":"BadRequest","code":400}\n',
    );
    expect(called, 'handler called').to.equal(false);
    expect(authorizer.seen).to.deep.equal([]);
  });
});

describe('parseImpersonationHeaders empty values', () => {
  it('empty user is no user', () => {
    const request = parseImpersonationHeaders(['Impersonate-User', '', 'Impersonate-Uid', '']);
    expect(request.user).to.equal(undefined);
    expect(request.uid).to.equal(undefined);
  });
});
