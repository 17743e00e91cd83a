import { expect } from 'chai';
import {
  parseSNICertKey,
  type SNICertKey,
} from '../../../../../../cmd/apiserver/app/options/secure_serving.js';

describe('parseSNICertKey', () => {
  const cases: { name: string; value: string; expect: SNICertKey }[] = [
    {
      name: 'files only',
      value: 'tls.crt,tls.key',
      expect: { certFile: 'tls.crt', keyFile: 'tls.key', names: [] },
    },
    {
      name: 'files and names',
      value: 'tls.crt,tls.key:example.com,*.example.com',
      expect: { certFile: 'tls.crt', keyFile: 'tls.key', names: ['example.com', '*.example.com'] },
    },
    {
      name: 'spaces trimmed',
      value: ' tls.crt , tls.key : a.example ',
      expect: { certFile: 'tls.crt', keyFile: 'tls.key', names: ['a.example'] },
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(parseSNICertKey(tc.value)).to.deep.equal(tc.expect);
    });
  }

  const invalid: { name: string; value: string; expectMessage: string }[] = [
    {
      name: 'certificate only',
      value: 'tls.crt',
      expectMessage:
        '--tls-sni-cert-key: invalid value "tls.crt": expected CERT,KEY or CERT,KEY:NAME1,NAME2',
    },
    {
      name: 'three files',
      value: 'a,b,c',
      expectMessage:
        '--tls-sni-cert-key: invalid value "a,b,c": expected CERT,KEY or CERT,KEY:NAME1,NAME2',
    },
    {
      name: 'empty key',
      value: 'tls.crt,',
      expectMessage:
        '--tls-sni-cert-key: invalid value "tls.crt,": expected CERT,KEY or CERT,KEY:NAME1,NAME2',
    },
    {
      name: 'empty name in list',
      value: 'tls.crt,tls.key:a.example,',
      expectMessage:
        '--tls-sni-cert-key: invalid value "tls.crt,tls.key:a.example,": empty server name',
    },
  ];
  for (const tc of invalid) {
    it(`${tc.name} rejected`, () => {
      expect(() => parseSNICertKey(tc.value)).to.throw(Error, tc.expectMessage);
    });
  }
});
