import type { PackageJson } from '../../../contract/index.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';

export function PackageStatusBadge({ status }: { readonly status: PackageJson['status'] }) {
  const { t } = useI18n();
  return <span className={`status package-${status}`}>{t.packageStatuses[status]}</span>;
}
