import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** Signs audit checkpoints with Ed25519. The private key lives in a file outside the database. */
export interface AuditSigner {
  readonly keyId: string;
  readonly publicKeyPem: string;
  sign(message: string): string;
}

/** A public key's id: the first 16 hex digits of the SHA-256 of its DER (SPKI) form. */
function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/** The key id of a PEM public key, or undefined when it is not a readable Ed25519 public key. */
export function publicKeyIdOf(publicKeyPem: string): string | undefined {
  try {
    const publicKey = createPublicKey(publicKeyPem);
    return publicKey.asymmetricKeyType === 'ed25519' ? keyIdOf(publicKey) : undefined;
  } catch {
    return undefined;
  }
}

function signerOf(privateKey: KeyObject): AuditSigner {
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const keyId = keyIdOf(publicKey);
  return {
    keyId,
    publicKeyPem,
    sign: (message) => sign(null, Buffer.from(message, 'utf8'), privateKey).toString('base64'),
  };
}

/** A key for this process only (tests); its public half is still recorded with every checkpoint. */
export function ephemeralSigner(): AuditSigner {
  return signerOf(generateKeyPairSync('ed25519').privateKey);
}

/**
 * Loads the signing key from `path`, generating it at first start (mode 0600). Several server
 * instances on one database must share this file; see docs/operations.md for rotation.
 */
export function fileSigner(path: string): AuditSigner {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    const { privateKey } = generateKeyPairSync('ed25519');
    writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  return signerOf(createPrivateKey(readFileSync(path)));
}

/**
 * Checks many signatures made with one public key, reading the key once (verifying the chain checks
 * a signature per event, and parsing the PEM each time cost more than the signature). A key that
 * cannot be read verifies nothing, as with signatureValid.
 */
export function signatureChecker(publicKeyPem: string): (message: string, signature: string) => boolean {
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey(publicKeyPem);
  } catch {
    return () => false;
  }
  return (message, signature) => {
    try {
      return verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(signature, 'base64'));
    } catch {
      return false;
    }
  };
}

export function signatureValid(publicKeyPem: string, message: string, signature: string): boolean {
  try {
    return verify(
      null,
      Buffer.from(message, 'utf8'),
      createPublicKey(publicKeyPem),
      Buffer.from(signature, 'base64'),
    );
  } catch {
    return false;
  }
}
