import { expect } from 'chai';
import { SELF_SUBJECT_REVIEWS } from '../../../../../pkg/endpoints/discovery/reviews.js';
import { servedResourcesFrom } from '../../../../../pkg/endpoints/discovery/served.js';
import {
  OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
  negotiateOpenAPIV2,
  openAPIV2,
  openAPIV2SecurityDefinitions,
  type OpenAPIV2Format,
} from '../../../../../pkg/endpoints/openapi/v2.js';
import { DEFINITIONS } from '../discovery/testdata/definitions.js';

const served = servedResourcesFrom(DEFINITIONS, [SELF_SUBJECT_REVIEWS]);

describe('openAPIV2', () => {
  const securityDefinitions = {
    HTTPBasic: { type: 'basic', description: 'Basic credentials' },
    BearerToken: {
      type: 'apiKey',
      name: 'authorization',
      in: 'header',
      description: 'A bearer token',
    },
  };
  const document = openAPIV2(served, securityDefinitions);

  it('is a Swagger 2.0 document', () => {
    expect(document.swagger).to.equal('2.0');
    expect(document.info).to.deep.equal({ title: 'Kubernetes', version: 'v1.32.4' });
    expect(document.definitions).to.deep.equal({});
  });

  it('passes security definitions through', () => {
    expect(document.securityDefinitions).to.deep.equal(securityDefinitions);
  });

  it('requires any one definition, sorted by name', () => {
    expect(document.security).to.deep.equal([{ BearerToken: [] }, { HTTPBasic: [] }]);
  });

  it('leaves security out without definitions', () => {
    const bare = openAPIV2(served, {});
    expect(bare).to.not.have.property('security');
    expect(bare).to.not.have.property('securityDefinitions');
  });

  it('writes top-level keys in Go map order', () => {
    expect(Object.keys(document)).to.deep.equal([
      'definitions',
      'info',
      'paths',
      'security',
      'securityDefinitions',
      'swagger',
    ]);
  });

  it('covers every group version, sorted by path', () => {
    const paths = Object.keys(document.paths);
    expect(paths).to.include('/api/v1/namespaces/{namespace}/pods/{name}');
    expect(paths).to.include('/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale');
    expect(paths).to.include('/apis/authentication.k8s.io/v1/selfsubjectreviews');
    expect(paths).to.deep.equal([...paths].sort());
  });

  it('describes a pod patch', () => {
    const patch = document.paths['/api/v1/namespaces/{namespace}/pods/{name}']?.patch;
    expect(patch?.['x-kubernetes-group-version-kind']).to.deep.equal({
      group: '',
      kind: 'Pod',
      version: 'v1',
    });
    expect(patch?.['x-kubernetes-action']).to.equal('patch');
    expect(patch?.consumes).to.deep.equal([
      'application/json-patch+json',
      'application/merge-patch+json',
      'application/strategic-merge-patch+json',
      'application/apply-patch+yaml',
    ]);
    expect(patch?.schemes).to.deep.equal(['https']);
    expect(patch?.parameters?.map((parameter) => parameter.name)).to.deep.equal([
      'dryRun',
      'fieldManager',
      'fieldValidation',
      'force',
    ]);
    expect(patch?.parameters?.[2]).to.include({
      in: 'query',
      type: 'string',
      name: 'fieldValidation',
    });
  });

  it('lets watches produce streams', () => {
    const watch = document.paths['/api/v1/watch/pods']?.get;
    expect(watch?.produces).to.include('application/json;stream=watch');
  });

  it('marks path parameters required', () => {
    const parameters = document.paths['/api/v1/namespaces/{namespace}/pods/{name}']?.parameters;
    expect(parameters?.map((parameter) => [parameter.name, parameter.required])).to.deep.equal([
      ['name', true],
      ['namespace', true],
      ['pretty', undefined],
    ]);
  });
});

describe('openAPIV2SecurityDefinitions', () => {
  const bearerToken = {
    type: 'apiKey',
    name: 'authorization',
    in: 'header',
    description: 'Bearer Token authentication',
  };
  const httpBasic = { type: 'basic', description: 'HTTP Basic authentication' };
  const cases: {
    name: string;
    basicAuthEnabled: boolean;
    expectDefinitions: Record<string, object>;
    expectSecurity: Record<string, []>[];
  }[] = [
    {
      name: 'bearer token without basic',
      basicAuthEnabled: false,
      expectDefinitions: { BearerToken: bearerToken },
      expectSecurity: [{ BearerToken: [] }],
    },
    {
      name: 'bearer token and basic',
      basicAuthEnabled: true,
      expectDefinitions: { BearerToken: bearerToken, HTTPBasic: httpBasic },
      expectSecurity: [{ BearerToken: [] }, { HTTPBasic: [] }],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      const definitions = openAPIV2SecurityDefinitions({ basicAuthEnabled: tc.basicAuthEnabled });
      expect(definitions).to.deep.equal(tc.expectDefinitions);
      const document = openAPIV2(served, definitions);
      expect(document.securityDefinitions).to.deep.equal(tc.expectDefinitions);
      expect(document.security).to.deep.equal(tc.expectSecurity);
    });
  }

  it('returns a new object each call', () => {
    const first = openAPIV2SecurityDefinitions({ basicAuthEnabled: false });
    first.HTTPBasic = httpBasic;
    const second = openAPIV2SecurityDefinitions({ basicAuthEnabled: false });
    expect(second).to.not.have.property('HTTPBasic');
  });
});

describe('negotiateOpenAPIV2', () => {
  const cases: { name: string; accept: string | undefined; expectFormat: OpenAPIV2Format }[] = [
    {
      name: 'kubectl asks for protobuf only',
      accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      expectFormat: 'protobuf',
    },
    {
      name: 'new protobuf spelling',
      accept: OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
      expectFormat: 'protobuf',
    },
    { name: 'JSON', accept: 'application/json', expectFormat: 'json' },
    { name: 'no header', accept: undefined, expectFormat: 'json' },
    { name: 'empty header', accept: '', expectFormat: 'json' },
    { name: 'any type', accept: '*/*', expectFormat: 'json' },
    { name: 'any application type', accept: 'application/*', expectFormat: 'json' },
    {
      name: 'JSON with parameters',
      accept: 'application/json;charset=utf-8',
      expectFormat: 'json',
    },
    {
      name: 'protobuf preferred over JSON',
      accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf, application/json;q=0.9',
      expectFormat: 'protobuf',
    },
    {
      name: 'JSON preferred over protobuf',
      accept: 'application/json, application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      expectFormat: 'json',
    },
    { name: 'HTML only', accept: 'text/html', expectFormat: 'not-acceptable' },
    { name: 'YAML only', accept: 'application/yaml', expectFormat: 'not-acceptable' },
    {
      name: 'Kubernetes protobuf only',
      accept: 'application/vnd.kubernetes.protobuf',
      expectFormat: 'not-acceptable',
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(negotiateOpenAPIV2(tc.accept)).to.equal(tc.expectFormat);
    });
  }
});
