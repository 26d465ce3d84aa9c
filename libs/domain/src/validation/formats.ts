/**
 * Format rules of seed 002 ("Format checking for domains and emails", "Companies must have a domain
 * field for client matching", "Ensure company domains are consistent and properly formatted").
 */

/** Lower case, no scheme, no `www.`, no credentials, port, path, query or trailing dot. Null when empty. */
export function normaliseDomain(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let d = raw.trim().toLowerCase();
  if (d === '') return null;
  d = d.replace(/^[a-z][a-z0-9+.-]*:\/\//, ''); // scheme
  d = d.replace(/^\/\//, '');
  d = d.split(/[/?#]/)[0]; // path, query, fragment
  d = d.replace(/^[^@]*@/, ''); // credentials
  d = d.replace(/:\d*$/, ''); // port
  d = d.replace(/\.+$/, ''); // trailing dot(s)
  d = d.replace(/^www\d*\./, '');
  return d === '' ? null : d;
}

const LABEL_RE = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A hostname with at least two labels, an alphabetic TLD (or punycode), 253 characters at most. */
export function isValidDomain(domain: string): boolean {
  if (domain.length > 253) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((l) => LABEL_RE.test(l))) return false;
  const tld = labels[labels.length - 1];
  return /^[a-z]{2,63}$/.test(tld) || /^xn--[a-z0-9-]{1,59}$/.test(tld);
}

const EMAIL_LOCAL_RE = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/i;

export function normaliseEmail(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const e = raw.trim();
  return e === '' ? null : e.toLowerCase();
}

export function isValidEmail(email: string): boolean {
  if (email.length > 254) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  return local.length <= 64 && EMAIL_LOCAL_RE.test(local) && isValidDomain(domain);
}
