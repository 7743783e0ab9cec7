import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { MeJson, OrganizationJson, UserJson } from '../../../contract/index.ts';
import type { ApiClient } from '../../api/client.ts';
import { errorMessage } from '../../i18n/error-message.ts';
import { useI18n } from '../../i18n/i18n-provider.tsx';
import { hasRows, PageStates, Pagination } from '../paging/pagination.tsx';
import { useCursorPages } from '../paging/use-cursor-pages.ts';
import { useSession } from '../session/session-provider.tsx';
import { apiFieldErrors } from './api-field-errors.ts';
import { FieldMessage, fieldProps } from './form-field.tsx';

type Role = UserJson['role'];
type Kind = OrganizationJson['kind'];
const roles: readonly Role[] = ['recipient', 'coordinator', 'supplier', 'donor', 'auditor', 'admin'];
/** A user's role follows its organisation's kind (src/core/access/roles.ts); the server decides. */
const roleOfKind: Readonly<Record<Kind, Role>> = {
  recipient: 'recipient',
  coordinator: 'coordinator',
  supplier: 'supplier',
  donor: 'donor',
  audit: 'auditor',
  operator: 'admin',
};
/** Limits.passwordLengthMin; the server decides. */
const passwordLengthMin = 12;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The administrator's users: the list with a "Disable" per user, and a form that adds one. */
export function UsersPage({ me, autoFocus }: { readonly me: MeJson; readonly autoFocus: boolean }) {
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
          {t.admin.usersHeading}
        </h1>
        <p className="notice notice-info">{t.admin.noAccess}</p>
      </div>
    );
  }

  return (
    <div className="page admin-page">
      <div className="page-heading">
        <h1 ref={headingRef} tabIndex={-1}>
          {t.admin.usersHeading}
        </h1>
        <p className="muted">{t.admin.usersIntro}</p>
      </div>
      <div role="status" className="notice-region">
        {notice && <p className="notice notice-success">{notice}</p>}
      </div>
      <UserList
        key={generation}
        api={api}
        me={me}
        onDisabled={(user) => setNotice(t.admin.userDisabled(user.email))}
      />
      <NewUserForm
        api={api}
        onCreated={(user) => {
          setNotice(t.admin.userCreated(user.email));
          setGeneration((count) => count + 1);
        }}
      />
    </div>
  );
}

