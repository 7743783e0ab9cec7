import type { Command } from 'commander';
import { systemActor } from '../../app/context.ts';
import { unlockUser } from '../../app/sessions.ts';
import { Limits } from '../../core/limits.ts';
import { openContext, readEnvironment } from '../environment.ts';
import { run, say, sayJson } from '../output.ts';

/** `purl user unlock --email`: lifts the lockout that failed logins put on an account. */
export function registerUserUnlockCommand(user: Command): void {
  user
    .command('unlock')
    .description(
      `Lift the lockout of an account (${Limits.loginFailuresBeforeLockout} failed logins in a row lock it for ${Limits.loginLockoutSeconds / 60} minutes) and forget its failed logins.`,
    )
    .requiredOption('--email <E>', 'login email')
    .option('--json', 'print the outcome as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ purl user unlock --email ana@mod.gov.ua\n  $ purl user unlock --email ana@mod.gov.ua --json',
    )
    .action(
      run(async (options: { email: string; json?: boolean }) => {
        const context = await openContext(readEnvironment(), { migrate: false });
        try {
          const outcome = await unlockUser(context, systemActor, options.email);
          if (options.json)
            sayJson({
              email: outcome.user.email,
              lockedUntil: outcome.lockedUntil,
              failures: outcome.failures,
            });
          else if (outcome.lockedUntil !== null)
            say(`unlocked ${outcome.user.email} (it was locked until ${outcome.lockedUntil})`);
          else if (outcome.failures > 0)
            say(
              `${outcome.user.email} was not locked; its ${outcome.failures} failed login(s) are forgotten`,
            );
          else say(`${outcome.user.email} was not locked`);
        } finally {
          await context.store.close();
        }
      }),
    );
}
