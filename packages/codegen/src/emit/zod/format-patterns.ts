/**
 * Regular expressions of the formats zod has no exact validator for. Generated validators declare
 * them once, as `emailPattern`, `uriPattern` and `durationPattern` (see runtime-helpers.ts).
 * Written from the RFCs' ABNF; `\d` is ASCII-only even with the `u` flag.
 */

// RFC 3339 Appendix A, ABNF for `duration`: no fractions, no skipped units between two given ones.
const DURATION_TIME = String.raw`T(?:\d+H(?:\d+M(?:\d+S)?)?|\d+M(?:\d+S)?|\d+S)`;
/** RFC 3339 `duration`. */
export const DURATION_PATTERN = String.raw`^P(?:(?:\d+D|\d+M(?:\d+D)?|\d+Y(?:\d+M(?:\d+D)?)?)(?:${DURATION_TIME})?|${DURATION_TIME}|\d+W)$`;

// RFC 5321 Mailbox: dot-atom or quoted-string local part; domain name or address literal.
const ATEXT = String.raw`[A-Za-z0-9!#$%&'*+/=?^_\x60{|}~-]`;
const QUOTED = String.raw`"(?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\[\x20-\x7E])*"`;
const LABEL = String.raw`[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?`;
const IPV4 = String.raw`(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)`;
// RFC 3986 IPv6address: eight 16-bit groups, one `::` run, optionally ending in an IPv4 address.
const H16 = "[0-9A-Fa-f]{1,4}";
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join("|");
/** RFC 5321 `Mailbox`. */
export const EMAIL_PATTERN = String.raw`^(?:${ATEXT}+(?:\.${ATEXT}+)*|${QUOTED})@(?:${LABEL}(?:\.${LABEL})*|\[${IPV4}\]|\[IPv6:(?:${IPV6})\])$`;

// RFC 3986 `URI` (absolute, with scheme), ASCII only.
const UNRESERVED = String.raw`A-Za-z0-9\-._~`;
const SUB_DELIMS = String.raw`!$&'()*+,;=`;
const PCT = String.raw`%[0-9A-Fa-f]{2}`;
const PCHAR = String.raw`(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})`;
const USERINFO = String.raw`(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const IP_LITERAL = String.raw`\[(?:${IPV6}|v[0-9A-Fa-f]+\.[${UNRESERVED}${SUB_DELIMS}:]+)\]`;
const REG_NAME = String.raw`(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})*`;
const AUTHORITY = String.raw`(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::\d*)?`;
const PATH_ABEMPTY = String.raw`(?:/${PCHAR}*)*`;
const HIER_PART = String.raw`(?://${AUTHORITY}${PATH_ABEMPTY}|/(?:${PCHAR}+(?:/${PCHAR}*)*)?|${PCHAR}+(?:/${PCHAR}*)*|)`;
const QUERY = String.raw`(?:${PCHAR}|[/?])*`;
/** RFC 3986 `URI`. */
export const URI_PATTERN = String.raw`^[A-Za-z][A-Za-z0-9+\-.]*:${HIER_PART}(?:\?${QUERY})?(?:#${QUERY})?$`;
