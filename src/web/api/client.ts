import type {
  AllocationApplyJson,
  AllocationPlanJson,
  AllocationPreviewRequestJson,
  CategoryJson,
  DeliveryJson,
  MeJson,
  MoneyJson,
  NewPackageJson,
  NewPledgeJson,
  NewRequirementJson,
  OrganizationJson,
  PackageJson,
  PackageTransitionJson,
  PledgeJson,
  PriorityListJson,
  ProblemJson,
  ProposalJson,
  PublicSummaryJson,
  RequirementHistoryEventJson,
  RequirementJson,
  RequirementTransitionJson,
  SessionJson,
  UserJson,
} from '../../contract/index.ts';
import type { ReceiptJson } from '../../contract/receipt.schema.ts';
import { withQuery } from '../routing/query.ts';
import { auditCriteria } from '../routing/routes.ts';
import type {
  AccountBalancesJson,
  AuditEventJson,
  AuditHeadJson,
  AuditQuery,
  AuditVerdictJson,
  JournalEntryJson,
} from './oversight-json.ts';

export type RequestedTransition = RequirementTransitionJson['to'];

export type PledgeStage = PledgeJson['stage'];

/** A stage change of a pledge: the stage it reaches and the date it did (YYYY-MM-DD). */
export interface PledgeTransitionJson {
  readonly to: Exclude<PledgeStage, 'announced'>;
  readonly on: string;
}

export interface PledgeQuery {
  readonly stage?: PledgeStage | null;
  readonly donor?: string | null;
  readonly cursor?: string | null;
  readonly limit?: number;
}

/** What an import answers (src/server/routes/import.routes.ts): the rows read and the lines written. */
export interface ImportOutcomeJson {
  readonly kind: 'requirements' | 'pledges';
  readonly dryRun: boolean;
  readonly rows: number;
  readonly created: number;
  readonly firstRef: string | null;
  readonly lastRef: string | null;
}

/** The spreadsheet formats an import takes, by the content type the server expects. */
export const importContentTypes = {
  csv: 'text/csv',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
export type ImportFormat = keyof typeof importContentTypes;

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

export interface ImportOptions {
  /** Check every row and write nothing. */
  readonly dryRun: boolean;
  /** Called as the file's bytes go out. */
  readonly onProgress?: (progress: UploadProgress) => void;
}

/** The codes of the server's catalogue, plus the two failures that never reach the server. */
export type ApiErrorCode = ProblemJson['code'] | 'NETWORK_ERROR' | 'UNEXPECTED_RESPONSE';

export interface FieldError {
  readonly path: string;
  readonly message: string;
}

/** A failed call: the problem document the server answered, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    readonly detail: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(`${code}: ${detail}`);
    this.name = 'ApiError';
  }
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** What survives a reload: the HttpOnly cookie cannot be read, so the CSRF token is kept beside it. */
export interface StoredSession {
  readonly csrfToken: string;
  readonly expiresAt: string;
}

const storageKey = 'purl.session';
/** The largest page the API serves (Limits.pageSizeMax). */
const pageSizeMax = 500;
/** The register's page size (Limits.pageSizeDefault). */
export const pledgePageSize = 50;
/** Enough pages for the longest priority list (Limits.priorityListLinesMax / pageSizeMax). */
const pagesMax = 20;

export interface ApiClientOptions {
  /** Called when the server answers UNAUTHENTICATED to a logged-in client: the session ended. */
  readonly onUnauthenticated?: () => void;
  readonly storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

interface RequestOptions {
  readonly body?: unknown;
  /** The version read; sent as If-Match so that a stale edit is refused with 412. */
  readonly ifMatch?: number;
  /** Names one money write: a retry with the same key and body gets the first response back. */
  readonly idempotencyKey?: string;
}

function isProblem(value: unknown): value is ProblemJson {
  return typeof value === 'object' && value !== null && 'code' in value && 'status' in value;
}

async function errorOf(response: Response): Promise<ApiError> {
  return errorOfBody(response.status, await response.json().catch(() => null));
}

function errorOfBody(status: number, body: unknown): ApiError {
  if (isProblem(body)) {
    return new ApiError(status, body.code, body.detail, body.errors ?? []);
  }
  return new ApiError(
    status,
    'UNEXPECTED_RESPONSE',
    `The server answered ${status} without a problem document.`,
  );
}

export interface DownloadedFile {
  readonly content: Blob;
  readonly fileName: string;
}

/** The file name of `attachment; filename="purl-packages-2026-02-12.csv"`, if it names one. */
export function fileNameOf(contentDisposition: string | null): string | undefined {
  const name = /filename="([^"]+)"/.exec(contentDisposition ?? '')?.[1];
  // Never a path: only the last part, as a browser would.
  return name?.split(/[\\/]/).pop() || undefined;
}

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The web app's only door to the API: JSON in and out, the CSRF header, If-Match and typed errors. */
export class ApiClient {
  private session: StoredSession | null;
  private onUnauthenticated: (() => void) | undefined;
  private prefetchedSummary: Promise<PublicSummaryJson> | null = null;
  private deliveredSummary: PublicSummaryJson | null = null;

