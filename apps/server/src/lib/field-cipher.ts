import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, randomFillSync } from "node:crypto";

/**
 * Encryption of personal fields at rest (AES-256-GCM) and keyed blind indexes (HMAC-SHA-256)
 * so an exact search by ID number or phone never needs the plain value in an indexed column.
 */
export interface FieldCipher {
  encrypt(plain: string): string;
  decrypt(token: string): string;
  /** Keyed HMAC-SHA-256 as bytea text (`\x` and 64 hex digits): usable as it is in SQL, COPY and JSON. */
  blindIndex(kind: string, value: string): string;
  /** The key, for this process's own worker threads (an import's stage worker); never sent elsewhere. */
  keyForWorkers(): Uint8Array;
}

export function createFieldCipher(secret: Buffer): FieldCipher {
  if (secret.length !== 32) throw new Error("secret key must be 32 bytes");
  // KeyObjects are parsed once (not on every call); IVs come from a pool refilled by the CSPRNG.
  // Both only save per-call overhead: bulk imports encrypt millions of fields.
  const encKey = createSecretKey(
    Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "jiuye field encryption v1", 32)),
  );
  const macKey = createSecretKey(Buffer.from(hkdfSync("sha256", secret, Buffer.alloc(0), "jiuye blind index v1", 32)));
  const ivPool = Buffer.alloc(12 * 4096);
  let ivOffset = ivPool.length;
  return {
    encrypt(plain) {
      if (ivOffset >= ivPool.length) {
        randomFillSync(ivPool);
        ivOffset = 0;
      }
      const iv = ivPool.subarray(ivOffset, ivOffset + 12);
      ivOffset += 12;
      const cipher = createCipheriv("aes-256-gcm", encKey, iv);
      const body = cipher.update(plain, "utf8");
      cipher.final(); // GCM is a stream mode: nothing is held back
      const out = Buffer.allocUnsafe(28 + body.length);
      iv.copy(out, 0);
      cipher.getAuthTag().copy(out, 12);
      body.copy(out, 28);
      return `v1.${out.toString("base64")}`;
    },
    decrypt(token) {
      const raw = Buffer.from(token.replace(/^v1\./, ""), "base64");
      const decipher = createDecipheriv("aes-256-gcm", encKey, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
    },
    blindIndex(kind, value) {
      return `\\x${createHmac("sha256", macKey).update(`${kind}:${value}`).digest("hex")}`;
    },
    keyForWorkers: () => Uint8Array.from(secret),
  };
}
