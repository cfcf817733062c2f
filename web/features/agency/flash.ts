// One message carried from a page to the next after a redirect (e.g. "agency registered").
let pending: string | null = null;

export function setAgencyFlash(message: string) {
  pending = message;
}

export function takeAgencyFlash(): string | null {
  const m = pending;
  pending = null;
  return m;
}