  constructor(private readonly options: ApiClientOptions = {}) {
    this.onUnauthenticated = options.onUnauthenticated;
    this.session = this.readStoredSession();
  }

  /** Replaces the listener of ended sessions (the session provider sets it once mounted). */
  setUnauthenticatedListener(listener: (() => void) | undefined): void {
    this.onUnauthenticated = listener;
  }

  /** The session this tab logged into, if any; the cookie may still have expired. */
  storedSession(): StoredSession | null {
    return this.session;
  }

  async logIn(email: string, password: string): Promise<SessionJson> {
    const session = await this.request<SessionJson>('POST', '/api/v1/session', { body: { email, password } });
    this.remember({ csrfToken: session.csrfToken, expiresAt: session.expiresAt });
    return session;
  }

  /** Ends the session on the server; forgets it here even when the server could not be reached. */
  async logOut(): Promise<void> {
    try {
      await this.request<void>('DELETE', '/api/v1/session');
    } finally {
      this.forget();
    }
  }

  me(): Promise<MeJson> {
    return this.request<MeJson>('GET', '/api/v1/me');
  }

  categories(): Promise<CategoryJson[]> {
    return this.everyPage<CategoryJson>('/api/v1/categories');
  }

  requirements(): Promise<RequirementJson[]> {
    return this.everyPage<RequirementJson>('/api/v1/requirements');
  }

  requirement(id: string): Promise<RequirementJson> {
    return this.request<RequirementJson>('GET', `/api/v1/requirements/${encodeURIComponent(id)}`);
  }

  /** Who changed the line and when: its audit events, oldest first. */
  requirementHistory(id: string): Promise<RequirementHistoryEventJson[]> {
    return this.everyPage<RequirementHistoryEventJson>(
      `/api/v1/requirements/${encodeURIComponent(id)}/history`,
    );
  }

  /**
   * Sends a CSV or XLSX file of the requirements template as it is (all rows or none); a dry run
   * checks every row and writes nothing. Problems come back as IMPORT_ROWS_INVALID by row and column.
   */
  importRequirements(file: Blob, format: ImportFormat, options: ImportOptions): Promise<ImportOutcomeJson> {
    const query = options.dryRun ? '?dryRun=true' : '';
    return this.upload<ImportOutcomeJson>(
      `/api/v1/imports/requirements${query}`,
      file,
      importContentTypes[format],
      options.onProgress,
    );
  }

  createRequirement(requirement: NewRequirementJson): Promise<RequirementJson> {
    return this.request<RequirementJson>('POST', '/api/v1/requirements', { body: requirement });
  }

  transitionRequirement(
    requirement: Pick<RequirementJson, 'id' | 'version'>,
    to: RequestedTransition,
  ): Promise<RequirementJson> {
    return this.request<RequirementJson>(
      'POST',
      `/api/v1/requirements/${encodeURIComponent(requirement.id)}/transitions`,
      { body: { to }, ifMatch: requirement.version },
    );
  }

  priorityList(): Promise<PriorityListJson> {
    return this.request<PriorityListJson>('GET', '/api/v1/priority-list');
  }

  reorderPriorityList(order: readonly string[], listVersion: number): Promise<PriorityListJson> {
    return this.request<PriorityListJson>('PUT', '/api/v1/priority-list', {
      body: { order },
      ifMatch: listVersion,
    });
  }

