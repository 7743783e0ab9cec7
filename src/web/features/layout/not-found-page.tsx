import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { Link } from '../../routing/router.tsx';
import { paths } from '../../routing/routes.ts';

export function NotFoundPage({ autoFocus }: { readonly autoFocus: boolean }) {
  const { t } = useI18n();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);
  return (
    <div className="page">
      <h1 ref={headingRef} tabIndex={-1}>
        {t.pages.notFoundHeading}
      </h1>
      <p>{t.pages.notFound}</p>
      <p>
        <Link href={paths.home}>{t.pages.goHome}</Link>
      </p>
    </div>
  );
}
