export type { Category } from './category.repository.ts';
export { type Connection, connect, type DialectName, defaultDatabaseUrl } from './dialect/connect.ts';
export { isUniqueViolation } from './errors.ts';
export { migrateToLatest, pendingMigrations } from './migrate.ts';
export type { Page, PageRequest } from './page.ts';
export { Repositories, Store } from './unit-of-work.ts';
export type { UserWithOrganization } from './user.repository.ts';
