import Type, { type Static } from 'typebox';
import { changedKinds } from '../core/access/change-rules.ts';
import { StringEnum } from './common.schema.ts';

/**
 * The `data` of the messages on `GET /api/v1/events` (text/event-stream). Each message's `id` is
 * the audit sequence number `seq`; nothing but the kind and id of an object is ever sent, so a
 * client refetches what it shows.
 */
export const ChangedEventSchema = Type.Object(
  {
    type: Type.Literal('changed'),
    object: Type.Object({ kind: StringEnum(changedKinds), id: Type.String() }),
    seq: Type.Integer({ minimum: 1 }),
  },
  { title: 'ChangedEvent', description: 'An object the caller may read changed: refetch it.' },
);
export type ChangedEventJson = Static<typeof ChangedEventSchema>;

export const StreamStateEventSchema = Type.Object(
  {
    type: StringEnum(['ready', 'refetch'] as const, {
      description:
        '`ready`: connected, and nothing was missed; `refetch`: writes may have been missed since the `Last-Event-ID` (or `?since=`) the client sent, or too many arrived at once: reload what is shown.',
    }),
    seq: Type.Integer({ minimum: 0 }),
  },
  { title: 'StreamStateEvent' },
);
export type StreamStateEventJson = Static<typeof StreamStateEventSchema>;

export type LiveEventJson = ChangedEventJson | StreamStateEventJson;
export type ChangedKindJson = ChangedEventJson['object']['kind'];