function UserList({
  api,
  me,
  onDisabled,
}: {
  readonly api: ApiClient;
  readonly me: MeJson;
  readonly onDisabled: (user: UserJson) => void;
}) {
  const { t } = useI18n();
  const pages = useCursorPages<UserJson>((cursor) => api.users(cursor));
  const captionId = useId();
  const columns = t.admin.columns;
  // Users disabled on this page since it loaded: the row changes without reloading the page.
  const [disabled, setDisabled] = useState<ReadonlySet<string>>(new Set());
  return (
    <>
      <PageStates
        pages={pages}
        loadingText={t.admin.loading}
        failedText={t.admin.loadFailed}
        emptyText={t.admin.usersEmpty}
        retryText={t.admin.retry}
        errorText={(error) => errorMessage(t, error)}
      />
      {hasRows(pages) && pages.page && (
        <>
          {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard. */}
          <section className="table-scroll" aria-labelledby={captionId} tabIndex={0} ref={pages.regionRef}>
            <table className="data-table users-table" aria-busy={pages.loading || undefined}>
              <caption id={captionId}>{t.admin.usersCaption}</caption>
              <thead>
                <tr>
                  <th scope="col">{columns.email}</th>
                  <th scope="col">{columns.displayName}</th>
                  <th scope="col">{columns.organization}</th>
                  <th scope="col">{columns.role}</th>
                  <th scope="col">{columns.status}</th>
                  <th scope="col">{columns.actions}</th>
                </tr>
              </thead>
              <tbody>
                {pages.page.items.map((user) => {
                  const isDisabled = user.disabled || disabled.has(user.id);
                  const self = user.id === me.user.id;
                  return (
                    <tr key={user.id}>
                      <th scope="row" className="email">
                        {user.email}
                        {self && <span className="muted"> ({t.admin.you})</span>}
                      </th>
                      <td>{user.displayName}</td>
                      <td>{user.organization}</td>
                      <td>{t.roles[user.role]}</td>
                      <td>
                        <span className={`status ${isDisabled ? 'user-disabled' : 'user-active'}`}>
                          {isDisabled ? t.admin.disabled : t.admin.active}
                        </span>
                      </td>
                      <td className="actions">
                        {!isDisabled && !self && (
                          <DisableButton
                            api={api}
                            user={user}
                            onDisabled={() => {
                              setDisabled(new Set([...disabled, user.id]));
                              onDisabled(user);
                            }}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </section>
          <Pagination pages={pages} label={t.admin.usersPagination} />
        </>
      )}
    </>
  );
}

/** "Disable", then "Disable x? Yes / Cancel": one more keystroke before a user is locked out. */
function DisableButton({
  api,
  user,
  onDisabled,
}: {
  readonly api: ApiClient;
  readonly user: UserJson;
  readonly onDisabled: () => void;
}) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const [working, setWorking] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const startRef = useRef<HTMLButtonElement>(null);
  const yesRef = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (confirming) yesRef.current?.focus();
  }, [confirming]);

  async function disable() {
    if (working) return;
    setWorking(true);
    setError(null);
    try {
      await api.disableUser(user.id);
      onDisabled();
    } catch (failure) {
      setError(failure);
      setWorking(false);
    }
  }

  if (!confirming) {
    return (
      <button
        ref={startRef}
        type="button"
        className="button button-small"
        aria-label={t.admin.disableLabel(user.email)}
        onClick={() => setConfirming(true)}
      >
        {t.admin.disable}
      </button>
    );
  }
  return (
    <div className="confirm">
      <p>{t.admin.disableConfirm(user.email)}</p>
      <div className="button-row">
        <button
          ref={yesRef}
          type="button"
          className="button button-small button-danger"
          aria-label={t.admin.disableYesLabel(user.email)}
          aria-disabled={working || undefined}
          onClick={() => void disable()}
        >
          {working ? t.admin.disabling : t.admin.disableYes}
        </button>
        <button
          type="button"
          className="button button-small"
          aria-label={t.admin.disableNoLabel(user.email)}
          onClick={() => {
            setConfirming(false);
            setError(null);
          }}
        >
          {t.admin.disableNo}
        </button>
      </div>
      {error !== null && (
        <p className="field-error" role="alert">
          {errorMessage(t, error)}
        </p>
      )}
    </div>
  );
}

type Field = 'email' | 'organization' | 'role' | 'password';
const fields: readonly Field[] = ['email', 'organization', 'role', 'password'];

function NewUserForm({
  api,
  onCreated,
}: {
  readonly api: ApiClient;
  readonly onCreated: (user: UserJson) => void;
}) {
  const { t } = useI18n();
  const prefix = useId();
  const idOf = (field: Field) => `${prefix}-${field}`;
  const [organizations, setOrganizations] = useState<readonly OrganizationJson[] | null>(null);
  const [organizationsError, setOrganizationsError] = useState<unknown>(null);
  const [values, setValues] = useState<Record<Field, string>>({
    email: '',
    organization: '',
    role: '',
    password: '',
  });
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);

  useEffect(() => {
    let cancelled = false;
    api.allOrganizations().then(
      (list) => {
        if (!cancelled) setOrganizations(list);
      },
      (error: unknown) => {
        if (!cancelled) setOrganizationsError(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api]);

  function chooseOrganization(code: string) {
    const kind = organizations?.find((organization) => organization.code === code)?.kind;
    setValues({ ...values, organization: code, role: kind ? roleOfKind[kind] : values.role });
  }

  function focusFirst(found: Partial<Record<Field, string>>) {
    const first = fields.find((field) => found[field]);
    if (first) document.getElementById(idOf(first))?.focus();
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (submitting) return;
    const email = values.email.trim();
    const found: Partial<Record<Field, string>> = {};
    if (!email) found.email = t.admin.required;
    else if (!emailPattern.test(email)) found.email = t.admin.emailInvalid;
    if (!values.organization) found.organization = t.admin.required;
    const role = roles.find((each) => each === values.role);
    if (!role) found.role = t.admin.required;
    if (!values.password) found.password = t.admin.required;
    else if (values.password.length < passwordLengthMin)
      found.password = t.admin.passwordShort(passwordLengthMin);
    setErrors(found);
    setFailure(null);
    if (Object.keys(found).length > 0 || !role) {
      focusFirst(found);
      return;
    }
    setSubmitting(true);
    try {
      const user = await api.createUser({
        email,
        organization: values.organization,
        role,
        password: values.password,
      });
      setValues({ email: '', organization: '', role: '', password: '' });
      onCreated(user);
    } catch (error) {
      const { byField, matched } = apiFieldErrors(error, fields, {
        USER_EXISTS: 'email',
        ORGANIZATION_UNKNOWN: 'organization',
        ROLE_NOT_ALLOWED_FOR_ORGANIZATION: 'role',
        PASSWORD_TOO_WEAK: 'password',
      });
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
    if (field === 'email' && code === 'USER_EXISTS') return t.errors.byCode.USER_EXISTS;
    if (field === 'role' && code === 'ROLE_NOT_ALLOWED_FOR_ORGANIZATION')
      return t.errors.byCode.ROLE_NOT_ALLOWED_FOR_ORGANIZATION;
    if (field === 'organization' && code === 'ORGANIZATION_UNKNOWN')
      return t.errors.byCode.ORGANIZATION_UNKNOWN;
    if (field === 'password') return t.admin.passwordShort(passwordLengthMin);
    if (field === 'email') return t.admin.emailInvalid;
    return undefined;
  }

  return (
    <form className="panel admin-form" aria-labelledby={`${prefix}-heading`} noValidate onSubmit={submit}>
      <h2 id={`${prefix}-heading`}>{t.admin.newUser}</h2>
      {organizationsError !== null && (
        <div className="notice notice-error" role="alert">
          <p>{t.admin.organizationsFailed}</p>
          <p>{errorMessage(t, organizationsError)}</p>
        </div>
      )}
      {failure && (
        <p className="notice notice-error" role="alert">
          {failure}
        </p>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={idOf('email')}>{t.admin.email}</label>
          <input
            {...fieldProps(idOf('email'), errors.email, false)}
            name="email"
            type="email"
            autoComplete="off"
            spellCheck={false}
            value={values.email}
            onChange={(event) => setValues({ ...values, email: event.target.value })}
          />
          <FieldMessage id={idOf('email')} message={errors.email} />
        </div>
        <div className="field">
          <label htmlFor={idOf('organization')}>{t.admin.organization}</label>
          <select
            {...fieldProps(idOf('organization'), errors.organization, false)}
            name="organization"
            value={values.organization}
            disabled={organizations === null}
            onChange={(event) => chooseOrganization(event.target.value)}
          >
            <option value="">{organizations === null ? t.admin.loading : t.admin.chooseOrganization}</option>
            {(organizations ?? []).map((organization) => (
              <option key={organization.id} value={organization.code}>
                {`${organization.code}: ${organization.name} (${t.admin.kinds[organization.kind]})`}
              </option>
            ))}
          </select>
          <FieldMessage id={idOf('organization')} message={errors.organization} />
        </div>
        <div className="field">
          <label htmlFor={idOf('role')}>{t.admin.role}</label>
          <select
            {...fieldProps(idOf('role'), errors.role, true)}
            name="role"
            value={values.role}
            onChange={(event) => setValues({ ...values, role: event.target.value })}
          >
            <option value="">{t.admin.chooseRole}</option>
            {roles.map((role) => (
              <option key={role} value={role}>
                {t.roles[role]}
              </option>
            ))}
          </select>
          <p id={`${idOf('role')}-hint`} className="hint">
            {t.admin.roleHint}
          </p>
          <FieldMessage id={idOf('role')} message={errors.role} />
        </div>
        <div className="field">
          <label htmlFor={idOf('password')}>{t.admin.password}</label>
          <input
            {...fieldProps(idOf('password'), errors.password, true)}
            name="password"
            type="password"
            autoComplete="new-password"
            value={values.password}
            onChange={(event) => setValues({ ...values, password: event.target.value })}
          />
          <p id={`${idOf('password')}-hint`} className="hint">
            {t.admin.passwordHint(passwordLengthMin)}
          </p>
          <FieldMessage id={idOf('password')} message={errors.password} />
        </div>
      </div>
      <div className="button-row">
        <button type="submit" className="button button-primary" aria-disabled={submitting || undefined}>
          {submitting ? t.admin.creating : t.admin.createUser}
        </button>
      </div>
    </form>
  );
}
