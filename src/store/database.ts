/**
 * The tables, as Kysely sees them. Integer columns read back as bigint on SQLite (safe integers
 * on) and as number (int4) or bigint (int8) on PostgreSQL: repositories convert them in
 * `columns.ts`, the one place that knows.
 */
type Integer = number | bigint;
type Bigint = bigint;

export interface OrganizationTable {
  id: string;
  code: string;
  name: string;
  kind: string;
  created_at: string;
}

export interface AppUserTable {
  id: string;
  email: string;
  display_name: string;
  organization_id: string;
  role: string;
  password_hash: string;
  disabled: Integer;
  created_at: string;
}

export interface SessionTable {
  id: string;
  user_id: string;
  salt: string;
  secret_hash: string;
  csrf_hash: string;
  created_at: string;
  expires_at: string;
}

export interface ApiTokenTable {
  id: string;
  user_id: string;
  name: string;
  salt: string;
  secret_hash: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface CategoryTable {
  code: string;
  name: string;
  created_at: string;
}

export interface RequirementTable {
  id: string;
  ref: string;
  title: string;
  category_code: string;
  quantity: Integer;
  unit: string;
  unit_cost_minor: Bigint;
  unit_cost_currency: string;
  rank: Integer | null;
  status: string;
  visibility: string;
  notes: string;
  version: Integer;
  created_at: string;
  updated_at: string;
}

export interface PriorityListVersionTable {
  version: Integer;
  created_at: string;
  created_by: string | null;
  reason: string;
  approved_at: string | null;
  approved_by: string | null;
}

export interface PriorityListEntryTable {
  version: Integer;
  requirement_id: string;
  rank: Integer;
}

export interface SequenceTable {
  name: string;
  value: Integer;
}

export interface AuditEventTable {
  seq: Integer;
  occurred_at: string;
  actor_user_id: string | null;
  actor_organization: string | null;
  action: string;
  object_type: string;
  object_id: string;
  before_digest: string | null;
  after_digest: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: Integer;
  seq: Integer;
  hash: string;
}

export interface IdempotencyKeyTable {
  actor_user_id: string;
  key: string;
  route: string;
  request_digest: string;
  response_status: Integer;
  response_body: string;
  created_at: string;
}

export interface AuditSigningKeyTable {
  key_id: string;
  public_key_pem: string;
  created_at: string;
}

/** The canonical JSON an audit event's after-digest covers, kept for the writes that give receipts. */
export interface AuditDocumentTable {
  seq: Integer;
  object_type: string;
  object_id: string;
  document: string;
}

/** Consecutive failed logins of an account, and until when it is locked. */
export interface LoginFailureTable {
  user_id: string;
  failures: Integer;
  locked_until: string | null;
}

export interface AuditCheckpointTable {
  seq: Integer;
  hash: string;
  signed_at: string;
  key_id: string;
  signature: string;
}

export interface FxRateTable {
  currency: string;
  date: string;
  per_usd: string;
  source: string;
  recorded_at: string;
}

export interface PledgeTable {
  id: string;
  ref: string;
  donor_code: string;
  amount_minor: Bigint | null;
  currency: string | null;
  announced_on: string;
  forum: string;
  source: string;
  stage: string;
  committed_on: string | null;
  paid_on: string | null;
  /** The earmark as canonical JSON: {"kind":"none"}, {"kind":"categories",...}, {"kind":"package",...}. */
  earmark: string;
  earmark_package_id: string | null;
  visibility: string;
  duplicate_of: string | null;
  usd_minor: Bigint | null;
  usd_per_usd: string | null;
  usd_rate_date: string | null;
  usd_rate_source: string | null;
  notes: string;
  version: Integer;
  recorded_by: string;
  created_at: string;
  updated_at: string;
}

export interface JournalEntryTable {
  id: string;
  seq: Integer;
  entry_date: string;
  description: string;
  tags: string;
  reverses: string | null;
  conversion: string | null;
  recorded_at: string;
}

export interface PostingTable {
  entry_id: string;
  line: Integer;
  account: string;
  amount_minor: Bigint;
  currency: string;
  entry_date: string;
}

export interface PackageTable {
  id: string;
  ref: string;
  name: string;
  rank: Integer;
  /** USD minor units. */
  target_minor: Bigint;
  status: string;
  version: Integer;
  created_at: string;
  updated_at: string;
}

export interface PackageLineTable {
  id: string;
  package_id: string;
  requirement_id: string;
  category: string;
  quantity: Integer;
  /** USD minor units; null until the supplier prices the package. */
  amount_minor: Bigint | null;
  delivered_quantity: Integer;
  received_quantity: Integer;
  line_no: Integer;
}

export interface DeliveryTable {
  id: string;
  package_id: string;
  line_id: string;
  quantity: Integer;
  shipped_on: string;
  recorded_by: string;
  recorded_at: string;
  received_on: string | null;
  received_by: string | null;
}

/** Money of one pledge assigned to one package line; released (never deleted) when undone. */
export interface AllocationTable {
  id: string;
  plan_id: string;
  pledge_id: string;
  package_id: string;
  line_id: string;
  usd_minor: Bigint;
  /** The same money in the pledge's own currency. */
  amount_minor: Bigint;
  currency: string;
  /** The journal entry that recorded the allocation. */
  entry_id: string;
  created_at: string;
  released_at: string | null;
  release_entry_id: string | null;
}

export interface Database {
  organization: OrganizationTable;
  app_user: AppUserTable;
  session: SessionTable;
  api_token: ApiTokenTable;
  category: CategoryTable;
  requirement: RequirementTable;
  priority_list_version: PriorityListVersionTable;
  priority_list_entry: PriorityListEntryTable;
  sequence: SequenceTable;
  audit_event: AuditEventTable;
  audit_head: AuditHeadTable;
  idempotency_key: IdempotencyKeyTable;
  audit_signing_key: AuditSigningKeyTable;
  audit_checkpoint: AuditCheckpointTable;
  audit_document: AuditDocumentTable;
  login_failure: LoginFailureTable;
  fx_rate: FxRateTable;
  pledge: PledgeTable;
  journal_entry: JournalEntryTable;
  posting: PostingTable;
  package: PackageTable;
  package_line: PackageLineTable;
  delivery: DeliveryTable;
  allocation: AllocationTable;
}
