import { expect } from 'chai';
import {
  fieldSelectorParses,
  selectorEvaluationNotes,
  validateFieldSelectorAttributes,
  validateLabelSelectorAttributes,
  type SelectorAttributes,
  type SelectorRequirement,
} from '../../../../../../pkg/endpoints/handlers/authorization/selectors.js';
import { fieldErrorString } from '../../../../../../pkg/registry/validation/field.js';

const FIELD_PATH = 'spec.resourceAttributes.fieldSelector';
const LABEL_PATH = 'spec.resourceAttributes.labelSelector';

function selector(rawSelector: string, ...requirements: SelectorRequirement[]): SelectorAttributes {
  return { rawSelector, requirements };
}

function requirement(key: string, operator: string, ...values: string[]): SelectorRequirement {
  return { key, operator, values };
}

describe('validateFieldSelectorAttributes', () => {
  const cases: { name: string; selector: SelectorAttributes; expectErrors: string[] }[] = [
    { name: 'raw selector only', selector: selector('spec.nodeName=n1'), expectErrors: [] },
    {
      name: 'requirements only',
      selector: selector('', requirement('spec.nodeName', 'In', 'n1')),
      expectErrors: [],
    },
    {
      name: 'unknown operator allowed',
      selector: selector('', requirement('spec.nodeName', 'Matches', 'n*')),
      expectErrors: [],
    },
    {
      name: 'both raw and requirements',
      selector: selector('a=b', requirement('a', 'In', 'b')),
      expectErrors: [
        `${FIELD_PATH}.rawSelector: Invalid value: "a=b": may not specified at the same time as requirements`,
      ],
    },
    {
      name: 'neither raw nor requirements',
      selector: selector(''),
      expectErrors: [
        `${FIELD_PATH}.requirements: Required value: when ${FIELD_PATH} is specified, requirements or rawSelector is required`,
      ],
    },
    {
      name: 'requirement without key',
      selector: selector('', requirement('', 'Exists')),
      expectErrors: [`${FIELD_PATH}.requirements[0].key: Required value: must be specified`],
    },
    {
      name: 'In without values',
      selector: selector('', requirement('a', 'In')),
      expectErrors: [
        `${FIELD_PATH}.requirements[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      ],
    },
    {
      name: 'Exists with values',
      selector: selector('', requirement('a', 'In', 'x'), requirement('b', 'Exists', 'y')),
      expectErrors: [
        `${FIELD_PATH}.requirements[1].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      ],
    },
  ];

  for (const { name, selector: input, expectErrors } of cases) {
    it(name, () => {
      const errors = validateFieldSelectorAttributes(input, FIELD_PATH).map(fieldErrorString);

      expect(errors).to.deep.equal(expectErrors);
    });
  }
});

describe('validateLabelSelectorAttributes', () => {
  const cases: { name: string; selector: SelectorAttributes; expectErrors: string[] }[] = [
    {
      name: 'valid requirements',
      selector: selector('', requirement('app', 'In', 'web'), requirement('tier', 'DoesNotExist')),
      expectErrors: [],
    },
    {
      name: 'unknown operator allowed',
      selector: selector('', requirement('app', 'Gt', '3')),
      expectErrors: [],
    },
    {
      name: 'invalid key',
      selector: selector('', requirement('-app', 'Exists')),
      expectErrors: [
        `${LABEL_PATH}.requirements[0].key: Invalid value: "-app": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    },
    {
      name: 'invalid value',
      selector: selector('', requirement('app', 'In', 'a b')),
      expectErrors: [
        `${LABEL_PATH}.requirements[0].values[0]: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    },
    {
      name: 'NotIn without values',
      selector: selector('', requirement('app', 'NotIn')),
      expectErrors: [
        `${LABEL_PATH}.requirements[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      ],
    },
  ];

  for (const { name, selector: input, expectErrors } of cases) {
    it(name, () => {
      const errors = validateLabelSelectorAttributes(input, LABEL_PATH).map(fieldErrorString);

      expect(errors).to.deep.equal(expectErrors);
    });
  }
});

describe('fieldSelectorParses', () => {
  const cases: { selector: string; expectParses: boolean }[] = [
    { selector: 'spec.nodeName=n1', expectParses: true },
    { selector: 'a==b,c!=d', expectParses: true },
    { selector: 'a=', expectParses: true },
    { selector: 'a=b\\,c', expectParses: true },
    { selector: ',a=b,', expectParses: true },
    { selector: 'spec.nodeName', expectParses: false },
    { selector: 'a=b=c', expectParses: false },
    { selector: 'a=b\\x', expectParses: false },
    { selector: 'a=b\\', expectParses: false },
  ];

  for (const { selector: input, expectParses } of cases) {
    it(`field selector ${JSON.stringify(input)}`, () => {
      expect(fieldSelectorParses(input)).to.equal(expectParses);
    });
  }
});

describe('selectorEvaluationNotes', () => {
  const cases: {
    name: string;
    field?: SelectorAttributes;
    label?: SelectorAttributes;
    expectNotes: string[];
  }[] = [
    { name: 'no selectors', expectNotes: [] },
    {
      name: 'usable selectors',
      field: selector('metadata.name=a'),
      label: selector('', requirement('app', 'Exists')),
      expectNotes: [],
    },
    {
      name: 'raw field selector broken',
      field: selector('metadata.name'),
      expectNotes: ['spec.resourceAttributes.fieldSelector ignored due to parse error'],
    },
    {
      name: 'field requirements partly usable',
      field: selector('', requirement('a', 'In', 'x'), requirement('b', 'Exists')),
      expectNotes: ['spec.resourceAttributes.fieldSelector partially ignored due to parse error'],
    },
    {
      name: 'field requirement with two values',
      field: selector('', requirement('a', 'In', 'x', 'y')),
      expectNotes: ['spec.resourceAttributes.fieldSelector ignored due to parse error'],
    },
    {
      name: 'raw label selector broken',
      label: selector('app in (web'),
      expectNotes: ['spec.resourceAttributes.labelSelector ignored due to parse error'],
    },
    {
      name: 'label operator unknown',
      field: selector('', requirement('a', 'Gt', '1')),
      label: selector('', requirement('app', 'Gt', '1'), requirement('tier', 'Exists')),
      expectNotes: [
        'spec.resourceAttributes.fieldSelector ignored due to parse error',
        'spec.resourceAttributes.labelSelector partially ignored due to parse error',
      ],
    },
  ];

  for (const { name, field, label, expectNotes } of cases) {
    it(name, () => {
      expect(selectorEvaluationNotes(field, label)).to.deep.equal(expectNotes);
    });
  }
});