  approvePriorityList(listVersion: number): Promise<PriorityListJson> {
    return this.request<PriorityListJson>('POST', '/api/v1/priority-list/approve', {
      body: {},
      ifMatch: listVersion,
    });
  }

  /** One page of the pledges the caller may see (a donor its own), by announcement date. */
  pledges(query: PledgeQuery = {}): Promise<Page<PledgeJson>> {
    const { stage, donor, cursor } = query;
    const limit = String(query.limit ?? pledgePageSize);
    return this.request<Page<PledgeJson>>(
      'GET',
      withQuery('/api/v1/pledges', { limit, stage, donor, cursor }),
    );
  }

  pledge(id: string): Promise<PledgeJson> {
    return this.request<PledgeJson>('GET', `/api/v1/pledges/${encodeURIComponent(id)}`);
  }

  /** The receipts of every write of a pledge, newest first: each one the file `purl audit verify --receipt` checks. */
  async pledgeReceipts(id: string): Promise<ReceiptJson[]> {
    const body = await this.request<{ items: ReceiptJson[] }>(
      'GET',
      `/api/v1/pledges/${encodeURIComponent(id)}/receipts`,
    );
    return body.items;
  }

  createPledge(pledge: NewPledgeJson, idempotencyKey: string): Promise<PledgeJson> {
    return this.request<PledgeJson>('POST', '/api/v1/pledges', { body: pledge, idempotencyKey });
  }

  transitionPledge(
    pledge: Pick<PledgeJson, 'id' | 'version'>,
    change: PledgeTransitionJson,
    idempotencyKey: string,
  ): Promise<PledgeJson> {
    return this.request<PledgeJson>('POST', `/api/v1/pledges/${encodeURIComponent(pledge.id)}/transitions`, {
      body: change,
      ifMatch: pledge.version,
      idempotencyKey,
    });
  }

  /** Every package the caller may see (a donor those its pledges fund), in rank order. */
  packages(): Promise<PackageJson[]> {
    return this.everyPage<PackageJson>('/api/v1/packages');
  }

  package(id: string): Promise<PackageJson> {
    return this.request<PackageJson>('GET', `/api/v1/packages/${encodeURIComponent(id)}`);
  }

  /** The next package from the top validated requirements up to `target` (USD); nothing is saved. */
  proposePackage(target: MoneyJson): Promise<ProposalJson> {
    return this.request<ProposalJson>('POST', '/api/v1/packages/proposal', { body: { target } });
  }

  createPackage(pkg: NewPackageJson): Promise<PackageJson> {
    return this.request<PackageJson>('POST', '/api/v1/packages', { body: pkg });
  }

  transitionPackage(
    pkg: Pick<PackageJson, 'id' | 'version'>,
    change: PackageTransitionJson,
    idempotencyKey: string,
  ): Promise<PackageJson> {
    return this.request<PackageJson>('POST', `/api/v1/packages/${encodeURIComponent(pkg.id)}/transitions`, {
      body: change,
      ifMatch: pkg.version,
      idempotencyKey,
    });
  }

  recordDelivery(
    packageId: string,
    delivery: { readonly lineId: string; readonly quantity: number; readonly shippedOn: string },
  ): Promise<DeliveryJson> {
    return this.request<DeliveryJson>(
      'POST',
      `/api/v1/packages/${encodeURIComponent(packageId)}/deliveries`,
      {
        body: delivery,
      },
    );
  }

  confirmReceipt(packageId: string, deliveryId: string, receivedOn: string): Promise<DeliveryJson> {
    return this.request<DeliveryJson>(
      'POST',
      `/api/v1/packages/${encodeURIComponent(packageId)}/deliveries/${encodeURIComponent(deliveryId)}/receipt`,
      { body: { receivedOn } },
    );
  }

  /** The public figures, the same for everyone; no login needed. */
  publicSummary(): Promise<PublicSummaryJson> {
    const prefetched = this.prefetchedSummary;
    if (prefetched) {
      this.prefetchedSummary = null;
      return prefetched;
    }
    return this.request<PublicSummaryJson>('GET', '/api/v1/public/summary');
  }

