export { type Actor, Emails, type Organization, organizationCodePattern, type User } from './organization.ts';
