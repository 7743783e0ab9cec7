import { useI18n } from '../../i18n/i18n-provider.tsx';

/**
 * Says, quietly, that live updates are paused while the stream is down. The region is always
 * there, so that screen readers announce the note when it appears.
 */
export function LiveUpdatesNotice({ paused }: { readonly paused: boolean }) {
  const { t } = useI18n();
  return (
    <p className="live-updates-notice" role="status">
      {paused ? t.live.paused : ''}
    </p>
  );
}
