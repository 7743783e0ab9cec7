#!/usr/bin/env node
// The `purl` command: TypeScript sources run through tsx (Node 20 has no type stripping).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
