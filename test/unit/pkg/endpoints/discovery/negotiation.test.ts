import { expect } from 'chai';
import {
  negotiateDiscovery,
  type DiscoveryFormat,
} from '../../../../../pkg/endpoints/discovery/negotiation.js';

const V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';
const V2BETA1 = 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList';

describe('negotiateDiscovery', () => {
  const cases: { name: string; accept: string | undefined; expectFormat: DiscoveryFormat }[] = [
    {
      name: 'kubectl 1.32 gets v2',
      accept: `${V2},${V2BETA1},application/json`,
      expectFormat: 'aggregated-v2',
    },
    { name: 'plain JSON gets legacy', accept: 'application/json', expectFormat: 'legacy' },
    { name: 'v2beta1 alone gets v2beta1', accept: V2BETA1, expectFormat: 'aggregated-v2beta1' },
    { name: 'v2 alone gets v2', accept: V2, expectFormat: 'aggregated-v2' },
    { name: 'no header gets legacy', accept: undefined, expectFormat: 'legacy' },
    { name: 'empty header gets legacy', accept: '', expectFormat: 'legacy' },
    { name: 'wildcard gets legacy', accept: '*/*', expectFormat: 'legacy' },
    {
      name: 'kubectl per-group-version Accept gets legacy',
      accept: 'application/json, */*',
      expectFormat: 'legacy',
    },
    {
      name: 'first acceptable clause wins',
      accept: `application/json,${V2}`,
      expectFormat: 'legacy',
    },
    {
      name: 'higher q wins',
      accept: `${V2};q=0.5,${V2BETA1}`,
      expectFormat: 'aggregated-v2beta1',
    },
    {
      name: 'q=0 still counts',
      accept: `${V2};q=0`,
      expectFormat: 'aggregated-v2',
    },
    {
      name: 'wildcard type with aggregated parameters',
      accept: '*/*;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      expectFormat: 'aggregated-v2',
    },
    {
      name: 'protobuf aggregated clause counts',
      accept:
        'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
      expectFormat: 'aggregated-v2',
    },
    {
      name: 'unknown media type is skipped',
      accept: `text/html,${V2}`,
      expectFormat: 'aggregated-v2',
    },
    {
      name: 'Table conversion is refused',
      accept: 'application/json;as=Table;v=v1;g=meta.k8s.io',
      expectFormat: 'legacy',
    },
    {
      name: 'Table conversion skipped for aggregated',
      accept: `application/json;as=Table;v=v1;g=meta.k8s.io,${V2}`,
      expectFormat: 'aggregated-v2',
    },
    {
      name: 'unknown discovery version is refused',
      accept: 'application/json;g=apidiscovery.k8s.io;v=v1;as=APIGroupDiscoveryList',
      expectFormat: 'legacy',
    },
    {
      name: 'server version parameter is refused',
      accept: `${V2};sv=v1`,
      expectFormat: 'legacy',
    },
    {
      name: 'watch stream on JSON is allowed',
      accept: `${V2};stream=watch`,
      expectFormat: 'aggregated-v2',
    },
    {
      name: 'watch stream on YAML is refused',
      accept: 'application/yaml;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList;stream=watch',
      expectFormat: 'legacy',
    },
    {
      name: 'parameters are case-sensitive',
      accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=apigroupdiscoverylist',
      expectFormat: 'legacy',
    },
    {
      name: 'spaces around clauses are trimmed',
      accept: ` ${V2} , application/json`,
      expectFormat: 'aggregated-v2',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(negotiateDiscovery(tc.accept)).to.equal(tc.expectFormat);
    });
  }
});