  /**
   * Starts reading the public summary now, alongside the session check, for a visitor who opens
   * the dashboard: its first figures then wait for one round trip, not two. The next
   * publicSummary() call takes this answer; a visitor who turns out to be logged in never does.
   * `delivered` is the summary the server put in the page itself: kept, nothing is fetched.
   */
  prefetchPublicSummary(delivered: PublicSummaryJson | null = null): void {
    if (this.session || this.prefetchedSummary || this.deliveredSummary) return;
    if (delivered) {
      this.deliveredSummary = delivered;
      return;
    }
    const summary = this.publicSummary();
    // Unused, or failed before anyone asked: not an unhandled rejection (publicSummary() reports it).
    summary.catch(() => undefined);
    this.prefetchedSummary = summary;
  }

  /**
   * The summary the server sent with the page (see prefetchPublicSummary), taken once, so that the
   * dashboard draws it in its first render; null when there is none, and then the page asks.
   */
  takeDeliveredSummary(): PublicSummaryJson | null {
    const delivered = this.deliveredSummary;
    this.deliveredSummary = null;
    return delivered;
  }

  /** The engine's plan for the unallocated committed money (coordinator, auditor). */
  allocationPlan(): Promise<AllocationPlanJson> {
    return this.request<AllocationPlanJson>('GET', '/api/v1/allocation/plan');
  }

  /** The plan with hypothetical pledges added; writes nothing. A donor sees its own pledges only. */
  previewAllocation(request: AllocationPreviewRequestJson): Promise<AllocationPlanJson> {
    return this.request<AllocationPlanJson>('POST', '/api/v1/allocation/preview', { body: request });
  }

  /** Applies the plan read as `planId`; refused with PLAN_STALE when the inputs changed since. */
  applyAllocation(planId: string, idempotencyKey: string): Promise<AllocationApplyJson> {
    return this.request<AllocationApplyJson>('POST', '/api/v1/allocation/apply', {
      body: { planId },
      idempotencyKey,
    });
  }

  /** One page of the audit chain, in sequence order, searched by object, actor and UTC days (auditor, admin). */
  auditEvents(query: AuditQuery = {}): Promise<Page<AuditEventJson>> {
    const path = withQuery('/api/v1/audit', {
      limit: String(pledgePageSize),
      ...auditCriteria(query),
      cursor: query.cursor,
    });
    return this.request<Page<AuditEventJson>>('GET', path);
  }

  /** Recomputes the whole chain on the server and names the first bad sequence number. */
  verifyAuditChain(): Promise<AuditVerdictJson> {
    return this.request<AuditVerdictJson>('GET', '/api/v1/audit/verify');
  }

  auditHead(): Promise<AuditHeadJson> {
    return this.request<AuditHeadJson>('GET', '/api/v1/audit/head');
  }

  /** Every account's balance per currency, as of a UTC day (inclusive), or now (coordinator, auditor). */
  ledgerAccounts(asOf: string | null): Promise<AccountBalancesJson> {
    return this.request<AccountBalancesJson>('GET', withQuery('/api/v1/ledger/accounts', { asOf }));
  }

  /** One page of the journal, in journal order, dated on or before `asOf` when given. */
  ledgerEntries(asOf: string | null, cursor: string | null): Promise<Page<JournalEntryJson>> {
    const path = withQuery('/api/v1/ledger/entries', { limit: String(pledgePageSize), asOf, cursor });
    return this.request<Page<JournalEntryJson>>('GET', path);
  }

  organizations(cursor: string | null): Promise<Page<OrganizationJson>> {
    const path = withQuery('/api/v1/organizations', { limit: String(pledgePageSize), cursor });
    return this.request<Page<OrganizationJson>>('GET', path);
  }

  /** Every organisation, for choosing one (a new user's). */
  allOrganizations(): Promise<OrganizationJson[]> {
    return this.everyPage<OrganizationJson>('/api/v1/organizations');
  }

  createOrganization(
    organization: Pick<OrganizationJson, 'code' | 'name' | 'kind'>,
  ): Promise<OrganizationJson> {
    return this.request<OrganizationJson>('POST', '/api/v1/organizations', { body: organization });
  }

  users(cursor: string | null): Promise<Page<UserJson>> {
    return this.request<Page<UserJson>>(
      'GET',
      withQuery('/api/v1/users', { limit: String(pledgePageSize), cursor }),
    );
  }

