import * as clientNode from '@kubernetes/client-node';
import { expect } from 'chai';
import { BUILTIN_RESOURCES } from '../../../../../pkg/registry/resources/index.js';

describe('BUILTIN_RESOURCES discovery fields', () => {
  const cases = [
    {
      plural: 'configmaps',
      expectGroup: '',
      expectKind: 'ConfigMap',
      expectListKind: 'ConfigMapList',
      expectSingular: 'configmap',
      expectShortNames: ['cm'],
      expectCategories: [],
      expectNamespaced: true,
      expectSubresources: [],
      expectModel: 'V1ConfigMap',
    },
    {
      plural: 'events',
      expectGroup: '',
      expectKind: 'Event',
      expectListKind: 'EventList',
      expectSingular: 'event',
      expectShortNames: ['ev'],
      expectCategories: [],
      expectNamespaced: true,
      expectSubresources: [],
      expectModel: 'CoreV1Event',
    },
    {
      plural: 'namespaces',
      expectGroup: '',
      expectKind: 'Namespace',
      expectListKind: 'NamespaceList',
      expectSingular: 'namespace',
      expectShortNames: ['ns'],
      expectCategories: [],
      expectNamespaced: false,
      expectSubresources: ['status', 'finalize'],
      expectModel: 'V1Namespace',
    },
    {
      plural: 'pods',
      expectGroup: '',
      expectKind: 'Pod',
      expectListKind: 'PodList',
      expectSingular: 'pod',
      expectShortNames: ['po'],
      expectCategories: ['all'],
      expectNamespaced: true,
      expectSubresources: ['status'],
      expectModel: 'V1Pod',
    },
    {
      plural: 'secrets',
      expectGroup: '',
      expectKind: 'Secret',
      expectListKind: 'SecretList',
      expectSingular: 'secret',
      expectShortNames: [],
      expectCategories: [],
      expectNamespaced: true,
      expectSubresources: [],
      expectModel: 'V1Secret',
    },
    {
      plural: 'serviceaccounts',
      expectGroup: '',
      expectKind: 'ServiceAccount',
      expectListKind: 'ServiceAccountList',
      expectSingular: 'serviceaccount',
      expectShortNames: ['sa'],
      expectCategories: [],
      expectNamespaced: true,
      expectSubresources: ['token'],
      expectModel: 'V1ServiceAccount',
    },
    {
      plural: 'services',
      expectGroup: '',
      expectKind: 'Service',
      expectListKind: 'ServiceList',
      expectSingular: 'service',
      expectShortNames: ['svc'],
      expectCategories: ['all'],
      expectNamespaced: true,
      expectSubresources: ['status'],
      expectModel: 'V1Service',
    },
    {
      plural: 'deployments',
      expectGroup: 'apps',
      expectKind: 'Deployment',
      expectListKind: 'DeploymentList',
      expectSingular: 'deployment',
      expectShortNames: ['deploy'],
      expectCategories: ['all'],
      expectNamespaced: true,
      expectSubresources: ['status', 'scale'],
      expectModel: 'V1Deployment',
    },
    {
      plural: 'clusterrolebindings',
      expectGroup: 'rbac.authorization.k8s.io',
      expectKind: 'ClusterRoleBinding',
      expectListKind: 'ClusterRoleBindingList',
      expectSingular: 'clusterrolebinding',
      expectShortNames: [],
      expectCategories: [],
      expectNamespaced: false,
      expectSubresources: [],
      expectModel: 'V1ClusterRoleBinding',
    },
    {
      plural: 'clusterroles',
      expectGroup: 'rbac.authorization.k8s.io',
      expectKind: 'ClusterRole',
      expectListKind: 'ClusterRoleList',
      expectSingular: 'clusterrole',
      expectShortNames: [],
      expectCategories: [],
      expectNamespaced: false,
      expectSubresources: [],
      expectModel: 'V1ClusterRole',
    },
    {
      plural: 'rolebindings',
      expectGroup: 'rbac.authorization.k8s.io',
      expectKind: 'RoleBinding',
      expectListKind: 'RoleBindingList',
      expectSingular: 'rolebinding',
      expectShortNames: [],
      expectCategories: [],
      expectNamespaced: true,
      expectSubresources: [],
      expectModel: 'V1RoleBinding',
    },
    {
      plural: 'roles',
      expectGroup: 'rbac.authorization.k8s.io',
      expectKind: 'Role',
      expectListKind: 'RoleList',
      expectSingular: 'role',
      expectShortNames: [],
      expectCategories: [],
      expectNamespaced: true,
      expectSubresources: [],
      expectModel: 'V1Role',
    },
  ];

  it('lists exactly these resources in order', () => {
    expect(BUILTIN_RESOURCES.map((definition) => definition.plural)).to.deep.equal(
      cases.map((tc) => tc.plural),
    );
  });

  for (const tc of cases) {
    it(tc.plural, () => {
      const definition = BUILTIN_RESOURCES.find((candidate) => candidate.plural === tc.plural);
      if (definition === undefined) throw new Error(`${tc.plural} is not defined`);
      expect(definition.group).to.equal(tc.expectGroup);
      expect(definition.version).to.equal('v1');
      expect(definition.kind).to.equal(tc.expectKind);
      expect(definition.listKind).to.equal(tc.expectListKind);
      expect(definition.singular).to.equal(tc.expectSingular);
      expect(definition.shortNames).to.deep.equal(tc.expectShortNames);
      expect(definition.categories).to.deep.equal(tc.expectCategories);
      expect(definition.namespaced).to.equal(tc.expectNamespaced);
      expect(definition.subresources).to.deep.equal(tc.expectSubresources);
      expect(definition.modelName).to.equal(tc.expectModel);
    });
  }

  for (const definition of BUILTIN_RESOURCES) {
    it(`${definition.plural} model exists in client-node`, () => {
      const model = (clientNode as unknown as Record<string, unknown>)[definition.modelName];
      expect(model, definition.modelName).to.be.a('function');
    });

    it(`${definition.plural} printer has one name column`, () => {
      const formats = definition.printer.columns.map((column) => column.format);
      expect(formats.filter((format) => format === 'name')).to.have.length(1);
      for (const column of definition.printer.columns) {
        expect(column.description, column.name).to.not.equal('');
        expect([0, 1], column.name).to.include(column.priority);
      }
    });
  }
});
