import { readFileSync } from 'node:fs';
import { publicKeyIdOf, signatureValid } from '../app/audit-signer.ts';
import { sha256Hex } from '../app/context.ts';
import { Receipts, type ReceiptVerdict } from '../core/audit/receipt.ts';
import { Failure } from '../core/errors.ts';
import { green, red, say } from './output.ts';

/** The exit code of a receipt that does not verify: the audit-tamper code of `purl audit verify`. */
const receiptInvalidExitCode = 9;

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Failure('NOT_FOUND', `Cannot read the ${what} '${file}': ${(error as Error).message}`);
  }
}

/** The URL of a server's published head: the one given, or `/api/v1/audit/head` of a server's address. */
function headUrlOf(given: string): URL {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new Failure('VALIDATION_FAILED', `--head-url '${given}' is not a URL.`);
  }
  if (!url.pathname.endsWith('/audit/head')) url = new URL('/api/v1/audit/head', url);
  return url;
}

/** The published public key of `keyId`, and the published head's sequence, read from a server. */
async function publishedKey(
  given: string,
  keyId: string | undefined,
): Promise<{ publicKeyPem: string | undefined; headSeq: number | undefined; source: string }> {
  const url = headUrlOf(given);
  let head: { seq?: unknown; publicKeys?: { keyId?: unknown; publicKeyPem?: unknown }[] };
  try {
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    head = (await response.json()) as typeof head;
  } catch (error) {
    throw new Failure('NOT_READY', `Cannot read the published head at ${url}: ${(error as Error).message}`);
  }
  const key = head.publicKeys?.find((candidate) => candidate.keyId === keyId);
  return {
    publicKeyPem: typeof key?.publicKeyPem === 'string' ? key.publicKeyPem : undefined,
    headSeq: typeof head.seq === 'number' ? head.seq : undefined,
    source: url.toString(),
  };
}

/**
 * `purl audit verify --receipt FILE`: checks a receipt with no database. The public key comes from a
 * file or from a server's published head when given (and must then be the receipt's own); otherwise
 * the receipt's own key is used, which proves the receipt is intact but not who signed it.
 */
export async function verifyReceiptFile(
  file: string,
  options: { json?: boolean; publicKey?: string; headUrl?: string },
): Promise<number> {
  if (options.publicKey !== undefined && options.headUrl !== undefined)
    throw new Failure('VALIDATION_FAILED', 'Give either --public-key or --head-url, not both.');
  const text = readText(file, 'receipt');
  let candidate: unknown;
  const extra: string[] = [];
  try {
    candidate = JSON.parse(text);
  } catch (error) {
    candidate = undefined;
    extra.push(`the receipt is not JSON: ${(error as Error).message}`);
  }
  let givenKeyPem: string | undefined;
  let keySource = 'the receipt itself (not checked against a published key: pass --public-key or --head-url)';
  if (options.publicKey !== undefined) {
    givenKeyPem = readText(options.publicKey, 'public key');
    keySource = options.publicKey;
  } else if (options.headUrl !== undefined && extra.length === 0) {
    const checkpoint = (candidate as { checkpoint?: { keyId?: unknown } } | null)?.checkpoint;
    const keyId = typeof checkpoint?.keyId === 'string' ? checkpoint.keyId : undefined;
    const published = await publishedKey(options.headUrl, keyId);
    keySource = published.source;
    if (published.publicKeyPem === undefined)
      extra.push(`the published head lists no public key with the checkpoint's key id ${keyId ?? '(none)'}`);
    givenKeyPem = published.publicKeyPem ?? '';
    const seq = (candidate as { event?: { seq?: unknown } }).event?.seq;
    if (published.headSeq !== undefined && typeof seq === 'number' && published.headSeq < seq)
      extra.push(
        `the published chain ends at sequence ${published.headSeq}, before the receipt's event ${seq}`,
      );
  }
  const checked =
    candidate === undefined
      ? undefined
      : Receipts.verify(
          candidate,
          { sha256: sha256Hex, keyIdOf: publicKeyIdOf, signatureValid },
          givenKeyPem,
        );
  const problems = [...extra, ...(checked?.problems ?? [])];
  const verdict: ReceiptVerdict = { ...checked, ok: problems.length === 0, problems };
  if (options.json) say(JSON.stringify({ ...verdict, keyFrom: keySource }));
  else if (verdict.ok)
    say(
      `${green('ok')}: the receipt of audit event ${verdict.seq} is intact and covered by checkpoint ` +
        `${verdict.checkpointSeq}, signed by key ${verdict.keyId} (key from ${keySource})`,
    );
  else {
    say(`${red('RECEIPT INVALID')}: ${verdict.problems.length} problem(s) in ${file}`);
    for (const problem of verdict.problems) say(`  - ${problem}`);
  }
  return verdict.ok ? 0 : receiptInvalidExitCode;
}
