export { IsoDate } from './iso-date.ts';