  createUser(user: {
    readonly email: string;
    readonly organization: string;
    readonly role: UserJson['role'];
    readonly password: string;
  }): Promise<UserJson> {
    return this.request<UserJson>('POST', '/api/v1/users', { body: user });
  }

  /** Its sessions and tokens stop working at once; the account stays in the record. */
  disableUser(id: string): Promise<UserJson> {
    return this.request<UserJson>('POST', `/api/v1/users/${encodeURIComponent(id)}/disable`, { body: {} });
  }

  /**
   * A list's file (`?format=csv|xlsx|json`) with the session cookie, as the bytes and the name the
   * server gave it. A refusal (403, an ended session, a bad filter) comes back as an ApiError to show,
   * not as a file holding the problem document.
   */
  async download(path: string): Promise<DownloadedFile> {
    const response = await this.fetched(path, { method: 'GET', credentials: 'same-origin' });
    const fallback = path.split('?')[0]?.split('/').pop() || 'download';
    return {
      content: await response.blob(),
      fileName: fileNameOf(response.headers.get('content-disposition')) ?? fallback,
    };
  }

  private async everyPage<T>(path: string): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < pagesMax; page++) {
      const pagePath = withQuery(path, { limit: String(pageSizeMax), cursor });
      const result: Page<T> = await this.request<Page<T>>('GET', pagePath);
      items.push(...result.items);
      cursor = result.nextCursor;
      if (!cursor) return items;
    }
    throw new ApiError(0, 'UNEXPECTED_RESPONSE', `More than ${pagesMax} pages at ${path}.`);
  }

  private async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const init: RequestInit = { method, headers, credentials: 'same-origin' };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (method !== 'GET' && this.session) headers['x-csrf-token'] = this.session.csrfToken;
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    const response = await this.fetched(path, init);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** The server's answer when it is a success; otherwise its problem as an ApiError. */
  private async fetched(path: string, init: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(path, init);
    } catch {
      throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached.');
    }
    if (!response.ok) throw this.noticed(await errorOf(response));
    return response;
  }

  /** An ended session is forgotten here too, and the listener told, before the error goes on. */
  private noticed(error: ApiError): ApiError {
    if (error.code === 'UNAUTHENTICATED' && this.session) {
      this.forget();
      this.onUnauthenticated?.();
    }
    return error;
  }

  /**
   * A POST of a file as the raw body. It goes through XMLHttpRequest rather than fetch because only
   * XMLHttpRequest reports how much of the body has been sent.
   */
  private upload<T>(
    path: string,
    body: Blob,
    contentType: string,
    onProgress?: (progress: UploadProgress) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', path);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('content-type', contentType);
      if (this.session) xhr.setRequestHeader('x-csrf-token', this.session.csrfToken);
      if (onProgress) {
        xhr.upload.addEventListener('progress', (event) => {
          onProgress({ loaded: event.loaded, total: event.lengthComputable ? event.total : body.size });
        });
      }
      xhr.addEventListener('load', () => {
        const answer = parsedJson(xhr.responseText);
        if (xhr.status >= 200 && xhr.status < 300) {
          resolve(answer as T);
          return;
        }
        reject(this.noticed(errorOfBody(xhr.status, answer)));
      });
      const unreachable = () => reject(new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached.'));
      xhr.addEventListener('error', unreachable);
      xhr.addEventListener('abort', unreachable);
      xhr.send(body);
    });
  }

  private remember(session: StoredSession): void {
    this.session = session;
    try {
      this.options.storage?.setItem(storageKey, JSON.stringify(session));
    } catch {
      // Storage can be full or disabled; the session then lasts until the tab reloads.
    }
  }

  private forget(): void {
    this.session = null;
    try {
      this.options.storage?.removeItem(storageKey);
    } catch {
      // Nothing stored to forget.
    }
  }

  private readStoredSession(): StoredSession | null {
    try {
      const raw = this.options.storage?.getItem(storageKey);
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        'csrfToken' in parsed &&
        typeof parsed.csrfToken === 'string' &&
        'expiresAt' in parsed &&
        typeof parsed.expiresAt === 'string'
      ) {
        return { csrfToken: parsed.csrfToken, expiresAt: parsed.expiresAt };
      }
    } catch {
      // A damaged entry is the same as none: the user logs in again.
    }
    return null;
  }
}
