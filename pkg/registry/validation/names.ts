/**
 * String format checks of k8s.io/apimachinery/pkg/util/validation (1.32) and
 * apimachinery/pkg/api/validation/path. Each returns every problem found as a message without
 * the field, or an empty list. Messages, regular expressions and examples are kube-apiserver's,
 * because clients and users match on them.
 */

const QUALIFIED_NAME_CHAR = '[A-Za-z0-9]';
const QUALIFIED_NAME_EXT_CHAR = '[-A-Za-z0-9_.]';
const QUALIFIED_NAME_FORMAT = `(${QUALIFIED_NAME_CHAR}${QUALIFIED_NAME_EXT_CHAR}*)?${QUALIFIED_NAME_CHAR}`;
const QUALIFIED_NAME_MESSAGE =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const QUALIFIED_NAME_MAX_LENGTH = 63;

const LABEL_VALUE_FORMAT = `(${QUALIFIED_NAME_FORMAT})?`;
const LABEL_VALUE_MESSAGE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
/** Maximum length of a label value, in bytes. */
export const LABEL_VALUE_MAX_LENGTH = 63;

const DNS1123_LABEL_FORMAT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_LABEL_MESSAGE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
/** Maximum length of an RFC 1123 label, in bytes. */
export const DNS1123_LABEL_MAX_LENGTH = 63;

const DNS1123_SUBDOMAIN_FORMAT = `${DNS1123_LABEL_FORMAT}(\\.${DNS1123_LABEL_FORMAT})*`;
const DNS1123_SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
/** Maximum length of an RFC 1123 subdomain, in bytes. */
export const DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

const DNS1035_LABEL_FORMAT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const DNS1035_LABEL_MESSAGE =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const DNS1035_LABEL_MAX_LENGTH = 63;

const CONFIG_MAP_KEY_FORMAT = '[-._a-zA-Z0-9]+';
const CONFIG_MAP_KEY_MESSAGE =
  "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

const anchored = (format: string): RegExp => new RegExp(`^${format}$`);
const QUALIFIED_NAME_REGEXP = anchored(QUALIFIED_NAME_FORMAT);
const LABEL_VALUE_REGEXP = anchored(LABEL_VALUE_FORMAT);
const DNS1123_LABEL_REGEXP = anchored(DNS1123_LABEL_FORMAT);
const DNS1123_SUBDOMAIN_REGEXP = anchored(DNS1123_SUBDOMAIN_FORMAT);
const DNS1035_LABEL_REGEXP = anchored(DNS1035_LABEL_FORMAT);
const CONFIG_MAP_KEY_REGEXP = anchored(CONFIG_MAP_KEY_FORMAT);

/** Go's len() of a string: its length in UTF-8 bytes. */
function byteLength(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

/** `must be no more than N characters`. */
export function maxLenError(length: number): string {
  return `must be no more than ${length} characters`;
}

/**
 * Describes a failed regular expression match with examples, in apimachinery's exact layout,
 * which puts two spaces before each ` or ` because every example ends in `, `.
 */
export function regexError(message: string, format: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${format}')`;
  const quoted = examples.map((example) => `'${example}', `).join(' or ');
  return `${message} (e.g. ${quoted}regex used for validation is '${format}')`;
}

/** `must be non-empty`. */
export function emptyError(): string {
  return 'must be non-empty';
}

/** `must be between LO and HI, inclusive`. */
export function inclusiveRangeError(low: number, high: number): string {
  return `must be between ${low} and ${high}, inclusive`;
}

/** Checks an RFC 1123 subdomain such as `example.com`: at most 253 bytes. */
export function isDNS1123Subdomain(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    errors.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  }
  if (!DNS1123_SUBDOMAIN_REGEXP.test(value)) {
    errors.push(regexError(DNS1123_SUBDOMAIN_MESSAGE, DNS1123_SUBDOMAIN_FORMAT, 'example.com'));
  }
  return errors;
}

/** Checks an RFC 1123 label such as `my-name`: at most 63 bytes and no dots. */
export function isDNS1123Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX_LENGTH) {
    errors.push(maxLenError(DNS1123_LABEL_MAX_LENGTH));
  }
  if (!DNS1123_LABEL_REGEXP.test(value)) {
    // A valid subdomain that is not a valid label can only be wrong because of its dots.
    if (DNS1123_SUBDOMAIN_REGEXP.test(value)) {
      errors.push('must not contain dots');
    } else {
      errors.push(regexError(DNS1123_LABEL_MESSAGE, DNS1123_LABEL_FORMAT, 'my-name', '123-abc'));
    }
  }
  return errors;
}

