/** The accounts the browser journeys log in with: the demo users, all with one fixed password. */
export const e2ePassword = 'e2e journey password 2026';

export const e2eAccounts = {
  recipient: 'planner@mod.gov.ua.example',
  coordinator: 'coordinator@nato.example',
  supplier: 'pricing@dod.example',
  donor: 'treasury@gov.uk.example',
  auditor: 'auditor@audit.example',
  admin: 'admin@purl-desk.example',
} as const;

/** The port the e2e server listens on (PURL_E2E_PORT overrides it). */
export const e2ePort = Number.parseInt(process.env.PURL_E2E_PORT ?? '8123', 10);
