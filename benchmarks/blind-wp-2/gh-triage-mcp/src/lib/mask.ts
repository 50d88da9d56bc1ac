import { createHash } from "node:crypto";

export function mask(secret: string | undefined): string {
  if (!secret) return "(unset)";
  return `${secret.slice(0, 4)}…`;
}

export function fingerprint(secret: string): string {
  return createHash("sha256").update(secret).digest("hex").slice(0, 12);
}
