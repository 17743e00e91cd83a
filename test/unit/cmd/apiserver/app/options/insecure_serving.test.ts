import { expect } from 'chai';
import { isLoopback } from '../../../../../../cmd/apiserver/app/options/insecure_serving.js';

describe('isLoopback', () => {
  const cases: { name: string; address: string; expectLoopback: boolean }[] = [
    { name: 'IPv4 loopback', address: '127.0.0.1', expectLoopback: true },
    { name: 'other 127/8 address', address: '127.1.2.3', expectLoopback: true },
    { name: 'IPv6 loopback', address: '::1', expectLoopback: true },
    { name: 'any IPv4', address: '0.0.0.0', expectLoopback: false },
    { name: 'any IPv6', address: '::', expectLoopback: false },
    { name: 'private address', address: '10.0.0.1', expectLoopback: false },
    { name: 'host name', address: 'localhost', expectLoopback: false },
    { name: 'look-alike name', address: '127.example.com', expectLoopback: false },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(isLoopback(tc.address)).to.equal(tc.expectLoopback);
    });
  }
});
