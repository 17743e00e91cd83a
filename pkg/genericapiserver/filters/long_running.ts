import type { RequestInfo } from '../request/requestinfo.js';

/** Decides whether a request may stay open indefinitely (watches, exec, logs). */
export type LongRunningFunc = (info: RequestInfo) => boolean;

/** Verbs and subresources that kube-apiserver treats as long-running by default. */
const LONG_RUNNING_VERBS = new Set(['watch', 'proxy']);
const LONG_RUNNING_SUBRESOURCES = new Set(['attach', 'exec', 'proxy', 'log', 'portforward']);

/**
 * kube-apiserver's default long-running check (BasicLongRunningRequestCheck): the watch and
 * proxy verbs, and the attach, exec, proxy, log and portforward subresources. Non-resource
 * requests are never long-running.
 */
export const defaultLongRunningFunc: LongRunningFunc = (info) => {
  if (!info.isResourceRequest) return false;
  return LONG_RUNNING_VERBS.has(info.verb) || LONG_RUNNING_SUBRESOURCES.has(info.subresource);
};
