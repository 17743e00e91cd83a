import type { Context } from 'koa';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestInfo } from '../../genericapiserver/request/requestinfo.js';

/** The component label of requests served by the API handler's resource routes. */
export const APISERVER_COMPONENT = 'apiserver';

/**
 * Buckets of apiserver_request_duration_seconds in seconds, kube-apiserver's, so dashboards and
 * SLO queries written for kube-apiserver read this server's histogram too.
 * NOTE: these buckets, the help texts and the verb rules follow kube-apiserver 1.2x to 1.32 as
 * documented, not a line-by-line reading of the 1.32 source.
 */
export const REQUEST_DURATION_BUCKETS = [
  0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45,
  60,
];

/** Verbs the metrics report as they are. kube-apiserver reports any other verb as `other`. */
const REPORTED_VERBS = new Set([
  'APPLY',
  'CONNECT',
  'CREATE',
  'DELETE',
  'DELETECOLLECTION',
  'GET',
  'LIST',
  'PATCH',
  'POST',
  'PROXY',
  'PUT',
  'UPDATE',
  'WATCH',
  'WATCHLIST',
]);

/** Content type of a server-side apply patch, which the metrics report as the APPLY verb. */
const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';

/** Request properties that label derivation reads besides the RequestInfo. */
export interface RequestDescription {
  /** HTTP method as sent. */
  method: string;
  query: URLSearchParams;
  /** Content-Type header of the request, parameters included. */
  contentType: string | undefined;
}

/** Describes a Koa request for label derivation. */
export function describeRequest(ctx: Context): RequestDescription {
  const contentType = ctx.get('Content-Type');
  return {
    method: ctx.method,
    query: new URLSearchParams(ctx.querystring),
    contentType: contentType === '' ? undefined : contentType,
  };
}

/** Labels shared by the request counter, the duration histogram and the termination counter. */
export interface RequestLabels {
  verb: string;
  dry_run: string;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  scope: string;
  component: string;
}

/**
 * Returns the scope label as kube-apiserver's CleanScope does: `resource` for a request that
 * names one object or creates one, `namespace` for a namespaced collection, `cluster` for any
 * other resource request and the empty string for non-resource requests.
 */
export function cleanScope(info: RequestInfo): string {
  if (info.name !== '' || info.verb === 'create') return 'resource';
  if (info.namespace !== '') return 'namespace';
  if (info.isResourceRequest) return 'cluster';
  return '';
}

/**
 * Returns the verb label. Like kube-apiserver, it starts from the HTTP method, not from the
 * Kubernetes verb. A GET or HEAD is LIST unless it names one object, and a watch is WATCH. A
 * PATCH with an apply patch is APPLY, and a method outside the known set is `other`. A
 * collection DELETE therefore stays DELETE.
 */
export function cleanVerb(info: RequestInfo, request: RequestDescription, scope: string): string {
  if (info.isResourceRequest && info.verb === 'watch') return 'WATCH';
  let verb = request.method.toUpperCase();
  if (verb === 'GET' || verb === 'HEAD') {
    verb = scope !== 'resource' && scope !== '' ? 'LIST' : 'GET';
  }
  if (verb === 'PATCH' && mediaType(request.contentType) === APPLY_PATCH_CONTENT_TYPE) {
    verb = 'APPLY';
  }
  return REPORTED_VERBS.has(verb) ? verb : 'other';
}

function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Returns the dry_run label: empty without ?dryRun, `invalid` when a value is not `All` (the
 * only dry-run value Kubernetes accepts), and otherwise the distinct values sorted and joined
 * with commas, so the label has few values whatever a client sends.
 */
export function cleanDryRun(query: URLSearchParams): string {
  const values = query.getAll('dryRun');
  if (values.length === 0) return '';
  if (values.some((value) => value !== 'All')) return 'invalid';
  return [...new Set(values)].sort().join(',');
}

/**
 * Derives the labels of one request. A resource request reports its group, version, resource
 * and subresource. A non-resource request reports only its path, in the subresource label, as
 * kube-apiserver does.
 */
export function requestLabels(
  info: RequestInfo,
  request: RequestDescription,
  component: string,
): RequestLabels {
  const scope = cleanScope(info);
  const resourceRequest = info.isResourceRequest;
  return {
    verb: cleanVerb(info, request, scope),
    dry_run: cleanDryRun(request.query),
    group: resourceRequest ? info.apiGroup : '',
    version: resourceRequest ? info.apiVersion : '',
    resource: resourceRequest ? info.resource : '',
    subresource: resourceRequest ? info.subresource : info.path,
    scope,
    component,
  };
}

/**
 * kube-apiserver's request metrics, with its names, labels and buckets:
 * apiserver_request_total, apiserver_request_duration_seconds and
 * apiserver_request_terminations_total.
 */
export class RequestMetrics {
  readonly requests: Counter<keyof RequestLabels | 'code'>;
  readonly duration: Histogram<keyof RequestLabels>;
  readonly terminations: Counter<Exclude<keyof RequestLabels, 'dry_run'> | 'code'>;

  /** Registers the metrics into `registry` and nowhere else. */
  constructor(registry: Registry) {
    const labelNames = [
      'verb',
      'dry_run',
      'group',
      'version',
      'resource',
      'subresource',
      'scope',
      'component',
    ] as const;
    this.requests = new Counter({
      name: 'apiserver_request_total',
      help: 'Number of requests the API handler finished, labelled with the request and its response code.',
      labelNames: [...labelNames, 'code'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'apiserver_request_duration_seconds',
      help: 'Seconds from the start of a request to the end of its response, labelled with the request.',
      labelNames,
      buckets: REQUEST_DURATION_BUCKETS,
      registers: [registry],
    });
    this.terminations = new Counter({
      name: 'apiserver_request_terminations_total',
      help: 'Number of requests the server ended early to protect itself: 429 from max-in-flight, 504 from the timeout.',
      labelNames: [...labelNames.filter((name) => name !== 'dry_run'), 'code'],
      registers: [registry],
    });
  }

  /** Records a request that a handler finished: its code in the counter and its duration. */
  recordRequest(labels: RequestLabels, code: number, seconds: number): void {
    this.requests.inc({ ...labels, code: String(code) });
    this.duration.observe(labels, seconds);
  }

  /**
   * Records a request the max-in-flight filter rejected with 429, as kube-apiserver's
   * RecordDroppedRequest and RecordRequestTermination do together: once in the request counter,
   * without a duration, and once as a termination.
   */
  recordDroppedRequest(labels: RequestLabels): void {
    this.requests.inc({ ...labels, code: '429' });
    this.recordRequestTermination(labels, 429);
  }

  /** Records a request a filter ended early, such as the timeout filter's 504. */
  recordRequestTermination(labels: RequestLabels, code: number): void {
    const { verb, group, version, resource, subresource, scope, component } = labels;
    const terminationLabels = { verb, group, version, resource, subresource, scope, component };
    this.terminations.inc({ ...terminationLabels, code: String(code) });
  }
}

const metricsByRegistry = new WeakMap<Registry, RequestMetrics>();

/**
 * Returns the request metrics of `registry`, registering them on first use. The API handler
 * and the filters that end requests early share one set, because prom-client rejects a second
 * metric with the same name in a registry.
 */
export function requestMetricsFor(registry: Registry): RequestMetrics {
  let metrics = metricsByRegistry.get(registry);
  if (metrics === undefined) {
    metrics = new RequestMetrics(registry);
    metricsByRegistry.set(registry, metrics);
  }
  return metrics;
}
