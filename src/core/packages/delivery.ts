import type { IsoDate } from '../calendar/iso-date.ts';
import { Failure } from '../errors.ts';
import type { Package, PackageLine } from './package.ts';

/** A quantity of one package line shipped by the supplier, then confirmed received by the recipient. */
export interface Delivery {
  readonly id: string;
  readonly packageId: string;
  readonly lineId: string;
  readonly quantity: number;
  readonly shippedOn: IsoDate;
  readonly recordedBy: string;
  readonly recordedAt: string;
  readonly receivedOn: IsoDate | null;
  readonly receivedBy: string | null;
}

export interface NewDelivery {
  readonly id: string;
  readonly lineId: string;
  readonly quantity: number;
  readonly shippedOn: IsoDate;
  readonly recordedBy: string;
  readonly recordedAt: string;
}

function withLine(pkg: Package, lineId: string, change: (line: PackageLine) => PackageLine): Package {
  return { ...pkg, lines: pkg.lines.map((line) => (line.id === lineId ? change(line) : line)) };
}

export const Deliveries = {
  /**
   * A shipment of `quantity` units of one line. The package must be contracted or delivering, and a
   * line is never shipped beyond its quantity. The first delivery moves the package to delivering.
   */
  record(pkg: Package, input: NewDelivery): { package: Package; delivery: Delivery } {
    if (pkg.status !== 'contracted' && pkg.status !== 'delivering') {
      throw new Failure(
        'INVALID_TRANSITION',
        `Deliveries are recorded for a contracted or delivering package; ${pkg.ref} is ${pkg.status}.`,
      );
    }
    const line = pkg.lines.find((candidate) => candidate.id === input.lineId);
    if (!line) {
      throw new Failure('VALIDATION_FAILED', `'${input.lineId}' is not a line of ${pkg.ref}.`, [
        { path: '/lineId', message: 'not a line of this package' },
      ]);
    }
    const outstanding = line.quantity - line.deliveredQuantity;
    if (input.quantity > outstanding) {
      throw new Failure(
        'DELIVERY_EXCEEDS_LINE',
        `${line.requirementRef} in ${pkg.ref}: ${outstanding} of ${line.quantity} remain to be delivered; ${input.quantity} were shipped.`,
        [{ path: '/quantity', message: `at most ${outstanding}` }],
      );
    }
    const next = withLine(pkg, line.id, (current) => ({
      ...current,
      deliveredQuantity: current.deliveredQuantity + input.quantity,
    }));
    return {
      package: {
        ...next,
        status: 'delivering',
        version: pkg.version + 1,
        updatedAt: input.recordedAt,
      },
      delivery: {
        id: input.id,
        packageId: pkg.id,
        lineId: line.id,
        quantity: input.quantity,
        shippedOn: input.shippedOn,
        recordedBy: input.recordedBy,
        recordedAt: input.recordedAt,
        receivedOn: null,
        receivedBy: null,
      },
    };
  },

  /**
   * The recipient confirms a delivery: its quantity counts as received. When every line of the
   * package is received in full, the package is completed.
   */
  confirm(
    pkg: Package,
    delivery: Delivery,
    receipt: { readonly receivedOn: IsoDate; readonly receivedBy: string; readonly at: string },
  ): { package: Package; delivery: Delivery } {
    if (delivery.receivedOn !== null) {
      throw new Failure(
        'DELIVERY_ALREADY_RECEIVED',
        `This delivery was confirmed on ${delivery.receivedOn}.`,
      );
    }
    if (pkg.status !== 'delivering') {
      throw new Failure('INVALID_TRANSITION', `${pkg.ref} is ${pkg.status}; it takes no receipt.`);
    }
    if (receipt.receivedOn < delivery.shippedOn) {
      throw new Failure(
        'VALIDATION_FAILED',
        `A delivery shipped on ${delivery.shippedOn} is received on or after it.`,
        [{ path: '/receivedOn', message: `on or after ${delivery.shippedOn}` }],
      );
    }
    const next = withLine(pkg, delivery.lineId, (line) => ({
      ...line,
      receivedQuantity: line.receivedQuantity + delivery.quantity,
    }));
    const complete = next.lines.every((line) => line.receivedQuantity === line.quantity);
    return {
      package: {
        ...next,
        status: complete ? 'completed' : next.status,
        version: pkg.version + 1,
        updatedAt: receipt.at,
      },
      delivery: { ...delivery, receivedOn: receipt.receivedOn, receivedBy: receipt.receivedBy },
    };
  },
} as const;
