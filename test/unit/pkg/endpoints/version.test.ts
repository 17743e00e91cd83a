import { expect } from 'chai';
import {
  GIT_VERSION,
  KUBERNETES_MAJOR,
  KUBERNETES_MINOR,
  serveVersion,
  versionInfo,
} from '../../../../pkg/endpoints/version.js';
import { serveOnce } from '../../helpers/koa_context.js';

describe('versionInfo', () => {
  it('keeps version.Info field order', () => {
    expect(Object.keys(versionInfo())).to.deep.equal([
      'major',
      'minor',
      'gitVersion',
      'gitCommit',
      'gitTreeState',
      'buildDate',
      'goVersion',
      'compiler',
      'platform',
    ]);
  });

  it('reports release 1.32', () => {
    const info = versionInfo();
    expect(info.major).to.equal('1');
    expect(info.minor).to.equal('32');
    expect(info.gitVersion).to.equal('v1.32.4');
    expect(KUBERNETES_MAJOR).to.equal(info.major);
    expect(KUBERNETES_MINOR).to.equal(info.minor);
    expect(GIT_VERSION).to.equal(info.gitVersion);
  });

  it('names the runtime and platform', () => {
    const info = versionInfo();
    expect(info.goVersion).to.equal(`node${process.versions.node}`);
    expect(info.compiler).to.equal('tsc');
    expect(info.platform).to.match(/^[a-z0-9]+\/[a-z0-9]+$/);
    expect(info.platform.startsWith(`${process.platform}/`)).to.equal(true);
  });

  it('every field is a string', () => {
    for (const [field, value] of Object.entries(versionInfo())) {
      expect(value, field).to.be.a('string');
    }
  });
});

describe('serveVersion', () => {
  it('indented JSON without newline', async () => {
    const response = await serveOnce([serveVersion], { path: '/version' });
    expect(response.status).to.equal(200);
    expect(response.headers['content-type']).to.equal('application/json');
    expect(response.body).to.equal(JSON.stringify(versionInfo(), null, 2));
    expect(response.body.endsWith('\n')).to.equal(false);
  });
});
