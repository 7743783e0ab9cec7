export * from './allocation.schema.ts';
export * from './common.schema.ts';
export * from './package.schema.ts';
export * from './pledge.schema.ts';
export * from './public-summary.schema.ts';
export * from './requirement.schema.ts';
export * from './session.schema.ts';