/** Checks an RFC 1035 label, which unlike an RFC 1123 label must start with a letter. */
export function isDNS1035Label(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > DNS1035_LABEL_MAX_LENGTH) {
    errors.push(maxLenError(DNS1035_LABEL_MAX_LENGTH));
  }
  if (!DNS1035_LABEL_REGEXP.test(value)) {
    errors.push(regexError(DNS1035_LABEL_MESSAGE, DNS1035_LABEL_FORMAT, 'my-name', 'abc-123'));
  }
  return errors;
}

/**
 * Checks a qualified name such as `app` or `example.com/app`, the format of label keys,
 * annotation keys and finalizers.
 */
export function isQualifiedName(value: string): string[] {
  const errors: string[] = [];
  const parts = value.split('/');
  let name: string;
  if (parts.length === 1) {
    name = parts[0] ?? '';
  } else if (parts.length === 2) {
    const prefix = parts[0] ?? '';
    name = parts[1] ?? '';
    if (prefix.length === 0) {
      errors.push(`prefix part ${emptyError()}`);
    } else {
      errors.push(...isDNS1123Subdomain(prefix).map((message) => `prefix part ${message}`));
    }
  } else {
    const format = regexError(
      QUALIFIED_NAME_MESSAGE,
      QUALIFIED_NAME_FORMAT,
      'MyName',
      'my.name',
      '123-abc',
    );
    return [
      `a qualified name ${format} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) {
    errors.push(`name part ${emptyError()}`);
  } else if (byteLength(name) > QUALIFIED_NAME_MAX_LENGTH) {
    errors.push(`name part ${maxLenError(QUALIFIED_NAME_MAX_LENGTH)}`);
  }
  if (!QUALIFIED_NAME_REGEXP.test(name)) {
    const format = regexError(
      QUALIFIED_NAME_MESSAGE,
      QUALIFIED_NAME_FORMAT,
      'MyName',
      'my.name',
      '123-abc',
    );
    errors.push(`name part ${format}`);
  }
  return errors;
}

/** Checks a label value: empty, or a qualified name part of at most 63 bytes. */
export function isValidLabelValue(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > LABEL_VALUE_MAX_LENGTH) {
    errors.push(maxLenError(LABEL_VALUE_MAX_LENGTH));
  }
  if (!LABEL_VALUE_REGEXP.test(value)) {
    errors.push(
      regexError(LABEL_VALUE_MESSAGE, LABEL_VALUE_FORMAT, 'MyValue', 'my_value', '12345'),
    );
  }
  return errors;
}

/** Checks a ConfigMap or Secret data key, which also becomes a file name in volumes. */
export function isConfigMapKey(value: string): string[] {
  const errors: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
    errors.push(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
  }
  if (!CONFIG_MAP_KEY_REGEXP.test(value)) {
    errors.push(
      regexError(CONFIG_MAP_KEY_MESSAGE, CONFIG_MAP_KEY_FORMAT, 'key.name', 'KEY_NAME', 'key-name'),
    );
  }
  // A key of `.` or `..`, or one starting with `..`, would escape the volume directory.
  if (value === '.') errors.push("must not be '.'");
  else if (value === '..') errors.push("must not be '..'");
  else if (value.startsWith('..')) errors.push("must not start with '..'");
  return errors;
}

/** Checks a port number: an integer from 1 to 65535. */
export function isValidPortNum(port: number): string[] {
  if (Number.isInteger(port) && port >= 1 && port <= 65535) return [];
  return [inclusiveRangeError(1, 65535)];
}

/** Checks an IANA service name used as a port name, such as `http`. */
export function isValidPortName(port: string): string[] {
  const errors: string[] = [];
  if (byteLength(port) > 15) errors.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) {
    errors.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  }
  if (!/[a-z]/.test(port)) errors.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errors.push('must not contain consecutive hyphens');
  if (port.startsWith('-') || port.endsWith('-')) {
    errors.push('must not begin or end with a hyphen');
  }
  return errors;
}

/** Checks a name that must be usable as one URL path segment, as RBAC object names must be. */
export function isValidPathSegmentName(name: string): string[] {
  if (name === '.' || name === '..') return [`may not be '${name}'`];
  const errors: string[] = [];
  for (const illegal of ['/', '%']) {
    if (name.includes(illegal)) errors.push(`may not contain '${illegal}'`);
  }
  return errors;
}

/** Checks a prefix of a path segment name, as used for generateName. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errors: string[] = [];
  for (const illegal of ['/', '%']) {
    if (name.includes(illegal)) errors.push(`may not contain '${illegal}'`);
  }
  return errors;
}
