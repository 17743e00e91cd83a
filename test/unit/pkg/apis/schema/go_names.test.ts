import { expect } from 'chai';
import { goModelName, goStructName, goTypeName } from '../../../../../pkg/apis/schema/go_names.js';
import { parseFieldType } from '../../../../../pkg/apis/schema/models.js';

before(function () {
  this.timeout(30_000);
  parseFieldType('V1Pod', '');
});

describe('go names', () => {
  const models: { model: string; expectStruct: string; expectQualified: string }[] = [
    { model: 'V1Pod', expectStruct: 'Pod', expectQualified: 'v1.Pod' },
    { model: 'V1PodSpec', expectStruct: 'PodSpec', expectQualified: 'v1.PodSpec' },
    { model: 'CoreV1Event', expectStruct: 'Event', expectQualified: 'v1.Event' },
    { model: 'RbacV1Subject', expectStruct: 'Subject', expectQualified: 'v1.Subject' },
    { model: 'V1beta1CronJob', expectStruct: 'CronJob', expectQualified: 'v1beta1.CronJob' },
    { model: 'V1Volume', expectStruct: 'Volume', expectQualified: 'v1.Volume' },
  ];
  for (const tc of models) {
    it(`model ${tc.model}`, () => {
      expect(goStructName(tc.model)).to.equal(tc.expectStruct);
      expect(goModelName(tc.model)).to.equal(tc.expectQualified);
    });
  }

  const types: { type: string; format: string; expectGo: string }[] = [
    { type: 'Array<V1Container>', format: '', expectGo: '[]v1.Container' },
    { type: '{ [key: string]: string; }', format: '', expectGo: 'map[string]string' },
    { type: '{ [key: string]: string; }', format: 'byte', expectGo: 'map[string][]uint8' },
    { type: 'Array<string>', format: '', expectGo: '[]string' },
    { type: 'number', format: 'int64', expectGo: 'int64' },
    { type: 'number', format: 'double', expectGo: 'float64' },
    { type: 'boolean', format: '', expectGo: 'bool' },
    { type: 'Date', format: 'date-time', expectGo: 'v1.Time' },
    { type: 'V1MicroTime', format: 'date-time-micro', expectGo: 'v1.MicroTime' },
    { type: 'IntOrString', format: 'int-or-string', expectGo: 'intstr.IntOrString' },
    { type: 'any', format: '', expectGo: 'interface {}' },
  ];
  for (const tc of types) {
    it(`type ${tc.type} ${tc.format}`, () => {
      expect(goTypeName(parseFieldType(tc.type, tc.format))).to.equal(tc.expectGo);
    });
  }
});
