import type { StoredObject } from '../../storage/interfaces.js';
import type { ResourceDefinition, TablePrinter } from '../resource.js';
import { validateEvent } from '../validation/event.js';
import { numberField, objectField, stringField } from '../validation/unstructured.js';
import { NAME_COLUMN, column, objectName } from './columns.js';
import { parseTimestamp, translateTimestampSince } from './humanduration.js';

/**
 * Formats the Source cell as `component, host`, taking reportingComponent and
 * reportingInstance where the legacy source fields are empty.
 */
function eventSource(event: StoredObject): string {
  const source = objectField(event, 'source');
  const component = stringField(source, 'component') || stringField(event, 'reportingComponent');
  const host = stringField(source, 'host') || stringField(event, 'reportingInstance');
  return host === '' ? component : `${component}, ${host}`;
}

/** Computes the Last Seen, First Seen and Count cells as printEvent does. */
function eventTimes(event: StoredObject, now: Date): [string, string, number] {
  // Events created through events.k8s.io/v1 carry eventTime instead of the legacy times.
  const firstSeen =
    parseTimestamp(event.firstTimestamp) !== undefined
      ? translateTimestampSince(event.firstTimestamp, now)
      : translateTimestampSince(event.eventTime, now);
  let lastSeen =
    parseTimestamp(event.lastTimestamp) !== undefined
      ? translateTimestampSince(event.lastTimestamp, now)
      : firstSeen;
  let count = numberField(event, 'count') ?? 0;
  const series = objectField(event, 'series');
  if (series !== undefined) {
    lastSeen = translateTimestampSince(series.lastObservedTime, now);
    count = numberField(series, 'count') ?? 0;
  } else if (count === 0) {
    // Such events also leave count unset when they happened once.
    count = 1;
  }
  return [lastSeen, firstSeen, count];
}

/** Formats the Object cell: the lower-cased kind and the name of the object concerned. */
function eventObject(event: StoredObject): string {
  const involved = objectField(event, 'involvedObject');
  const kind = stringField(involved, 'kind').toLowerCase();
  const name = stringField(involved, 'name');
  return name === '' ? kind : `${kind}/${name}`;
}

/** The `kubectl get events` table. */
export const EVENT_PRINTER: TablePrinter = {
  columns: [
    column('Last Seen', 'Time since the event was last observed.'),
    column('Type', 'Normal or Warning.'),
    column('Reason', 'Short, machine-readable cause of the event.'),
    column('Object', 'Kind and name of the object the event is about.'),
    column('Subobject', 'Field path within the object, such as a container.', { priority: 1 }),
    column('Source', 'Component, and host or instance, that reported the event.', {
      priority: 1,
    }),
    column('Message', 'Human-readable description of the event.'),
    column('First Seen', 'Time since the event was first observed.', { priority: 1 }),
    column('Count', 'Number of times the event occurred.', { priority: 1 }),
    { ...NAME_COLUMN, priority: 1 },
  ],
  cells: (event: StoredObject, now: Date) => {
    const [lastSeen, firstSeen, count] = eventTimes(event, now);
    return [
      lastSeen,
      stringField(event, 'type'),
      stringField(event, 'reason'),
      eventObject(event),
      stringField(objectField(event, 'involvedObject'), 'fieldPath'),
      eventSource(event),
      stringField(event, 'message').trim(),
      firstSeen,
      count,
      objectName(event),
    ];
  },
};

/** core/v1 events. */
export const EVENTS: ResourceDefinition = {
  group: '',
  version: 'v1',
  kind: 'Event',
  listKind: 'EventList',
  plural: 'events',
  singular: 'event',
  shortNames: ['ev'],
  categories: [],
  namespaced: true,
  subresources: [],
  printer: EVENT_PRINTER,
  fieldLabels: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'type',
  ],
  modelName: 'CoreV1Event',
  validate: validateEvent,
};
