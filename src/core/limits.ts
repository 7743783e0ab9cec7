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
  requestTimeoutMs: 30_000,
} as const;
