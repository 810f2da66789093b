// Copyright 2026 the evalhooks authors. MIT license.
// This module is browser compatible.

// Short strings would blank out ordinary words; a 3-character password is the user's problem.
const MIN_SECRET_LENGTH = 4;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/**
 * Every form in which `secret` may come back inside text a server or runtime wrote: as given,
 * JSON-, URL- and HTML-escaped, and base64 (standard with and without `=` padding, and base64url),
 * since an echoed Basic credential or a parser's message may carry any of these.
 */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([secret]);
  forms.add(JSON.stringify(secret).slice(1, -1));
  forms.add(encodeURIComponent(secret));
  forms.add(
    secret.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;"),
  );
  const base64 = toBase64(secret);
  forms.add(base64);
  forms.add(base64.replace(/=+$/, ""));
  forms.add(base64.replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_"));
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/**
 * The secrets inside one header value: the value itself, the credential after an auth scheme
 * (`Bearer tok` holds `tok`), and what a base64 credential decodes to (`user:password`, and the
 * password alone).
 */
export function headerValueSecrets(value: string): string[] {
  const out = new Set<string>();
  const add = (secret: string) => {
    if (secret.length >= MIN_SECRET_LENGTH) out.add(secret);
  };
  const parts = [value, ...value.split(/,\s*/)];
  for (const part of parts) {
    add(part.trim());
    const scheme = /^[A-Za-z][\w.+-]*\s+(\S+)$/.exec(part.trim());
    const credential = scheme ? scheme[1] : part.trim();
    add(credential);
    const decoded = decodeBase64Text(credential);
    if (decoded !== undefined) {
      add(decoded);
      const colon = decoded.indexOf(":");
      if (colon !== -1) add(decoded.slice(colon + 1));
    }
  }
  return [...out];
}

/**
 * Builds a redactor for `secrets`: each secret in each of its {@linkcode secretForms}, and any
 * URL userinfo, becomes `***`. Longer forms go first, so no fragment of one survives a shorter
 * secret's replacement.
 */
export function createRedactor(secrets: readonly string[]): (text: string) => string {
  const forms = [...new Set(secrets.flatMap(secretForms))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const form of forms) out = out.split(form).join("***");
    return out.replace(/(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g, "$1***@");
  };
}

/** Replaces every occurrence of each secret (in each of its forms) and of URL userinfo with `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return createRedactor(secrets)(text);
}

function toBase64(text: string): string {
  let binary = "";
  for (const byte of encoder.encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// Text a base64 credential stands for, or undefined when it is not base64 of printable UTF-8.
function decodeBase64Text(candidate: string): string | undefined {
  if (candidate.length < 8 || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(candidate)) return undefined;
  try {
    const standard = candidate.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
    const padded = standard + "=".repeat((4 - (standard.length % 4)) % 4);
    const binary = atob(padded);
    const text = strictDecoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
    // deno-lint-ignore no-control-regex
    return /^[^\x00-\x1f\x7f]+$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}
