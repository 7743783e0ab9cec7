import { useEffect, useMemo, useRef } from 'react';
import type { MeJson } from '../../../contract/index.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link, useRouter } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';
import { useSession } from '../session/session-provider.tsx';
import { PledgeForm } from './pledge-form.tsx';
import { pledgePermissions } from './pledge-permissions.ts';
import { useCategories } from './use-categories.ts';

/** What the detail page says after it was reached from the form. */
export interface RecordedNotice {
  readonly recorded: string;
}

export function isRecordedNotice(state: unknown): state is RecordedNotice {
  return (
    typeof state === 'object' && state !== null && typeof (state as RecordedNotice).recorded === 'string'
  );
}

export function NewPledgePage({ me, autoFocus }: { readonly me: MeJson; readonly autoFocus: boolean }) {
  const { t } = useI18n();
  const { api } = useSession();
  const { navigate } = useRouter();
  const permissions = useMemo(() => pledgePermissions(me), [me]);
  const categories = useCategories(api);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const rules = useMemo(
    () => ({ fixedDonor: permissions.fixedDonor, sourceRequired: permissions.sourceRequired }),
    [permissions],
  );

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link href={paths.pledges()}>{t.pledgeForm.back}</Link>
      </p>
      <div className="page-heading">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.pledgeForm.heading}
        </h1>
        {permissions.create && (
          <p className="muted">
            {permissions.fixedDonor
              ? t.pledgeForm.introDonor(permissions.fixedDonor)
              : t.pledgeForm.introCoordinator}
          </p>
        )}
      </div>
      {permissions.create ? (
        <section className="panel panel-flush">
          <PledgeForm
            api={api}
            categories={categories.list}
            categoriesFailed={categories.failed}
            rules={rules}
            onRecorded={(pledge) =>
              // Replaced, not pushed: "back" from the new pledge leads to the register, not to a spent form.
              navigate(paths.pledge(pledge.id), {
                replace: true,
                state: { recorded: pledge.ref } satisfies RecordedNotice,
              })
            }
          />
        </section>
      ) : (
        <p className="notice notice-info">{t.errors.byCode.FORBIDDEN}</p>
      )}
    </div>
  );
}
