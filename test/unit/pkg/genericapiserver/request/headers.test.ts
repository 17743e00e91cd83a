import { expect } from 'chai';
import type { IncomingMessage } from 'node:http';
import {
  deleteRequestHeader,
  deleteRequestHeaders,
} from '../../../../../pkg/genericapiserver/request/headers.js';

/** Builds a plain object with the two request fields that the header helpers change. */
function fakeRequest(rawHeaders: string[]): IncomingMessage {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    headers[name] =
      headers[name] === undefined ? rawHeaders[i + 1]! : `${headers[name]}, ${rawHeaders[i + 1]!}`;
  }
  return { headers, rawHeaders } as unknown as IncomingMessage;
}

describe('deleteRequestHeader', () => {
  it('removes parsed and raw lines', () => {
    const req = fakeRequest([
      'Authorization',
      'Bearer a',
      'Accept',
      '*/*',
      'authorization',
      'Bearer b',
    ]);
    deleteRequestHeader(req, 'Authorization');
    expect(req.headers).to.deep.equal({ accept: '*/*' });
    expect(req.rawHeaders).to.deep.equal(['Accept', '*/*']);
  });

  it('missing header changes nothing', () => {
    const req = fakeRequest(['Accept', '*/*']);
    deleteRequestHeader(req, 'Authorization');
    expect(req.headers).to.deep.equal({ accept: '*/*' });
    expect(req.rawHeaders).to.deep.equal(['Accept', '*/*']);
  });
});

describe('deleteRequestHeaders', () => {
  it('removes every matching name', () => {
    const req = fakeRequest([
      'Impersonate-User',
      'jane',
      'Impersonate-Extra-Scopes',
      'view',
      'User-Agent',
      'kubectl',
    ]);
    deleteRequestHeaders(req, (name) => name.startsWith('impersonate-'));
    expect(req.headers).to.deep.equal({ 'user-agent': 'kubectl' });
    expect(req.rawHeaders).to.deep.equal(['User-Agent', 'kubectl']);
  });
});
