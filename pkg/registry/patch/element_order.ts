/**
 * Element order of lists merged by a strategic merge patch, following
 * k8s.io/apimachinery/pkg/util/strategicpatch: the order a `$setElementOrder/<field>` list gives
 * wins, then the order of the patch list, then the order of the live list. Elements are matched
 * by their merge key value (lists of maps) or by value (lists of scalars), compared with `===`
 * as Go compares interface values, so `80` never matches `"80"`.
 */

import { isJSONObject } from '../../apis/schema/models.js';
import type { StatusError } from '../../apiserver/errors/statuserror.js';
import { newMalformedPatch } from './errors.js';
import { formatGoValue } from './go_format.js';

/** Returns what identifies an element: its merge key value, or the element for scalars. */
type ElementKey = (element: unknown) => unknown;

/** Returns the ElementKey for a list's merge key; an empty key means a list of scalars. */
function elementKeyFor(mergeKey: string): ElementKey {
  if (mergeKey === '') return (element) => element;
  return (element) => (isJSONObject(element) ? element[mergeKey] : undefined);
}

/** Returns the error Go's mergepatch.ErrNoMergeKey words for an element without its key. */
export function noMergeKeyError(element: unknown, mergeKey: string): StatusError {
  return newMalformedPatch(
    `map: ${formatGoValue(element)} does not contain declared merge key: ${mergeKey}`,
  );
}

/**
 * Orders `merged` so that elements named in `order` come in that order and the others keep
 * their order from `live`, interleaved where `live` places them before an ordered element.
 *
 * @throws StatusError 400 when an element of a list of maps lacks the merge key.
 */
export function orderElements(
  merged: readonly unknown[],
  order: readonly unknown[],
  live: readonly unknown[],
  mergeKey: string,
): unknown[] {
  const keyOf = elementKeyFor(mergeKey);
  const named: unknown[] = [];
  const liveOnly: unknown[] = [];
  for (const element of merged) {
    requireMergeKey(element, mergeKey);
    if (indexOf(order, element, keyOf) >= 0) named.push(element);
    else liveOnly.push(element);
  }
  return mergeSorted(sortBy(liveOnly, live, keyOf), sortBy(named, order, keyOf), live, keyOf);
}

/**
 * Checks that the non-deleting elements of a patch list appear in its `$setElementOrder` list
 * in the same relative order, as upstream's validatePatchWithSetOrderList does.
 *
 * @throws StatusError 400 when an element is missing from `order`, out of order, or lacks
 * the merge key.
 */
export function validateSetElementOrder(
  patchList: readonly unknown[],
  order: readonly unknown[],
  mergeKey: string,
): void {
  if (order.length === 0 || patchList.length === 0) return;
  const keyOf = elementKeyFor(mergeKey);
  const items = patchList.filter((item) => !(isJSONObject(item) && item.$patch === 'delete'));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    const item = items[p];
    if (isJSONObject(item) && Object.hasOwn(item, '$patch')) {
      p++;
      continue;
    }
    requireMergeKey(item, mergeKey);
    requireMergeKey(order[o], mergeKey);
    if (keyOf(item) === keyOf(order[o])) p++;
    o++;
  }
  if (p < items.length) {
    throw newMalformedPatch(
      `The order in patch list:\n${formatGoValue(patchList)}\n doesn't match $setElementOrder list:\n${formatGoValue(order)}\n`,
    );
  }
}

/** Throws Go's ErrNoMergeKey when a list of maps has an element without the merge key. */
export function requireMergeKey(element: unknown, mergeKey: string): void {
  if (mergeKey === '') return;
  if (!isJSONObject(element) || !Object.hasOwn(element, mergeKey)) {
    throw noMergeKeyError(element, mergeKey);
  }
}

function indexOf(list: readonly unknown[], element: unknown, keyOf: ElementKey): number {
  const key = keyOf(element);
  return list.findIndex((candidate) => keyOf(candidate) === key);
}

/** Stable sort by position in `order`; elements not in `order` keep their order at the end. */
function sortBy(
  items: readonly unknown[],
  order: readonly unknown[],
  keyOf: ElementKey,
): unknown[] {
  return items
    .map((item, position) => ({ item, position, rank: indexOf(order, item, keyOf) }))
    .sort((a, b) => {
      const rankA = a.rank < 0 ? Infinity : a.rank;
      const rankB = b.rank < 0 ? Infinity : b.rank;
      return rankA === rankB ? a.position - b.position : rankA - rankB;
    })
    .map(({ item }) => item);
}

/**
 * Interleaves live-only elements into the ordered patch elements: a live element goes first
 * only when both sit in the live list and it comes earlier there, as upstream's mergeSortedSlice.
 */
function mergeSorted(
  liveOnly: readonly unknown[],
  named: readonly unknown[],
  live: readonly unknown[],
  keyOf: ElementKey,
): unknown[] {
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < liveOnly.length || j < named.length) {
    if (j >= named.length) {
      result.push(liveOnly[i++]);
      continue;
    }
    if (i >= liveOnly.length) {
      result.push(named[j++]);
      continue;
    }
    const liveIndex = indexOf(live, liveOnly[i], keyOf);
    const namedIndex = indexOf(live, named[j], keyOf);
    if (liveIndex >= 0 && namedIndex >= 0 && liveIndex < namedIndex) result.push(liveOnly[i++]);
    else result.push(named[j++]);
  }
  return result;
}
