import { expect } from 'chai';
import { parseAccept } from '../../../../../pkg/endpoints/discovery/accept.js';

function summary(header: string): string[] {
  return parseAccept(header).map((clause) => `${clause.type}/${clause.subtype};q=${clause.q}`);
}

describe('parseAccept', () => {
  const cases = [
    {
      name: 'keeps the order of equal clauses',
      header: 'application/json;g=a, application/yaml',
      expectClauses: ['application/json;q=1', 'application/yaml;q=1'],
    },
    {
      name: 'puts a higher q first',
      header: 'application/json;q=0.5, application/yaml',
      expectClauses: ['application/yaml;q=1', 'application/json;q=0.5'],
    },
    {
      name: 'puts wildcards after concrete types',
      header: '*/*, application/*, application/json',
      expectClauses: ['application/json;q=1', 'application/*;q=1', '*/*;q=1'],
    },
    {
      name: 'reads a bare star as any type',
      header: '*',
      expectClauses: ['*/*;q=1'],
    },
    {
      name: 'drops ranges with two slashes or none',
      header: 'a/b/c, text, text/plain',
      expectClauses: ['text/plain;q=1'],
    },
    {
      name: 'reads a malformed q as 0',
      header: 'text/plain;q=high, application/json',
      expectClauses: ['application/json;q=1', 'text/plain;q=0'],
    },
    {
      name: 'reads a space-padded q as 0',
      header: 'text/plain;q= 0.9, application/json;q=0.1',
      expectClauses: ['application/json;q=0.10000000149011612', 'text/plain;q=0'],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(summary(tc.header)).to.deep.equal(tc.expectClauses);
    });
  }

  it('trims parameter names and values', () => {
    const [clause] = parseAccept('application/json ; g = apidiscovery.k8s.io ;v=v2');
    expect(clause?.subtype).to.equal('json');
    expect(clause?.params.get('g')).to.equal('apidiscovery.k8s.io');
    expect(clause?.params.get('v')).to.equal('v2');
  });

  it('ignores parameters without a value', () => {
    const [clause] = parseAccept('application/json;charset;v=v2');
    expect([...(clause?.params.keys() ?? [])]).to.deep.equal(['v']);
  });
});
