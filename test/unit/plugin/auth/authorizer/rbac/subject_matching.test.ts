import { expect } from 'chai';
import type { UserInfo } from '../../../../../../pkg/auth/user/user.js';
import type { Subject } from '../../../../../../plugin/auth/authorizer/rbac/policy_objects.js';
import { SubjectIndex } from '../../../../../../plugin/auth/authorizer/rbac/subject_index.js';
import {
  appliesToUser,
  describeSubject,
  firstApplyingSubject,
} from '../../../../../../plugin/auth/authorizer/rbac/subject_matching.js';
import { user } from './fixtures.js';

function subject(kind: string, name: string, namespace = ''): Subject {
  const apiGroup = kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io';
  return { kind, apiGroup, name, namespace };
}

const jane = user('jane', ['devs', 'system:authenticated']);
const robot = user('system:serviceaccount:team-a:robot', ['system:serviceaccounts']);

describe('appliesToUser', () => {
  const cases: {
    name: string;
    subject: Subject;
    bindingNamespace: string;
    user: UserInfo;
    expected: boolean;
  }[] = [
    {
      name: 'User by exact name',
      subject: subject('User', 'jane'),
      bindingNamespace: '',
      user: jane,
      expected: true,
    },
    {
      name: 'User with other name',
      subject: subject('User', 'Jane'),
      bindingNamespace: '',
      user: jane,
      expected: false,
    },
    {
      name: 'Group the user is in',
      subject: subject('Group', 'devs'),
      bindingNamespace: '',
      user: jane,
      expected: true,
    },
    {
      name: 'Group the user lacks',
      subject: subject('Group', 'ops'),
      bindingNamespace: '',
      user: jane,
      expected: false,
    },
    {
      name: 'Group named like the user',
      subject: subject('Group', 'jane'),
      bindingNamespace: '',
      user: jane,
      expected: false,
    },
    {
      name: 'ServiceAccount with namespace',
      subject: subject('ServiceAccount', 'robot', 'team-a'),
      bindingNamespace: 'team-b',
      user: robot,
      expected: true,
    },
    {
      name: 'ServiceAccount defaults to binding namespace',
      subject: subject('ServiceAccount', 'robot'),
      bindingNamespace: 'team-a',
      user: robot,
      expected: true,
    },
    {
      name: 'ServiceAccount default in other namespace',
      subject: subject('ServiceAccount', 'robot'),
      bindingNamespace: 'team-b',
      user: robot,
      expected: false,
    },
    {
      name: 'ServiceAccount without any namespace',
      subject: subject('ServiceAccount', 'robot'),
      bindingNamespace: '',
      user: robot,
      expected: false,
    },
    {
      name: 'ServiceAccount with other name',
      subject: subject('ServiceAccount', 'rob', 'team-a'),
      bindingNamespace: '',
      user: robot,
      expected: false,
    },
    {
      name: 'ServiceAccount against plain user',
      subject: subject('ServiceAccount', 'robot', 'team-a'),
      bindingNamespace: '',
      user: user('team-a:robot'),
      expected: false,
    },
    {
      name: 'User named like service account',
      subject: subject('User', 'system:serviceaccount:team-a:robot'),
      bindingNamespace: '',
      user: robot,
      expected: true,
    },
    {
      name: 'unknown kind applies to no one',
      subject: subject('Robot', 'jane'),
      bindingNamespace: '',
      user: jane,
      expected: false,
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      expect(appliesToUser(testCase.user, testCase.subject, testCase.bindingNamespace)).to.equal(
        testCase.expected,
      );
    });
  }
});

describe('firstApplyingSubject', () => {
  it('returns index of first match', () => {
    const subjects = [subject('User', 'bob'), subject('Group', 'devs'), subject('User', 'jane')];
    expect(firstApplyingSubject(jane, subjects, '')).to.equal(1);
  });

  it('returns -1 without a match', () => {
    expect(firstApplyingSubject(jane, [subject('User', 'bob')], '')).to.equal(-1);
  });
});

describe('describeSubject', () => {
  const cases: { name: string; subject: Subject; bindingNamespace: string; expected: string }[] = [
    {
      name: 'User by name',
      subject: subject('User', 'jane'),
      bindingNamespace: '',
      expected: 'User "jane"',
    },
    {
      name: 'Group by name',
      subject: subject('Group', 'system:masters'),
      bindingNamespace: '',
      expected: 'Group "system:masters"',
    },
    {
      name: 'ServiceAccount with namespace',
      subject: subject('ServiceAccount', 'robot', 'ci'),
      bindingNamespace: 'team-a',
      expected: 'ServiceAccount "robot/ci"',
    },
    {
      name: 'ServiceAccount with binding namespace',
      subject: subject('ServiceAccount', 'robot'),
      bindingNamespace: 'team-a',
      expected: 'ServiceAccount "robot/team-a"',
    },
    {
      name: 'name quoted as Go does',
      subject: subject('User', 'tab\there'),
      bindingNamespace: '',
      expected: 'User "tab\\there"',
    },
  ];

  for (const testCase of cases) {
    it(testCase.name, () => {
      expect(describeSubject(testCase.subject, testCase.bindingNamespace)).to.equal(
        testCase.expected,
      );
    });
  }
});

describe('SubjectIndex', () => {
  const binding = (name: string, namespace: string, subjects: Subject[]) => ({
    kind: namespace === '' ? ('ClusterRoleBinding' as const) : ('RoleBinding' as const),
    name,
    namespace,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects,
  });

  it('finds bindings by user, group and account', () => {
    const index = new SubjectIndex();
    const byUser = binding('by-user', 'team-a', [subject('User', robot.name)]);
    const byGroup = binding('by-group', 'team-a', [subject('Group', 'system:serviceaccounts')]);
    const byAccount = binding('by-account', 'team-a', [subject('ServiceAccount', 'robot')]);
    const other = binding('other', 'team-a', [subject('User', 'jane')]);
    for (const entry of [byUser, byGroup, byAccount, other]) index.put(entry);
    expect(index.candidates(robot).map((entry) => entry.name)).to.deep.equal([
      'by-user',
      'by-group',
      'by-account',
    ]);
  });

  it('lists a binding once for several subjects', () => {
    const index = new SubjectIndex();
    index.put(binding('both', '', [subject('User', 'jane'), subject('Group', 'devs')]));
    expect(index.candidates(jane).map((entry) => entry.name)).to.deep.equal(['both']);
  });

  it('replaces a binding put again', () => {
    const index = new SubjectIndex();
    index.put(binding('b', '', [subject('User', 'jane')]));
    index.put(binding('b', '', [subject('User', 'bob')]));
    expect(index.size).to.equal(1);
    expect(index.candidates(jane)).to.deep.equal([]);
    expect(index.candidates(user('bob')).map((entry) => entry.name)).to.deep.equal(['b']);
  });

  it('forgets a removed binding', () => {
    const index = new SubjectIndex();
    index.put(binding('b', '', [subject('User', 'jane')]));
    index.remove('b');
    expect(index.size).to.equal(0);
    expect(index.candidates(jane)).to.deep.equal([]);
  });

  it('skips account without namespace', () => {
    const index = new SubjectIndex();
    index.put(binding('b', '', [subject('ServiceAccount', 'robot')]));
    expect(index.candidates(robot)).to.deep.equal([]);
  });
});
