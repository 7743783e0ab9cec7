/** Every limit in PURL Desk has a name here; units come last in the name. */
export const Limits = {
  pageSizeDefault: 50,
  pageSizeMax: 500,
  bodyLimitBytes: 1_048_576,
  /** The ECB's historical file since 1999 is about 2 MB. */
  fxImportBodyLimitBytes: 8_388_608,
  titleLengthMax: 200,
  notesLengthMax: 4_000,
  unitLengthMax: 40,
  nameLengthMax: 200,
  codeLengthMax: 40,
  emailLengthMax: 254,
  passwordLengthMin: 12,
  passwordLengthMax: 1_024,
  reasonLengthMax: 1_000,
  quantityMax: 1_000_000_000,
  /** Digits of the integer part of any amount; keeps every amount far below 2^63 minor units. */
  amountIntegerDigitsMax: 15,
  priorityListLinesMax: 10_000,
  /** Parts of one `Money.split` or `Money.allocate`. */
  allocationPartsMax: 10_000,
  /** Characters of an exchange rate written as a decimal string. */
  rateLengthMax: 32,
  /** Lines of an ECB reference-rate file (the historical file since 1999 has about 7,000). */
  fxFileLinesMax: 50_000,
  /** Problems listed when an imported file is rejected; the count of the rest is still reported. */
  importErrorsMax: 50,
  /** Data rows of one imported requirement or pledge file. */
  importRowsMax: 100_000,
  /** Cells of one row of an imported file (the templates have about twenty columns). */
  importColumnsMax: 64,
  /** Characters of one cell of an imported file (Excel's own limit is 32,767). */
  importCellLengthMax: 32_767,
  /** Body of `POST /api/v1/imports/…`: 100,000 template rows as CSV are about 20 MB. */
  importBodyLimitBytes: 33_554_432,
  /** How old the latest rate on or before a date may be; ECB closures last at most a few days. */
  fxRateAgeDaysMax: 10,
  postingsPerEntryMax: 1_000,
  accountNameLengthMax: 200,
  accountDepthMax: 6,
  journalDescriptionLengthMax: 200,
  earmarkCategoriesMax: 50,
  /** Pledges an explanation of a short line lists by name (the rest are counted). */
  explanationPledgesMax: 10,
  /** Lines listed per pledge in an explanation. */
  explanationUsesMax: 5,
  /** Hypothetical pledges one allocation preview takes. */
  previewPledgesMax: 50,
  /** Lines of one package (a ~$500M package has tens). */
  packageLinesMax: 1_000,
  /** Requirements a package proposal lists as left out, with their reasons; the count says how many in all. */
  proposalLeftOutMax: 100,
  sessionLifetimeSeconds: 8 * 60 * 60,
  tokenLifetimeDaysDefault: 90,
  tokenLifetimeDaysMax: 366,
  loginAttemptsPerMinute: 10,
  /** Consecutive failed logins of one account, from any address and any server, that lock it. */
  loginFailuresBeforeLockout: 10,
  /** How long a locked account refuses every login, the right password included. */
  loginLockoutSeconds: 15 * 60,
  /** Time a client has to send a whole request (headers and body); then 408 and the socket closes. */
  requestTimeoutMs: 30_000,
  /** An idle socket is closed after this long; the event stream sends a comment every 15 s. */
  connectionIdleTimeoutMs: 120_000,
  /** Longer than a load balancer's idle timeout (often 60 s), so the balancer closes first. */
  keepAliveTimeoutMs: 65_000,
  /** How long SIGTERM waits for in-flight requests before the process exits anyway. */
  shutdownGraceMs: 25_000,
  /** Live-update streams (GET /api/v1/events) one user may hold open at once: a few browser tabs. */
  eventStreamsPerUserMax: 5,
  /** How often a server with open event streams reads the audit chain's head for new writes. */
  eventPollIntervalMs: 1_000,
  /** A comment on every open event stream this often, so that proxies keep it open. */
  eventHeartbeatIntervalMs: 15_000,
  /** Audit events read per poll; a longer backlog tells every stream to refetch instead. */
  eventBatchMax: 500,
  /** Bytes waiting for a client that stopped reading; beyond them its stream is closed (it reconnects). */
  eventStreamBufferBytesMax: 65_536,
} as const;
