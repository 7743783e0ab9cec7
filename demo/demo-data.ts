import type { DemoData } from '../src/app/load-demo.ts';
import categories from './categories.json' with { type: 'json' };
import fxRates from './fx-rates.json' with { type: 'json' };
import organizations from './organizations.json' with { type: 'json' };
import packages from './packages.json' with { type: 'json' };
import pledges from './pledges.json' with { type: 'json' };
import requirements from './requirements.json' with { type: 'json' };
import users from './users.json' with { type: 'json' };

/** The demo data set, typed; the JSON files beside this one are its source. */
export const demoData = {
  organizations,
  users,
  categories,
  requirements,
  fxRates,
  pledges,
  packages,
} as DemoData;
