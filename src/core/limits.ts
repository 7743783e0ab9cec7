/** Every limit in PURL Desk has a name here; units come last in the name. */
export const Limits = {
  pageSizeDefault: 50,
  pageSizeMax: 500,
  bodyLimitBytes: 1_048_576,
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
  sessionLifetimeSeconds: 8 * 60 * 60,
  tokenLifetimeDaysDefault: 90,
  tokenLifetimeDaysMax: 366,
  loginAttemptsPerMinute: 10,
  requestTimeoutMs: 30_000,
} as const;
