import { newBadRequest } from '../../apiserver/errors/statuserror.js';

/** One requirement of a label selector. */
export interface LabelRequirement {
  readonly key: string;
  readonly operator: 'in' | 'notin' | 'exists' | 'doesnotexist' | '=' | '!=';
  readonly values: readonly string[];
}

/** Splits a selector on the commas that are not inside a `(...)` value set. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

const SET_REQUIREMENT = /^([^\s!=()]+)\s+(in|notin)\s+\(([^()]*)\)$/;
const EQUALITY_REQUIREMENT = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/;
const EXISTS_REQUIREMENT = /^(!?)\s*([^\s!=()]+)$/;

function parseRequirement(text: string, selector: string): LabelRequirement {
  const set = SET_REQUIREMENT.exec(text);
  if (set !== null) {
    const values = set[3]!.split(',').map((value) => value.trim());
    return { key: set[1]!, operator: set[2] as 'in' | 'notin', values };
  }
  const equality = EQUALITY_REQUIREMENT.exec(text);
  if (equality !== null) {
    const operator = equality[2] === '!=' ? '!=' : '=';
    return { key: equality[1]!, operator, values: [equality[3]!] };
  }
  const exists = EXISTS_REQUIREMENT.exec(text);
  if (exists !== null) {
    return { key: exists[2]!, operator: exists[1] === '!' ? 'doesnotexist' : 'exists', values: [] };
  }
  throw newBadRequest(
    `unable to parse requirement: ${JSON.stringify(text)} in selector ${JSON.stringify(selector)}`,
  );
}

/**
 * Parses a label selector as kubectl's -l sends it: `a=b`, `a==b`, `a!=b`, `a in (x,y)`,
 * `a notin (x)`, `a` and `!a`, joined by commas (all must hold).
 * @throws StatusError 400 for a selector that does not parse.
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  return splitRequirements(selector).map((text) => parseRequirement(text, selector));
}

/** Returns true when `labels` satisfy every requirement. */
export function matchesLabels(
  requirements: readonly LabelRequirement[],
  labels: Readonly<Record<string, string>>,
): boolean {
  return requirements.every(({ key, operator, values }) => {
    const has = Object.hasOwn(labels, key);
    const value = labels[key];
    switch (operator) {
      case 'exists':
        return has;
      case 'doesnotexist':
        return !has;
      case '=':
      case 'in':
        return has && values.includes(value!);
      case '!=':
      case 'notin':
        return !has || !values.includes(value!);
    }
  });
}
