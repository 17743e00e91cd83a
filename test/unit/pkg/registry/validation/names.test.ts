import { expect } from 'chai';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
  isValidPortNum,
  regexError,
} from '../../../../../pkg/registry/validation/names.js';

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QUALIFIED_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CONFIG_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')";

describe('name format checks', () => {
  const cases: {
    name: string;
    check: (value: string) => string[];
    value: string;
    expect: string[];
  }[] = [
    { name: 'subdomain ok', check: isDNS1123Subdomain, value: 'web.example-1', expect: [] },
    {
      name: 'subdomain uppercase',
      check: isDNS1123Subdomain,
      value: 'MyPod',
      expect: [SUBDOMAIN_MESSAGE],
    },
    { name: 'subdomain empty', check: isDNS1123Subdomain, value: '', expect: [SUBDOMAIN_MESSAGE] },
    {
      name: 'subdomain too long',
      check: isDNS1123Subdomain,
      value: 'a'.repeat(254),
      expect: ['must be no more than 253 characters'],
    },
    { name: 'label ok', check: isDNS1123Label, value: '123-abc', expect: [] },
    {
      name: 'label with dots',
      check: isDNS1123Label,
      value: 'a.b',
      expect: ['must not contain dots'],
    },
    { name: 'label trailing dash', check: isDNS1123Label, value: 'abc-', expect: [LABEL_MESSAGE] },
    {
      name: 'label too long',
      check: isDNS1123Label,
      value: 'a'.repeat(64),
      expect: ['must be no more than 63 characters'],
    },
    {
      name: 'dns1035 digit first',
      check: isDNS1035Label,
      value: '1web',
      expect: [DNS1035_MESSAGE],
    },
    { name: 'dns1035 ok', check: isDNS1035Label, value: 'web-1', expect: [] },
    { name: 'qualified ok', check: isQualifiedName, value: 'example.com/My_Name.1', expect: [] },
    {
      name: 'qualified bad name',
      check: isQualifiedName,
      value: '-x',
      expect: [`name part ${QUALIFIED_MESSAGE}`],
    },
    {
      name: 'qualified empty prefix',
      check: isQualifiedName,
      value: '/x',
      expect: ['prefix part must be non-empty'],
    },
    {
      name: 'qualified bad prefix',
      check: isQualifiedName,
      value: 'Example.com/x',
      expect: [`prefix part ${SUBDOMAIN_MESSAGE}`],
    },
    {
      name: 'qualified empty name',
      check: isQualifiedName,
      value: 'example.com/',
      expect: ['name part must be non-empty', `name part ${QUALIFIED_MESSAGE}`],
    },
    {
      name: 'qualified two slashes',
      check: isQualifiedName,
      value: 'a/b/c',
      expect: [
        `a qualified name ${QUALIFIED_MESSAGE} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    },
    {
      name: 'qualified name too long',
      check: isQualifiedName,
      value: 'a'.repeat(64),
      expect: ['name part must be no more than 63 characters'],
    },
    { name: 'label value empty ok', check: isValidLabelValue, value: '', expect: [] },
    {
      name: 'label value bad',
      check: isValidLabelValue,
      value: 'a b',
      expect: [LABEL_VALUE_MESSAGE],
    },
    { name: 'config key ok', check: isConfigMapKey, value: '.env', expect: [] },
    { name: 'config key space', check: isConfigMapKey, value: 'a b', expect: [CONFIG_KEY_MESSAGE] },
    { name: 'config key dot', check: isConfigMapKey, value: '.', expect: ["must not be '.'"] },
    { name: 'config key dotdot', check: isConfigMapKey, value: '..', expect: ["must not be '..'"] },
    {
      name: 'config key dotdot prefix',
      check: isConfigMapKey,
      value: '..x',
      expect: ["must not start with '..'"],
    },
    { name: 'port name ok', check: isValidPortName, value: 'http-2', expect: [] },
    {
      name: 'port name bad',
      check: isValidPortName,
      value: '-HTTP--',
      expect: [
        'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'must contain at least one letter (a-z)',
        'must not contain consecutive hyphens',
        'must not begin or end with a hyphen',
      ],
    },
    { name: 'path segment ok', check: isValidPathSegmentName, value: 'system:admin', expect: [] },
    {
      name: 'path segment dotdot',
      check: isValidPathSegmentName,
      value: '..',
      expect: ["may not be '..'"],
    },
    {
      name: 'path segment slash and percent',
      check: isValidPathSegmentName,
      value: 'a/%b',
      expect: ["may not contain '/'", "may not contain '%'"],
    },
  ];
  for (const tc of cases) {
    it(tc.name, () => {
      expect(tc.check(tc.value)).to.deep.equal(tc.expect);
    });
  }
});

describe('isValidPortNum', () => {
  const cases = [
    { port: 1, expect: [] },
    { port: 65535, expect: [] },
    { port: 0, expect: ['must be between 1 and 65535, inclusive'] },
    { port: 65536, expect: ['must be between 1 and 65535, inclusive'] },
    { port: 80.5, expect: ['must be between 1 and 65535, inclusive'] },
  ];
  for (const tc of cases) {
    it(String(tc.port), () => {
      expect(isValidPortNum(tc.port)).to.deep.equal(tc.expect);
    });
  }
});

describe('regexError', () => {
  it('without examples', () => {
    expect(regexError('bad', 'x+')).to.equal("bad (regex used for validation is 'x+')");
  });
});
