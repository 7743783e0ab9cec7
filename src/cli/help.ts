import type { EventEmitter } from 'node:events';
import type { Command } from 'commander';

/** `purl org add`: the command's full name as a user types it. */
export function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}

/**
 * Every command's --help ends with examples (docs/cli.md). A command registered without any help
 * text gets examples made from its subcommands, or its own usage, so that none is left without.
 */
export function ensureExamples(command: Command): void {
  for (const sub of command.commands) {
    // Commander keeps added help text as 'afterHelp' listeners (a Command is an EventEmitter).
    if ((sub as unknown as EventEmitter).listenerCount('afterHelp') === 0) {
      const lines = sub.commands.length
        ? sub.commands.map((child) => `  $ ${commandPath(child)} --help`)
        : [`  $ ${commandPath(sub)} ${sub.usage()}`.replace(/ \[options\]$/, '')];
      sub.addHelpText('after', `\nExamples:\n${lines.join('\n')}`);
    }
    ensureExamples(sub);
  }
}
