import { fileSigner } from '../app/audit-signer.ts';
import { type AppContext, createContext, sha256Hex } from '../app/context.ts';
import { connect, defaultDatabaseUrl } from '../store/dialect/connect.ts';
import { migrateToLatest } from '../store/migrate.ts';
import { Store } from '../store/unit-of-work.ts';

export interface Environment {
  readonly databaseUrl: string;
  readonly auditKeyFile: string;
  readonly host: string;
  readonly port: number;
}

/** The configuration `purl` reads, all from the environment; see README "Configuration". */
export function readEnvironment(env: NodeJS.ProcessEnv = process.env): Environment {
  const port = Number.parseInt(env.PURL_PORT ?? '8080', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PURL_PORT is not a port: '${env.PURL_PORT}'`);
  return {
    databaseUrl: env.PURL_DATABASE_URL || defaultDatabaseUrl,
    auditKeyFile: env.PURL_AUDIT_KEY_FILE || './data/audit-signing-key.pem',
    host: env.PURL_HOST || '127.0.0.1',
    port,
  };
}

/** Opens the database, migrating it first when `migrate` is set. */
export async function openContext(
  environment: Environment,
  options: { migrate: boolean },
): Promise<AppContext> {
  const connection = connect(environment.databaseUrl);
  if (options.migrate) await migrateToLatest(connection.db);
  return createContext(new Store(connection.db, connection.dialect, sha256Hex), {
    signer: fileSigner(environment.auditKeyFile),
  });
}
