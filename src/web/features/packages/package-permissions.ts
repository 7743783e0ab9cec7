import type { MeJson, PackageJson, PackageTransitionJson } from '../../../contract/index.ts';

type Role = MeJson['role'];
type Status = PackageJson['status'];

/** The transitions offered as a button; pricing and cancelling have forms of their own. */
export type ButtonTransition = Extract<
  PackageTransitionJson['to'],
  'open' | 'contracted' | 'delivering' | 'completed'
>;

export interface PackagePermissions {
  readonly read: boolean;
  /** A coordinator proposes and creates packages. */
  readonly create: boolean;
  /** The supplier prices a draft package, and re-prices it until it opens. */
  mayPrice(pkg: PackageJson): boolean;
  /** The coordinator cancels any package before it is completed. */
  mayCancel(pkg: PackageJson): boolean;
  /** The supplier records shipments of a contracted or delivering package. */
  mayRecordDelivery(pkg: PackageJson): boolean;
  /** The recipient confirms what arrived. */
  readonly confirmsReceipt: boolean;
  /** The plain transitions this user may ask for now, in the order of the buttons. */
  buttonsOf(pkg: PackageJson): readonly ButtonTransition[];
}

// The recipient reads the packages made of its requirements, to confirm what arrives.
const readers: readonly Role[] = ['coordinator', 'supplier', 'auditor', 'donor', 'recipient'];

/** Every line received in full: only then may a person ask for "completed" (the system usually does it). */
function everythingReceived(pkg: PackageJson): boolean {
  return pkg.lines.length > 0 && pkg.lines.every((line) => line.receivedQuantity >= line.quantity);
}

/**
 * What the package pages offer to each role. It mirrors the server's policy table and status
 * machine (src/core/packages/package-status.ts) only to hide buttons that could not work; the
 * server decides, and a refusal is shown as an error.
 */
export function packagePermissions(me: MeJson): PackagePermissions {
  const role = me.role;
  return {
    read: readers.includes(role),
    create: role === 'coordinator',
    mayPrice: (pkg) => role === 'supplier' && (pkg.status === 'draft' || pkg.status === 'priced'),
    mayCancel: (pkg) => role === 'coordinator' && pkg.status !== 'completed' && pkg.status !== 'cancelled',
    mayRecordDelivery: (pkg) =>
      role === 'supplier' && (pkg.status === 'contracted' || pkg.status === 'delivering'),
    confirmsReceipt: role === 'recipient',
    buttonsOf(pkg) {
      const status: Status = pkg.status;
      const buttons: ButtonTransition[] = [];
      if (role === 'coordinator' && status === 'priced') buttons.push('open');
      if (role === 'supplier' && status === 'funded') buttons.push('contracted');
      if (role === 'supplier' && status === 'contracted') buttons.push('delivering');
      if (
        (role === 'coordinator' || role === 'supplier') &&
        status === 'delivering' &&
        everythingReceived(pkg)
      ) {
        buttons.push('completed');
      }
      return buttons;
    },
  };
}
