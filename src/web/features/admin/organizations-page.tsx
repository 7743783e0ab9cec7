import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { MeJson, OrganizationJson } from '../../../contract/index.ts';
import type { ApiClient } from '../../api/client.ts';
import { formatDateTime } from '../../format/date-time.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { hasRows, PageStates, Pagination } from '../paging/pagination.tsx';
import { useCursorPages } from '../paging/use-cursor-pages.ts';
import { useSession } from '../session/session-provider.tsx';
import { apiFieldErrors } from './api-field-errors.ts';
import { FieldMessage, fieldProps } from './form-field.tsx';

type Kind = OrganizationJson['kind'];
export const organizationKinds: readonly Kind[] = [
  'recipient',
  'coordinator',
  'supplier',
  'donor',
  'audit',
  'operator',
];
const codePattern = /^[A-Z][A-Z0-9-]{1,15}$/;
/** Limits.nameLengthMax; the server decides. */
const nameLengthMax = 200;

/** The administrator's organisations: the list, and a form that adds one. */
export function OrganizationsPage({ me, autoFocus }: { readonly me: MeJson; readonly autoFocus: boolean }) {
  const { t } = useI18n();
  const { api } = useSession();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (autoFocus) headingRef.current?.focus();
  }, [autoFocus]);

  if (me.role !== 'admin') {
    return (
      <div className="page">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.admin.organizationsHeading}
        </h1>
        <p className="notice notice-info">{t.admin.noAccess}</p>
      </div>
    );
  }

  return (
    <div className="page admin-page">
      <div className="page-heading">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.admin.organizationsHeading}
        </h1>
        <p className="muted">{t.admin.organizationsIntro}</p>
      </div>
      <div role="status" className="notice-region">
        {notice && <p className="notice notice-success">{notice}</p>}
      </div>
      <OrganizationList key={generation} api={api} />
      <NewOrganizationForm
        api={api}
        onCreated={(organization) => {
          setNotice(t.admin.organizationCreated(organization.code));
          setGeneration((count) => count + 1);
        }}
      />
    </div>
  );
}

function OrganizationList({ api }: { readonly api: ApiClient }) {
  const { t, locale } = useI18n();
  const pages = useCursorPages<OrganizationJson>((cursor) => api.organizations(cursor));
  const captionId = useId();
  const columns = t.admin.columns;
  return (
    <>
      <PageStates
        pages={pages}
        loadingText={t.admin.loading}
        failedText={t.admin.loadFailed}
        emptyText={t.admin.organizationsEmpty}
        retryText={t.admin.retry}
        errorText={(error) => errorMessage(t, error)}
      />
      {hasRows(pages) && pages.page && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-scroll" aria-labelledby={captionId} tabIndex={0} ref={pages.regionRef}>
            <table className="data-table" aria-busy={pages.loading || undefined}>
              <caption id={captionId}>{t.admin.organizationsCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{columns.code}</th>
                  <th scope="col">{columns.name}</th>
                  <th scope="col">{columns.kind}</th>
                  <th scope="col">{columns.created}</th>
                </tr>
              </thead>
              <tbody>
                {pages.page.items.map((organization) => (
                  <tr key={organization.id}>
                    <th scope="row" className="ref">
                      {organization.code}
                    </th>
                    <td>{organization.name}</td>
                    <td>{t.admin.kinds[organization.kind]}</td>
                    <td>
                      <time dateTime={organization.createdAt}>
                        {formatDateTime(organization.createdAt, locale)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <Pagination pages={pages} label={t.admin.organizationsPagination} />
        </>
      )}
    </>
  );
}

type Field = 'code' | 'name' | 'kind';
const fields: readonly Field[] = ['code', 'name', 'kind'];

function NewOrganizationForm({
  api,
  onCreated,
}: {
  readonly api: ApiClient;
  readonly onCreated: (organization: OrganizationJson) => void;
}) {
  const { t } = useI18n();
  const prefix = useId();
  const idOf = (field: Field) => `${prefix}-${field}`;
  const [values, setValues] = useState<Record<Field, string>>({ code: '', name: '', kind: '' });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  function focusFirst(found: Partial<Record<Field, string>>) {
    const first = fields.find((field) => found[field]);
    if (first) document.getElementById(idOf(first))?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const code = values.code.trim();
    const name = values.name.trim();
    const found: Partial<Record<Field, string>> = {};
    if (!code) found.code = t.admin.required;
    else if (!codePattern.test(code)) found.code = t.admin.codeInvalid;
    if (!name) found.name = t.admin.required;
    else if (name.length > nameLengthMax) found.name = t.form.tooLong(nameLengthMax);
    const kind = organizationKinds.find((each) => each === values.kind);
    if (!kind) found.kind = t.admin.required;
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0 || !kind) {
      focusFirst(found);
      return;
    }
    setSubmitting(true);
    try {
      const organization = await api.createOrganization({ code, name, kind });
      setValues({ code: '', name: '', kind: '' });
      onCreated(organization);
    } catch (error) {
      const { byField, matched } = apiFieldErrors(error, fields, { ORGANIZATION_EXISTS: 'code' });
      const shown: Partial<Record<Field, string>> = {};
      for (const field of fields) {
        if (byField[field] !== undefined) shown[field] = localMessage(field, error) ?? byField[field];
      }
      setErrors(shown);
      setFailure(matched ? t.admin.fixErrors : errorMessage(t, error));
      focusFirst(shown);
    } finally {
      setSubmitting(false);
    }
  }

  /** The field's sentence in the user's language when the code says what is wrong; else the server's. */
  function localMessage(field: Field, error: unknown): string | undefined {
    const code = (error as { code?: string }).code;
    if (field === 'code' && code === 'ORGANIZATION_EXISTS') return t.errors.byCode.ORGANIZATION_EXISTS;
    if (field === 'code') return t.admin.codeInvalid;
    return undefined;
  }

  return (
    <form className="panel admin-form" aria-labelledby={`${prefix}-heading`} noValidate onSubmit={submit}>
      <h2 id={`${prefix}-heading`}>{t.admin.newOrganization}</h2>
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={idOf('code')}>{t.admin.code}</label>
          <input
            {...fieldProps(idOf('code'), errors.code, true)}
            name="code"
            type="text"
            maxLength={16}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            value={values.code}
            onChange={(event) => setValues({ ...values, code: event.target.value.toUpperCase() })}
          />
          <p id={`${idOf('code')}-hint`} className="hint">
            {t.admin.codeHint}
          </p>
          <FieldMessage id={idOf('code')} message={errors.code} />
        </div>
        <div className="field">
          <label htmlFor={idOf('name')}>{t.admin.name}</label>
          <input
            {...fieldProps(idOf('name'), errors.name, false)}
            name="name"
            type="text"
            autoComplete="organization"
            value={values.name}
            onChange={(event) => setValues({ ...values, name: event.target.value })}
          />
          <FieldMessage id={idOf('name')} message={errors.name} />
        </div>
        <div className="field">
          <label htmlFor={idOf('kind')}>{t.admin.kind}</label>
          <select
            {...fieldProps(idOf('kind'), errors.kind, false)}
            name="kind"
            value={values.kind}
            onChange={(event) => setValues({ ...values, kind: event.target.value })}
          >
            <option value="">{t.admin.chooseKind}</option>
            {organizationKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t.admin.kinds[kind]}
              </option>
            ))}
          </select>
          <FieldMessage id={idOf('kind')} message={errors.kind} />
        </div>
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={submitting || undefined}>
          {submitting ? t.admin.creating : t.admin.createOrganization}
        </button>
      </div>
    </form>
  );
}
